// CPU ticks, RSS and threads of process trees from /proc: the telemetry drill's overhead figure
// and the capacity benchmark's per-replica figures.
import * as fs from "fs";

export const HZ = 100;
const PAGE = 4096;

export interface ProcRow {
    pid: number;
    ppid: number;
    pgrp: number;
    ticks: number;
    childTicks: number;
    rss: number;
    threads: number;
}

export function procTable(): ProcRow[] {
    const rows: ProcRow[] = [];
    for (const d of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(d)) continue;
        try {
            const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
            const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
            rows.push({
                pid: Number(d),
                ppid: Number(f[1]),
                pgrp: Number(f[2]),
                ticks: Number(f[11]) + Number(f[12]),
                childTicks: Number(f[13]) + Number(f[14]),
                rss: Number(f[21]) * PAGE,
                threads: Number(f[17]),
            });
        } catch {
            /* exited meanwhile */
        }
    }
    return rows;
}

/** `root` and every process below it. */
export function descendants(rows: ProcRow[], root: number): ProcRow[] {
    const out = rows.filter((r) => r.pid === root);
    for (let i = 0; i < out.length; i++) out.push(...rows.filter((r) => r.ppid === out[i].pid));
    return out;
}

/** CPU ticks (the live tree plus the reaped children the root accounted) and RSS of a process tree. */
export function usage(rows: ProcRow[], root: number): { ticks: number; rss: number; threads: number } {
    const tree = descendants(rows, root);
    return {
        ticks: tree.reduce((a, r) => a + r.ticks, 0) + (tree[0]?.childTicks ?? 0),
        rss: tree.reduce((a, r) => a + r.rss, 0),
        threads: tree.reduce((a, r) => a + r.threads, 0),
    };
}
