// Telemetry end to end: real Open WebUI 0.12.4 with exactly the OTEL env the component emits for
// the aws target (telemetry on by default) -> the real collector (scripts/collector/build.sh)
// running the emitted config with the cloud exporters swapped for a file exporter (nothing else
// changed) -> assertions on what arrived. Then the collector is killed and brought back while
// Open WebUI serves, and the overhead of telemetry on versus off is measured on two replicas run
// side by side under the same load. Figures go to $IT_HOME/last-telemetry-report.json.
//
// The content checks run a replica whose spec sets `otel.samplerRatio: 1` (the default keeps one
// new trace in ten: a sign-in would be sampled by chance) and `otel.metrics: true` (off by default
// on the clouds), so that all three signals are exercised. The overhead is measured for the
// default (as deployed) and for that worst case, each against a replica with telemetry off.
import "../harness"; // setMocks first
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Env, EmittedManaged, emitManagedAws } from "./lib/component";
import { LocalCollector } from "./lib/collector";
import { Load, Sample, summary } from "./lib/drills";
import { FAKE_MODEL, FakeLlm } from "./lib/fakeLlm";
import { LocalS3 } from "./lib/lb";
import { OPEN_WEBUI_BIN, OpenWebUi, PYTHON, startOpenWebUi } from "./lib/openwebui";
import { IT_HOME, cleanupAll, request, sleep, waitFor } from "./lib/procs";
import { LocalPostgres, LocalRedis } from "./lib/servers";
import { auth, bootstrapDatabase, migrate } from "./lib/appData";
import { localizeAws } from "./lib/localEnv";
import { collectorBinary } from "../collectorLib";
import { HZ, procTable, usage } from "./lib/procStat";

const ADMIN = { user: "cloudadmin", password: "admin-Pw_0123456789" };
const USER = { name: "Admin", email: "admin@example.com", password: "Adm1n-Passw0rd!" };
/**
 * Metric series Open WebUI may send over the whole drill. Its views keep only method, route
 * template and status on the HTTP metrics, so the count is bounded by the routes used; the check
 * below also refuses any attribute value that carries an id.
 */
const METRIC_SERIES_BOUND = 1000;
const ID_LIKE = /[0-9a-f]{8}-[0-9a-f]{4}-|@/i;
const report: Record<string, any> = {};
const passwordOf = (url: string) => decodeURIComponent(new URL(url).password);

/** CPU seconds (user + system) of the replica's process tree. */
const cpuSeconds = (pid: number): number => usage(procTable(), pid).ticks / HZ;

const p = (xs: number[], q: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor(s.length * q))] ?? 0;
};

describe("telemetry end to end (Open WebUI 0.12.4 -> the emitted collector config -> file)", function () {
    this.timeout(600_000);
    let em: EmittedManaged;
    let pg: LocalPostgres;
    let col: LocalCollector;
    let llm: FakeLlm;
    let on: OpenWebUi;
    let off: OpenWebUi;
    let dflt: OpenWebUi;
    let token = "";
    let env: Env;

    /** The drills' user mix plus a chat completion through the fake LLM every 4th request. */
    const mix = (i: number, w: number) => {
        if (i % 4 === 3)
            return {
                method: "POST",
                path: "/api/chat/completions",
                body: { model: FAKE_MODEL, messages: [{ role: "user", content: `hello ${w}-${i}` }], stream: false },
            };
        const reads = ["/api/v1/chats/", "/api/v1/users/user/settings", "/api/config"];
        return { method: "GET", path: reads[(i + w) % reads.length] };
    };
    const load = async (o: OpenWebUi, ms: number): Promise<{ samples: Sample[]; cpuS: number }> => {
        const cpu0 = cpuSeconds(o.proc.child.pid!);
        const l = new Load(o.base, auth(token), mix, { workers: 3, pauseMs: 50, timeoutMs: 30_000, maxPerWorker: 2_000 }).start();
        await sleep(ms);
        const samples = await l.stop();
        return { samples, cpuS: cpuSeconds(o.proc.child.pid!) - cpu0 };
    };

    before(async function () {
        this.timeout(600_000);
        for (const f of [OPEN_WEBUI_BIN, PYTHON]) if (!fs.existsSync(f)) throw new Error(`${f} missing: run tests/integration/setup.sh first`);
        // The collector is built by scripts/collector/build.sh (.ci/run builds it before the drills):
        // under CI=true a missing binary fails; elsewhere the drill skips with the reason.
        if (!fs.existsSync(collectorBinary())) {
            if (process.env.CI === "true") throw new Error(`${collectorBinary()} missing: scripts/collector/build.sh did not run`);
            console.log(`    skipped: no collector at ${collectorBinary()} (run: bash scripts/collector/build.sh)`);
            this.skip();
        }
        const asDeployed = await emitManagedAws({ min: 2, max: 3 });
        report.defaultOtelEnv = Object.fromEntries(Object.entries(asDeployed.serveEnv).filter(([k]) => /OTEL/.test(k)));
        em = await emitManagedAws({ min: 2, max: 3 }, { otel: { samplerRatio: 1, metrics: true } });
        assert.strictEqual(em.serveEnv.ENABLE_OTEL, "true", "telemetry is not on by default on aws");
        assert.ok(em.collectorConfig, "the component deployed no collector config on aws");
        report.emittedOtelEnv = Object.fromEntries(Object.entries(em.serveEnv).filter(([k]) => /OTEL/.test(k)));
        pg = new LocalPostgres("tel", 200, undefined, true);
        await pg.start();
        pg.superSql(`CREATE ROLE ${ADMIN.user} LOGIN CREATEROLE CREATEDB PASSWORD '${ADMIN.password}'`);
        bootstrapDatabase(pg, "openwebui", passwordOf(em.serveEnv.DATABASE_URL), ADMIN);
        const redis = new LocalRedis(passwordOf(em.serveEnv.REDIS_URL), true);
        await redis.start();
        const s3 = new LocalS3();
        await s3.start();
        s3.boto3(PYTHON, `s3.create_bucket(Bucket="${em.serveEnv.S3_BUCKET_NAME}", CreateBucketConfiguration={"LocationConstraint": sys.argv[1]})`);
        llm = new FakeLlm({ tokens: 40, tokensPerSecond: 400 });
        await llm.start();
        col = new LocalCollector(em.collectorConfig!);
        await col.start();
        migrate(em.migrateCommand, localizeAws(em.migrateEnv, pg, redis, s3));
        // As emitted, except the collector's address (the Service's DNS name there, a loopback port here).
        env = { ...localizeAws(em.serveEnv, pg, redis, s3), ENABLE_OTEL: em.serveEnv.ENABLE_OTEL, OTEL_EXPORTER_OTLP_ENDPOINT: col.otlpGrpc };
        // Three replicas at once: every signal and trace (the checks), the default as deployed, and
        // telemetry off (the overhead baseline). Only their OTEL env differs.
        const defaultEnv = { ...env, ...report.defaultOtelEnv, OTEL_EXPORTER_OTLP_ENDPOINT: col.otlpGrpc };
        [on, dflt, off] = await Promise.all([
            startOpenWebUi("otel-on", env),
            startOpenWebUi("otel-default", defaultEnv),
            startOpenWebUi("otel-off", { ...env, ENABLE_OTEL: "false" }),
        ]);
        const su = await request(`${on.base}/api/v1/auths/signup`, { method: "POST", body: USER, timeoutMs: 60_000 });
        assert.strictEqual(su.status, 200, su.body);
        token = JSON.parse(su.body).token;
        // What an admin does in the UI: the OpenAI-compatible connection (persistent config, shared).
        const set = await request(`${on.base}/openai/config/update`, {
            method: "POST",
            headers: auth(token),
            body: { ENABLE_OPENAI_API: true, OPENAI_API_BASE_URLS: [llm.baseUrl], OPENAI_API_KEYS: ["drill"], OPENAI_API_CONFIGS: {} },
        });
        assert.strictEqual(set.status, 200, set.body);
        for (const o of [on, dflt, off]) {
            const models = await request(`${o.base}/api/models`, { headers: auth(token), timeoutMs: 30_000 });
            assert.ok(models.body.includes(FAKE_MODEL), `${o.name} does not list the fake model: ${models.body.slice(0, 300)}`);
        }
    });

    after(async function () {
        this.timeout(120_000);
        await llm?.stop();
        await cleanupAll();
        fs.mkdirSync(IT_HOME, { recursive: true });
        fs.writeFileSync(path.join(IT_HOME, "last-telemetry-report.json"), JSON.stringify(report, null, 2));
        console.log(`\nTelemetry drill report (${path.join(IT_HOME, "last-telemetry-report.json")}):\n${JSON.stringify(report, null, 2)}`);
    });

    it("a sign-in, a chat request and its database queries arrive as spans, with the service name and resource attributes", async function () {
        const t0 = Date.now() * 1e6;
        const si = await request(`${on.base}/api/v1/auths/signin`, { method: "POST", body: { email: USER.email, password: USER.password } });
        assert.strictEqual(si.status, 200, si.body);
        const chat = await request(`${on.base}/api/chat/completions`, {
            method: "POST",
            headers: auth(token),
            body: { model: FAKE_MODEL, messages: [{ role: "user", content: "hello" }], stream: false },
            timeoutMs: 60_000,
        });
        assert.strictEqual(chat.status, 200, chat.body);
        const list = await request(`${on.base}/api/v1/chats/`, { headers: auth(token) });
        assert.strictEqual(list.status, 200, list.body);
        const fresh = () => col.spans().filter((s) => Number(s.startTimeUnixNano) >= t0);
        const named = (re: RegExp) => fresh().filter((s) => re.test(s.name));
        // The batch processors flush every 5 s (SDK) and 5 s (collector); bounded wait.
        await waitFor(
            "spans of the sign-in and the chat request in the file",
            async () => named(/auths\/signin/).length > 0 && named(/chat\/completions/).length > 0,
            60_000,
            500,
        );
        const signin = named(/^POST \/api\/v1\/auths\/signin$/)[0] ?? named(/auths\/signin/)[0];
        const completion = named(/^POST \/api\/chat\/completions$/)[0] ?? named(/chat\/completions/)[0];
        const inTrace = (traceId: string) => fresh().filter((s) => s.traceId === traceId);
        const db = (traceId: string) => inTrace(traceId).filter((s) => s.attributes?.some((a) => a.key === "db.system" || a.key === "db.system.name"));
        await waitFor("the sign-in's database query spans", async () => db(signin.traceId).length > 0, 30_000, 500);
        const llmCall = inTrace(completion.traceId).filter((s) =>
            s.attributes?.some((a) => /url/.test(a.key) && String(a.value.stringValue).includes(`127.0.0.1:${llm.port}`)),
        );
        report.spans = {
            signin: signin.name,
            signinTraceSpans: inTrace(signin.traceId).length,
            signinDbSpans: [...new Set(db(signin.traceId).map((s) => s.name))].slice(0, 8),
            completion: completion.name,
            completionTraceSpans: inTrace(completion.traceId).length,
            llmClientSpans: llmCall.map((s) => s.name),
            resource: signin.resource,
        };
        assert.ok(
            llmCall.length > 0,
            `the chat request's trace has no client span to the model server: ${inTrace(completion.traceId)
                .map((s) => s.name)
                .join(", ")}`,
        );
        assert.strictEqual(signin.resource["service.name"], em.serveEnv.OTEL_SERVICE_NAME);
        for (const kv of em.serveEnv.OTEL_RESOURCE_ATTRIBUTES.split(",")) {
            const [k, v] = kv.split("=");
            assert.strictEqual(signin.resource[k], v, `resource attribute ${k} (OTEL_RESOURCE_ATTRIBUTES) did not arrive: ${JSON.stringify(signin.resource)}`);
        }
    });

    it("logs arrive with the service name and carry the trace id of the request that wrote them", async function () {
        await waitFor("log records with a trace id", async () => col.logs().some((l) => !!l.traceId), 60_000, 500);
        const logs = col.logs();
        const spanTraces = new Set(col.spans().map((s) => s.traceId));
        const withTrace = logs.filter((l) => l.traceId);
        report.logs = {
            records: logs.length,
            withTraceId: withTrace.length,
            matchingASpan: withTrace.filter((l) => spanTraces.has(l.traceId!)).length,
            example: withTrace[0]?.body?.stringValue?.slice(0, 160),
        };
        assert.ok(
            logs.every((l) => l.resource["service.name"] === em.serveEnv.OTEL_SERVICE_NAME),
            "a log record without the service name",
        );
        assert.ok(
            withTrace.some((l) => spanTraces.has(l.traceId!)),
            "no log record's trace id matches a span that arrived",
        );
    });

    it("metrics (opt-in) arrive and their series stay under a bound", async function () {
        await load(on, 10_000);
        // Requests whose paths carry ids: their series must carry the route template only.
        for (let i = 0; i < 3; i++) {
            const c = await request(`${on.base}/api/v1/chats/new`, {
                method: "POST",
                headers: auth(token),
                body: { chat: { title: `metrics ${i}`, messages: [] } },
            });
            assert.strictEqual(c.status, 200, c.body);
            assert.strictEqual((await request(`${on.base}/api/v1/chats/${JSON.parse(c.body).id}`, { headers: auth(token) })).status, 200);
        }
        await waitFor(
            "the id-bearing route's series in the file",
            async () => [...col.metricSeries()].some((x) => x.includes("/api/v1/chats/{id}")),
            60_000,
            1000,
        );
        const series = col.metricSeries();
        const byName: Record<string, number> = {};
        for (const x of series) byName[x.slice(0, x.indexOf("{"))] = (byName[x.slice(0, x.indexOf("{"))] ?? 0) + 1;
        report.metrics = { series: series.size, bound: METRIC_SERIES_BOUND, byName, example: [...series].find((x) => x.startsWith("http.server")) };
        assert.ok(series.size <= METRIC_SERIES_BOUND, `${series.size} metric series (bound ${METRIC_SERIES_BOUND})`);
        const leaking = [...series].filter((x) => ID_LIKE.test(x));
        assert.deepStrictEqual(leaking.slice(0, 3), [], "metric attributes carry ids (unbounded cardinality)");
    });

    it("with the collector killed Open WebUI keeps serving; exports resume when it is back", async function () {
        const up = await load(on, 12_000);
        await col.kill();
        const down = await load(on, 15_000);
        await col.start();
        const back = Date.now() * 1e6;
        const after = await load(on, 8_000);
        await waitFor("spans created after the collector came back", async () => col.spans().some((s) => Number(s.startTimeUnixNano) >= back), 90_000, 1000);
        const fig = (s: Sample[]) => ({
            ...summary(s),
            p95Ms: p(
                s.map((x) => x.ms),
                0.95,
            ),
        });
        report.collectorOutage = { up: fig(up.samples), down: fig(down.samples), after: fig(after.samples) };
        assert.ok(!on.proc.exited, "the replica exited while the collector was down");
        for (const [k, s] of Object.entries({ up, down, after }))
            assert.strictEqual(summary(s.samples).failed, 0, `${k}: ${JSON.stringify(summary(s.samples).statuses)}`);
        // The exporters run in the SDK's background threads: no request waits on an export. A
        // blocking exporter would add its 10 s timeout to requests; the figure is reported.
        assert.ok(fig(down.samples).p95Ms < 10_000, `p95 ${fig(down.samples).p95Ms} ms with the collector down`);
    });

    it("overhead of telemetry on versus off under the same load (measured, reported)", async function () {
        // As deployed against off (the figure the issue asks for); the every-signal replica's overhead
        // was measured the same way once and is in README (it would add a third of this test's time).
        const kinds: [string, OpenWebUi][] = [
            ["default", dflt],
            ["off", off],
        ];
        const rounds: Record<string, { p50: number[]; cpuPerReq: number[]; reqs: number }> = {};
        for (const [k] of kinds) rounds[k] = { p50: [], cpuPerReq: [], reqs: 0 };
        for (let r = 0; r < 4; r++) {
            // Alternating order: each replica runs first in half the rounds.
            for (const [k, o] of [...kinds.slice(r % kinds.length), ...kinds.slice(0, r % kinds.length)]) {
                const x = await load(o, 10_000);
                assert.strictEqual(summary(x.samples).failed, 0, `${k}: ${JSON.stringify(summary(x.samples).statuses)}`);
                rounds[k].p50.push(summary(x.samples).p50Ms);
                rounds[k].cpuPerReq.push((x.cpuS * 1000) / x.samples.length);
                rounds[k].reqs += x.samples.length;
            }
        }
        const med = (xs: number[]) => p(xs, 0.5);
        const pct = (a: number, b: number) => Math.round(((a - b) / b) * 1000) / 10;
        const vsOff = (k: string) => ({
            p50Ms: med(rounds[k].p50),
            cpuMsPerRequest: Math.round(med(rounds[k].cpuPerReq) * 10) / 10,
            requests: rounds[k].reqs,
            addedP50Percent: pct(med(rounds[k].p50), med(rounds.off.p50)),
            addedCpuPercent: pct(med(rounds[k].cpuPerReq), med(rounds.off.cpuPerReq)),
            rounds: { p50Ms: rounds[k].p50, cpuMsPerRequest: rounds[k].cpuPerReq.map((x) => Math.round(x * 10) / 10) },
        });
        report.overhead = {
            conditions:
                "4 alternating rounds x 10 s per replica, 3 workers, 50 ms pause; mix: chats list, settings, config, a chat completion (fake LLM) every 4th; medians of the rounds",
            off: {
                p50Ms: med(rounds.off.p50),
                cpuMsPerRequest: Math.round(med(rounds.off.cpuPerReq) * 10) / 10,
                requests: rounds.off.reqs,
                rounds: { p50Ms: rounds.off.p50, cpuMsPerRequest: rounds.off.cpuPerReq.map((x) => Math.round(x * 10) / 10) },
            },
            default: { what: "as deployed: traces (parentbased_traceidratio 0.1) + logs", ...vsOff("default") },
            collector: await col.selfMetrics().then(
                (m) => ({
                    acceptedSpans: m.otelcol_receiver_accepted_spans,
                    refusedSpans: m.otelcol_receiver_refused_spans,
                    sentSpans: m.otelcol_exporter_sent_spans,
                    acceptedLogRecords: m.otelcol_receiver_accepted_log_records,
                }),
                (e) => String(e),
            ),
        };
        // The figures are this machine's (2 shared cores); the note reports them, no timing bound here.
        for (const [k] of kinds) assert.ok(rounds[k].reqs > 0, `${k} served nothing`);
    });
});
