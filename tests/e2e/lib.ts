// Helpers for the real-engine suite: a Pulumi project per scenario (file backend), the real
// `pulumi` CLI, and reads of the loopback API server. Every command is bounded by a timeout.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

export const ROOT = path.resolve(__dirname, "../..");
export const WORK = path.join(ROOT, ".e2e");
const RUN = process.env.E2E_RUN ?? path.join(process.env.E2E_TOOLCHAIN ?? "", "run-e2e");
export const KUBECONFIG = process.env.KUBECONFIG ?? path.join(RUN, "pki", "kubeconfig");

/** Wall times measured by the suite, printed at the end (and written to .e2e/times.json). */
export const times: { [what: string]: number } = {};

export interface Run {
    code: number;
    stdout: string;
    stderr: string;
    seconds: number;
}

export function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutSec?: number; input?: string } = {}): Run {
    const t0 = Date.now();
    const r = spawnSync(cmd, args, {
        cwd: opts.cwd ?? ROOT,
        env: { ...process.env, KUBECONFIG, ...opts.env },
        encoding: "utf8",
        timeout: (opts.timeoutSec ?? 300) * 1000,
        killSignal: "SIGTERM",
        maxBuffer: 64 * 1024 * 1024,
        input: opts.input,
    });
    const out: Run = {
        code: r.status ?? -1,
        stdout: r.stdout ?? "",
        stderr: (r.stderr ?? "") + (r.error ? `\n${r.error.message}` : ""),
        seconds: (Date.now() - t0) / 1000,
    };
    return out;
}

export function must(r: Run, what: string): Run {
    if (r.code !== 0)
        assert.fail(
            `${what} exited ${r.code} after ${r.seconds.toFixed(1)} s\n--- stdout (tail)\n${r.stdout.slice(-6000)}\n--- stderr (tail)\n${r.stderr.slice(-4000)}`,
        );
    return r;
}

export function kubectl(args: string[], timeoutSec = 60): string {
    return must(run("kubectl", args, { timeoutSec }), `kubectl ${args.join(" ")}`).stdout;
}

/** `kubectl get ... -o json`, parsed. */
export function get(args: string[]): any {
    return JSON.parse(kubectl(["get", ...args, "-o", "json"]));
}

/** Items of a kind in a namespace (empty when the namespace is gone). */
export function list(kind: string, namespace: string, selector?: string): any[] {
    const r = run("kubectl", ["get", kind, "-n", namespace, "-o", "json", ...(selector ? ["-l", selector] : [])]);
    if (r.code !== 0) return [];
    return JSON.parse(r.stdout).items;
}

/** A Pulumi project under .e2e/<name>: the program, a package.json whose main is it, and
 *  node_modules/openwebui -> the repo (its bin/), so there is one @pulumi/pulumi (the repo's). */
export class Project {
    readonly dir: string;
    readonly env: NodeJS.ProcessEnv;
    constructor(
        readonly name: string,
        files: { [file: string]: string },
        readonly stack = "e2e",
    ) {
        this.dir = path.join(WORK, name);
        fs.rmSync(this.dir, { recursive: true, force: true });
        fs.mkdirSync(path.join(this.dir, "node_modules"), { recursive: true });
        for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(this.dir, f), text);
        const nodejs = /runtime:\s*(nodejs|\n\s+name:\s*nodejs)/.test(files["Pulumi.yaml"] ?? "");
        if (nodejs && !files["package.json"])
            fs.writeFileSync(path.join(this.dir, "package.json"), JSON.stringify({ name: `e2e-${name}`, private: true, main: "index.ts" }));
        fs.symlinkSync(ROOT, path.join(this.dir, "node_modules", "openwebui"));
        const state = path.join(WORK, "state", name);
        fs.mkdirSync(state, { recursive: true });
        this.env = { PULUMI_BACKEND_URL: `file://${state}`, PULUMI_CONFIG_PASSPHRASE: "e2e", PULUMI_SKIP_UPDATE_CHECK: "true" };
        must(this.pulumiRaw(["stack", "init", stack]), "pulumi stack init");
    }

    /** From an example folder: its program and Pulumi.yaml (stack config is set by the test). */
    static fromExample(example: string, name = example): Project {
        const src = path.join(ROOT, "examples", example);
        return new Project(name, {
            "Pulumi.yaml": fs.readFileSync(path.join(src, "Pulumi.yaml"), "utf8"),
            "index.ts": fs.readFileSync(path.join(src, "index.ts"), "utf8"),
        });
    }

    private logs = 0;
    pulumiRaw(args: string[], timeoutSec = 600): Run {
        const r = this.pulumiCall(args, timeoutSec);
        fs.writeFileSync(
            path.join(this.dir, `log-${String(++this.logs).padStart(2, "0")}-${args[0]}.txt`),
            `$ pulumi ${args.join(" ")}\nexit ${r.code} in ${r.seconds} s\n${r.stdout}\n--- stderr\n${r.stderr}`,
        );
        return r;
    }

    private pulumiCall(args: string[], timeoutSec: number): Run {
        return run(
            "pulumi",
            [...args, "--non-interactive", ...((args[0] === "stack" && args[1] === "init") || args[0] === "install" ? [] : ["--stack", this.stack])],
            { cwd: this.dir, env: this.env, timeoutSec },
        );
    }

    /** Runs a pulumi command that must succeed; records its wall time under `label`. */
    pulumi(args: string[], label?: string, timeoutSec = 600): Run {
        const r = must(this.pulumiRaw(args, timeoutSec), `pulumi ${args.join(" ")} (${this.name})`);
        if (label) times[label] = r.seconds;
        return r;
    }

    config(values: { [key: string]: string | number | boolean }, secret: string[] = []): void {
        for (const [k, v] of Object.entries(values)) {
            const args = [
                "config",
                "set",
                ...(k.includes(".") || k.includes("[") ? ["--path"] : []),
                k,
                String(v),
                ...(secret.includes(k) ? ["--secret"] : []),
            ];
            this.pulumi(args);
        }
    }

    up(label?: string, extra: string[] = []): Run {
        return this.pulumi(["up", "--yes", "--skip-preview", ...extra], label);
    }

    destroy(label?: string): Run {
        return this.pulumi(["destroy", "--yes", "--skip-preview"], label);
    }
}

export const sec = (iso: string) => Date.parse(iso) / 1000;

/** The app Deployment's ReplicaSets, oldest first. */
export function appReplicaSets(namespace: string): any[] {
    return list("replicasets", namespace, "app.kubernetes.io/component=app").sort(
        (a, b) => sec(a.metadata.creationTimestamp) - sec(b.metadata.creationTimestamp),
    );
}

export function printTimes(): void {
    fs.mkdirSync(WORK, { recursive: true });
    fs.writeFileSync(path.join(WORK, "times.json"), JSON.stringify(times, null, 2));
    console.log("\n  measured wall times (s):");
    for (const [k, v] of Object.entries(times)) console.log(`    ${k.padEnd(48)} ${v.toFixed(1)}`);
}

/** Seconds `up` spent per resource kind: from the engine's event log (resource-pre -> res-outputs). */
export function waitPerKind(eventsFile: string): { [kind: string]: number } {
    const starts = new Map<string, number>();
    const per: { [kind: string]: number } = {};
    if (!fs.existsSync(eventsFile)) return per;
    for (const line of fs.readFileSync(eventsFile, "utf8").split("\n")) {
        if (!line.trim()) continue;
        const e = JSON.parse(line);
        const t = e.timestamp as number;
        if (e.resourcePreEvent) starts.set(e.resourcePreEvent.metadata.urn, t);
        const done = e.resOutputsEvent ?? e.resOpFailedEvent;
        if (done) {
            const urn = done.metadata.urn as string;
            const type = done.metadata.type as string;
            const s = starts.get(urn);
            if (s !== undefined && type.startsWith("kubernetes:"))
                per[type.replace(/^kubernetes:/, "")] = Math.max(per[type.replace(/^kubernetes:/, "")] ?? 0, t - s);
        }
    }
    return per;
}

/** kind/name of every object of the release in a namespace. */
export function inventory(ns: string): string[] {
    const kinds = [
        "deployments",
        "statefulsets",
        "jobs",
        "services",
        "secrets",
        "configmaps",
        "serviceaccounts",
        "networkpolicies",
        "poddisruptionbudgets",
        "horizontalpodautoscalers",
        "ingresses",
    ];
    return kinds.flatMap((k) => list(k, ns, "app.kubernetes.io/managed-by=pulumi").map((o) => `${o.kind}/${o.metadata.name}`)).sort();
}
