// The pack's `owui-telemetry` advisory: quiet on the component's defaults (telemetry on on the
// clouds, off on kubernetes), reporting telemetry turned off or a sampler that keeps no traces on
// a cloud target; the rule alone on hand-written stacks (env forms, opaque sources, no cloud).
import "./harness";
import * as assert from "assert";
import { registered, reset, settle } from "./harness";
import { analyzed } from "./policyDeps";
import { TARGET_ARGS } from "./cloudFixtures";
import { OpenWebUiCluster } from "../index";
import { AnalyzedResource, runPolicies, urnFor } from "../policy/runner";
import * as P from "../policy/policies";

const RULE = "owui-telemetry";

async function messages(target: string, extra: any = {}): Promise<string[]> {
    reset();
    new OpenWebUiCluster("chat", { hostname: "chat.example.com", ...TARGET_ARGS[target], ...extra });
    await settle();
    return (await runPolicies(analyzed(registered))).filter((v) => v.policyName === RULE).map((v) => v.message);
}

const res = (type: string, name: string, props: any): AnalyzedResource => ({ type, name, urn: urnFor(type, name), props });
const app = (env: any[], envFrom?: any[]) =>
    res(P.TYPES.deployment, "app", {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "app", namespace: "owui" },
        spec: {
            replicas: 2,
            template: {
                metadata: { labels: { app: "owui" } },
                spec: { containers: [{ name: "open-webui", image: "ghcr.io/open-webui/open-webui:v0.12.4", env, ...(envFrom ? { envFrom } : {}) }] },
            },
        },
    });
const KEY = res("aws:kms/key:Key", "key", {});
const ON = [
    { name: "ENABLE_OTEL", value: "true" },
    { name: "ENABLE_OTEL_TRACES", value: "true" },
    { name: "OTEL_TRACES_SAMPLER", value: "parentbased_traceidratio" },
    { name: "OTEL_TRACES_SAMPLER_ARG", value: "0.1" },
];
const withVar = (name: string, value: string) => [...ON.filter((e) => e.name !== name), { name, value }];
async function rule(resources: AnalyzedResource[]): Promise<string[]> {
    return (await runPolicies(resources, { policies: [P.telemetryOn] })).map((v) => v.message);
}

describe("policy: owui-telemetry", function () {
    this.timeout(60000);

    for (const target of ["aws", "gcp", "azure", "kubernetes"]) {
        it(`${target}: quiet on the component's default`, async () => {
            assert.deepStrictEqual(await messages(target), []);
        });
    }

    for (const target of ["aws", "gcp", "azure"]) {
        it(`${target}: reports otel.enabled=false and a sampler that keeps no traces`, async () => {
            const off = await messages(target, { otel: { enabled: false } });
            assert.strictEqual(off.length, 1, off.join("\n"));
            assert.match(off[0], new RegExp(`Deployment 'chat' container 'open-webui' on ${target}: telemetry is off \\(ENABLE_OTEL=false\\)`));
            assert.match(
                (await messages(target, { otel: { samplerRatio: 0 } })).join(),
                /keeps no traces \(OTEL_TRACES_SAMPLER=parentbased_traceidratio, OTEL_TRACES_SAMPLER_ARG=0\)/,
            );
        });
    }

    it("aws: reports otel.traces=false and the always_off sampler", async () => {
        assert.match((await messages("aws", { otel: { traces: false } })).join(), /keeps no traces \(ENABLE_OTEL_TRACES=false\)/);
        assert.match((await messages("aws", { otel: { sampler: "always_off" } })).join(), /keeps no traces \(OTEL_TRACES_SAMPLER=always_off\)/);
    });

    it("kubernetes: telemetry off (its default) is not reported", async () => {
        assert.deepStrictEqual(await messages("kubernetes", { otel: { enabled: false } }), []);
    });

    it("hand-written stacks: no ENABLE_OTEL on a cloud is off; unknowable values and stacks without cloud resources are not reported", async () => {
        assert.match((await rule([KEY, app([])])).join(), /Deployment 'app' container 'open-webui' on aws: telemetry is off \(no ENABLE_OTEL\)/);
        assert.deepStrictEqual(await rule([KEY, app(ON)]), []);
        assert.deepStrictEqual(await rule([app([])]), [], "no cloud resource: a kubernetes stack");
        assert.deepStrictEqual(await rule([KEY, app([], [{ secretRef: { name: "otel-env" } }])]), [], "ENABLE_OTEL may come from the Secret");
        assert.deepStrictEqual(await rule([KEY, app([{ name: "ENABLE_OTEL", valueFrom: { secretKeyRef: { name: "s", key: "k" } } }])]), []);
        assert.match((await rule([KEY, app(withVar("OTEL_TRACES_SAMPLER_ARG", "0"))])).join(), /keeps no traces/);
        assert.deepStrictEqual(await rule([KEY, app(withVar("OTEL_TRACES_SAMPLER", "always_on"))]), []);
    });
});
