// Command line of `openwebui plan`: usage text and flags (util.parseArgs).
import * as fs from "fs";
import * as util from "util";
import { UsageError } from "./config";
import type { PlanOptions } from "./planTypes";

// ---------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------

export const USAGE = `usage: openwebui plan <program dir> [options]

Evaluates a Pulumi program offline (mock runtime, preview semantics; no Pulumi CLI, no credentials),
prints the resource tree, writes every Kubernetes object as YAML and runs the openwebui-ha policy pack.

options:
  --stack <name>            stack config Pulumi.<name>.yaml (default: first Pulumi.*.yaml of the dir)
  --config <key=value>      config override (repeatable; key without namespace = project namespace)
  --path, --config-path     --config keys are property paths: --path --config spec.replicas.max=12
                            (as pulumi config set --path / pulumi preview --config-path)
  --transpile-only          do not type-check a TypeScript program (as PULUMI_NODEJS_TRANSPILE_ONLY=true)
  --out <dir>               Kubernetes YAML output directory (default: ./plan-out/<project>)
  --no-out                  do not write YAML
  --invoke-answers <file>   JSON {"<invoke token>": {result}} for invokes the program makes
  --policy-config <file>    policy pack config JSON, e.g. {"owui-pods-non-root": "advisory"}
  --no-policy               skip the policy pack
  --json                    machine-readable output on stdout
  -h, --help                this help

exit codes: 0 ok, 1 mandatory policy violations, 2 program error, 64 usage error`;

export interface Io {
    stdout: (s: string) => void;
    stderr: (s: string) => void;
    isTTY: boolean;
}

/** util.parseArgs options: the flags of USAGE (Node 20 has no `allowNegative`, so the --no-* flags are their own booleans). */
const FLAGS = {
    help: { type: "boolean", short: "h" },
    stack: { type: "string", short: "s" },
    config: { type: "string", short: "c", multiple: true },
    path: { type: "boolean" },
    "config-path": { type: "boolean" },
    "transpile-only": { type: "boolean" },
    out: { type: "string" },
    "no-out": { type: "boolean" },
    "invoke-answers": { type: "string" },
    "policy-config": { type: "string" },
    "no-policy": { type: "boolean" },
    json: { type: "boolean" },
} as const;

export function parseArgs(argv: string[]): { opts: PlanOptions; json: boolean; help: boolean } {
    let parsed: ReturnType<typeof util.parseArgs<{ options: typeof FLAGS; allowPositionals: true }>>;
    try {
        parsed = util.parseArgs({ args: argv[0] === "plan" ? argv.slice(1) : argv, options: FLAGS, allowPositionals: true, strict: true });
    } catch (e) {
        // ERR_PARSE_ARGS_UNKNOWN_OPTION / _INVALID_OPTION_VALUE: Node's message names the flag.
        const m = /^Unknown option '([^']+)'/.exec((e as Error).message);
        throw new UsageError(m ? `unknown option ${m[1]} (see --help)` : (e as Error).message);
    }
    const v = parsed.values;
    const readJson = (flag: string, file: string) => {
        try {
            return JSON.parse(fs.readFileSync(file, "utf8"));
        } catch (e) {
            throw new UsageError(`${flag} ${file}: ${(e as Error).message}`);
        }
    };
    if (v.out !== undefined && v["no-out"]) throw new UsageError("--out and --no-out exclude each other");
    if (parsed.positionals.length > 1)
        throw new UsageError(`one program directory expected, got ${parsed.positionals.map((x) => JSON.stringify(x)).join(" and ")}`);
    const opts: PlanOptions = {
        programDir: parsed.positionals[0] ?? "",
        config: v.config ?? [],
        stack: v.stack,
        configPath: v.path || v["config-path"] || undefined,
        transpileOnly: v["transpile-only"] || undefined,
        out: v["no-out"] ? false : v.out,
        invokeAnswers: v["invoke-answers"] !== undefined ? readJson("--invoke-answers", v["invoke-answers"]) : undefined,
        policyConfig: v["policy-config"] !== undefined ? readJson("--policy-config", v["policy-config"]) : undefined,
        noPolicy: v["no-policy"] || undefined,
    };
    for (const k of Object.keys(opts) as (keyof PlanOptions)[]) if (opts[k] === undefined) delete opts[k];
    const help = !!v.help;
    if (!opts.programDir && !help) throw new UsageError("missing <program dir>");
    return { opts, json: !!v.json, help };
}
