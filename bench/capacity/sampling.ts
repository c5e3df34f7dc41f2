// What the benchmark samples while the users run: CPU and RSS of each replica and of PostgreSQL
// from /proc, Postgres connections by replica and state (pg_stat_activity; each replica connects
// with its own application_name) and sessions opened (pg_stat_database.sessions), Redis
// connected_clients, and each replica's /health latency every 500 ms (its event-loop delay).
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { poller } from "../../tests/integration/lib/drills";
import { LocalPostgres, LocalRedis } from "../../tests/integration/lib/servers";
import { HZ, procTable, usage } from "../../tests/integration/lib/procStat";

export { HZ };

export function postmasterPid(pg: LocalPostgres): number {
    return Number(fs.readFileSync(path.join(pg.dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
}

export interface Snapshot {
    at: number;
    replicas: Record<string, { ticks: number; rss: number; threads: number }>;
    pgTicks: number;
    /** Postgres connections to the app database: replica (application_name) -> state -> count. */
    conns?: Record<string, Record<string, number>>;
    sessions?: number;
    redisClients?: number;
}

function redisInfo(redis: LocalRedis): Promise<number | undefined> {
    const tlsArgs = redis.ca ? ["--tls", "--cacert", redis.ca.caCert] : [];
    return new Promise((resolve) => {
        execFile(
            "redis-cli",
            ["-h", redis.host, "-p", String(redis.port), ...tlsArgs, "--no-auth-warning", "-a", redis.password, "INFO", "clients"],
            { timeout: 5000 },
            (err, out) => {
                const m = /connected_clients:(\d+)/.exec(out ?? "");
                resolve(err || !m ? undefined : Number(m[1]));
            },
        );
    });
}

const PG_SQL = `SELECT 'a|' || application_name || '|' || coalesce(state, '') || '|' || count(*) FROM pg_stat_activity WHERE datname = 'openwebui' GROUP BY application_name, state
UNION ALL SELECT 's|' || sessions FROM pg_stat_database WHERE datname = 'openwebui'`;

async function pgStats(pg: LocalPostgres): Promise<Pick<Snapshot, "conns" | "sessions">> {
    try {
        const rows = await pg.superSqlAsync(PG_SQL, "postgres", 5000);
        const conns: Record<string, Record<string, number>> = {};
        let sessions: number | undefined;
        for (const r of rows) {
            const f = r.split("|");
            if (f[0] === "s") sessions = Number(f[1]);
            else (conns[f[1] || "(none)"] ??= {})[f[2] || "(none)"] = Number(f[3]);
        }
        return { conns, sessions };
    } catch {
        return {};
    }
}

/** Samples every `everyMs` until stopped (bounded to 2 h); replicas are read at each tick (one may be added). */
export class Sampler {
    readonly snaps: Snapshot[] = [];
    private stopped = false;
    private loop: Promise<void> = Promise.resolve();
    private readonly health = new Map<string, ReturnType<typeof poller>>();

    constructor(
        readonly replicas: () => { name: string; pid: number; base: string }[],
        readonly pg: LocalPostgres,
        readonly redis: LocalRedis,
        readonly everyMs = 2000,
    ) {}

    start(): this {
        this.loop = (async () => {
            const end = Date.now() + 2 * 3600_000;
            while (!this.stopped && Date.now() < end) {
                const s = Date.now();
                await this.tick();
                const wait = this.everyMs - (Date.now() - s);
                for (let t = 0; t < wait && !this.stopped; t += 100) await new Promise((r) => setTimeout(r, Math.min(100, wait - t)));
            }
        })();
        return this;
    }

    private async tick(): Promise<void> {
        const at = Date.now();
        const reps = this.replicas();
        for (const r of reps)
            if (!this.health.has(r.name))
                this.health.set(
                    r.name,
                    poller(() => r.base, ["/health"], 500, 5000),
                );
        const [pgs, redisClients] = await Promise.all([pgStats(this.pg), redisInfo(this.redis)]);
        const rows = procTable();
        const replicas: Snapshot["replicas"] = {};
        for (const r of reps) replicas[r.name] = usage(rows, r.pid);
        let pgTicks = 0;
        try {
            pgTicks = usage(rows, postmasterPid(this.pg)).ticks;
        } catch {
            /* not running */
        }
        this.snaps.push({ at, replicas, pgTicks, ...pgs, redisClients });
    }

    /** /health latencies (ms; a failure counts as its time) of one replica in [from, to). */
    healthMs(name: string, from: number, to: number): number[] {
        return (this.health.get(name)?.results ?? []).filter((h) => h.at >= from && h.at < to).map((h) => h.ms);
    }

    async stop(): Promise<void> {
        this.stopped = true;
        await this.loop;
        await Promise.all([...this.health.values()].map((h) => h.stop()));
    }
}
