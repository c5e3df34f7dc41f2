// `openwebui plan`: every example present plans offline with no mandatory violation and emits
// schema-valid Kubernetes YAML; the deliberately broken program is rejected naming the rule and
// the resource (once as a real child process for the exit code, the rest in-process).
import * as assert from "assert";
import * as child_process from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { validateK8sObject } from "./k8sSchema";
import { COMPUTED, exitCodeOf, main, mandatoryViolations, plan, PlanResult, renderText, SECRET_MASK } from "../cli/plan";
import { runPolicies, stackArgs } from "../policy/runner";
import { findOwuiWorkloads, TYPES } from "../policy/policies";

/** Per example: break one planned cloud/Kubernetes property and expect the matching rule to fire (the rules fit the real shapes). */
const BREAK: Record<string, { type: string; policy: string; mutate: (p: any) => void }> = {
    kubernetes: {
        type: TYPES.deployment,
        policy: "owui-ha-migrations-disabled-on-replicas",
        mutate: (p) => p.spec.template.spec.containers[0].env.forEach((e: any) => e.name === "ENABLE_DB_MIGRATIONS" && (e.value = "true")),
    },
    aws: { type: TYPES.rdsCluster, policy: "postgres-encryption-at-rest-and-in-transit", mutate: (p) => (p.storageEncrypted = false) },
    gcp: {
        type: TYPES.sqlInstance,
        policy: "postgres-encryption-at-rest-and-in-transit",
        mutate: (p) => (p.settings.ipConfiguration.sslMode = "ALLOW_UNENCRYPTED_AND_ENCRYPTED"),
    },
    azure: { type: TYPES.redisEnterprise, policy: "no-public-database-or-redis", mutate: (p) => (p.publicNetworkAccess = "Enabled") },
};

const ROOT = path.join(__dirname, "..");
const BROKEN = path.join(__dirname, "fixtures", "broken-program");
const tmp = (label: string) => fs.mkdtempSync(path.join(os.tmpdir(), `owui-plan-${label}-`));

/** Config each example needs beyond its own Pulumi.yaml / Pulumi.<stack>.yaml (placeholders). */
const EXAMPLE_CONFIG: Record<string, string[]> = {
    kubernetes: [],
    aws: [
        "clusterName=plan-demo",
        "hostname=chat.example.com",
        "vpcId=vpc-0123456789abcdef0",
        'privateSubnetIds=["subnet-0aaaaaaaaaaaaaaa1","subnet-0bbbbbbbbbbbbbbb2"]',
        'clusterSecurityGroupIds=["sg-0123456789abcdef0"]',
        "certificateArn=arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-0000-0000-000000000000",
    ],
    gcp: ["gcp:project=plan-project", "gcp:region=europe-west1", "hostname=chat.example.com", "network=projects/plan-project/global/networks/main"],
    azure: [
        "aksClusterName=aks-demo",
        "aksResourceGroup=rg-aks",
        "hostname=chat.example.com",
        "resourceGroupName=rg-owui",
        "privateEndpointSubnetId=/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-aks/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pe",
        "postgresSubnetCidr=10.20.8.0/28",
        "gatewayName=shared-gw",
        "gatewayNamespace=gateway-system",
        "tlsSecretName=chat-tls",
    ],
};

function capture(): { io: { stdout: (s: string) => void; stderr: (s: string) => void; isTTY: boolean }; out: () => string; err: () => string } {
    let out = "";
    let err = "";
    return { io: { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false }, out: () => out, err: () => err };
}

describe("openwebui plan: the broken program", function () {
    let result: PlanResult;
    let outDir: string;
    before(async () => {
        outDir = tmp("broken");
        result = await plan({ programDir: BROKEN, out: outDir });
    });

    it("exits 1 as a child process, naming the rules and the resources (real exit code)", () => {
        const r = child_process.spawnSync(process.execPath, [path.join(ROOT, "cli", "bin.js"), "plan", BROKEN, "--no-out"], {
            cwd: ROOT,
            encoding: "utf8",
            timeout: 60000,
        });
        assert.strictEqual(r.status, 1, r.stderr);
        assert.match(r.stderr, /mandatory policy violation\(s\): .*owui-ha-requires-postgres \(webui\)/);
        assert.match(r.stderr, /object-storage-private-and-encrypted \(uploads\)/);
        assert.match(
            r.stdout,
            /\[mandatory\] owui-ha-shared-secret-key: kubernetes:apps\/v1:Deployment webui: Deployment 'open-webui' \(replicas=3\): WEBUI_SECRET_KEY is a literal value/,
        );
        assert.match(r.stdout, /\[mandatory\] object-storage-private-and-encrypted: aws:s3\/bucket:Bucket uploads: S3 Bucket 'uploads' has acl=public-read/);
    });

    it("--json through a pipe arrives whole although the reader lags (no output lost at exit)", function () {
        // The reader leaves the pipe full for 2 s: a CLI that exits with data still queued behind
        // the 64 KiB pipe buffer loses it (it did: `plan examples/aws --json | jq` got 65536 bytes).
        const cmd = `"${process.execPath}" cli/bin.js plan examples/aws --transpile-only --no-out --json 2>/dev/null | (sleep 2; cat)`;
        const r = child_process.spawnSync("bash", ["-c", cmd], { cwd: ROOT, encoding: "utf8", timeout: 90000, maxBuffer: 64 << 20 });
        assert.ok(r.stdout.length > 65536, `expected more than one pipe buffer of JSON, got ${r.stdout.length} bytes`);
        const parsed = JSON.parse(r.stdout);
        assert.strictEqual(parsed.ok, true);
        assert.ok(parsed.resources.some((x: any) => x.type === "aws:rds/cluster:Cluster"));
    });

    it("reports the HA, secret and bucket violations in-process (stack config from Pulumi.dev.yaml)", () => {
        assert.strictEqual(result.error, undefined);
        assert.strictEqual(result.stack, "dev");
        assert.strictEqual(exitCodeOf(result), 1);
        const got = new Set(mandatoryViolations(result).map((v) => `${v.policyName}@${v.resourceName}`));
        for (const want of [
            "owui-ha-requires-postgres@webui",
            "owui-ha-requires-redis@webui",
            "owui-ha-requires-external-vector-db@webui",
            "owui-ha-shared-secret-key@webui",
            "owui-ha-migrations-disabled-on-replicas@webui",
            "owui-ha-health-probes@webui",
            "owui-ha-pod-disruption-budget@webui",
            "no-literal-secrets-in-pod-env@webui",
            "owui-pods-non-root@webui",
            "object-storage-private-and-encrypted@uploads",
        ]) {
            assert.ok(got.has(want), `missing ${want} in ${[...got].join(", ")}`);
        }
    });

    it("invents no cloud outputs: values known only after apply are (computed), secrets are masked everywhere", () => {
        const pab = result.resources.find((r) => r.type === "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")!;
        assert.strictEqual(pab.props.bucket, COMPUTED); // bucket.id
        assert.deepStrictEqual(result.outputs, { bucketName: "broken-owui-uploads", bucketArn: COMPUTED });
        const secret = result.resources.find((r) => r.type === "kubernetes:core/v1:Secret")!;
        assert.deepStrictEqual(secret.props.stringData, { OPENAI_API_KEY: SECRET_MASK });
        const yaml = fs.readFileSync(path.join(outDir, "secret-default-creds.yaml"), "utf8");
        assert.match(yaml, /OPENAI_API_KEY: "\[secret\]"/);
        for (const f of fs.readdirSync(outDir)) assert.ok(!fs.readFileSync(path.join(outDir, f), "utf8").includes("sk-plan-fixture-plaintext"), f);
        // the policies still see the plaintext (as the real analyzer does) but never print it
        assert.ok(!JSON.stringify(result.violations).includes("sk-plan-fixture-plaintext"));
        assert.deepStrictEqual(fs.readdirSync(outDir).sort(), ["deployment-default-open-webui.yaml", "secret-default-creds.yaml"]);
    });

    it("--config overrides the stack config: with 1 replica the HA rules stay quiet, the literal secret does not", async () => {
        const r = await plan({ programDir: BROKEN, out: false, config: ["replicas=1"] });
        const names = new Set(mandatoryViolations(r).map((v) => v.policyName));
        assert.ok(!names.has("owui-ha-requires-postgres"));
        assert.ok(!names.has("owui-ha-pod-disruption-budget"));
        assert.ok(names.has("no-literal-secrets-in-pod-env"));
        const dep = r.resources.find((x) => x.type === "kubernetes:apps/v1:Deployment")!;
        assert.strictEqual(dep.props.spec.replicas, 1);
    });

    it("--json for CI, progress lines on stderr without a TTY, policy levels from --policy-config", async () => {
        const c = capture();
        const code = await main(["plan", BROKEN, "--json", "--no-out"], c.io);
        assert.strictEqual(code, 1);
        const doc = JSON.parse(c.out());
        assert.strictEqual(doc.ok, false);
        assert.strictEqual(doc.project, "broken-program");
        assert.ok(doc.resources.some((r: any) => r.type === "kubernetes:apps/v1:Deployment" && r.inputs.spec.replicas === 3));
        assert.ok(doc.violations.some((v: any) => v.policyName === "owui-ha-requires-postgres" && v.enforcementLevel === "mandatory"));
        assert.match(c.err(), /planning: done, \d+ resources in [\d.]+s/);

        const cfgFile = path.join(tmp("cfg"), "policy.json");
        const levels: Record<string, string> = {};
        for (const v of doc.violations) levels[v.policyName] = "advisory";
        fs.writeFileSync(cfgFile, JSON.stringify(levels));
        const c2 = capture();
        assert.strictEqual(await main(["plan", BROKEN, "--no-out", "--policy-config", cfgFile], c2.io), 0);
        assert.match(c2.out(), /0 mandatory, \d+ advisory violation/);
    });
});

describe("openwebui plan: errors and invokes", () => {
    const INVOKE = path.join(BROKEN, "unanswered-invoke");

    it("an unanswered invoke fails with exit 2, naming the token and --invoke-answers", async () => {
        const c = capture();
        assert.strictEqual(await main(["plan", INVOKE, "--no-out"], c.io), 2);
        assert.match(c.err(), /invoke aws:ec2\/getVpc:getVpc, which has no offline answer\. Provide one with --invoke-answers/);
    });

    it("--invoke-answers supplies it", async () => {
        const r = await plan({ programDir: INVOKE, out: false, invokeAnswers: { "aws:ec2/getVpc:getVpc": { id: "vpc-answered", cidrBlock: "10.1.0.0/16" } } });
        assert.strictEqual(r.error, undefined);
        assert.deepStrictEqual(r.outputs, { vpcId: "vpc-answered" });
        const cm = r.resources.find((x) => x.type === "kubernetes:core/v1:ConfigMap")!;
        assert.deepStrictEqual(cm.props.data, { vpcId: "vpc-answered", cidr: "10.1.0.0/16" });
    });

    it("missing config and bad usage give clear messages and distinct exit codes", async () => {
        const c = capture();
        assert.strictEqual(await main(["plan", BROKEN, "--stack", "nope", "--no-out"], c.io), 2);
        assert.match(c.err(), /Missing required configuration variable 'broken-program:replicas'[\s\S]*--config replicas=<value>/);
        const u = capture();
        assert.strictEqual(await main(["plan", "/does/not/exist"], u.io), 64);
        assert.match(u.err(), /does not exist/);
        const f = capture();
        assert.strictEqual(await main(["plan", BROKEN, "--bogus"], f.io), 64);
        assert.match(f.err(), /unknown option --bogus/);
        const v = capture();
        assert.strictEqual(await main(["plan", BROKEN, "--out", "--json"], v.io), 64, "a flag is not taken as --out's value");
        assert.match(v.err(), /--out/);
        const two = capture();
        assert.strictEqual(await main(["plan", BROKEN, BROKEN], two.io), 64);
        assert.match(two.err(), /one program directory expected/);
    });

    it("short flags and repeated -c parse as the long ones; a failed program's error is printed once, on stderr", async () => {
        const { parseArgs } = await import("../cli/plan");
        assert.deepStrictEqual(parseArgs(["plan", "dir", "-s", "prod", "-c", "a=1", "--config=b=2", "-c", "c=3", "--path", "--no-out"]).opts, {
            programDir: "dir",
            stack: "prod",
            config: ["a=1", "b=2", "c=3"],
            configPath: true,
            out: false,
        });
        const c = capture();
        assert.strictEqual(await main(["plan", path.join(ROOT, "examples", "kubernetes"), "-c", "replicasMin=1", "--no-out"], c.io), 2);
        const all = c.out() + c.err();
        assert.strictEqual(all.split("replicas.min: got 1").length - 1, 1, `the error appears once:\n${all}`);
        assert.match(c.out(), /plan incomplete: the program failed \(error on stderr\)/);
    });

    it("one resource count: the summary on stdout, --json and the stderr 'done' line agree", async () => {
        const K8S = path.join(ROOT, "examples", "kubernetes");
        const c = capture();
        assert.strictEqual(await main(["plan", K8S, "--no-out", "--no-policy"], c.io), 0);
        const out = Number(/^(\d+) resources \(/m.exec(c.out())![1]);
        const done = Number(/planning: done, (\d+) resources/.exec(c.err())![1]);
        const j = capture();
        await main(["plan", K8S, "--no-out", "--no-policy", "--json"], j.io);
        const doc = JSON.parse(j.out());
        const counted = doc.resources.filter((r: any) => r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:")).length;
        assert.ok(out > 20, `${out}`);
        assert.deepStrictEqual([done, counted], [out, out]);
    });

    it("a component validation error fails the plan with the component's message (exit 2)", async () => {
        const c = capture();
        assert.strictEqual(await main(["plan", path.join(ROOT, "examples", "kubernetes"), "--config", "replicasMin=1", "--no-out"], c.io), 2);
        assert.match(c.err(), /program .*examples\/kubernetes failed: OpenWebUiCluster: invalid arguments[\s\S]*replicas\.min: got 1/);
    });

    it("--help prints usage; on a TTY the resource count ticks in place on stderr", async () => {
        const h = capture();
        assert.strictEqual(await main(["--help"], h.io), 0);
        assert.match(h.out(), /usage: openwebui plan <program dir>[\s\S]*--invoke-answers/);
        const t = capture();
        t.io.isTTY = true;
        assert.strictEqual(await main(["plan", BROKEN, "--no-out", "--no-policy"], t.io), 0);
        assert.match(t.err(), /\rplanning: 1 resources registered\rplanning: 2 resources registered/);
    });

    it("leaves the caller's Pulumi runtime settings alone (private async store)", async () => {
        const settings = require("@pulumi/pulumi/runtime/settings");
        const before = [settings.isDryRun(), settings.getProject(), settings.getStack()];
        await plan({ programDir: BROKEN, out: false, noPolicy: true });
        assert.deepStrictEqual([settings.isDryRun(), settings.getProject(), settings.getStack()], before);
    });
});

/** A project "my-chat" outside the repo: index.ts from `lines`, Pulumi.prod.yaml from `prodStack` when given. */
function userProgram(label: string, lines: string[], prodStack?: string): string {
    const dir = tmp(label);
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: my-chat\nruntime: nodejs\n");
    if (prodStack !== undefined) fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), prodStack);
    fs.writeFileSync(path.join(dir, "index.ts"), lines.join("\n"));
    return dir;
}

describe("openwebui plan: a user's own program", () => {
    it('embeds the component from outside the repo (no node_modules, no npm link): "openwebui" resolves to this package', async () => {
        const dir = userProgram(
            "user",
            [
                'import * as pulumi from "@pulumi/pulumi";',
                'import * as k8s from "@pulumi/kubernetes";',
                'import { CloudTarget, OpenWebUiCluster } from "openwebui";',
                "const cfg = new pulumi.Config();",
                'const chat = new OpenWebUiCluster("mine", { target: CloudTarget.Kubernetes, hostname: cfg.require("hostname"), namespace: "team-chat" });',
                'new k8s.core.v1.ConfigMap("extra", { metadata: { name: "extra", namespace: "team-chat" }, data: { owner: "platform" } });',
                "export const url = chat.url;",
            ],
            "config:\n  my-chat:hostname: chat.example.org\n",
        );
        const out = path.join(dir, "out");
        const r = await plan({ programDir: dir, out });
        assert.strictEqual(r.error, undefined, r.error);
        assert.strictEqual(r.stack, "prod");
        assert.deepStrictEqual(r.outputs, { url: "https://chat.example.org" });
        assert.deepStrictEqual(mandatoryViolations(r), []);
        assert.ok(fs.existsSync(path.join(out, "configmap-team-chat-extra.yaml")));
        assert.ok(fs.existsSync(path.join(out, "deployment-team-chat-mine.yaml")));
    });

    it("applies `transforms` (the component's, inherited by every child) and stack transforms, as the engine does", async () => {
        const dir = userProgram("transforms", [
            'import * as pulumi from "@pulumi/pulumi";',
            'import { CloudTarget, OpenWebUiCluster } from "openwebui";',
            "pulumi.runtime.registerResourceTransform((a) =>",
            '    a.type === "kubernetes:core/v1:ServiceAccount" ? { props: { ...a.props, metadata: { ...a.props.metadata, annotations: { stack: "yes" } } }, opts: a.opts } : undefined,',
            ");",
            'new OpenWebUiCluster("mine", { target: CloudTarget.Kubernetes, hostname: "chat.example.org", namespace: "team-chat" }, {',
            "    transforms: [",
            '        (a) => (a.type === "kubernetes:apps/v1:Deployment" ? { props: { ...a.props, metadata: { ...a.props.metadata, labels: { ...a.props.metadata.labels, "cost-center": "cc-42" } } }, opts: a.opts } : undefined),',
            "    ],",
            "});",
        ]);
        const r = await plan({ programDir: dir, out: false, noPolicy: true });
        assert.strictEqual(r.error, undefined, r.error);
        const deployments = r.resources.filter((x) => x.type === "kubernetes:apps/v1:Deployment");
        assert.ok(deployments.length >= 1);
        for (const d of deployments)
            assert.strictEqual((d.props as any).metadata.labels["cost-center"], "cc-42", `${d.name}: the component's transform reached its child`);
        const sas = r.resources.filter((x) => x.type === "kubernetes:core/v1:ServiceAccount");
        assert.ok(sas.length >= 1);
        for (const sa of sas) assert.deepStrictEqual((sa.props as any).metadata.annotations, { stack: "yes" }, `${sa.name}: the stack transform ran`);
        // Only what the transforms touch changes: other kinds keep their labels.
        const svc = r.resources.find((x) => x.type === "kubernetes:core/v1:Service")!;
        assert.strictEqual((svc.props as any).metadata.labels["cost-center"], undefined);
    });
});

describe("openwebui plan: the examples", () => {
    const examples = fs.existsSync(path.join(ROOT, "examples"))
        ? fs
              .readdirSync(path.join(ROOT, "examples"))
              .filter((d) => fs.existsSync(path.join(ROOT, "examples", d, "Pulumi.yaml")))
              // plan evaluates nodejs programs; the Python/YAML examples are checked through construct() (tests/construct.test.ts).
              .filter((d) => /^runtime:\s*(nodejs|\n\s+name:\s*nodejs)/m.test(fs.readFileSync(path.join(ROOT, "examples", d, "Pulumi.yaml"), "utf8")))
        : [];

    it("invoke answers follow the stack config (aws:region: eu-west-1, or an override); no region is invented", async () => {
        const r = await plan({ programDir: path.join(ROOT, "examples", "aws"), out: false, noPolicy: true, config: EXAMPLE_CONFIG.aws ?? [] });
        assert.strictEqual(r.error, undefined, r.error);
        // (the test config's certificate ARN names us-east-1 itself: leave it out)
        const all = JSON.stringify(r.resources.map((x) => x.props))
            .split("arn:aws:acm:us-east-1")
            .join("");
        assert.ok(!/us-east-1/.test(all), "a region the stack never named");
        assert.match(all, /"name":"S3_REGION_NAME","value":"eu-west-1"/);
        assert.match(all, /eu-west-1[abc]/);
        // Another region in the stack config moves everything with it.
        const moved = await plan({
            programDir: path.join(ROOT, "examples", "aws"),
            out: false,
            noPolicy: true,
            config: [...(EXAMPLE_CONFIG.aws ?? []), "aws:region=ap-south-1"],
        });
        const movedAll = JSON.stringify(moved.resources.map((x) => x.props))
            .split("arn:aws:acm:us-east-1")
            .join("");
        assert.match(movedAll, /"name":"S3_REGION_NAME","value":"ap-south-1"/);
        assert.ok(!/eu-west-1/.test(movedAll), "eu-west-1 survived the override");
    });

    it("finds the examples to plan", () => {
        assert.deepStrictEqual(examples.sort(), ["aws", "azure", "gcp", "kubernetes", "kubernetes-ha"], `examples: ${examples.join(", ")}`);
    });

    for (const ex of examples) {
        it(`examples/${ex}: plans offline, schema-valid YAML, no mandatory violation`, async () => {
            const out = tmp(ex);
            const r = await plan({ programDir: path.join(ROOT, "examples", ex), out, config: EXAMPLE_CONFIG[ex] ?? [] });
            assert.strictEqual(r.error, undefined, r.error);
            assert.deepStrictEqual(
                mandatoryViolations(r).map((v) => `${v.policyName} ${v.resourceName}: ${v.message}`),
                [],
            );
            assert.strictEqual(exitCodeOf(r), 0);
            // the component was resolved from the repo ("openwebui" -> repo root) and built its workloads
            assert.ok(r.resources.some((x) => x.type === "openwebui:index:OpenWebUiCluster"));
            assert.ok(r.k8sFiles.length >= 10, `${r.k8sFiles.length} files`);
            const objects = r.k8sFiles.map((f) => YAML.parse(fs.readFileSync(f, "utf8")));
            for (const o of objects) await validateK8sObject(o);
            const web = objects.find((o) => o.kind === "Deployment" && o.spec.template.spec.containers.some((c: any) => /open-webui/.test(c.image)));
            assert.ok(web, "an Open WebUI Deployment");
            const hpa = objects.find((o) => o.kind === "HorizontalPodAutoscaler");
            assert.ok(hpa && hpa.spec.maxReplicas > 1, "HA: the HA rules actually ran against a scaled workload");
            assert.ok(objects.some((o) => o.kind === "PodDisruptionBudget"));
            // the HA rules judged a scaled Open WebUI workload (they did not pass vacuously)
            const analyzed = r.resources
                .filter((x) => x.custom)
                .map((x) => ({
                    type: x.type,
                    name: x.name,
                    urn: x.urn,
                    props: x.analyzerProps,
                    propertyDependencies: x.propertyDependencies,
                    dependencies: x.dependencies,
                }));
            const ha = findOwuiWorkloads(stackArgs(analyzed).resources).filter((w) => w.ha);
            assert.deepStrictEqual(
                ha.map((w) => `${w.type} ${w.haReason}`),
                ["kubernetes:apps/v1:Deployment replicas=3, HPA maxReplicas=10"],
            );
            const env = ha[0].containers[0].env.vars;
            assert.strictEqual(env.get("WEBUI_SECRET_KEY")?.kind, "secret");
            assert.deepStrictEqual(env.get("ENABLE_DB_MIGRATIONS"), { kind: "literal", value: "false" });
            const brk = BREAK[ex];
            if (brk) {
                const broken = analyzed.map((x) => ({ ...x, props: JSON.parse(JSON.stringify(x.props)) }));
                const target = broken.find(
                    (x) => x.type === brk.type && (brk.type !== TYPES.deployment || findOwuiWorkloads(stackArgs([x]).resources).length > 0),
                );
                assert.ok(target, `${brk.type} in examples/${ex}`);
                brk.mutate(target!.props);
                const v = await runPolicies(broken);
                assert.ok(
                    v.some((x) => x.policyName === brk.policy && x.resourceName === target!.name && x.enforcementLevel === "mandatory"),
                    JSON.stringify(v.map((x) => x.policyName)),
                );
            }
            // The kubernetes example's in-cluster services are single instances: the plan says so first, loudly.
            const loud = r.notes.filter((n) => n.startsWith("NOT HIGHLY AVAILABLE"));
            if (ex === "kubernetes") {
                assert.strictEqual(loud.length, 1, `notes: ${r.notes.join(" | ")}`);
                for (const role of ["postgres", "redis", "objects"]) assert.match(loud[0], new RegExp(`chat-${role} \\(${role}\\)`));
                assert.match(renderText(r), /^note: NOT HIGHLY AVAILABLE/m);
            } else assert.deepStrictEqual(loud, [], "managed services and the HA data tier are HA: no such note");
            // Every mode says per service whether it is HA (the kubernetes-ha example: all three).
            const tier = r.notes.find((n) => n.startsWith("data tier: "));
            assert.ok(tier, `notes: ${r.notes.join(" | ")}`);
            if (ex === "kubernetes-ha") assert.match(tier!, /^data tier: database inClusterHa: HA .*; redis inClusterHa: HA .*; storage sharedVolume: HA /);
            if (ex === "kubernetes") assert.match(tier!, /database inCluster: NOT HA .*redis inCluster: NOT HA .*storage inCluster: NOT HA/);
            // nothing fabricated: some inputs are only known after apply, and no secret leaks into YAML
            const all = JSON.stringify(r.resources.map((x) => x.props));
            assert.ok(all.includes(COMPUTED) || ex.startsWith("kubernetes"));
            assert.ok(all.includes(SECRET_MASK));
        });
    }
});

describe("openwebui plan: path config (--path), as `pulumi config set --path`", () => {
    const PROGRAM = path.join(ROOT, "program");
    const info = { project: "p", projectConfig: {}, entry: "index.ts", stack: "s" };

    it("README's `--path 'spec.replicas.max' 12` reaches the component: the HPA scales to 12", async () => {
        const r = await plan({
            programDir: PROGRAM,
            out: false,
            noPolicy: true,
            transpileOnly: true,
            configPath: true,
            config: ["hostname=chat.example.com", "spec.replicas.max=12", "spec.replicas.min=3"],
        });
        assert.strictEqual(r.error, undefined, r.error);
        const hpa = r.resources.find((x) => x.type === "kubernetes:autoscaling/v2:HorizontalPodAutoscaler");
        assert.ok(hpa, "no HPA planned");
        assert.strictEqual(hpa!.props.spec.maxReplicas, 12);
        assert.strictEqual(hpa!.props.spec.minReplicas, 3);
    });

    it("a path key without --path is refused with the fix, not dropped (exit 64)", async () => {
        const c = capture();
        assert.strictEqual(
            await main(["plan", PROGRAM, "--no-out", "--transpile-only", "--config", "hostname=chat.example.com", "--config", "spec.replicas.max=12"], c.io),
            64,
        );
        assert.match(
            c.err(),
            /--config spec\.replicas\.max=\.\.\.: the key is a path.*pass --path.*pulumi config set --path 'spec\.replicas\.max' 12.*inside openwebui:spec/,
        );
    });

    it("places values like the CLI: typed leaves, lists by index, quoted keys, namespaces, merged into the stack's object", async () => {
        const { buildConfig, parsePropertyPath } = await import("../cli/config");
        assert.deepStrictEqual(parsePropertyPath('tags["a.b"].c[0]'), ["tags", "a.b", "c", 0]);
        const { config } = buildConfig(
            { ...info, projectConfig: { spec: { default: { replicas: { min: 2 } } } } },
            [
                "spec.replicas.max=12",
                "spec.migrations.maintenanceMode=true",
                "spec.image.tag=0123",
                "spec.note=1.5",
                "ids[0]=subnet-a",
                "ids[1]=subnet-b",
                'aws:defaultTags.tags["team.name"]=chat',
                "plain=7",
            ],
            [],
            { path: true },
        );
        assert.deepStrictEqual(JSON.parse(config["p:spec"]), {
            replicas: { min: 2, max: 12 },
            migrations: { maintenanceMode: true },
            image: { tag: "0123" },
            note: "1.5",
        });
        assert.deepStrictEqual(JSON.parse(config["p:ids"]), ["subnet-a", "subnet-b"]);
        assert.deepStrictEqual(JSON.parse(config["aws:defaultTags"]), { tags: { "team.name": "chat" } });
        assert.strictEqual(config["p:plain"], "7");
    });

    it("refuses what it cannot place, naming the key and the fix", async () => {
        const { buildConfig } = await import("../cli/config");
        const place =
            (overrides: string[], projectConfig: any = {}) =>
            () =>
                buildConfig({ ...info, projectConfig }, overrides, [], { path: true });
        assert.throws(place(["ids[2]=x"]), /--config ids\[2\]: index 2 is past the end of the list \(length 0\); set \[0\] first/);
        assert.throws(
            place(["hostname.x=1"], { hostname: { default: "chat.example.com" } }),
            /--config hostname\.x: \.x needs an object, but the value there is "chat\.example\.com"/,
        );
        assert.throws(place(["spec[0]=1"], { spec: { default: { a: 1 } } }), /\[0\] indexes a list, but the value there is \{"a":1\}/);
        assert.throws(place(["spec..x=1"]), /--config "spec\.\.x": empty name/);
        assert.throws(place(["[0]=1"]), /a path starts with a config key name/);
    });
});

describe("openwebui plan: TypeScript programs are type-checked, as `pulumi preview` does", () => {
    const program = (label: string, body: string[]) => {
        const dir = tmp(label);
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: typed\nruntime: nodejs\n");
        fs.writeFileSync(
            path.join(dir, "index.ts"),
            ['import { CloudTarget, OpenWebUiCluster } from "openwebui";', ...body, "export const url = chat.url;"].join("\n"),
        );
        return dir;
    };

    it("a type error the component cannot see fails the plan (exit 2) with file:line and the TS code", async () => {
        const dir = program("tserr", [
            'const replicas: number = "3";',
            'const chat = new OpenWebUiCluster("c", { target: CloudTarget.Kubernetes, hostname: "chat.example.com", replicas: { min: Number(replicas) } });',
        ]);
        const c = capture();
        assert.strictEqual(await main(["plan", dir, "--no-out", "--no-policy"], c.io), 2);
        assert.match(c.err(), /planning: type-checking/);
        assert.match(c.err(), /index\.ts:2:7 - error TS2322: Type 'string' is not assignable to type 'number'/);
        assert.match(c.err(), /--transpile-only or PULUMI_NODEJS_TRANSPILE_ONLY=true skips the check/);
        // The same program transpiled only (the language host's opt-out) runs.
        const r = await plan({ programDir: dir, out: false, noPolicy: true, transpileOnly: true });
        assert.strictEqual(r.error, undefined, r.error);
        const prev = process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
        process.env.PULUMI_NODEJS_TRANSPILE_ONLY = "true";
        try {
            assert.strictEqual((await plan({ programDir: dir, out: false, noPolicy: true })).error, undefined);
        } finally {
            if (prev === undefined) delete process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
            else process.env.PULUMI_NODEJS_TRANSPILE_ONLY = prev;
        }
    });

    it("a misspelt arg names the arg type and the nearest field (against the component's own types)", async () => {
        const dir = program("tsarg", [
            'const chat = new OpenWebUiCluster("c", { target: CloudTarget.Kubernetes, hostname: "chat.example.com", imag: { tag: "v1" } });',
        ]);
        const r = await plan({ programDir: dir, out: false, noPolicy: true });
        assert.match(r.error ?? "", /index\.ts:2:\d+ - error TS2561: .*'imag' does not exist in type 'OpenWebUiClusterArgs'\. Did you mean to write 'image'\?/);
        assert.strictEqual(r.resources.length, 0, "nothing runs after a type error");
    });
});

describe("openwebui plan: what it can load, and the Pulumi it drives", () => {
    const { checkPulumiVersion, SUPPORTED_PULUMI } = require("../cli/pulumiVersion");
    const { isEsmEntry, typeScriptTools } = require("../cli/loader");

    it("refuses a @pulumi/pulumi outside the tested range, naming the range and the fix", () => {
        for (const v of ["4.0.0", "2.25.2", "3.269.0"]) {
            assert.throws(
                () => checkPulumiVersion(v, "/x/node_modules/@pulumi/pulumi"),
                (e: Error) =>
                    e.message.includes(`@pulumi/pulumi ${v}`) &&
                    e.message.includes(SUPPORTED_PULUMI.range) &&
                    /npm install @pulumi\/pulumi@\^3\.270\.0/.test(e.message),
            );
        }
        for (const v of ["3.270.0", "3.276.0", "3.300.1"]) checkPulumiVersion(v, "here");
    });

    it("tells ES module entries from CommonJS ones as Node does", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-esm-"));
        fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: "module" }));
        assert.strictEqual(isEsmEntry(path.join(dir, "index.js")), true);
        assert.strictEqual(isEsmEntry(path.join(dir, "index.cjs")), false);
        fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({}));
        assert.strictEqual(isEsmEntry(path.join(dir, "index.ts")), false);
        assert.strictEqual(isEsmEntry(path.join(dir, "index.mjs")), true);
    });

    it("takes the project's TypeScript, else the copy @pulumi/pulumi vendors (as the language host)", () => {
        const here = typeScriptTools(path.join(ROOT, "examples", "kubernetes"));
        assert.match(here.typescript, /node_modules\/typescript\//);
        const bare = fs.mkdtempSync(path.join(os.tmpdir(), "plan-bare-"));
        // A directory with no node_modules still resolves through this package's own tree.
        assert.ok(fs.existsSync(typeScriptTools(bare).typescript));
    });

    it("a JavaScript ES module program plans (import of the package, export of outputs)", async () => {
        const dir = fs.mkdtempSync(path.join(ROOT, "tests", ".plan-esm-"));
        try {
            // No package.json of its own: `openwebui` resolves by self-reference to this package's
            // compiled entry (bin/, built by npm ci), as from node_modules in a user's project.
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: esm\nruntime: nodejs\nmain: index.mjs\n");
            fs.writeFileSync(
                path.join(dir, "index.mjs"),
                'import { CloudTarget, OpenWebUiCluster } from "openwebui";\nconst c = new OpenWebUiCluster("chat", { target: CloudTarget.Kubernetes, hostname: "chat.example.com", replicas: { min: 2, max: 4 } });\nexport const url = c.url;\n',
            );
            const c = capture();
            const code = await main(["plan", dir, "--no-out", "--no-policy"], c.io);
            assert.strictEqual(code, 0, c.err());
            assert.match(c.out(), /url: "https:\/\/chat\.example\.com"/);
            assert.match(c.out(), /Policy pack openwebui-ha: not run \(--no-policy\)\./);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("openwebui plan: a warm plan skips a type check whose inputs did not change", () => {
    const { typeCheck } = require("../cli/typecheck");
    const fallback = (name: string) => ({ name, from: path.join(ROOT, "__x__.ts") });

    it("remembers only clean checks, and re-checks when an own file, tsconfig or the install changes", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-cache-"));
        fs.mkdirSync(path.join(dir, "node_modules"));
        fs.writeFileSync(path.join(dir, "package.json"), "{}");
        fs.writeFileSync(path.join(dir, "lib.ts"), "export const n: number = 1;\n");
        fs.writeFileSync(path.join(dir, "index.ts"), 'import { n } from "./lib";\nexport const m: number = n;\n');
        const entry = path.join(dir, "index.ts");
        assert.deepStrictEqual(typeCheck(entry, dir, fallback), { errors: [], files: 2 });
        assert.strictEqual(typeCheck(entry, dir, fallback).cached, true, "nothing changed: not checked again");
        // An imported file changes: checked again, and the error is found.
        fs.writeFileSync(path.join(dir, "lib.ts"), 'export const n: string = "x";\n');
        const bad = typeCheck(entry, dir, fallback);
        assert.strictEqual(bad.cached, undefined);
        assert.match(bad.errors.join("\n"), /index\.ts:2:14 - error TS2322/);
        // Errors are never remembered.
        assert.strictEqual(typeCheck(entry, dir, fallback).cached, undefined);
        fs.writeFileSync(path.join(dir, "lib.ts"), "export const n: number = 2;\n");
        assert.strictEqual(typeCheck(entry, dir, fallback).errors.length, 0);
        assert.strictEqual(typeCheck(entry, dir, fallback).cached, true);
        // A new install (npm rewrites node_modules/.package-lock.json) or a tsconfig: checked again.
        fs.writeFileSync(path.join(dir, "node_modules", ".package-lock.json"), '{"packages":{}}');
        assert.strictEqual(typeCheck(entry, dir, fallback).cached, undefined);
        fs.writeFileSync(path.join(dir, "tsconfig.json"), '{"compilerOptions":{"strict":true}}');
        assert.strictEqual(typeCheck(entry, dir, fallback).cached, undefined);
        assert.strictEqual(typeCheck(entry, dir, fallback).cached, true);
        // OPENWEBUI_PLAN_NO_CACHE=1 always checks.
        process.env.OPENWEBUI_PLAN_NO_CACHE = "1";
        try {
            assert.strictEqual(typeCheck(entry, dir, fallback).cached, undefined);
        } finally {
            delete process.env.OPENWEBUI_PLAN_NO_CACHE;
        }
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("writes nothing into a program folder without node_modules", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-nocache-"));
        fs.writeFileSync(path.join(dir, "index.ts"), "export const m: number = 1;\n");
        typeCheck(path.join(dir, "index.ts"), dir, fallback);
        assert.strictEqual(typeCheck(path.join(dir, "index.ts"), dir, fallback).cached, undefined);
        assert.deepStrictEqual(fs.readdirSync(dir), ["index.ts"]);
        fs.rmSync(dir, { recursive: true, force: true });
    });
});
