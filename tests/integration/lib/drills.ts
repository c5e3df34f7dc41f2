// Pieces of the HA drills: a kubelet-like prober per replica (the emitted probes, their period,
// timeout and threshold; readiness drives the load balancer's upstreams as the endpoints
// controller does), a bounded load generator, and a Socket.IO client that knows which replica
// holds its websocket.
import { io, Socket } from "socket.io-client";
import { NodeWebSocket } from "engine.io-client";
import { EmittedProbe } from "./component";
import { request, sleep } from "./procs";

export interface ProbeEvent {
    at: number;
    kind: "readiness" | "liveness";
    ok: boolean;
    status: number | string;
    ms: number;
}

/**
 * Probes one replica like kubelet: every `periodSeconds`, an HTTP GET with `timeoutSeconds`;
 * `failureThreshold` consecutive failures flip it (unready / would be restarted), one success
 * makes it ready again. Every probe result is kept for the drills' figures.
 */
export class Prober {
    /** A new pod is unready until its first successful readiness probe. */
    ready = false;
    /** Liveness failed `failureThreshold` times in a row: kubelet would have restarted the container. */
    wouldRestart = 0;
    readonly events: ProbeEvent[] = [];
    readonly transitions: { at: number; ready: boolean }[] = [];
    private stopped = false;
    private loops: Promise<void>[] = [];

    constructor(
        readonly name: string,
        readonly base: () => string,
        readonly probes: { liveness: EmittedProbe; readiness: EmittedProbe },
        readonly onReadyChange: (p: Prober) => Promise<void>,
        /** Divides every period (not timeouts or thresholds) so a drill takes seconds, not minutes. */
        readonly speedup = 1,
    ) {}

    start(): void {
        this.loops = [this.loop("readiness", this.probes.readiness), this.loop("liveness", this.probes.liveness)];
    }

    private async loop(kind: "readiness" | "liveness", p: EmittedProbe): Promise<void> {
        let fails = 0;
        while (!this.stopped) {
            const s = Date.now();
            let status: number | string;
            try {
                status = (await request(`${this.base()}${p.path}`, { timeoutMs: p.timeoutSeconds * 1000 })).status;
            } catch (e) {
                status = /timeout/.test((e as Error).message) ? "timeout" : ((e as NodeJS.ErrnoException).code ?? "error");
            }
            const ok = typeof status === "number" && status >= 200 && status < 400;
            this.events.push({ at: s, kind, ok, status, ms: Date.now() - s });
            fails = ok ? 0 : fails + 1;
            if (kind === "readiness") {
                const ready = ok ? true : fails >= p.failureThreshold ? false : this.ready;
                if (ready !== this.ready) {
                    this.ready = ready;
                    this.transitions.push({ at: Date.now(), ready });
                    await this.onReadyChange(this);
                }
            } else if (fails >= p.failureThreshold) {
                this.wouldRestart++;
                fails = 0;
            }
            const wait = (p.periodSeconds * 1000) / this.speedup - (Date.now() - s);
            for (let t = 0; t < wait && !this.stopped; t += 100) await sleep(Math.min(100, wait - t));
        }
    }

    /** Probe results of one kind in [from, to]. */
    between(kind: "readiness" | "liveness", from: number, to: number): ProbeEvent[] {
        return this.events.filter((e) => e.kind === kind && e.at >= from && e.at <= to);
    }

    async stop(): Promise<void> {
        this.stopped = true;
        await Promise.all(this.loops);
    }
}

export interface Sample {
    at: number;
    ms: number;
    method: string;
    path: string;
    status: number;
    error?: string;
    /** `id` of a successful POST's JSON answer (e.g. the chat created). */
    id?: string;
}

/**
 * `workers` loops of requests through `base` until `stop()` (each loop bounded by `maxPerWorker`
 * and a per-request timeout). `next(i)` picks the request; every result is kept.
 */
export class Load {
    readonly samples: Sample[] = [];
    private stopped = false;
    private done: Promise<void> = Promise.resolve();

    constructor(
        readonly base: string,
        readonly headers: Record<string, string>,
        readonly next: (i: number, w: number) => { method: string; path: string; body?: unknown },
        readonly opts: { workers: number; pauseMs: number; timeoutMs: number; maxPerWorker: number },
    ) {}

    start(): this {
        this.done = Promise.all(Array.from({ length: this.opts.workers }, (_, w) => this.worker(w))).then(() => undefined);
        return this;
    }

    private async worker(w: number): Promise<void> {
        for (let i = 0; !this.stopped && i < this.opts.maxPerWorker; i++) {
            const r = this.next(i, w);
            const s = Date.now();
            try {
                const res = await request(`${this.base}${r.path}`, { method: r.method, headers: this.headers, body: r.body, timeoutMs: this.opts.timeoutMs });
                let id: string | undefined;
                if (r.method === "POST" && res.status === 200) {
                    try {
                        id = JSON.parse(res.body)?.id;
                    } catch {
                        /* not JSON */
                    }
                }
                this.samples.push({
                    at: s,
                    ms: Date.now() - s,
                    method: r.method,
                    path: r.path,
                    status: res.status,
                    ...(res.status >= 400 ? { error: res.body.slice(0, 200) } : {}),
                    ...(id ? { id } : {}),
                });
            } catch (e) {
                this.samples.push({ at: s, ms: Date.now() - s, method: r.method, path: r.path, status: 0, error: (e as Error).message });
            }
            if (this.opts.pauseMs) await sleep(this.opts.pauseMs);
        }
    }

    async stop(): Promise<Sample[]> {
        this.stopped = true;
        await this.done;
        return this.samples;
    }
}

/** Counts and latency figures of samples. */
export function summary(samples: Sample[]): { total: number; ok: number; failed: number; statuses: Record<string, number>; p50Ms: number; maxMs: number } {
    const statuses: Record<string, number> = {};
    for (const s of samples) statuses[s.status] = (statuses[s.status] ?? 0) + 1;
    const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
    const ok = samples.filter((s) => s.status >= 200 && s.status < 400).length;
    return { total: samples.length, ok, failed: samples.length - ok, statuses, p50Ms: ms[Math.floor(ms.length / 2)] ?? 0, maxMs: ms[ms.length - 1] ?? 0 };
}

/**
 * A Socket.IO client as Open WebUI's frontend opens it (path /ws/socket.io, websocket transport,
 * auth token, reconnect with the frontend's backoff), through the load balancer. It records the
 * replica that accepted each websocket (nginx's X-Upstream response header on the 101), every
 * connect/disconnect, and every `events:channel` message.
 */
export class WsClient {
    readonly socket: Socket;
    upstream = "";
    readonly connects: { at: number; upstream: string }[] = [];
    readonly disconnects: { at: number; reason: string }[] = [];
    readonly channelEvents: { at: number; messageId: string; content: string }[] = [];

    constructor(
        readonly base: string,
        readonly token: string,
        origin: string,
    ) {
        // eslint-disable-next-line @typescript-eslint/no-this-alias -- the nested class's methods have their own `this`
        const self = this;
        // The ws package's WebSocket emits `upgrade` with the 101 response: read the upstream there.
        class Tracing extends NodeWebSocket {
            createSocket(uri: string, protocols: any, opts: any) {
                const ws = super.createSocket(uri, protocols, opts);
                ws.on("upgrade", (res: { headers: Record<string, string> }) => (self.upstream = String(res.headers["x-upstream"] ?? "")));
                return ws;
            }
        }
        this.socket = io(base, {
            path: "/ws/socket.io",
            transportImplementations: [Tracing],
            auth: { token },
            extraHeaders: { Origin: origin },
            reconnection: true,
            reconnectionDelay: 1000,
            reconnectionDelayMax: 5000,
            randomizationFactor: 0.5,
            timeout: 10_000,
        } as any);
        this.socket.on("connect", () => {
            this.connects.push({ at: Date.now(), upstream: this.upstream });
            // What the frontend does on every (re)connect: join its channels' rooms.
            this.socket.emit("join-channels", { auth: { token } });
        });
        this.socket.on("disconnect", (reason) => this.disconnects.push({ at: Date.now(), reason }));
        this.socket.on("events:channel", (e: any) => {
            if (e?.data?.type === "message") this.channelEvents.push({ at: Date.now(), messageId: e.message_id, content: e.data?.data?.content ?? "" });
        });
    }

    /** Waits until connected (and the join-channels round trip had time), bounded. */
    async connected(timeoutMs = 20_000): Promise<void> {
        const end = Date.now() + timeoutMs;
        while (!this.socket.connected && Date.now() < end) await sleep(50);
        if (!this.socket.connected) throw new Error(`Socket.IO client not connected after ${timeoutMs} ms (disconnects: ${JSON.stringify(this.disconnects)})`);
        await sleep(300);
    }

    /** Waits for the channel event carrying `content`; returns when it arrived, or undefined. */
    async eventFor(content: string, timeoutMs: number): Promise<number | undefined> {
        const end = Date.now() + timeoutMs;
        for (;;) {
            const e = this.channelEvents.find((x) => x.content === content);
            if (e) return e.at;
            if (Date.now() >= end) return undefined;
            await sleep(25);
        }
    }

    close(): void {
        this.socket.close();
    }
}

/** Polls paths on one replica every `everyMs` (each with `timeoutMs`) until stopped (bounded); keeps latency and status. */
export function poller(base: () => string, paths: string[], everyMs: number, timeoutMs: number) {
    const results: { at: number; path: string; status: number | string; ms: number }[] = [];
    let stop = false;
    const loops = paths.map(async (p) => {
        for (let i = 0; !stop && i < 2000; i++) {
            const s = Date.now();
            let status: number | string;
            try {
                status = (await request(`${base()}${p}`, { timeoutMs })).status;
            } catch (e) {
                status = /timeout/.test((e as Error).message) ? "timeout" : ((e as NodeJS.ErrnoException).code ?? "error");
            }
            results.push({ at: s, path: p, status, ms: Date.now() - s });
            await sleep(Math.max(0, everyMs - (Date.now() - s)));
        }
    });
    return {
        results,
        async stop() {
            stop = true;
            await Promise.all(loops);
            return results;
        },
    };
}
