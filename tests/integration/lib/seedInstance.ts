// A real single-instance Open WebUI on SQLite (DATA_DIR in a temp dir, its own .webui_secret_key),
// filled through its own HTTP API the way users fill it: admin + users, a group, chats with several
// messages, uploaded files, a knowledge base (embedded by the loopback embedding server), models,
// prompts, tools, functions, feedback, a channel with messages, notes, admin settings. Then SIGTERM.
import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { OpenWebUi, startOpenWebUi, stopOpenWebUi } from "./openwebui";
import { request } from "./procs";

export interface SeededUser {
    email: string;
    password: string;
    token: string;
    id: string;
    chats: { id: string; title: string; contents: string[] }[];
}
export interface SeededFile {
    id: string;
    name: string;
    sha256: string;
    size: number;
    owner: string;
}
export interface Seeded {
    version: string;
    dataDir: string;
    admin: SeededUser;
    users: SeededUser[];
    files: SeededFile[];
    kbId: string;
    query: string;
    sources: string[];
    settings: Record<string, unknown>;
    channelId: string;
    channelMessages: string[];
    noteTitles: string[];
    ids: { group: string; model: string; prompt: string; tool: string; func: string };
}

const KB_DOCS: Record<string, string> = {
    "volcanoes.txt": "Volcanoes erupt magma lava ash. Basalt andesite rhyolite calderas and fumaroles shape volcanic islands.",
    "glaciers.txt": "Glaciers carve valleys moraines cirques. Ice sheets calve icebergs and striations record glacial flow.",
    "deserts.txt": "Deserts hold dunes ergs wadis. Sandstorms and oases define arid climates with little rainfall.",
};

async function api(base: string, token: string, method: string, p: string, body?: unknown): Promise<any> {
    const r = await request(`${base}${p}`, { method, headers: token ? { authorization: `Bearer ${token}` } : {}, body, timeoutMs: 60_000 });
    assert.strictEqual(r.status, 200, `${method} ${p}: ${r.status} ${r.body.slice(0, 400)}`);
    return r.body ? JSON.parse(r.body) : undefined;
}

/** multipart/form-data upload of one file (POST /api/v1/files/). */
export async function uploadFile(base: string, token: string, name: string, data: Buffer, process: boolean): Promise<any> {
    const boundary = `----it${crypto.randomBytes(8).toString("hex")}`;
    const body = Buffer.concat([
        Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${name.endsWith(".txt") ? "text/plain" : "application/octet-stream"}\r\n\r\n`,
        ),
        data,
        Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const q = process ? "?process=true&process_in_background=false" : "?process=false";
    const r = await request(`${base}/api/v1/files/${q}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": `multipart/form-data; boundary=${boundary}`, "content-length": String(body.length) },
        body,
        timeoutMs: 120_000,
    });
    assert.strictEqual(r.status, 200, `upload ${name}: ${r.status} ${r.body.slice(0, 400)}`);
    return JSON.parse(r.body);
}

function chatBody(title: string, contents: string[]) {
    const messages: Record<string, any> = {};
    let parent: string | null = null;
    const list = contents.map((content, i) => {
        const id = crypto.randomUUID();
        const m = {
            id,
            parentId: parent,
            childrenIds: [] as string[],
            role: i % 2 ? "assistant" : "user",
            content,
            timestamp: 1_760_000_000 + i,
            ...(i % 2 ? { model: "mig-model", done: true } : { models: ["mig-model"] }),
        };
        if (parent) messages[parent].childrenIds.push(id);
        messages[id] = m;
        parent = id;
        return m;
    });
    return { chat: { title, models: ["mig-model"], messages: list, history: { currentId: parent, messages } } };
}

/**
 * Retrieval as the UI's knowledge query does it: for each query (`|`-separated), the file id of the
 * top chunk (k=1: the unrelated documents tie at similarity 0, and ties order differently per store).
 */
export async function querySources(base: string, token: string, kbId: string, query: string): Promise<string[]> {
    const out: string[] = [];
    for (const q of query.split("|")) {
        const r = await api(base, token, "POST", "/api/v1/retrieval/query/collection", { collection_names: [kbId], query: q, k: 1 });
        out.push(...(r.metadatas?.[0] ?? []).map((m: any) => String(m.file_id ?? m.source ?? m.name)));
    }
    return out;
}

export async function seedInstance(version: string, env: Record<string, string>, venv?: string): Promise<Seeded> {
    const o: OpenWebUi = await startOpenWebUi(`src-${version}`, env, { venv });
    const b = o.base;
    const adminPw = "Old-Adm1n-Passw0rd!";
    const su = await api(b, "", "POST", "/api/v1/auths/signup", { name: "Old Admin", email: "admin@old.example.com", password: adminPw });
    const admin: SeededUser = { email: "admin@old.example.com", password: adminPw, token: su.token, id: su.id, chats: [] };
    const cfg = await api(b, admin.token, "GET", "/api/v1/auths/admin/config");
    const settings = { ...cfg, ENABLE_CHANNELS: true, ENABLE_NOTES: true, DEFAULT_USER_ROLE: "user", ENABLE_COMMUNITY_SHARING: false, JWT_EXPIRES_IN: "30d" };
    await api(b, admin.token, "POST", "/api/v1/auths/admin/config", settings);
    const users: SeededUser[] = [];
    for (let i = 0; i < 2; i++) {
        const email = `user${i}@old.example.com`;
        const password = `Us3r-${i}-Passw0rd!`;
        const u = await api(b, admin.token, "POST", "/api/v1/auths/add", { name: `User ${i}`, email, password, role: "user" });
        users.push({ email, password, token: u.token, id: u.id, chats: [] });
    }
    const group = await api(b, admin.token, "POST", "/api/v1/groups/create", { name: "migrators", description: "moved with the data" });
    await api(b, admin.token, "POST", `/api/v1/groups/id/${group.id}/users/add`, { user_ids: users.map((u) => u.id) });
    for (const u of [admin, ...users]) {
        await api(b, u.token, "POST", "/api/v1/users/user/settings/update", { ui: { theme: "dark", migrated: u.email } });
        for (let c = 0; c < 3; c++) {
            const contents = Array.from({ length: 4 }, (_, k) => `${u.email} chat ${c} message ${k} ${'é✓ "quoted" \\ back'.slice(0, (k * 7) % 20)}`);
            const title = `${version} chat ${c} of ${u.email}`;
            const r = await api(b, u.token, "POST", "/api/v1/chats/new", chatBody(title, contents));
            u.chats.push({ id: r.id, title, contents });
        }
    }
    const files: SeededFile[] = [];
    const bin = crypto.randomBytes(300 * 1024);
    const up = await uploadFile(b, users[0].token, "random blob.bin", bin, false);
    files.push({ id: up.id, name: "random blob.bin", sha256: crypto.createHash("sha256").update(bin).digest("hex"), size: bin.length, owner: users[0].token });
    const kb = await api(b, admin.token, "POST", "/api/v1/knowledge/create", { name: "geo", description: "earth science" });
    for (const [name, text] of Object.entries(KB_DOCS)) {
        const data = Buffer.from(text);
        const f = await uploadFile(b, admin.token, name, data, true);
        files.push({ id: f.id, name, sha256: crypto.createHash("sha256").update(data).digest("hex"), size: data.length, owner: admin.token });
        await api(b, admin.token, "POST", `/api/v1/knowledge/${kb.id}/file/add`, { file_id: f.id });
    }
    const query = "calderas basalt magma|moraines icebergs glacial|dunes oases rainfall";
    const sources = await querySources(b, admin.token, kb.id, query);
    assert.ok(sources.length === 3 && new Set(sources).size === 3, `${version}: the knowledge query found nothing before the import`);
    await api(b, admin.token, "POST", "/api/v1/models/create", {
        id: "mig-model",
        base_model_id: "gpt-4o",
        name: "Migrated model",
        meta: { description: "kept" },
        params: { temperature: 0.2 },
    });
    await api(b, admin.token, "POST", "/api/v1/prompts/create", {
        command: "mig",
        name: "Migrated prompt",
        title: "Migrated prompt",
        content: "Summarise {{CLIPBOARD}}",
    });
    await api(b, admin.token, "POST", "/api/v1/tools/create", {
        id: "mig_tool",
        name: "Migrated tool",
        content: 'class Tools:\n    def ping(self) -> str:\n        """Answer pong."""\n        return "pong"\n',
        meta: { description: "pong" },
    });
    await api(b, admin.token, "POST", "/api/v1/functions/create", {
        id: "mig_filter",
        name: "Migrated filter",
        content: "class Filter:\n    def inlet(self, body: dict) -> dict:\n        return body\n",
        meta: { description: "pass-through" },
    });
    await api(b, users[0].token, "POST", "/api/v1/evaluations/feedback", {
        type: "rating",
        data: { rating: 1, model_id: "mig-model", reason: "good" },
        meta: { chat_id: users[0].chats[0].id },
        snapshot: { chat: {} },
    });
    const ch = await api(b, admin.token, "POST", "/api/v1/channels/create", { name: `migrated-${version.replace(/\./g, "-")}` });
    const channelMessages = ["first channel message", "second channel message"];
    for (const m of channelMessages) await api(b, admin.token, "POST", `/api/v1/channels/${ch.id}/messages/post`, { content: m });
    const noteTitles = ["Migrated note"];
    await api(b, users[1].token, "POST", "/api/v1/notes/create", { title: noteTitles[0], data: { content: { md: "note body ✓" } } });
    await stopOpenWebUi(o);
    assert.ok(fs.existsSync(path.join(o.dataDir, "webui.db")), "no webui.db");
    return {
        version,
        dataDir: o.dataDir,
        admin,
        users,
        files,
        kbId: kb.id,
        query,
        sources,
        settings,
        channelId: ch.id,
        channelMessages,
        noteTitles,
        ids: { group: group.id, model: "mig-model", prompt: "mig", tool: "mig_tool", func: "mig_filter" },
    };
}
