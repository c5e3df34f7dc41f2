// What the release's TLS clients trust: `trustedCa` (a private bundle from an existing
// ConfigMap/Secret, added to the public roots of every TLS client) and the managed database's CA
// (`database.verifyServerCertificate`), asserted on the rendered objects, schema-validated.
// The init script and the Python clients' use of the env run for real in
// tests/integration/trust.itest.ts.
import "./harness";
import * as assert from "assert";
import { ofType, registered, reset, settle } from "./harness";
import { kubernetesObjects, validateK8sObject } from "./k8sSchema";
import { CloudTarget, OpenWebUiCluster, OpenWebUiClusterArgs, ValidationError } from "../index";
import { CA_BUNDLE_FILE, TRUSTED_CA_SCRIPT } from "../components/spec/trust";
import { azurePostgresCaBundle, rdsCaBundle } from "../providers/databaseCa";

const base: OpenWebUiClusterArgs = {
    target: CloudTarget.Kubernetes,
    hostname: "chat.example.com",
    otel: { exporterEndpoint: "https://otlp.corp.example:4318" },
};
const AWS: Partial<OpenWebUiClusterArgs> = {
    target: CloudTarget.Aws,
    aws: {
        region: "eu-west-1",
        vpcId: "vpc-0a1b2c3d",
        privateSubnetIds: ["subnet-0a1", "subnet-0b2", "subnet-0c3"],
        eks: { clusterName: "prod", securityGroupIds: ["sg-0123abcd"] },
        certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab",
    },
};

async function build(args: Partial<OpenWebUiClusterArgs>): Promise<void> {
    reset();
    new OpenWebUiCluster("chat", { ...base, ...args } as OpenWebUiClusterArgs);
    await settle();
}

const pod = (type: string, name: string) => ofType(type).find((r) => r.name === name)!.plain.spec.template.spec;
const env = (c: any) => Object.fromEntries((c.env ?? []).filter((e: any) => "value" in e).map((e: any) => [e.name, e.value]));

describe("trusted CAs", () => {
    describe("trustedCa from a ConfigMap: Open WebUI, its migration Job and the collector trust it beside the public roots", () => {
        before(() => build({ trustedCa: { configMapName: "corp-ca-bundle", key: "bundle.pem" } }));

        for (const [type, name, main] of [
            ["kubernetes:apps/v1:Deployment", "chat", "open-webui"],
            ["kubernetes:batch/v1:Job", "chat-migrate", "migrate"],
        ]) {
            it(`${name}: the trusted-ca init container builds the bundle; ${main} reads it (SSL_CERT_FILE, REQUESTS_CA_BUNDLE)`, () => {
                const p = pod(type, name);
                assert.deepStrictEqual(
                    p.volumes.find((v: any) => v.name === "trusted-ca"),
                    { name: "trusted-ca", configMap: { name: "corp-ca-bundle", items: [{ key: "bundle.pem", path: "ca.crt" }] } },
                );
                assert.ok(p.volumes.find((v: any) => v.name === "ca-bundle").emptyDir);
                const init = p.initContainers.find((c: any) => c.name === "trusted-ca");
                assert.deepStrictEqual(init.command, ["sh", "-c", TRUSTED_CA_SCRIPT]);
                assert.strictEqual(init.image, p.containers[0].image, "the Open WebUI image (its roots)");
                assert.strictEqual(init.securityContext.readOnlyRootFilesystem, true);
                assert.deepStrictEqual(
                    init.volumeMounts.find((m: any) => m.name === "ca-bundle"),
                    { name: "ca-bundle", mountPath: "/etc/open-webui/ca-bundle" },
                );
                const c = p.containers.find((x: any) => x.name === main);
                assert.strictEqual(env(c).SSL_CERT_FILE, CA_BUNDLE_FILE);
                assert.strictEqual(env(c).REQUESTS_CA_BUNDLE, CA_BUNDLE_FILE);
                assert.ok(c.volumeMounts.some((m: any) => m.name === "ca-bundle" && m.readOnly));
                assert.ok(
                    c.volumeMounts.some((m: any) => m.name === "trusted-ca" && m.mountPath === "/etc/open-webui/trusted-ca" && m.readOnly),
                    "the bundle itself, for an external sslrootcert=",
                );
            });
        }

        it("the serving pod's init containers: seed-data first, then trusted-ca", () => {
            assert.deepStrictEqual(
                pod("kubernetes:apps/v1:Deployment", "chat").initContainers.map((c: any) => c.name),
                ["seed-data", "trusted-ca"],
            );
        });

        it("the collector (Go): SSL_CERT_DIR lists the bundle's directory beside /etc/ssl/certs", () => {
            const p = pod("kubernetes:apps/v1:Deployment", "chat-otel-collector");
            const c = p.containers[0];
            assert.strictEqual(env(c).SSL_CERT_DIR, "/etc/open-webui/trusted-ca:/etc/ssl/certs");
            assert.ok(c.volumeMounts.some((m: any) => m.name === "trusted-ca" && m.readOnly));
            assert.strictEqual(p.volumes.find((v: any) => v.name === "trusted-ca").configMap.name, "corp-ca-bundle");
        });

        it("the in-cluster data services (servers, no outbound TLS) and the bootstrap Job are unchanged", () => {
            for (const [type, name] of [
                ["kubernetes:apps/v1:StatefulSet", "chat-postgres"],
                ["kubernetes:apps/v1:StatefulSet", "chat-redis"],
                ["kubernetes:batch/v1:Job", "chat-db-bootstrap"],
            ]) {
                const p = pod(type, name);
                assert.ok(!(p.volumes ?? []).some((v: any) => v.name === "trusted-ca"), name);
            }
        });

        it("every object is valid against the Kubernetes schema", async () => {
            const objs = kubernetesObjects(registered);
            assert.ok(objs.length > 20);
            for (const o of objs) await validateK8sObject(o);
        });
    });

    it("trustedCa from a Secret: a secret volume with the default key ca.crt", async () => {
        await build({ trustedCa: { secretName: "corp-ca" } });
        for (const [type, name] of [
            ["kubernetes:apps/v1:Deployment", "chat"],
            ["kubernetes:batch/v1:Job", "chat-migrate"],
            ["kubernetes:apps/v1:Deployment", "chat-otel-collector"],
        ]) {
            assert.deepStrictEqual(
                pod(type, name).volumes.find((v: any) => v.name === "trusted-ca"),
                { name: "trusted-ca", secret: { secretName: "corp-ca", items: [{ key: "ca.crt", path: "ca.crt" }] } },
                name,
            );
        }
    });

    it("without trustedCa nothing is added (no init container, no SSL_CERT_FILE)", async () => {
        await build({});
        const p = pod("kubernetes:apps/v1:Deployment", "chat");
        assert.deepStrictEqual(
            p.initContainers.map((c: any) => c.name),
            ["seed-data"],
        );
        assert.strictEqual(env(p.containers[0]).SSL_CERT_FILE, undefined);
        assert.strictEqual(pod("kubernetes:batch/v1:Job", "chat-migrate").initContainers, undefined);
    });

    it("refuses both or neither source, bad names, and the trust env set by hand (naming trustedCa)", async () => {
        const refused = async (args: Partial<OpenWebUiClusterArgs>, re: RegExp) => {
            reset();
            assert.throws(
                () => new OpenWebUiCluster("chat", { ...base, ...args } as OpenWebUiClusterArgs),
                (e: unknown) => e instanceof ValidationError && re.test((e as Error).message),
            );
            await settle();
            assert.strictEqual(ofType("kubernetes:apps/v1:Deployment").length, 0, "nothing created");
        };
        await refused({ trustedCa: { configMapName: "a", secretName: "b" } }, /trustedCa: got "configMapName and secretName"[\s\S]*set exactly one/);
        await refused({ trustedCa: {} }, /trustedCa: got "neither configMapName nor secretName"/);
        await refused({ trustedCa: { configMapName: "Corp_CA" } }, /trustedCa\.configMapName: got "Corp_CA"/);
        await refused({ trustedCa: { secretName: "ca", key: "a/b" } }, /trustedCa\.key: got "a\/b"/);
        await refused({ extraEnv: { SSL_CERT_FILE: "/etc/x.pem" } }, /extraEnv\.SSL_CERT_FILE[\s\S]*set trustedCa/);
        await refused({ extraEnv: { REQUESTS_CA_BUNDLE: "/etc/x.pem" } }, /extraEnv\.REQUESTS_CA_BUNDLE[\s\S]*set trustedCa/);
    });

    describe("the managed database's CA", () => {
        it("verifyServerCertificate=false: sslmode=require, no CA ConfigMap, no PGSSLROOTCERT", async () => {
            await build({ ...AWS, database: { verifyServerCertificate: false } });
            const app = ofType("kubernetes:core/v1:Secret").find((s) => s.name === "chat-app")!.plain.stringData;
            assert.match(app.DATABASE_URL, /\?sslmode=require&connect_timeout=10&[^?]*$/);
            assert.ok(!ofType("kubernetes:core/v1:ConfigMap").some((c) => c.name === "chat-db-ca"));
            const job = pod("kubernetes:batch/v1:Job", "chat-db-bootstrap");
            assert.ok(!job.containers[0].env.some((e: any) => e.name === "PGSSLROOTCERT"));
            assert.ok(!pod("kubernetes:apps/v1:Deployment", "chat").volumes.some((v: any) => v.name === "db-ca"));
        });

        it("the kubernetes target's in-cluster Postgres (no TLS): no CA, no sslmode", async () => {
            await build({});
            assert.ok(!ofType("kubernetes:core/v1:ConfigMap").some((c) => c.name === "chat-db-ca"));
            assert.doesNotMatch(ofType("kubernetes:core/v1:Secret").find((s) => s.name === "chat-app")!.plain.stringData.DATABASE_URL, /sslrootcert/);
        });

        it("the bundles drop expired CAs and fail loudly when none is left", () => {
            const now = rdsCaBundle().split("BEGIN CERTIFICATE").length - 1;
            const in2020 = rdsCaBundle(new Date("2020-06-01")).split("BEGIN CERTIFICATE").length - 1;
            assert.ok(in2020 > now, `the 2019 CAs (expired 2024) count in 2020 only: ${in2020} vs ${now}`);
            assert.throws(() => rdsCaBundle(new Date("2200-01-01")), /no unexpired RDS CA[\s\S]*verifyServerCertificate=false/);
            assert.strictEqual(azurePostgresCaBundle().split("BEGIN CERTIFICATE").length - 1, 3);
        });
    });
});
