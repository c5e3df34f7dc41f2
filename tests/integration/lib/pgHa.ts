// Replicated PostgreSQL as CloudNativePG runs it, with real processes: a primary archiving its WAL,
// a streaming standby made by `pg_basebackup -R` (synchronous or not), a node loss (SIGKILL of the
// postmaster and every backend), `pg_ctl promote`, base backups, and a point-in-time restore
// (base backup + archived WAL, `recovery_target_time`) into a new data directory. The same Debian
// binaries as lib/servers.ts (pgvector installed for them); everything under the run's temp dir.
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { IS_ROOT, run, tempDir, userIds, waitFor } from "./procs";
import { LocalPostgres } from "./servers";

type AsOwner = { uid?: number; gid?: number; env: NodeJS.ProcessEnv };

export class PgReplicated {
    readonly primary = new LocalPostgres("primary");
    standby?: LocalPostgres;
    /** Where `archive_command` copies every completed WAL segment (the object store's role). */
    readonly archiveDir: string;
    /** The server that is primary now (the standby after `promote`). */
    current: LocalPostgres = this.primary;
    private readonly owner = IS_ROOT ? userIds("postgres") : undefined;

    constructor(readonly synchronous: boolean) {
        this.archiveDir = tempDir("wal-archive", this.owner);
    }

    /** Primary with WAL archiving, then a streaming standby; `synchronous`: commits wait for it. */
    async start(): Promise<void> {
        await this.primary.start();
        this.primary.superSql("ALTER SYSTEM SET archive_mode = on");
        this.primary.superSql(`ALTER SYSTEM SET archive_command = 'test ! -f ${this.archiveDir}/%f && cp %p ${this.archiveDir}/%f'`);
        this.primary.superSql("ALTER SYSTEM SET wal_keep_size = '256MB'");
        this.primary.stopSync();
        this.primary.startAgain(); // archive_mode needs a restart
        await this.addStandby("standby", this.synchronous);
    }

    /**
     * A new streaming standby of the current primary (`pg_basebackup -R`); `synchronous`: the
     * primary's commits wait for it (`synchronous_standby_names = '*'`), else asynchronous.
     */
    async addStandby(name: string, synchronous: boolean): Promise<LocalPostgres> {
        const standby = new LocalPostgres(name);
        await standby.start((o) => this.baseBackupInto(standby.dataDir, o, ["-R"]));
        this.standby = standby;
        await waitFor(
            `${name} streaming`,
            async () => this.current.superSql("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")[0] === "1",
            60_000,
            200,
        );
        // Set after the base backup: a standby must not inherit it (alone after a promotion, it would wait forever).
        this.current.superSql(`ALTER SYSTEM SET synchronous_standby_names = '${synchronous ? "*" : ""}'`);
        this.current.superSql("SELECT pg_reload_conf()");
        await waitFor(
            `${name} ${synchronous ? "sync" : "async"}`,
            async () => this.replicationState().syncState === (synchronous ? "sync" : "async"),
            30_000,
            200,
        );
        return standby;
    }

    /** SIGSTOP of the primary's WAL sender: replication stalls (a lagging standby) until the primary dies with it. */
    stallReplication(): void {
        const pid = Number(this.current.superSql("SELECT pid FROM pg_stat_replication")[0]);
        process.kill(pid, "SIGSTOP");
    }

    /** The primary's view of its standby (`pg_stat_replication`). */
    replicationState(): { syncState?: string; state?: string } {
        const [row] = this.current.superSql("SELECT sync_state, state FROM pg_stat_replication");
        if (!row) return {};
        const [syncState, state] = row.split("|");
        return { syncState, state };
    }

    /** `pg_basebackup` of the current primary (through its Unix socket, as the superuser) into `dir`. */
    baseBackupInto(dir: string, asOwner: AsOwner, extra: string[] = []): void {
        run(
            path.join(this.current.bin, "pg_basebackup"),
            ["-D", dir, "-h", this.current.socketDir, "-p", String(this.current.port), "-U", "postgres", "-X", "stream", "-c", "fast", ...extra],
            { ...asOwner, timeoutMs: 180_000 },
        );
    }

    /** A base backup of the current primary in a new directory (owned by the server's user). */
    baseBackup(): { dir: string; ms: number } {
        const dir = path.join(tempDir("basebackup", this.owner), "data");
        const s = Date.now();
        this.baseBackupInto(dir, { uid: this.owner?.uid, gid: this.owner?.gid, env: { PATH: process.env.PATH } });
        return { dir, ms: Date.now() - s };
    }

    /** SIGKILL of the postmaster and every child at once (a node loss: nothing shuts down cleanly). */
    killPrimary(): number {
        const pg = this.current;
        const pid = Number(fs.readFileSync(path.join(pg.dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
        const children = run("ps", ["--ppid", String(pid), "-o", "pid="], { check: false })
            .stdout.split("\n")
            .map((l) => Number(l.trim()))
            .filter((n) => n > 0);
        const at = Date.now();
        for (const p of [pid, ...children]) {
            try {
                process.kill(p, "SIGKILL");
            } catch {
                /* gone */
            }
        }
        // pg_ctl would refuse to act on a stale pid file later (cleanup): remove it as the kubelet's new pod would start clean.
        fs.rmSync(path.join(pg.dataDir, "postmaster.pid"), { force: true });
        return at;
    }

    /** `pg_ctl promote -w` on the standby (without blocking the drill's load); it becomes `current`. Returns the time it took. */
    async promote(): Promise<number> {
        const sb = this.standby!;
        const s = Date.now();
        await new Promise<void>((resolve, reject) =>
            execFile(
                path.join(sb.bin, "pg_ctl"),
                ["-D", sb.dataDir, "-w", "-t", "60", "promote"],
                { uid: this.owner?.uid, gid: this.owner?.gid, env: { PATH: process.env.PATH }, timeout: 90_000 },
                (err, _out, stderr) => (err ? reject(new Error(`pg_ctl promote: ${err.message} ${stderr}`)) : resolve()),
            ),
        );
        this.current = sb;
        return Date.now() - s;
    }

    /** Forces the current WAL segment into the archive and waits until it is there. */
    async archiveNow(): Promise<string> {
        const [seg] = this.current.superSql("SELECT pg_walfile_name(pg_switch_wal())");
        await waitFor(`WAL ${seg} archived`, async () => fs.existsSync(path.join(this.archiveDir, seg)), 60_000, 100);
        return seg;
    }

    /**
     * Point-in-time restore: the base backup copied into a NEW data directory, `recovery.signal`,
     * `restore_command` from the archive, `recovery_target_time`, promote at the target; a new
     * server on it (its own port). Returns once it accepts writes.
     */
    async restore(baseDir: string, targetTime: string): Promise<{ pg: LocalPostgres; ms: number }> {
        const s = Date.now();
        const pg = new LocalPostgres("restored");
        await pg.start((o: AsOwner) => {
            run("cp", ["-a", baseDir, pg.dataDir], o);
            fs.rmSync(path.join(pg.dataDir, "standby.signal"), { force: true });
            fs.writeFileSync(path.join(pg.dataDir, "recovery.signal"), "");
            fs.appendFileSync(
                path.join(pg.dataDir, "postgresql.auto.conf"),
                [
                    `restore_command = 'cp ${this.archiveDir}/%f %p'`,
                    // PostgreSQL's timestamptz syntax (it refuses ISO 8601's `T` and `Z` here).
                    `recovery_target_time = '${targetTime.replace("T", " ").replace("Z", "+00")}'`,
                    "recovery_target_action = 'promote'",
                    "primary_conninfo = ''",
                    "synchronous_standby_names = ''",
                    "archive_mode = off",
                    "",
                ].join("\n"),
            );
            if (this.owner) fs.chownSync(path.join(pg.dataDir, "recovery.signal"), this.owner.uid, this.owner.gid);
        });
        await waitFor("restored server promoted", async () => pg.superSql("SELECT pg_is_in_recovery()")[0] === "f", 120_000, 100);
        return { pg, ms: Date.now() - s };
    }
}
