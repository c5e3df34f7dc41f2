// Every image the component deploys: the pinned defaults (no moving tags) in one place, and
// their resolution (an explicit override as given, else the default under `imageRegistry`).
import { mirrorImage } from "../kubernetes/podKnobs";
import type { OpenWebUiClusterArgs } from "../args/types";
import { DEFAULTS } from "./defaults";

/** The Open WebUI release this package is tested against (PyPI 0.12.4; see tests/integration). */
export const DEFAULT_IMAGE_REPOSITORY = DEFAULTS["image.repository"].value;
export const DEFAULT_IMAGE_TAG = DEFAULTS["image.tag"].value;
export const DEFAULT_OTEL_COLLECTOR_IMAGE = DEFAULTS["otel.collectorImage"].value;
/** psql of the database bootstrap Job. */
export const PSQL_IMAGE = "postgres:17.6-alpine";
/** In-cluster services. MinIO is not used: its images stopped in Oct 2025. */
export const IN_CLUSTER_IMAGES = {
    postgres: (major: string) => `pgvector/pgvector:0.8.1-pg${major}`,
    redis: "valkey/valkey:8.1.4-alpine",
    objectStore: "chrislusf/seaweedfs:3.97",
};

/**
 * CloudNativePG operand images (`database.mode: inClusterHa`): the `standard` flavour (Debian
 * trixie), which carries pgvector (the `system` images are deprecated), pinned per major.
 */
export const CNPG_POSTGRES_VERSIONS: { [major: string]: string } = { "16": "16.10", "17": "17.6", "18": "18.1" };
export const CNPG_IMAGE_REPOSITORY = "ghcr.io/cloudnative-pg/postgresql";
export function cnpgPostgresImage(major: string): string | undefined {
    const v = CNPG_POSTGRES_VERSIONS[major];
    return v === undefined ? undefined : `${CNPG_IMAGE_REPOSITORY}:${v}-standard-trixie`;
}

/** The image of every workload besides Open WebUI (whose ref is `spec.image.ref`). */
export interface ResolvedImages {
    dbBootstrap: string;
    otelCollector: string;
    postgres: string;
    /** The CloudNativePG operand (`inClusterHa`); empty when no image is pinned for the major and none is set. */
    postgresHa: string;
    redis: string;
    objectStore: string;
}

/** Resolves the workloads' images; `postgresMajor` picks the in-cluster Postgres image. */
export function resolveImages(a: OpenWebUiClusterArgs, postgresMajor: string): ResolvedImages {
    const w = a.workloads ?? {};
    const reg = a.imageRegistry;
    const pick = (override: string | undefined, pinned: string) => override ?? mirrorImage(pinned, reg);
    return {
        dbBootstrap: pick(w.dbBootstrap?.image, PSQL_IMAGE),
        otelCollector: pick(a.otel?.collectorImage ?? w.otelCollector?.image, DEFAULT_OTEL_COLLECTOR_IMAGE),
        postgres: pick(w.postgres?.image, IN_CLUSTER_IMAGES.postgres(postgresMajor)),
        postgresHa: w.postgres?.image ?? (cnpgPostgresImage(postgresMajor) ? mirrorImage(cnpgPostgresImage(postgresMajor)!, reg) : ""),
        redis: pick(w.redis?.image, IN_CLUSTER_IMAGES.redis),
        objectStore: pick(w.objectStore?.image, IN_CLUSTER_IMAGES.objectStore),
    };
}
