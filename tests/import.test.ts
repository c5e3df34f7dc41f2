// Adopting an existing Open WebUI (importFrom, webuiSecretKeyRef) on every target: the import Job
// (the app's image, env, ServiceAccount and security; the source read-only; the importer from the
// package in a ConfigMap), its place between the database bootstrap and the migration Job, the
// adopted secret key (pods read the user's Secret, nothing generated), and the refusals. Every
// Kubernetes object is validated against the real schema.
import "./harness";
import * as assert from "assert";
import * as fs from "fs";
import { execFileSync } from "child_process";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { envOf, ofType, registered, reset, settle, value } from "./harness";
import { kubernetesObjects, validateK8sObject } from "./k8sSchema";
import { CloudTarget, ImportOnNonEmpty, ImportVectors, OpenWebUiCluster } from "../index";
import { ValidationError } from "../components/spec/errors";
import { importScripts, IMPORT_SCRIPT } from "../components/kubernetes/importJob";
import { AZURE_ARGS } from "./cloudFixtures";
import { runPolicies, urnFor } from "../policy/runner";

const ROOT = path.resolve(__dirname, "..");
const AWS = {
    vpcId: "vpc-1",
    privateSubnetIds: ["subnet-a", "subnet-b"],
    eks: { clusterName: "prod", securityGroupIds: ["sg-1"] },
    certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab",
    route53ZoneId: "Z1",
};
const TARGETS: [string, any][] = [
    ["kubernetes", { target: CloudTarget.Kubernetes }],
    ["aws", { target: CloudTarget.Aws, aws: AWS }],
    ["gcp", { target: CloudTarget.Gcp, gcp: { project: "proj-123", region: "europe-west1", network: "projects/proj-123/global/networks/vpc" } }],
    ["azure", { target: CloudTarget.Azure, tls: { secretName: "chat-tls" }, azure: AZURE_ARGS }],
];
const OLD_KEY = { name: "old-webui", key: "WEBUI_SECRET_KEY" };

type Opts = Map<string, pulumi.CustomResourceOptions>;
async function build(args: any): Promise<{ c: OpenWebUiCluster; opts: Opts }> {
    reset();
    const opts: Opts = new Map();
    const c = new OpenWebUiCluster(
        "chat",
        { hostname: "chat.example.com", ...args },
        {
            transformations: [
                (a) => {
                    opts.set(`${a.type}::${a.name}`, a.opts as pulumi.CustomResourceOptions);
                    return undefined;
                },
            ],
        },
    );
    await settle();
    return { c, opts };
}
const jobNamed = (n: string) => ofType("kubernetes:batch/v1:Job").find((j) => j.name === n);
const deployment = () => ofType("kubernetes:apps/v1:Deployment").find((d) => d.name === "chat")!;
const depNames = (o: pulumi.CustomResourceOptions | undefined) => ((o?.dependsOn ?? []) as pulumi.Resource[]).map((r) => (r as any).__name as string);
const optsOf = (opts: Opts, prefix: string) => [...opts].find(([k]) => k.startsWith(prefix))?.[1];
const importer = () => fs.readFileSync(path.join(ROOT, "migrate", IMPORT_SCRIPT), "utf8");

describe("importFrom: the import Job on every target", function () {
    this.timeout(120000);
    for (const [label, targetArgs] of TARGETS) {
        it(`${label}: the app's image, env, ServiceAccount and security; the source read-only; awaited between bootstrap and migrations`, async () => {
            const { c, opts } = await build({ ...targetArgs, importFrom: { dataDirClaim: "open-webui" }, webuiSecretKeyRef: OLD_KEY });
            for (const o of kubernetesObjects(registered)) await validateK8sObject(o);
            const job = jobNamed("chat-import");
            assert.ok(job, `no chat-import Job: ${ofType("kubernetes:batch/v1:Job").map((j) => j.name)}`);
            const pod = job!.plain.spec.template.spec,
                app = deployment().plain.spec.template.spec;
            const main = pod.containers[0];
            assert.strictEqual(job!.plain.metadata.name, "chat-import");
            assert.strictEqual(main.image, app.containers[0].image, "the app's pinned image");
            // Exactly the serving pods' env, plus PYTHONPATH (the image's sources) and nothing else.
            const env = envOf(pod);
            assert.deepStrictEqual(env.PYTHONPATH, { name: "PYTHONPATH", value: "/app/backend" });
            assert.deepStrictEqual(
                main.env.filter((e: any) => e.name !== "PYTHONPATH"),
                app.containers[0].env,
            );
            assert.deepStrictEqual(main.envFrom, app.containers[0].envFrom);
            assert.strictEqual(pod.serviceAccountName, app.serviceAccountName);
            assert.deepStrictEqual(pod.securityContext, app.securityContext);
            assert.deepStrictEqual(main.securityContext, app.containers[0].securityContext);
            assert.strictEqual(main.securityContext.allowPrivilegeEscalation, false);
            assert.deepStrictEqual(job!.plain.spec.template.metadata.labels["app.kubernetes.io/component"], "import");
            // The source: the claim read-only, mounted read-only; scratch with a size limit; the importer from the ConfigMap.
            const vol = (n: string) => pod.volumes.find((v: any) => v.name === n);
            const mount = (n: string) => main.volumeMounts.find((m: any) => m.name === n);
            assert.deepStrictEqual(vol("import-source").persistentVolumeClaim, { claimName: "open-webui", readOnly: true });
            assert.strictEqual(mount("import-source").readOnly, true);
            assert.strictEqual(mount("import-source").mountPath, "/source");
            assert.deepStrictEqual(vol("import-work").emptyDir, { sizeLimit: "20Gi" });
            assert.strictEqual(vol("import-script").configMap.name, "chat-import-script");
            assert.strictEqual(mount("import-script").readOnly, true);
            assert.deepStrictEqual(main.command, ["python3", "/opt/openwebui-import/openwebui_import.py"]);
            assert.deepStrictEqual(main.args, ["--source-data-dir", "/source", "--vectors", "copy", "--on-nonempty", "refuse", "--work-dir", "/import-work"]);
            const cm = ofType("kubernetes:core/v1:ConfigMap").find((m) => m.name === "chat-import-script")!;
            assert.strictEqual(cm.plain.data[IMPORT_SCRIPT], importer(), "the ConfigMap carries the package's importer");
            assert.strictEqual(job!.plain.spec.backoffLimit, 2);
            assert.strictEqual(job!.plain.spec.activeDeadlineSeconds, 360 * 60);
            assert.strictEqual(job!.plain.spec.ttlSecondsAfterFinished, undefined, "Pulumi awaits the Job: it must not vanish");
            // Ordering: bootstrap -> import -> migrations -> Deployment.
            const jobOpts = optsOf(opts, "kubernetes:batch/v1:Job::chat-import")!;
            assert.ok(depNames(jobOpts).includes("chat-db-bootstrap"), `import waits for the database bootstrap: ${depNames(jobOpts)}`);
            assert.ok(depNames(jobOpts).includes("chat-import-script"));
            assert.deepStrictEqual(jobOpts.replaceOnChanges, ["spec"]);
            assert.strictEqual(jobOpts.customTimeouts?.create, "360m");
            assert.ok(depNames(optsOf(opts, "kubernetes:batch/v1:Job::chat-migrate")).includes("chat-import"), "the migration Job waits for the import");
            assert.ok(depNames([...opts].find(([k]) => k === "kubernetes:apps/v1:Deployment::chat")?.[1]).some((n) => n.startsWith("chat-migrate")));
            // The adopted key: every Open WebUI container reads the user's Secret; nothing generated.
            for (const p of [
                pod,
                app,
                jobNamed("chat-migrate")?.plain.spec.template.spec ??
                    ofType("kubernetes:batch/v1:Job").find((j) => j.name.startsWith("chat-migrate"))!.plain.spec.template.spec,
            ]) {
                assert.deepStrictEqual(envOf(p).WEBUI_SECRET_KEY.valueFrom.secretKeyRef, OLD_KEY);
            }
            assert.ok(!registered.some((r) => r.name === "chat-webui-secret-key"), "no generated key resource");
            const appSecret = ofType("kubernetes:core/v1:Secret").find((s) => s.name === "chat-app")!;
            assert.ok(!("WEBUI_SECRET_KEY" in appSecret.plain.stringData), "the app Secret holds no key");
            assert.strictEqual(await value(c.webuiSecretKey), "");
            assert.match(app.containers[0] && deployment().plain.spec.template.metadata.annotations["openwebui.io/config-hash"], /^[0-9a-f]{16}$/);
        });
    }

    it("a Postgres source: its URL from the user's Secret by env name, uploads from their own claim, the choices passed on", async () => {
        await build({
            target: CloudTarget.Kubernetes,
            importFrom: {
                databaseUrlSecret: { name: "old-db", key: "url" },
                uploadsClaim: "old-uploads",
                vectors: ImportVectors.Reembed,
                onNonEmpty: ImportOnNonEmpty.Merge,
                allowNewSecretKey: true,
                workDirSize: "5Gi",
                timeoutMinutes: 60,
            },
        });
        for (const o of kubernetesObjects(registered)) await validateK8sObject(o);
        const job = jobNamed("chat-import")!;
        const pod = job.plain.spec.template.spec;
        assert.deepStrictEqual(envOf(pod).OPENWEBUI_IMPORT_SOURCE_DATABASE_URL.valueFrom.secretKeyRef, { name: "old-db", key: "url" });
        assert.deepStrictEqual(pod.containers[0].args, [
            "--source-database-url-env",
            "OPENWEBUI_IMPORT_SOURCE_DATABASE_URL",
            "--uploads-dir",
            "/source-uploads",
            "--vectors",
            "reembed",
            "--on-nonempty",
            "merge",
            "--work-dir",
            "/import-work",
            "--allow-new-secret-key",
        ]);
        assert.ok(!pod.volumes.some((v: any) => v.name === "import-source"));
        assert.deepStrictEqual(pod.volumes.find((v: any) => v.name === "import-uploads").persistentVolumeClaim, { claimName: "old-uploads", readOnly: true });
        assert.strictEqual(pod.containers[0].volumeMounts.find((m: any) => m.name === "import-uploads").readOnly, true);
        assert.deepStrictEqual(pod.volumes.find((v: any) => v.name === "import-work").emptyDir, { sizeLimit: "5Gi" });
        assert.strictEqual(job.plain.spec.activeDeadlineSeconds, 3600);
        assert.match(
            job.plain.metadata.annotations["openwebui.io/import-source"],
            /^Postgres at Secret old-db key url, uploads from PersistentVolumeClaim old-uploads; vectors reembed, non-empty target: merge$/,
        );
        assert.ok(!JSON.stringify(job.plain).includes("postgresql://"), "no URL in the Job");
    });

    it("the policy pack flags a destructive import (replace) and dropped vectors (skip), advisory; the defaults pass", async () => {
        const violations = async (importFrom: any) => {
            await build({ target: CloudTarget.Kubernetes, importFrom });
            const resources = registered.filter((r) => r.custom).map((r) => ({ type: r.type, name: r.name, urn: urnFor(r.type, r.name), props: r.plain }));
            return (await runPolicies(resources)).filter((v) => v.policyName === "owui-import-keeps-data");
        };
        assert.deepStrictEqual(await violations({ dataDirClaim: "open-webui" }), []);
        assert.deepStrictEqual(await violations({ dataDirClaim: "open-webui", onNonEmpty: ImportOnNonEmpty.Merge, vectors: ImportVectors.Reembed }), []);
        const bad = await violations({ dataDirClaim: "open-webui", onNonEmpty: ImportOnNonEmpty.Replace, vectors: ImportVectors.Skip });
        assert.deepStrictEqual(
            bad.map((v) => v.enforcementLevel),
            ["advisory", "advisory"],
        );
        assert.match(bad.map((v) => v.message).join("\n"), /--on-nonempty replace: the target's Open WebUI data is deleted[\s\S]*--vectors skip/);
    });

    it("maintenance mode: the Deployment goes to 0 first, then the import, then the migrations", async () => {
        const { opts } = await build({ target: CloudTarget.Kubernetes, migrations: { maintenanceMode: true }, importFrom: { dataDirClaim: "open-webui" } });
        assert.ok(depNames(optsOf(opts, "kubernetes:batch/v1:Job::chat-import")).includes("chat"));
        assert.ok(depNames(optsOf(opts, "kubernetes:batch/v1:Job::chat-migrate")).includes("chat-import"));
        assert.ok(!depNames(optsOf(opts, "kubernetes:apps/v1:Deployment::chat")).includes("chat-import"));
    });

    it("without importFrom: no import Job, ConfigMap or policy; the key is generated into the app Secret", async () => {
        const { c } = await build({ target: CloudTarget.Kubernetes });
        assert.ok(!registered.some((r) => r.name.startsWith("chat-import")));
        assert.ok(registered.some((r) => r.name === "chat-webui-secret-key"));
        assert.deepStrictEqual(envOf(deployment().plain.spec.template.spec).WEBUI_SECRET_KEY.valueFrom.secretKeyRef, {
            name: "chat-app",
            key: "WEBUI_SECRET_KEY",
        });
        assert.strictEqual((await value(c.webuiSecretKey)).length, 64);
    });

    it("the importer is found from the checkout (ts-node) and from bin/ (the packed tarball)", () => {
        const fromSource = importScripts(path.join(ROOT, "components"));
        assert.deepStrictEqual(importScripts(path.join(ROOT, "bin", "components")), fromSource);
        assert.strictEqual(fromSource[IMPORT_SCRIPT], importer());
        assert.throws(() => importScripts("/nonexistent/components"), /migrate\/openwebui_import\.py is missing/);
        // What `npm pack` takes (scripts/pack.js stages exactly that): every importer module, no bytecode.
        const listing = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8" }))[0].files.map(
            (f: any) => f.path,
        );
        for (const f of Object.keys(fromSource)) assert.ok(listing.includes(`migrate/${f}`), `migrate/${f} ships in the package`);
        assert.deepStrictEqual(
            listing.filter((f: string) => f.startsWith("migrate/") && !f.endsWith(".py")),
            [],
        );
    });
});

describe("importFrom, webuiSecretKeyRef: refusals at construction, naming the field and the fix", function () {
    const refused = (args: any, re: RegExp) => {
        reset();
        assert.throws(
            () => new OpenWebUiCluster("chat", { target: CloudTarget.Kubernetes, hostname: "chat.example.com", ...args }),
            (e: any) => {
                assert.ok(e instanceof ValidationError, String(e));
                assert.match(e.message, re);
                return true;
            },
        );
        assert.strictEqual(registered.length, 0, "nothing registered");
    };
    it("two sources, or none", () => {
        refused(
            { importFrom: { dataDirClaim: "a", databaseUrlSecret: { name: "b", key: "url" } } },
            /importFrom\.dataDirClaim\/databaseUrlSecret: got "both set"; set one source/,
        );
        refused({ importFrom: { vectors: ImportVectors.Skip } }, /importFrom: got "no source"; set importFrom\.dataDirClaim/);
    });
    it("claim names are DNS-1123; the uploads claim is not the data claim", () => {
        refused({ importFrom: { dataDirClaim: "Old_Data" } }, /importFrom\.dataDirClaim: got "Old_Data"; give the name of an existing PersistentVolumeClaim/);
        refused({ importFrom: { dataDirClaim: "a", uploadsClaim: "a" } }, /importFrom\.uploadsClaim: got "a"; it is dataDirClaim already/);
        refused({ importFrom: { databaseUrlSecret: { name: "Bad Name", key: "url" } } }, /importFrom\.databaseUrlSecret\.name: got "Bad Name"/);
    });
    it("choices: enums, scratch size, deadline", () => {
        refused({ importFrom: { dataDirClaim: "a", vectors: "all" } }, /importFrom\.vectors: got "all"/);
        refused({ importFrom: { dataDirClaim: "a", onNonEmpty: "overwrite" } }, /importFrom\.onNonEmpty: got "overwrite"/);
        refused({ importFrom: { dataDirClaim: "a", workDirSize: "lots" } }, /importFrom\.workDirSize: got "lots"; use a Kubernetes quantity/);
        refused({ importFrom: { dataDirClaim: "a", timeoutMinutes: 1 } }, /importFrom\.timeoutMinutes: got 1/);
    });
    it("the secret key: by the typed argument only, which the escape hatches' refusal names", () => {
        refused({ extraSecretEnvRefs: { WEBUI_SECRET_KEY: OLD_KEY } }, /extraSecretEnvRefs\.WEBUI_SECRET_KEY: .*use webuiSecretKeyRef instead/);
        refused({ extraEnv: { OPENWEBUI_IMPORT_SOURCE_DATABASE_URL: "x" } }, /extraEnv\.OPENWEBUI_IMPORT_SOURCE_DATABASE_URL: .*use importFrom instead/);
        refused({ webuiSecretKeyRef: { name: "old-webui" } }, /webuiSecretKeyRef/);
        refused({ webuiSecretKeyRef: { name: "Old Key", key: "k" } }, /webuiSecretKeyRef\.name: got "Old Key"/);
    });
});
