// Integration: the in-cluster object store (kubernetes target, storage inCluster), run for real
// (issue 12 #5). A real SeaweedFS (`weed`, built from the Go module proxy by setup.sh) is started
// with the exact args the component's StatefulSet emits and the identities file from its Secret;
// then the bucket Job's exact command runs against it under strace, which records every TCP
// connection `weed shell` makes. The test asserts the Job succeeds and creates the bucket, and
// that every port it connects to is one the objects NetworkPolicy admits (and the master port it
// dials through the Service is one the Service carries). Only what differs on a laptop is changed:
// the data dir and config path (temp files), and the bind address (127.0.0.1 instead of 0.0.0.0).
import "../harness"; // setMocks first
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ofType, one, reset, settle } from "../harness";
import { OpenWebUiCluster } from "../../index";
import { CloudTarget } from "../../components/args/types";
import { IT_HOME, cleanupAll, run, startProcess, stopProcess, tail, tempDir, Tracked, waitFor } from "./lib/procs";
import * as net from "net";

const WEED = process.env.IT_WEED ?? path.join(IT_HOME, "weed");

function portOpen(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const s = net.connect({ host: "127.0.0.1", port });
        s.once("connect", () => (s.destroy(), resolve(true)));
        s.once("error", () => resolve(false));
        s.setTimeout(1000, () => (s.destroy(), resolve(false)));
    });
}

interface EmittedObjectStore {
    serverArgs: string[];
    identities: string;
    jobCommand: string[];
    jobEnv: Record<string, string>;
    networkPolicyPorts: number[];
    servicePorts: number[];
    containerPorts: number[];
}

async function emitObjectStore(): Promise<EmittedObjectStore> {
    reset();
    new OpenWebUiCluster("itobj", { target: CloudTarget.Kubernetes, hostname: "chat.example.com", otel: { enabled: false } });
    await settle();
    const sts = ofType("kubernetes:apps/v1:StatefulSet").find((s) => s.plain.metadata.labels?.["app.kubernetes.io/component"] === "objects");
    if (!sts) throw new Error("no objects StatefulSet");
    const ctr = sts.plain.spec.template.spec.containers[0];
    const secretName = sts.plain.spec.template.spec.volumes.find((v: any) => v.name === "s3-config").secret.secretName;
    const secret = ofType("kubernetes:core/v1:Secret").find((s) => s.plain.metadata.name === secretName)!;
    const job = one("kubernetes:batch/v1:Job", "-objects-bucket").plain.spec.template.spec.containers[0];
    const np = ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy").find(
        (p) => p.plain.spec.podSelector.matchLabels?.["app.kubernetes.io/component"] === "objects",
    );
    if (!np) throw new Error("no NetworkPolicy for the objects pod");
    const svc = ofType("kubernetes:core/v1:Service").find((s) => s.plain.spec.selector?.["app.kubernetes.io/component"] === "objects")!;
    return {
        serverArgs: [ctr.command[0], ...ctr.args],
        identities: secret.plain.stringData["s3.json"],
        jobCommand: job.command,
        jobEnv: Object.fromEntries(job.env.map((e: any) => [e.name, String(e.value)])),
        networkPolicyPorts: np.plain.spec.ingress.flatMap((r: any) => r.ports.map((p: any) => p.port)),
        servicePorts: svc.plain.spec.ports.map((p: any) => p.port),
        containerPorts: ctr.ports.map((p: any) => p.containerPort),
    };
}

/** Destination ports of every IPv4 connect() in an `strace -f -e trace=connect` log. */
function connectedPorts(log: string): number[] {
    const ports = new Set<number>();
    for (const m of log.matchAll(/connect\(\d+, \{sa_family=AF_INET, sin_port=htons\((\d+)\), sin_addr=inet_addr\("127\.0\.0\.1"\)\}/g))
        ports.add(Number(m[1]));
    return [...ports].sort((a, b) => a - b);
}

describe("in-cluster SeaweedFS: the bucket Job's command against a real weed server, every connection inside the NetworkPolicy", function () {
    this.timeout(300_000);
    let emitted: EmittedObjectStore;
    let server: Tracked | undefined;
    let connectLog = "";
    let jobExit: number | null = null;
    let jobOut = "";

    before(async function () {
        if (!fs.existsSync(WEED)) {
            if (process.env.CI === "true") throw new Error(`${WEED} missing: tests/integration/setup.sh builds it`);
            this.skip();
        }
        emitted = await emitObjectStore();
        const dir = tempDir("seaweedfs");
        fs.mkdirSync(path.join(dir, "data"));
        fs.writeFileSync(path.join(dir, "s3.json"), emitted.identities);
        const [cmd, ...args] = emitted.serverArgs;
        assert.strictEqual(cmd, "weed");
        const local = args.map((a) =>
            a === "-dir=/data"
                ? `-dir=${path.join(dir, "data")}`
                : a === "-s3.config=/etc/seaweedfs/s3.json"
                  ? `-s3.config=${path.join(dir, "s3.json")}`
                  : a === "-ip.bind=0.0.0.0"
                    ? "-ip.bind=127.0.0.1"
                    : a,
        );
        assert.ok(local.includes("-ip.bind=127.0.0.1"), `emitted args changed: ${args.join(" ")}`);
        server = startProcess("weed-server", WEED, [...local, "-ip=127.0.0.1"], { env: { PATH: process.env.PATH, HOME: dir }, cwd: dir });
        // Ready as the StatefulSet's readiness probe says (S3 port open), plus the filer the shell needs.
        await waitFor(
            "weed S3 and filer up",
            async () => (await portOpen(8333)) && (await portOpen(8888)),
            120_000,
            500,
            () => (server!.exited ? `weed exited: ${tail(server!.logFile)}` : undefined),
        );
        const trace = path.join(dir, "connect.trace");
        const r = run("strace", ["-f", "-qq", "-e", "trace=connect", "-o", trace, ...emitted.jobCommand], {
            env: {
                PATH: `${path.dirname(WEED)}:${process.env.PATH}`,
                HOME: dir,
                TMPDIR: dir,
                ...emitted.jobEnv,
                MASTER: emitted.jobEnv.MASTER.replace(/^[^:]+/, "127.0.0.1"),
            },
            cwd: dir,
            timeoutMs: 120_000,
            check: false,
        });
        jobExit = r.status;
        jobOut = `${r.stdout}\n${r.stderr}`;
        connectLog = fs.existsSync(trace) ? fs.readFileSync(trace, "utf8") : "";
    });

    after(async () => {
        if (server) await stopProcess(server);
        await cleanupAll();
    });

    it("the Job's command succeeds and the bucket exists (listed by the server)", () => {
        assert.strictEqual(jobExit, 0, jobOut);
        const list = run("sh", ["-c", `echo s3.bucket.list | ${WEED} shell -master=127.0.0.1:9333`], { check: false, timeoutMs: 60_000 });
        assert.match(list.stdout, new RegExp(`\\b${emitted.jobEnv.BUCKET}\\b`), list.stdout + list.stderr);
    });

    it("every port the Job connects to is admitted by the objects NetworkPolicy and exposed by the container", () => {
        const ports = connectedPorts(connectLog);
        assert.ok(ports.length > 0, `no connections recorded:\n${connectLog.slice(0, 2000)}`);
        const refused = ports.filter((p) => !emitted.networkPolicyPorts.includes(p));
        assert.deepStrictEqual(refused, [], `the Job connects to ${ports.join(", ")}; the NetworkPolicy admits ${emitted.networkPolicyPorts.join(", ")}`);
        const unexposed = ports.filter((p) => !emitted.containerPorts.includes(p));
        assert.deepStrictEqual(unexposed, [], `container ports ${emitted.containerPorts.join(", ")}`);
        // The master it dials by the Service name (MASTER=<service>:9333) and its gRPC port.
        for (const p of [9333, 19333].filter((x) => ports.includes(x)))
            assert.ok(emitted.servicePorts.includes(p), `Service ports ${emitted.servicePorts.join(", ")}`);
        console.log(`      (weed shell connected to ports ${ports.join(", ")}; NetworkPolicy admits ${emitted.networkPolicyPorts.join(", ")})`);
    });
});
