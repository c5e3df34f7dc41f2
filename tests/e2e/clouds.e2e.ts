// Cloud targets, Kubernetes side: the aws/gcp/azure provider plugins cannot be built here, so the
// Kubernetes objects `openwebui plan` renders for examples/aws, gcp and azure (values only the
// cloud knows are the string "(computed)", secrets "[secret]": both fit the string fields they
// stand in) are sent to the real API server with `kubectl apply --dry-run=server`: admission,
// defaulting and OpenAPI validation of every object, without creating it.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { kubectl, must, run, times, WORK } from "./lib";

/** Kinds whose CRDs are not installed here (no Go module serves their definitions). */
const NO_CRD: { [cloud: string]: string[] } = {
    gcp: ["BackendConfig", "FrontendConfig", "ManagedCertificate"], // cloud.google.com / networking.gke.io: not served by the Go module proxy
    azure: ["RoutePolicy"], // alb.networking.azure.io: the ALB controller's CRDs ship only in Microsoft's OCI chart (unit tests validate it against a schema transcribed from Microsoft's API spec)
};

describe("e2e: cloud targets' Kubernetes objects accepted by the real API server (dry-run=server)", function () {
    this.timeout(10 * 60 * 1000);
    for (const cloud of ["aws", "gcp", "azure"]) {
        it(`examples/${cloud}`, () => {
            const out = path.join(WORK, `plan-${cloud}`);
            fs.rmSync(out, { recursive: true, force: true });
            const r = must(
                run("node", ["cli/bin.js", "plan", `examples/${cloud}`, "-c", "otlpEndpoint=https://otlp.example.com:4318", "--out", out, "--no-policy"], {
                    timeoutSec: 300,
                }),
                `openwebui plan examples/${cloud}`,
            );
            times[`clouds: plan examples/${cloud}`] = r.seconds;
            const ns = `dryrun-${cloud}`;
            const files = fs.readdirSync(out).filter((f) => f.endsWith(".yaml"));
            assert.ok(files.length >= 15, `${files.length} objects`);
            run("kubectl", ["create", "namespace", ns]);
            try {
                let checked = 0;
                const skipped: string[] = [];
                for (const f of files) {
                    const text = fs.readFileSync(path.join(out, f), "utf8").replace(/^(\s*namespace:) open-webui$/gm, `$1 ${ns}`);
                    const kind = /^kind: (\S+)$/m.exec(text)?.[1] ?? "";
                    if (kind === "Namespace") continue; // created above (a dry-run namespace would not exist for the rest)
                    if ((NO_CRD[cloud] ?? []).includes(kind)) {
                        skipped.push(kind);
                        continue;
                    }
                    const res = run("kubectl", ["apply", "--dry-run=server", "-f", "-"], { input: text });
                    assert.strictEqual(res.code, 0, `${cloud} ${f} refused by the API server:\n${res.stderr}`);
                    checked++;
                }
                assert.ok(checked >= 15, `${checked} objects checked`);
                console.log(`      ${cloud}: ${checked} objects accepted${skipped.length ? `; no CRD here for ${skipped.join(", ")}` : ""}`);
            } finally {
                kubectl(["delete", "namespace", ns, "--wait=false"]);
            }
        });
    }
});
