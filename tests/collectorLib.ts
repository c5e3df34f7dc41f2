// The validation collector (scripts/collector/build.sh) and the end-to-end overlay: shared by the
// config validation (tests/collectorConfig.test.ts) and the telemetry drill
// (tests/integration/telemetry.itest.ts).
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";

const ROOT = path.join(__dirname, "..");
/** The binary build.sh caches: `$OTELCOL_BIN`, else ~/.cache/openwebui-otelcol/<hash of manifest + build.sh>/. */
export function collectorBinary(): string {
    if (process.env.OTELCOL_BIN) return process.env.OTELCOL_BIN;
    const dir = path.join(ROOT, "scripts", "collector");
    const key = crypto
        .createHash("sha256")
        .update(Buffer.concat([fs.readFileSync(path.join(dir, "manifest.yaml")), fs.readFileSync(path.join(dir, "build.sh"))]))
        .digest("hex")
        .slice(0, 16);
    return path.join(process.env.OTELCOL_CACHE ?? path.join(os.homedir(), ".cache", "openwebui-otelcol"), key, "otelcol-openwebui");
}

/** The end-to-end overlay: every exporter of a pipeline replaced by one file exporter, nothing else changed. */
export function fileOverlay(yaml: string, dir: string): string {
    const cfg = parse(yaml);
    for (const p of Object.values(cfg.service.pipelines) as { exporters: string[] }[])
        p.exporters = [...new Set(p.exporters.map((e) => (e === "prometheus" ? e : "file")))];
    cfg.exporters = { ...(cfg.exporters.prometheus ? { prometheus: cfg.exporters.prometheus } : {}), file: { path: path.join(dir, "telemetry.jsonl") } };
    cfg.service.extensions = ["health_check"];
    cfg.extensions = { health_check: cfg.extensions.health_check };
    return stringify(cfg);
}
