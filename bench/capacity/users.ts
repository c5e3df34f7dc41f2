// The simulated user: signed in once (a token from the admin API), its Socket.IO websocket open
// through the load balancer, then a bounded loop of what a person does in a chat: list chats, open
// one, a streamed completion (time to first token = the first SSE chunk with content), save the
// chat, think 4-6 s (seeded). Every request has a timeout; every result is recorded.
import * as crypto from "crypto";
import * as http from "http";
import { WsClient } from "../../tests/integration/lib/drills";
import { FAKE_MODEL } from "../../tests/integration/lib/fakeLlm";
import { request } from "../../tests/integration/lib/procs";
import { BenchConfig, seeded } from "./config";

export type Kind = "list" | "open" | "create" | "save" | "completion";
export type ErrorKind = "status" | "timeout" | "network";

export interface Sample {
    at: number;
    ms: number;
    kind: Kind;
    status: number;
    error?: ErrorKind;
    /** Completions: time to the first chunk with content. */
    ttftMs?: number;
}

const ORIGIN = "https://chat.example.com";
/** A chat is saved with its last messages only once it holds this many (a new chat is started). */
const MAX_MESSAGES = 20;

function errorKind(e: unknown): ErrorKind {
    return /timeout/i.test((e as Error).message) ? "timeout" : "network";
}

/** POST /api/chat/completions with stream:true, read as server-sent events. */
export function streamCompletion(base: string, token: string, body: unknown, timeoutMs: number): Promise<{ status: number; ttftMs?: number; content: string }> {
    const u = new URL(`${base}/api/chat/completions`);
    const payload = JSON.stringify(body);
    const s = Date.now();
    return new Promise((resolve, reject) => {
        const req = http.request(
            {
                hostname: u.hostname,
                port: u.port,
                path: u.pathname,
                method: "POST",
                agent: false,
                headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
            },
            (res) => {
                let buf = "";
                let content = "";
                let ttftMs: number | undefined;
                res.setEncoding("utf8");
                res.on("data", (d: string) => {
                    buf += d;
                    let i: number;
                    while ((i = buf.indexOf("\n")) >= 0) {
                        const line = buf.slice(0, i).trim();
                        buf = buf.slice(i + 1);
                        if (!line.startsWith("data:") || line === "data: [DONE]") continue;
                        try {
                            const c = JSON.parse(line.slice(5)).choices?.[0]?.delta?.content;
                            if (c) {
                                ttftMs ??= Date.now() - s;
                                content += c;
                            }
                        } catch {
                            /* not a JSON chunk */
                        }
                    }
                });
                res.on("end", () => resolve({ status: res.statusCode ?? 0, ttftMs, content }));
                res.on("error", reject);
            },
        );
        req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout ${u.pathname}`)));
        req.on("error", reject);
        req.end(payload);
    });
}

interface Chat {
    id: string;
    chat: { title: string; messages: { id: string; role: string; content: string; timestamp: number }[] };
}

export class SimUser {
    readonly samples: Sample[] = [];
    ws?: WsClient;
    wsError?: string;
    private stopped = false;
    private wake: () => void = () => undefined;
    private readonly stopSignal = new Promise<void>((r) => (this.wake = r));
    private done: Promise<void> = Promise.resolve();
    private readonly rnd: () => number;
    private readonly auth: Record<string, string>;

    constructor(
        readonly base: string,
        readonly token: string,
        readonly index: number,
        readonly cfg: BenchConfig,
    ) {
        this.rnd = seeded(cfg.seed * 100_003 + index);
        this.auth = { authorization: `Bearer ${token}` };
    }

    /** Starts after `delayMs` (users of a step arrive spread over the think time, not at once). */
    start(delayMs: number): this {
        this.done = this.pause(delayMs).then(() => this.run());
        return this;
    }

    async stop(): Promise<void> {
        this.stopped = true;
        this.wake();
        await this.done;
        this.ws?.close();
    }

    private pause(ms: number): Promise<void> {
        return Promise.race([new Promise<void>((r) => setTimeout(r, ms)), this.stopSignal]);
    }

    private async call(kind: Kind, method: string, path: string, body?: unknown): Promise<any> {
        const at = Date.now();
        try {
            const r = await request(`${this.base}${path}`, { method, headers: this.auth, body, timeoutMs: this.cfg.requestTimeoutMs });
            const ok = r.status >= 200 && r.status < 300;
            this.samples.push({ at, ms: Date.now() - at, kind, status: r.status, ...(ok ? {} : { error: "status" as const }) });
            return ok ? JSON.parse(r.body || "null") : undefined;
        } catch (e) {
            this.samples.push({ at, ms: Date.now() - at, kind, status: 0, error: errorKind(e) });
            return undefined;
        }
    }

    private async complete(messages: { role: string; content: string }[]): Promise<string | undefined> {
        const at = Date.now();
        try {
            const r = await streamCompletion(this.base, this.token, { model: FAKE_MODEL, stream: true, messages }, this.cfg.completionTimeoutMs);
            const ok = r.status === 200 && r.ttftMs !== undefined;
            this.samples.push({ at, ms: Date.now() - at, kind: "completion", status: r.status, ttftMs: r.ttftMs, ...(ok ? {} : { error: "status" as const }) });
            return ok ? r.content : undefined;
        } catch (e) {
            this.samples.push({ at, ms: Date.now() - at, kind: "completion", status: 0, error: errorKind(e) });
            return undefined;
        }
    }

    private async openOrCreate(): Promise<Chat | undefined> {
        const list: { id: string }[] | undefined = await this.call("list", "GET", "/api/v1/chats/?page=1");
        if (this.stopped) return undefined;
        if (list?.length) {
            const pick = list[Math.floor(this.rnd() * Math.min(list.length, 5))];
            const chat: Chat | undefined = await this.call("open", "GET", `/api/v1/chats/${pick.id}`);
            if (chat && (chat.chat.messages?.length ?? 0) < MAX_MESSAGES) return chat;
        }
        return this.call("create", "POST", "/api/v1/chats/new", { chat: { title: `bench ${this.index}`, messages: [] } });
    }

    private async run(): Promise<void> {
        if (this.stopped) return;
        this.ws = new WsClient(this.base, this.token, ORIGIN);
        await this.ws.connected(20_000).catch((e) => (this.wsError = (e as Error).message));
        // Bounded: at most 10,000 loops (a loop takes >= 4 s of think time).
        for (let i = 0; !this.stopped && i < 10_000; i++) {
            const chat = await this.openOrCreate();
            if (chat && !this.stopped) {
                const now = Math.floor(Date.now() / 1000);
                const user = { id: crypto.randomUUID(), role: "user", content: `question ${i} of user ${this.index}`, timestamp: now };
                const messages = [...(chat.chat.messages ?? []), user];
                const answer = await this.complete(messages.slice(-6).map((m) => ({ role: m.role, content: m.content })));
                if (answer !== undefined && !this.stopped) {
                    messages.push({ id: crypto.randomUUID(), role: "assistant", content: answer, timestamp: now });
                    await this.call("save", "POST", `/api/v1/chats/${chat.id}`, { chat: { ...chat.chat, messages } });
                }
            }
            const [lo, hi] = this.cfg.thinkMs;
            await this.pause(lo + this.rnd() * (hi - lo));
        }
    }

    /** Websocket disconnects not caused by our own close. */
    disconnects(from: number, to: number): number {
        return (this.ws?.disconnects ?? []).filter((d) => d.at >= from && d.at < to && d.reason !== "io client disconnect").length;
    }
}
