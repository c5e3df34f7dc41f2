// One preset's test bed, built from the HA drills' harness: the aws target's env for the preset
// (OTEL off, as localizeAws does), PostgreSQL (TLS) bootstrapped and migrated as the component's
// Jobs do, Redis (TLS), moto S3, nginx like the component's load balancer, the streaming fake LLM,
// and N Open WebUI replicas probed like kubelet (only ready replicas are upstreams). CPU pinning:
// replica i runs under `taskset -c (1+i) mod nproc`; everything else (this process, i.e. the load
// generator and the fake LLM, Postgres, Redis, moto, nginx) is moved to CPU 0 with `taskset -p`.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import { EmittedManaged, Env, emitManagedAws } from "../../tests/integration/lib/component";
import { auth, bootstrapDatabase, migrate } from "../../tests/integration/lib/appData";
import { Prober } from "../../tests/integration/lib/drills";
import { FAKE_MODEL, FakeLlm } from "../../tests/integration/lib/fakeLlm";
import { LocalNginx, LocalS3 } from "../../tests/integration/lib/lb";
import { localizeAws } from "../../tests/integration/lib/localEnv";
import { OpenWebUi, PYTHON, startOpenWebUi, stopOpenWebUi } from "../../tests/integration/lib/openwebui";
import { request, run, waitFor } from "../../tests/integration/lib/procs";
import { LocalPostgres, LocalRedis } from "../../tests/integration/lib/servers";
import { BenchConfig } from "./config";
import { postmasterPid } from "./sampling";
import { descendants, procTable } from "../../tests/integration/lib/procStat";

const ADMIN_DB = { user: "cloudadmin", password: "admin-Pw_0123456789" };
const ADMIN = { name: "Admin", email: "admin@example.com", password: "Adm1n-Passw0rd!" };
const USER_PASSWORD = "Bench-Us3r-Passw0rd!";
const passwordOf = (url: string) => decodeURIComponent(new URL(url).password);

/** The CPU replica `i` is pinned to. */
export const replicaCpu = (i: number) => (1 + i) % os.cpus().length;

/** Moves `pid` (all its threads) to `cpu`. */
function pin(pid: number, cpu: number): void {
    run("taskset", ["-a", "-p", "-c", String(cpu), String(pid)], { check: false });
}

export interface Pod {
    name: string;
    o: OpenWebUi;
    prober: Prober;
    cpu: number;
    /** Process start -> /health 200 -> ready and in the load balancer's upstreams. */
    startupMs: number;
    readyInLbMs: number;
}

export class Rig {
    readonly pods: Pod[] = [];
    lb!: LocalNginx;
    pg!: LocalPostgres;
    redis!: LocalRedis;
    s3!: LocalS3;
    llm!: FakeLlm;
    em!: EmittedManaged;
    env!: Env;
    adminToken = "";
    private syncing: Promise<void> = Promise.resolve();

    constructor(
        readonly preset: string,
        readonly cfg: BenchConfig,
    ) {}

    get base(): string {
        return this.lb.base;
    }

    /** The env of interest for capacity (thread pool, database pool, workers). */
    envOfInterest(): Env {
        return Object.fromEntries(
            Object.entries(this.em.serveEnv).filter(([k]) => /^(THREAD_POOL_SIZE|DATABASE_POOL_|UVICORN_WORKERS|WEB_CONCURRENCY)/.test(k)),
        );
    }

    pool(): { size: number; overflow: number } {
        return { size: Number(this.env.DATABASE_POOL_SIZE ?? 0), overflow: Number(this.env.DATABASE_POOL_MAX_OVERFLOW ?? 0) };
    }

    async setup(): Promise<void> {
        // The component refuses fewer than 2 replicas (not HA); the env per pod is the same for any count.
        this.em = await emitManagedAws({ min: Math.max(2, this.cfg.replicas), max: Math.max(3, this.cfg.replicas + 1) }, { size: this.preset });
        this.pg = new LocalPostgres(`cap-${this.preset}`, 300, undefined, true);
        await this.pg.start();
        this.pg.superSql(`CREATE ROLE ${ADMIN_DB.user} LOGIN CREATEROLE CREATEDB PASSWORD '${ADMIN_DB.password}'`);
        bootstrapDatabase(this.pg, "openwebui", passwordOf(this.em.serveEnv.DATABASE_URL), ADMIN_DB);
        this.redis = new LocalRedis(passwordOf(this.em.serveEnv.REDIS_URL), true);
        await this.redis.start();
        this.s3 = new LocalS3();
        await this.s3.start();
        this.s3.boto3(PYTHON, `s3.create_bucket(Bucket="${this.em.serveEnv.S3_BUCKET_NAME}", CreateBucketConfiguration={"LocationConstraint": sys.argv[1]})`);
        this.llm = new FakeLlm(this.cfg.llm);
        await this.llm.start();
        migrate(this.em.migrateCommand, localizeAws(this.em.migrateEnv, this.pg, this.redis, this.s3));
        this.env = localizeAws(this.em.serveEnv, this.pg, this.redis, this.s3);
        this.lb = new LocalNginx({ idleTimeoutSeconds: this.em.lbIdleTimeoutSeconds, healthPath: this.em.lbHealthPath });
        await this.lb.start([]);
        this.pinOthers();
        await Promise.all(Array.from({ length: this.cfg.replicas }, (_, i) => this.add(`r${i}`, replicaCpu(i))));
        await this.configure();
    }

    /** Everything but the replicas on CPU 0 (children forked later inherit it: Postgres backends, nginx workers). */
    pinOthers(): void {
        const rows = procTable();
        const roots = [postmasterPid(this.pg), this.redis.proc!.child.pid!, this.s3.proc!.child.pid!, this.lb.proc!.child.pid!];
        pin(process.pid, 0);
        for (const root of roots) for (const r of descendants(rows, root)) pin(r.pid, 0);
    }

    /** The CPUs each process is allowed on (/proc status), as evidence of the pinning. */
    affinity(): Record<string, string> {
        const of = (pid: number) => /Cpus_allowed_list:\s*(\S+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? "?";
        const out: Record<string, string> = {
            loadGenerator: of(process.pid),
            postgres: of(postmasterPid(this.pg)),
            redis: of(this.redis.proc!.child.pid!),
            nginx: of(this.lb.proc!.child.pid!),
        };
        for (const p of this.pods) if (!p.o.proc.exited) out[p.name] = of(p.o.proc.child.pid!);
        return out;
    }

    private sync(): Promise<void> {
        this.syncing = this.syncing.then(() => this.lb.setBackends(this.pods.filter((p) => p.prober.ready && !p.o.proc.exited).map((p) => p.o.port)));
        return this.syncing;
    }

    /** Starts a replica pinned to `cpu`; returns once it is ready and behind the load balancer. */
    async add(name: string, cpu: number): Promise<Pod> {
        const t0 = Date.now();
        // PGAPPNAME (libpq): the replica's Postgres connections carry its name in pg_stat_activity.
        const o = await startOpenWebUi(name, this.env, { launcher: ["taskset", "-c", String(cpu)], overrides: { PGAPPNAME: name } });
        const pod: Pod = { name, o, cpu, prober: undefined as unknown as Prober, startupMs: Date.now() - t0, readyInLbMs: 0 };
        pod.prober = new Prober(
            name,
            () => o.base,
            { liveness: this.em.probes.liveness, readiness: this.em.probes.readiness },
            () => this.sync(),
        );
        this.pods.push(pod);
        pod.prober.start();
        await waitFor(`${name} ready and behind the LB`, async () => pod.prober.ready && this.lb.backendsNow.includes(o.port), 120_000, 50);
        pod.readyInLbMs = Date.now() - t0;
        return pod;
    }

    /** First admin, the fake LLM as the OpenAI connection, and the model readable by every user. */
    private async configure(): Promise<void> {
        const su = await request(`${this.base}/api/v1/auths/signup`, { method: "POST", body: ADMIN, timeoutMs: 60_000 });
        assert.strictEqual(su.status, 200, su.body);
        this.adminToken = JSON.parse(su.body).token;
        const h = auth(this.adminToken);
        const set = await request(`${this.base}/openai/config/update`, {
            method: "POST",
            headers: h,
            body: { ENABLE_OPENAI_API: true, OPENAI_API_BASE_URLS: [this.llm.baseUrl], OPENAI_API_KEYS: ["bench"], OPENAI_API_CONFIGS: {} },
        });
        assert.strictEqual(set.status, 200, set.body);
        const model = {
            id: FAKE_MODEL,
            base_model_id: null,
            name: FAKE_MODEL,
            meta: {},
            params: {},
            access_grants: [{ principal_type: "user", principal_id: "*", permission: "read" }],
        };
        const mk = await request(`${this.base}/api/v1/models/create`, { method: "POST", headers: h, body: model, timeoutMs: 30_000 });
        assert.strictEqual(mk.status, 200, mk.body);
    }

    /** `n` users (role user) through the admin API, 4 at a time; returns their tokens. */
    async createUsers(n: number): Promise<string[]> {
        const tokens: string[] = new Array(n);
        for (let i = 0; i < n; i += 4) {
            await Promise.all(
                Array.from({ length: Math.min(4, n - i) }, async (_, k) => {
                    const j = i + k;
                    const r = await request(`${this.base}/api/v1/auths/add`, {
                        method: "POST",
                        headers: auth(this.adminToken),
                        body: { name: `User ${j}`, email: `u${j}@bench.example.com`, password: USER_PASSWORD, role: "user" },
                        timeoutMs: 60_000,
                    });
                    assert.strictEqual(r.status, 200, r.body);
                    tokens[j] = JSON.parse(r.body).token;
                }),
            );
        }
        const models = await request(`${this.base}/api/models`, { headers: auth(tokens[0]), timeoutMs: 30_000 });
        assert.ok(models.body.includes(FAKE_MODEL), `a user does not see the fake model: ${models.body.slice(0, 300)}`);
        return tokens;
    }

    async stop(): Promise<void> {
        for (const p of this.pods) await p.prober.stop();
        for (const p of this.pods) await stopOpenWebUi(p.o);
        await this.lb?.stop();
        await this.llm?.stop();
    }
}
