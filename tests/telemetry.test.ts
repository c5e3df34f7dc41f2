// Telemetry on by default on the clouds: the collector, its own ServiceAccount bound to its own
// least-privilege identity, the backend resources (log group, writer roles, Application Insights),
// the app's OTEL env per signal and sampler, the collector's egress; one switch turns it all off.
import "./harness";
import * as assert from "assert";
import { parse } from "yaml";
import { envOf, ofType, one, registered, reset, settle, value } from "./harness";
import { kubernetesObjects, validateK8sObject } from "./k8sSchema";
import { allowed, Pod, Policy } from "./npEval";
import { CloudTarget, OpenWebUiCluster } from "../index";
import { ValidationError } from "../components/spec/errors";
import { AZURE_ARGS } from "./cloudFixtures";

const AWS = {
    vpcId: "vpc-1",
    privateSubnetIds: ["subnet-a", "subnet-b"],
    eks: { clusterName: "prod", securityGroupIds: ["sg-1"] },
    certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab",
    route53ZoneId: "Z1",
    region: "eu-west-1",
};
const GCP = { project: "proj-123", region: "europe-west1", network: "projects/proj-123/global/networks/vpc" };
const CLOUDS: [string, any][] = [
    ["aws", { target: CloudTarget.Aws, aws: AWS }],
    ["gcp", { target: CloudTarget.Gcp, gcp: GCP }],
    ["azure", { target: CloudTarget.Azure, tls: { secretName: "chat-tls" }, azure: AZURE_ARGS }],
];

async function build(args: any): Promise<void> {
    reset();
    new OpenWebUiCluster("chat", { hostname: "chat.example.com", ...args });
    await settle();
}
const k8s = (kind: string, name: string) => kubernetesObjects(registered).find((o) => o.kind === kind && o.metadata.name === name);
const appEnv = () => envOf(one("kubernetes:apps/v1:Deployment", "chat").plain.spec.template.spec);
const collectorConfig = async () => parse(await value(one("kubernetes:core/v1:ConfigMap", "chat-otel").plain.data["config.yaml"]));

describe("telemetry on by default on aws, gcp and azure", () => {
    for (const [cloud, args] of CLOUDS) {
        it(`${cloud}: a collector exporting traces and logs to the cloud, as its own ServiceAccount`, async () => {
            await build(args);
            const dep = k8s("Deployment", "chat-otel-collector");
            assert.ok(dep, "collector Deployment");
            assert.strictEqual(dep.spec.template.spec.serviceAccountName, "chat-otel-collector");
            assert.strictEqual(dep.metadata.annotations["openwebui.io/otel-debug-only"], "false");
            const sa = k8s("ServiceAccount", "chat-otel-collector");
            assert.ok(sa, "collector ServiceAccount");
            for (const o of [dep, sa]) await validateK8sObject(o);
            const cfg = await collectorConfig();
            assert.deepStrictEqual(Object.keys(cfg.service.pipelines).sort(), ["logs", "traces"], "metrics off by default (cardinality)");
            const env = appEnv();
            assert.strictEqual(env.ENABLE_OTEL.value, "true");
            assert.strictEqual(env.ENABLE_OTEL_TRACES.value, "true");
            assert.strictEqual(env.ENABLE_OTEL_LOGS.value, "true");
            assert.strictEqual(env.ENABLE_OTEL_METRICS.value, "false");
            assert.strictEqual(env.OTEL_TRACES_SAMPLER.value, "parentbased_traceidratio");
            assert.strictEqual(env.OTEL_TRACES_SAMPLER_ARG.value, "0.1");
            // Egress: the cloud's APIs on 443, nothing else but DNS and identity endpoints.
            const nps: Policy[] = kubernetesObjects(registered)
                .filter((o) => o.kind === "NetworkPolicy")
                .map((o) => ({ metadata: o.metadata, spec: o.spec }));
            const labels = dep.spec.template.metadata.labels;
            const col: Pod = { name: "col", namespace: dep.metadata.namespace, labels, ip: "10.0.100.50" };
            assert.ok(allowed(nps, col, { ip: "52.94.1.1" }, 443), "collector -> cloud endpoint 443");
            assert.ok(!allowed(nps, col, { ip: "52.94.1.1" }, 4317), "collector -> anything else denied");
        });
        it(`${cloud}: otel.enabled=false turns every part off`, async () => {
            await build({ ...args, otel: { enabled: false } });
            assert.strictEqual(k8s("Deployment", "chat-otel-collector"), undefined);
            assert.strictEqual(k8s("ServiceAccount", "chat-otel-collector"), undefined);
            assert.strictEqual(appEnv().ENABLE_OTEL.value, "false");
            const cloudTelemetry = registered.filter((r) => /-(otel|insights)/.test(r.name) && !r.type.startsWith("kubernetes:"));
            assert.deepStrictEqual(
                cloudTelemetry.map((r) => r.name),
                [],
                "no backend or identity resources",
            );
        });
    }

    it("aws: log group with retention, the collector's role may only put spans and log events there", async () => {
        await build({ target: CloudTarget.Aws, aws: AWS, otel: { logRetentionDays: 14 } });
        const lg = one("aws:cloudwatch/logGroup:LogGroup", "chat-otel-logs");
        assert.strictEqual(lg.inputs.retentionInDays, 14);
        const policy = JSON.parse(await value(one("aws:iam/rolePolicy:RolePolicy", "chat-otel-export").inputs.policy));
        const actions = policy.Statement.flatMap((s: any) => [].concat(s.Action));
        assert.deepStrictEqual(actions.sort(), [
            "logs:DescribeLogStreams",
            "logs:PutLogEvents",
            "xray:PutSpans",
            "xray:PutSpansForIndexing",
            "xray:PutTraceSegments",
        ]);
        const assoc = one("aws:eks/podIdentityAssociation:PodIdentityAssociation", "chat-otel-pod-identity");
        assert.strictEqual(assoc.inputs.serviceAccount, "chat-otel-collector");
        const cfg = await collectorConfig();
        assert.strictEqual(cfg.exporters["otlphttp/xray"].traces_endpoint, "https://xray.eu-west-1.amazonaws.com/v1/traces");
    });

    it("gcp: the collector's service account gets exactly the writer roles", async () => {
        await build({ target: CloudTarget.Gcp, gcp: GCP, otel: { metrics: true } });
        const roles = ofType("gcp:projects/iAMMember:IAMMember")
            .filter((r) => r.name.startsWith("chat-otel-"))
            .map((r) => r.inputs.role)
            .sort();
        assert.deepStrictEqual(roles, ["roles/cloudtrace.agent", "roles/logging.logWriter", "roles/monitoring.metricWriter"]);
        const wi = one("gcp:serviceaccount/iAMMember:IAMMember", "chat-otel-gsa-wi");
        assert.match(wi.inputs.member, /\[open-webui\/chat-otel-collector\]$/);
    });

    it("azure: Application Insights on a Log Analytics workspace; its connection string only in the collector's Secret", async () => {
        await build(CLOUDS[2][1]);
        const ai = one("azure-native:applicationinsights:Component", "chat-insights");
        assert.ok(ai.inputs.workspaceResourceId, "workspace-based");
        const cfg = await collectorConfig();
        assert.strictEqual(cfg.exporters.azuremonitor.connection_string, "${env:APPLICATIONINSIGHTS_CONNECTION_STRING}");
    });

    it("kubernetes: unchanged without a destination; the opt-in scrape endpoint and ServiceMonitor", async () => {
        await build({ target: CloudTarget.Kubernetes });
        assert.strictEqual(k8s("Deployment", "chat-otel-collector"), undefined);
        await build({
            target: CloudTarget.Kubernetes,
            otel: { exporterEndpoint: "https://otlp.example.com:4317", prometheusScrape: true, serviceMonitor: true },
        });
        const svc = k8s("Service", "chat-otel-collector");
        assert.ok(svc.spec.ports.some((p: any) => p.name === "prometheus" && p.port === 8889));
        const sm = kubernetesObjects(registered).find((o) => o.kind === "ServiceMonitor");
        assert.ok(sm && sm.apiVersion === "monitoring.coreos.com/v1");
        assert.deepStrictEqual((await collectorConfig()).service.pipelines.metrics.exporters, ["otlp", "prometheus"]);
    });

    it("opt-in PrometheusRule (min Available, migration failed, certificate expiry) and Grafana dashboard, on any target", async () => {
        await build({ target: CloudTarget.Kubernetes, replicas: { min: 3, max: 6 }, otel: { prometheusRule: true, grafanaDashboard: true } });
        const rule = kubernetesObjects(registered).find((o) => o.kind === "PrometheusRule");
        assert.ok(rule && rule.apiVersion === "monitoring.coreos.com/v1");
        const rules = rule.spec.groups[0].rules;
        assert.deepStrictEqual(
            rules.map((r: any) => r.alert),
            ["OpenWebUiBelowMinimumAvailable", "OpenWebUiMigrationJobFailed", "OpenWebUiCertificateExpiring"],
        );
        assert.match(rules[0].expr, /deployment="chat"} < 3$/);
        const cm = k8s("ConfigMap", "chat-dashboard");
        assert.strictEqual(cm.metadata.labels.grafana_dashboard, "1");
        assert.ok(JSON.parse(cm.data["open-webui.json"]).panels.length >= 4);
        await validateK8sObject(cm);
        await build({ target: CloudTarget.Kubernetes });
        assert.ok(!kubernetesObjects(registered).some((o) => o.kind === "PrometheusRule" || o.metadata?.name === "chat-dashboard"), "off by default");
    });

    it("bad telemetry args fail at construction naming the field and the fix", async () => {
        const bad: [any, RegExp][] = [
            [{ target: CloudTarget.Kubernetes, otel: { cloudBackend: true } }, /otel\.cloudBackend.*kubernetes target has no cloud backend/],
            [{ target: CloudTarget.Aws, aws: AWS, otel: { samplerRatio: 2 } }, /otel\.samplerRatio.*0 to 1/],
            [{ target: CloudTarget.Aws, aws: AWS, otel: { serviceMonitor: true } }, /otel\.serviceMonitor.*prometheusScrape/],
            [{ target: CloudTarget.Aws, aws: AWS, otel: { logRetentionDays: 10 } }, /otel\.logRetentionDays: got 10; use one of 1, 3, 5, 7, 14/],
            [
                { target: CloudTarget.Azure, tls: { secretName: "chat-tls" }, azure: AZURE_ARGS, otel: { logRetentionDays: 14 } },
                /otel\.logRetentionDays.*Application Insights/,
            ],
        ];
        for (const [args, re] of bad) {
            reset();
            assert.throws(
                () => new OpenWebUiCluster("chat", { hostname: "chat.example.com", ...args }),
                (e: any) => e instanceof ValidationError && re.test(e.message),
            );
        }
    });
});
