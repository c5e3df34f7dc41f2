// Dead-network bounds on every database connection (libpq connect_timeout, keepalives,
// tcp_user_timeout): in every URL the component builds, appended to a user's URL given by value,
// PGCONNECT_TIMEOUT on every pod and Job (the only bound a user's urlSecret URL gets from us),
// and bad values refused at construction. The managed URLs of aws/gcp/azure are asserted whole in
// their own test files.
import "./harness";
import * as assert from "assert";
import { envOf, ofType, reset, settle } from "./harness";
import { CloudTarget, OpenWebUiCluster, OpenWebUiClusterArgs, ServiceMode } from "../index";
import { networkTimeoutParams, withNetworkTimeouts } from "../components/data/database";
import { ValidationError } from "../components/spec/errors";

const base: OpenWebUiClusterArgs = { target: CloudTarget.Kubernetes, hostname: "chat.example.com" };
const DEFAULTS = "connect_timeout=10&keepalives=1&keepalives_idle=15&keepalives_interval=5&keepalives_count=3&tcp_user_timeout=15000";

async function build(args: Partial<OpenWebUiClusterArgs> = {}): Promise<void> {
    reset();
    new OpenWebUiCluster("chat", { ...base, ...args });
    await settle();
}

const appSecretUrl = () => ofType("kubernetes:core/v1:Secret").find((s) => s.name === "chat-app")!.plain.stringData.DATABASE_URL as string | undefined;
const job = (suffix: string) => ofType("kubernetes:batch/v1:Job").find((j) => j.name.endsWith(suffix));
const deploymentEnv = () => envOf(ofType("kubernetes:apps/v1:Deployment").find((d) => d.name === "chat")!.plain.spec.template.spec);
const jobEnv = (suffix: string) => envOf(job(suffix)!.plain.spec.template.spec);

describe("database dead-network bounds (connect_timeout, keepalives, tcp_user_timeout)", function () {
    it("networkTimeoutParams: tcp_user_timeout in ms, keepalives derived from it", () => {
        assert.deepStrictEqual(
            networkTimeoutParams({ connectTimeoutSeconds: 10, tcpUserTimeoutSeconds: 15 })
                .map(([k, v]) => `${k}=${v}`)
                .join("&"),
            DEFAULTS,
        );
        assert.deepStrictEqual(Object.fromEntries(networkTimeoutParams({ connectTimeoutSeconds: 4, tcpUserTimeoutSeconds: 30 })), {
            connect_timeout: "4",
            keepalives: "1",
            keepalives_idle: "30",
            keepalives_interval: "10",
            keepalives_count: "3",
            tcp_user_timeout: "30000",
        });
    });

    it("withNetworkTimeouts: adds only what the URL lacks, leaves the rest as written", () => {
        const t = { connectTimeoutSeconds: 10, tcpUserTimeoutSeconds: 15 };
        assert.strictEqual(withNetworkTimeouts("postgresql://u:p@db:5432/x", t), `postgresql://u:p@db:5432/x?${DEFAULTS}`);
        assert.strictEqual(
            withNetworkTimeouts("postgresql://u:p%20q@db/x?sslmode=require&options=-c%20a%3Db", t),
            `postgresql://u:p%20q@db/x?sslmode=require&options=-c%20a%3Db&${DEFAULTS}`,
        );
        assert.strictEqual(
            withNetworkTimeouts("postgresql://db/x?connect_timeout=3&tcp_user_timeout=9000", t),
            "postgresql://db/x?connect_timeout=3&tcp_user_timeout=9000&keepalives=1&keepalives_idle=15&keepalives_interval=5&keepalives_count=3",
        );
        assert.strictEqual(withNetworkTimeouts("postgresql://db/x?", t), `postgresql://db/x?${DEFAULTS}`);
        assert.strictEqual(withNetworkTimeouts("postgresql://db/x#a#b", t), `postgresql://db/x?${DEFAULTS}#a#b`);
        const full = `postgresql://db/x?${DEFAULTS}`;
        assert.strictEqual(withNetworkTimeouts(full, t), full);
    });

    it("in-cluster: the app URL carries the defaults; PGCONNECT_TIMEOUT on the pods, the migration and bootstrap Jobs", async () => {
        await build();
        assert.match(
            appSecretUrl()!,
            new RegExp(`^postgresql://openwebui_app:[A-Za-z0-9]{40}@chat-postgres\\.open-webui\\.svc\\.cluster\\.local:5432/openwebui\\?${DEFAULTS}$`),
        );
        assert.strictEqual(deploymentEnv().PGCONNECT_TIMEOUT.value, "10");
        assert.strictEqual(jobEnv("-migrate").PGCONNECT_TIMEOUT.value, "10");
        assert.strictEqual(jobEnv("-db-bootstrap").PGCONNECT_TIMEOUT.value, "10");
        // pgvector's engine reads the same Secret key.
        assert.deepStrictEqual(deploymentEnv().PGVECTOR_DB_URL.valueFrom.secretKeyRef, { name: "chat-app", key: "DATABASE_URL" });
    });

    it("custom values reach the URL, the pods and the Jobs", async () => {
        await build({ database: { connectTimeoutSeconds: 5, tcpUserTimeoutSeconds: 30 } });
        assert.match(appSecretUrl()!, /\?connect_timeout=5&keepalives=1&keepalives_idle=30&keepalives_interval=10&keepalives_count=3&tcp_user_timeout=30000$/);
        for (const env of [deploymentEnv(), jobEnv("-migrate"), jobEnv("-db-bootstrap")]) assert.strictEqual(env.PGCONNECT_TIMEOUT.value, "5");
    });

    it("external by URL: the missing parameters are appended, the user's own win", async () => {
        await build({
            database: {
                mode: ServiceMode.External,
                url: "postgresql://u:p@db.internal:5432/owui?sslmode=verify-full&sslrootcert=/etc/ca.crt&connect_timeout=4",
                maxConnections: 300,
            },
        });
        assert.strictEqual(
            appSecretUrl(),
            "postgresql://u:p@db.internal:5432/owui?sslmode=verify-full&sslrootcert=/etc/ca.crt&connect_timeout=4&keepalives=1&keepalives_idle=15&keepalives_interval=5&keepalives_count=3&tcp_user_timeout=15000",
        );
        assert.strictEqual(deploymentEnv().PGCONNECT_TIMEOUT.value, "10");
        assert.strictEqual(job("-db-bootstrap"), undefined);
    });

    it("external by urlSecret: the user's Secret is untouched, PGCONNECT_TIMEOUT bounds its connects on pods and the migration Job", async () => {
        await build({ database: { mode: ServiceMode.External, urlSecret: { name: "pg", key: "url" }, maxConnections: 300 } });
        assert.strictEqual(appSecretUrl(), undefined);
        for (const env of [deploymentEnv(), jobEnv("-migrate")]) {
            assert.deepStrictEqual(env.DATABASE_URL.valueFrom.secretKeyRef, { name: "pg", key: "url" });
            assert.strictEqual(env.PGCONNECT_TIMEOUT.value, "10");
        }
    });

    for (const [field, bad] of [
        ["connectTimeoutSeconds", 0],
        ["connectTimeoutSeconds", 1],
        ["connectTimeoutSeconds", 2.5],
        ["connectTimeoutSeconds", 301],
        ["tcpUserTimeoutSeconds", 4],
        ["tcpUserTimeoutSeconds", 601],
        ["tcpUserTimeoutSeconds", -15],
    ] as const) {
        it(`refuses database.${field} = ${bad} at construction, naming field, value and fix`, () => {
            reset();
            assert.throws(
                () => new OpenWebUiCluster("chat", { ...base, database: { [field]: bad } }),
                (e: unknown) => {
                    assert.ok(e instanceof ValidationError, `not a ValidationError: ${e}`);
                    assert.match((e as Error).message, new RegExp(`database\\.${field}.*${String(bad).replace(".", "\\.")}.*use whole seconds`));
                    return true;
                },
            );
        });
    }
});
