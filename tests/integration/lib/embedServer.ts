// A loopback OpenAI-compatible embedding server (POST /v1/embeddings): deterministic bag-of-words
// vectors (each word hashed into one of `dim` buckets, L2-normalised), so the same text gets the same
// vector in the source instance, in the importer and in the HA replicas, and retrieval is meaningful.
import * as crypto from "crypto";
import * as http from "http";
import { AddressInfo } from "net";

export class EmbedServer {
    port = 0;
    requests = 0;
    private server?: http.Server;
    constructor(readonly dim = 1536) {}

    vector(text: string): number[] {
        const v = new Array<number>(this.dim).fill(0);
        for (const w of text
            .toLowerCase()
            .split(/[^a-z0-9]+/)
            .filter(Boolean)) {
            v[crypto.createHash("sha1").update(w).digest().readUInt32BE(0) % this.dim] += 1;
        }
        const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
        return v.map((x) => x / norm);
    }

    async start(): Promise<void> {
        this.server = http.createServer((req, res) => {
            const chunks: Buffer[] = [];
            req.on("data", (c: Buffer) => chunks.push(c));
            req.on("end", () => {
                this.requests++;
                if (req.method !== "POST" || !/\/embeddings$/.test(req.url ?? "")) {
                    res.writeHead(404).end("{}");
                    return;
                }
                const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
                const inputs: string[] = Array.isArray(body.input) ? body.input : [body.input ?? ""];
                const data = inputs.map((t, index) => ({ object: "embedding", index, embedding: this.vector(String(t)) }));
                res.writeHead(200, { "content-type": "application/json" }).end(
                    JSON.stringify({ object: "list", data, model: body.model ?? "fake", usage: { prompt_tokens: 0, total_tokens: 0 } }),
                );
            });
        });
        await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", () => r()));
        this.port = (this.server.address() as AddressInfo).port;
    }

    get baseUrl(): string {
        return `http://127.0.0.1:${this.port}/v1`;
    }

    async stop(): Promise<void> {
        await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    }
}
