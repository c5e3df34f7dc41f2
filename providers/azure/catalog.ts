// Azure facts the azure target relies on: SKUs per size preset and the max_connections each is
// provisioned with. Plain data, no SDK import.
import { SizePreset } from "../../components/args/types";

/** Size preset -> General Purpose SKU (Burstable has no HA). */
export const POSTGRES_SKUS: { [size in SizePreset]: string } = {
    [SizePreset.Small]: "Standard_D2ds_v5",
    [SizePreset.Medium]: "Standard_D4ds_v5",
    [SizePreset.Large]: "Standard_D8ds_v5",
};

/**
 * `max_connections` we plan with, per SKU. D2ds_v5 (8 GiB) 859 and D4ds_v5 (16 GiB) 1718 are
 * Azure's provisioning defaults; for D8ds_v5 (32 GiB) we plan 3000, under its default 3437.
 * The value is always set through a `max_connections` Configuration, because Azure fixes the
 * default at provisioning and does not recompute it on rescale.
 */
export const POSTGRES_MAX_CONNECTIONS: { [sku: string]: number } = {
    Standard_D2ds_v5: 859,
    Standard_D4ds_v5: 1718,
    Standard_D8ds_v5: 3000,
};

/**
 * The `max_connections` a server of this SKU is provisioned with (Microsoft, "Limits in Azure
 * Database for PostgreSQL flexible server": MIN(memoryMiB * 0.1049164697034809, 5000), 2 GiB: 50;
 * D-series 4 GiB and E-series 8 GiB per vCore). This is what
 * is in force on a new server until its first restart: `max_connections` is a **static** parameter
 * (allowed 25-5000), so the Configuration the component sets applies only after a restart, and a
 * deploy never restarts the server. Planning above it would size the pools for connections the
 * server refuses.
 */
export function provisioningMaxConnections(sku: string): number | undefined {
    const m = /^Standard_([BDE])(\d+)[a-z]*(?:_v\d)?$/i.exec(sku);
    if (!m) return undefined;
    const [family, vcores] = [m[1].toUpperCase(), m[2]];
    const burstableGiB: Record<string, number> = { "1": 2, "2": /^Standard_B2s$/i.test(sku) ? 4 : 8, "4": 16, "8": 32, "12": 48, "16": 64, "20": 80 };
    const memoryGiB = family === "B" ? burstableGiB[vcores] : Number(vcores) * (family === "D" ? 4 : 8);
    if (!memoryGiB) return undefined;
    return memoryGiB <= 2 ? memoryGiB * 25 : Math.min(Math.floor(memoryGiB * 1024 * 0.1049164697034809), 5000);
}

/** Azure's range for `max_connections` (server parameter reference). */
export const POSTGRES_MAX_CONNECTIONS_RANGE = { min: 25, max: 5000 };

/** Azure Managed Redis SKU per size preset. */
export const REDIS_SKUS: { [size in SizePreset]: string } = {
    [SizePreset.Small]: "Balanced_B1",
    [SizePreset.Medium]: "Balanced_B3",
    [SizePreset.Large]: "Balanced_B5",
};
