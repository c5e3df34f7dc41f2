// Property-based test (issue 23): specs generated FROM schema.json (every input leaf of the
// component, valid-ish and hostile values: wrong types, strings for booleans, huge/negative
// numbers, weird names, managed and duplicate env names, privileged containers, host paths,
// secret-looking values), for every target. Each spec is EITHER refused with a ValidationError
// whose every problem starts with a field path, before anything is registered, OR it builds and
// every Kubernetes object passes the Kubernetes schema and the restricted Pod Security level, no
// generated secret appears outside Pulumi secrets, no container has a duplicate env name, and no
// request exceeds its limit.
//
// Seeded and bounded: PROPERTY_RUNS (default 60 per target) and PROPERTY_SEED (default 42);
// the default run also stops each target after PROPERTY_TIME_MS (default 10 s), so `npm test`
// stays fast on a busy machine. PROPERTY_RUNS=1000 runs without the time limit.
import "./harness";
import * as assert from "assert";
import * as fc from "fast-check";
import { drain, registered, reset } from "./harness";
import { kubernetesObjects, validateK8sObject } from "./k8sSchema";
import { OpenWebUiCluster } from "../index";
import { ValidationError } from "../components/spec/errors";
import { parseQuantity, RESTRICTED_VOLUMES } from "../components/kubernetes/k8sRules";
import { baseSpec, Leaf, leaves, schema, setPath, Target, TARGETS, targetOf, TOKEN } from "./schemaWalk";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 60);
const SEED = Number(process.env.PROPERTY_SEED ?? 42);
const TIME_MS = process.env.PROPERTY_RUNS ? undefined : Number(process.env.PROPERTY_TIME_MS ?? 10_000);
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
/** Every generated secret carries this marker, so it can be found wherever it leaks. */
const MARK = "Zq9SECRETx";

// ---- generators -------------------------------------------------------------------------------

const hostileScalar = fc.constantFrom<unknown>(
    "",
    "false",
    "true",
    "3",
    "NaN",
    -1,
    0,
    1.5,
    1e12,
    NaN,
    Infinity,
    -Infinity,
    null,
    [],
    {},
    ["x"],
    { a: 1 },
    "a".repeat(300),
    "Weird Name!",
    "kube-system",
    "default",
    "UPPER",
    "..",
    "x\ny",
);
const secretValue = fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 6, maxLength: 12 }).map((h) => `${MARK}${h}`);

/** A plausible value for a string leaf, from its name (valid-ish: often right, sometimes not). */
function stringFor(l: Leaf): fc.Arbitrary<unknown> {
    const key = [...l.path].reverse().find((p) => p !== "[]" && p !== "{}") ?? "";
    if (/url|endpoint|uri/i.test(key))
        return fc.constantFrom("https://svc.example.com/v1", "http://svc.ns.svc:8080", "svc:80", `https://u:${MARK}pw@svc.example.com`);
    if (/hostname/i.test(key)) return fc.constantFrom("chat.example.com", "Chat.Example.com", "chat.example.com.");
    if (/image$|collectorImage/i.test(key)) return fc.constantFrom("registry.example.com/tool:1.2", "busybox", "https://x/y:1");
    if (key === "tag") return fc.constantFrom("v0.12.4", "0.12.3", "latest", "main");
    if (/secret$|apikey$/i.test(key) || l.path.includes("extraSecretEnv") || l.path.includes("exporterHeaders")) return secretValue;
    if (/name|class|namespace|secrets?$/i.test(key)) return fc.constantFrom("my-name", "a.b-c", "Bad_Name", "x".repeat(70), "kube-public");
    if (/Cidr/i.test(key)) return fc.constantFrom("10.0.0.0/28", "10.0.0.0/40");
    if (/cpu/i.test(key)) return fc.constantFrom("100m", "2", "1K", "0.5", "-1");
    if (/memory/i.test(key)) return fc.constantFrom("128Mi", "8Gi", "1G", "1 Gi", "64Mi");
    return fc.constantFrom("x", "value-1", "a b", "");
}

const containers = fc.constantFrom<Record<string, unknown>>(
    { name: "side", image: "busybox:1.37" },
    { name: "side", image: "busybox:1.37", securityContext: { privileged: true } },
    { name: "side", image: "busybox:1.37", securityContext: { allowPrivilegeEscalation: true } },
    { name: "side", image: "busybox:1.37", securityContext: { runAsUser: 0 } },
    { name: "side", image: "busybox:1.37", securityContext: { capabilities: { add: ["SYS_ADMIN"] } } },
    { name: "side", image: "busybox:1.37", securityContext: { capabilities: { drop: ["NET_RAW"] } } },
    { name: "side", image: "busybox:1.37", securityContext: { seccompProfile: { type: "Unconfined" } } },
    { name: "side", image: "busybox:1.37", securityContext: { runAsUser: 1000 } },
    { name: "side", image: "busybox:1.37", ports: [{ containerPort: 9100, hostPort: 9100 }] },
    { name: "open-webui", image: "busybox:1.37" },
    {
        name: "side",
        image: "busybox:1.37",
        env: [
            { name: "A", value: "1" },
            { name: "A", value: "2" },
        ],
    },
);
const volumes = fc.constantFrom<Record<string, unknown>>(
    { name: "extra", emptyDir: {} },
    { name: "extra", hostPath: { path: "/var/run/docker.sock" } },
    { name: "extra", secret: { secretName: "certs" } },
    { name: "extra", nfs: { server: "nfs", path: "/x" } },
    { name: "data", emptyDir: {} },
);

/** A value for a leaf: valid-ish most of the time, hostile otherwise. */
function valueFor(l: Leaf): fc.Arbitrary<unknown> {
    const last = l.path[l.path.length - 2] === "[]" ? l.path[l.path.length - 3] : l.path[l.path.length - 1];
    let good: fc.Arbitrary<unknown>;
    if (l.kind === "any") {
        good = /initContainers|sidecars/.test(l.path.join(".")) ? containers.map((c) => ({ ...c })) : /extraVolumes/.test(last) ? volumes : fc.constant({});
    } else if (l.kind === "enum") good = fc.oneof(fc.constantFrom(...l.enumValues!), fc.constant("bogus"));
    else if (l.kind === "boolean") good = fc.oneof(fc.boolean(), fc.constantFrom("false", "true"));
    else if (l.kind === "number") good = fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constantFrom(3, 20, 65, 3600, -1, 1.5, 1e12, NaN, "3"));
    else good = stringFor(l);
    return fc.oneof({ weight: 4, arbitrary: good }, { weight: 1, arbitrary: hostileScalar });
}

/** Env names: the component's own, duplicates across maps, secret-looking names with secret values. */
const envPatch = fc.constantFrom<Record<string, unknown>>(
    { extraEnv: { WEBUI_SECRET_KEY: "x" } },
    { extraEnv: { ENABLE_SIGNUP: "true" } },
    { extraEnv: { WEBUI_AUTH: "false" } },
    { extraEnv: { FOO: "1" }, extraSecretEnv: { FOO: "2" } },
    { extraEnv: { BAR: "1" }, extraSecretEnvRefs: { BAR: { name: "s", key: "k" } } },
    { extraEnv: { "BAD NAME": "1" } },
    { extraEnv: { LOG_LEVEL: "DEBUG" } },
);
const secretPatch = secretValue.chain((s) =>
    fc.constantFrom<Record<string, unknown>>(
        { extraEnv: { SEARCH_API_KEY: s } },
        { extraEnv: { DB_PASSWORD: s } },
        { extraEnv: { UPSTREAM: `https://svc:${s}@up.example.com` } },
        { extraSecretEnv: { SEARCH_TOKEN: s } },
        { rag: { embeddingApiKey: s } },
        { rag: { openaiApiKeys: [s] } },
        { oidc: { providerUrl: "https://idp.example.com/.well-known/openid-configuration", clientId: "owui", clientSecret: s } },
        { otel: { exporterEndpoint: "https://otlp.example.com:4317", exporterHeaders: { "x-api-key": s } } },
        { database: { mode: "external", maxConnections: 400, url: `postgresql://app:${s}@db.example.com:5432/owui` } },
    ),
);
const names = fc.constantFrom("chat", "owui-prod", "Chat", "chat.prod", "9lives", "x".repeat(50), "a_b");

function specArb(target: Target, pool: Leaf[]): fc.Arbitrary<{ name: string; args: any }> {
    const mutation = fc.constantFrom(...pool).chain((l) => valueFor(l).map((v) => [l, v] as const));
    return fc
        .record({
            name: fc.oneof({ weight: 5, arbitrary: fc.constant("chat") }, { weight: 1, arbitrary: names }),
            mutations: fc.array(mutation, { minLength: 0, maxLength: 3 }),
            env: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: envPatch }),
            secret: fc.oneof({ weight: 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: secretPatch }),
        })
        .map(({ name, mutations, env, secret }) => {
            let args = baseSpec(target);
            for (const [l, v] of mutations) args = setPath(args, l.path, v);
            for (const patch of [env, secret])
                for (const [k, v] of Object.entries(patch ?? {}))
                    args[k] = { ...(typeof args[k] === "object" && !Array.isArray(args[k]) ? args[k] : {}), ...(v as object) };
            return { name, args };
        });
}

// ---- checks ------------------------------------------------------------------------------------

const TOP = Object.keys(schema.resources[TOKEN].inputProperties);
const FIELD = new RegExp(`^(name|${TOP.join("|")})([.\\[/:]|$)`);

/** Every string in the raw inputs outside Pulumi secrets. */
function plainStrings(v: any, out: string[] = []): string[] {
    if (typeof v === "string") out.push(v);
    else if (Array.isArray(v)) v.forEach((x) => plainStrings(x, out));
    else if (v && typeof v === "object" && v[SECRET_SIG] === undefined) Object.entries(v).forEach(([k, x]) => (out.push(k), plainStrings(x, out)));
    return out;
}

const POD_KINDS: Record<string, (o: any) => any> = {
    Deployment: (o) => o.spec?.template?.spec,
    StatefulSet: (o) => o.spec?.template?.spec,
    DaemonSet: (o) => o.spec?.template?.spec,
    Job: (o) => o.spec?.template?.spec,
    CronJob: (o) => o.spec?.jobTemplate?.spec?.template?.spec,
};

/** The restricted Pod Security Standard's rules over one pod spec (kubernetes.io/docs/concepts/security/pod-security-standards). */
export function restrictedViolations(pod: any): string[] {
    const v: string[] = [];
    const psc = pod.securityContext ?? {};
    for (const h of ["hostNetwork", "hostPID", "hostIPC"]) if (pod[h]) v.push(`${h}`);
    for (const vol of pod.volumes ?? []) {
        const kinds = Object.keys(vol).filter((k) => k !== "name");
        if (kinds.some((k) => !RESTRICTED_VOLUMES.includes(k))) v.push(`volume ${vol.name}: ${kinds.join(",")}`);
    }
    if (psc.runAsUser === 0) v.push("pod runAsUser 0");
    if (psc.seccompProfile && !["RuntimeDefault", "Localhost"].includes(psc.seccompProfile.type)) v.push("pod seccomp");
    if ((psc.sysctls ?? []).length) v.push("sysctls");
    for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? []), ...(pod.ephemeralContainers ?? [])]) {
        const sc = c.securityContext ?? {};
        const at = `container ${c.name}`;
        if (sc.privileged) v.push(`${at}: privileged`);
        if (sc.allowPrivilegeEscalation !== false) v.push(`${at}: allowPrivilegeEscalation not false`);
        if (!(sc.capabilities?.drop ?? []).includes("ALL")) v.push(`${at}: capabilities.drop lacks ALL`);
        if ((sc.capabilities?.add ?? []).some((x: string) => x !== "NET_BIND_SERVICE")) v.push(`${at}: capabilities.add`);
        if (sc.runAsNonRoot === false || (sc.runAsNonRoot !== true && psc.runAsNonRoot !== true)) v.push(`${at}: runAsNonRoot`);
        if (sc.runAsUser === 0) v.push(`${at}: runAsUser 0`);
        const seccomp = sc.seccompProfile?.type ?? psc.seccompProfile?.type;
        if (!["RuntimeDefault", "Localhost"].includes(seccomp)) v.push(`${at}: seccomp ${seccomp}`);
        if (sc.procMount && sc.procMount !== "Default") v.push(`${at}: procMount`);
        if ((c.ports ?? []).some((p: any) => p.hostPort)) v.push(`${at}: hostPort`);
    }
    return v;
}

function containerProblems(pod: any): string[] {
    const out: string[] = [];
    for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
        const seen = new Set<string>();
        for (const e of c.env ?? []) {
            if (seen.has(e.name)) out.push(`container ${c.name}: duplicate env ${e.name}`);
            seen.add(e.name);
        }
        for (const r of ["cpu", "memory"]) {
            const req = parseQuantity(c.resources?.requests?.[r]),
                lim = parseQuantity(c.resources?.limits?.[r]);
            if (req !== undefined && lim !== undefined && req > lim)
                out.push(`container ${c.name}: ${r} request ${c.resources.requests[r]} > limit ${c.resources.limits[r]}`);
        }
    }
    return out;
}

/** The property for one generated spec; returns "refused" or "built". */
async function holds({ name, args }: { name: string; args: any }): Promise<"refused" | "built"> {
    reset();
    let error: unknown;
    try {
        new OpenWebUiCluster(name, args);
    } catch (e) {
        error = e;
    }
    if (error !== undefined) {
        if (!(error instanceof ValidationError)) throw new Error(`not a ValidationError: ${(error as Error)?.stack ?? error}`);
        for (const p of error.problems) assert.match(p, FIELD, `a problem that does not start with a field path: ${p}`);
        assert.ok(!error.message.includes(MARK), `the message repeats a secret:\n${error.message}`);
        await drain();
        assert.strictEqual(registered.length, 0, `registered before the refusal: ${registered.map((r) => r.name).join(", ")}`);
        return "refused";
    }
    await drain();
    const problems: string[] = [];
    for (const r of registered) {
        if (r.type === "openwebui:index:OpenWebUiCluster") continue;
        const leaked = plainStrings(r.inputs).find((s) => s.includes(MARK));
        if (leaked !== undefined) problems.push(`${r.type} ${r.name}: a generated secret outside Pulumi secrets: ${leaked.slice(0, 80)}`);
    }
    for (const o of kubernetesObjects(registered)) {
        await validateK8sObject(o).catch((e) => problems.push(`schema: ${(e as Error).message.slice(0, 300)}`));
        const pod = POD_KINDS[o.kind]?.(o);
        if (!pod) continue;
        for (const v of [...restrictedViolations(pod), ...containerProblems(pod)]) problems.push(`${o.kind} ${o.metadata?.name}: ${v}`);
    }
    assert.deepStrictEqual(problems, [], `built, but:\n${problems.join("\n")}`);
    return "built";
}

describe(`property: generated specs are refused by field before registering, or build valid, restricted, secret-safe objects (seed ${SEED}, ${RUNS} runs per target${TIME_MS ? `, at most ${TIME_MS / 1000} s each` : ""})`, function () {
    this.timeout(300_000);
    const all = leaves();
    for (const target of TARGETS) {
        it(`target ${target}`, async () => {
            const pool = all.filter((l) => (targetOf(l) ?? target) === target && l.path[0] !== "target");
            const seen = { refused: 0, built: 0 };
            await fc.assert(
                fc.asyncProperty(specArb(target, pool), async (s) => {
                    seen[await holds(s)]++;
                }),
                { seed: SEED, numRuns: RUNS, endOnFailure: true, ...(TIME_MS ? { interruptAfterTimeLimit: TIME_MS } : {}) },
            );
            if (process.env.PROPERTY_VERBOSE) console.log(`    ${target}: ${JSON.stringify(seen)}`);
            // Both outcomes are exercised (a generator that only produces refusals tests nothing).
            assert.ok(seen.refused > 0 && seen.built > 0, JSON.stringify(seen));
        });
    }

    it("the restricted checker catches what it is for (control)", () => {
        const ok = {
            securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
            containers: [{ name: "a", securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } } }],
        };
        assert.deepStrictEqual(restrictedViolations(ok), []);
        assert.ok(restrictedViolations({ ...ok, volumes: [{ name: "h", hostPath: { path: "/" } }] }).length);
        assert.ok(restrictedViolations({ ...ok, containers: [{ name: "a", securityContext: { privileged: true } }] }).length);
    });
});
