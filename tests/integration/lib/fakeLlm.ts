// A loopback OpenAI-compatible LLM for the drills and the capacity bench: GET /v1/models lists one
// model; POST /v1/chat/completions answers `tokens` tokens, streamed as server-sent events at
// `tokensPerSecond` (as a real model streams) or in one JSON body. Counts what it served.
import * as http from "http";
import { AddressInfo } from "net";

export const FAKE_MODEL = "fake-llm";

export class FakeLlm {
    port = 0;
    completions = 0;
    /** Completions whose client went away before the last token. */
    aborted = 0;
    private server?: http.Server;
    private readonly open = new Set<http.ServerResponse>();

    constructor(readonly opts: { tokens: number; tokensPerSecond: number } = { tokens: 20, tokensPerSecond: 200 }) {}

    async start(): Promise<void> {
        this.server = http.createServer((req, res) => {
            const chunks: Buffer[] = [];
            req.on("data", (c: Buffer) => chunks.push(c));
            req.on("end", () => this.handle(req, res, Buffer.concat(chunks).toString("utf8")));
        });
        this.server.keepAliveTimeout = 60_000;
        await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", () => r()));
        this.port = (this.server.address() as AddressInfo).port;
    }

    get baseUrl(): string {
        return `http://127.0.0.1:${this.port}/v1`;
    }

    private handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string): void {
        const url = req.url ?? "";
        if (req.method === "GET" && /\/models$/.test(url)) {
            res.writeHead(200, { "content-type": "application/json" }).end(
                JSON.stringify({ object: "list", data: [{ id: FAKE_MODEL, object: "model", created: 0, owned_by: "drill" }] }),
            );
            return;
        }
        if (req.method !== "POST" || !/\/chat\/completions$/.test(url)) {
            res.writeHead(404, { "content-type": "application/json" }).end("{}");
            return;
        }
        let body: { stream?: boolean; model?: string };
        try {
            body = JSON.parse(raw || "{}");
        } catch {
            res.writeHead(400).end("{}");
            return;
        }
        this.completions++;
        const id = `chatcmpl-${this.completions}`;
        const model = body.model ?? FAKE_MODEL;
        const words = Array.from({ length: this.opts.tokens }, (_, i) => `w${i} `);
        if (!body.stream) {
            res.writeHead(200, { "content-type": "application/json" }).end(
                JSON.stringify({
                    id,
                    object: "chat.completion",
                    created: Math.floor(Date.now() / 1000),
                    model,
                    choices: [{ index: 0, message: { role: "assistant", content: words.join("") }, finish_reason: "stop" }],
                    usage: { prompt_tokens: 10, completion_tokens: words.length, total_tokens: 10 + words.length },
                }),
            );
            return;
        }
        res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
        this.open.add(res);
        const chunk = (delta: object, finish: string | null) =>
            `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
        let i = 0;
        const every = Math.max(1, Math.round(1000 / this.opts.tokensPerSecond));
        res.write(chunk({ role: "assistant", content: "" }, null));
        const timer = setInterval(() => {
            if (res.destroyed) {
                clearInterval(timer);
                this.open.delete(res);
                this.aborted++;
                return;
            }
            if (i < words.length) {
                res.write(chunk({ content: words[i++] }, null));
                return;
            }
            clearInterval(timer);
            res.end(`${chunk({}, "stop")}data: [DONE]\n\n`);
            this.open.delete(res);
        }, every);
    }

    async stop(): Promise<void> {
        for (const r of this.open) r.destroy();
        await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    }
}
