// Planning capacity: the per-replica figure the component writes on its HPA (sizing.ts, measured by
// `npm run bench -- capacity`) and what `openwebui plan` prints from it beside the cost estimate.
import "./harness";
import * as assert from "assert";
import * as path from "path";
import { ofType, reset, settle } from "./harness";
import { OpenWebUiCluster } from "../index";
import { CloudTarget, SizePreset } from "../components/args/types";
import { EVENT_LOOP_CORES, PLANNING_USERS_ANNOTATION, PLANNING_USERS_PER_CPU, POOL_CHURN_ANNOTATION, planningUsersPerReplica } from "../components/spec/sizing";
import { plan, renderText } from "../cli/plan";

const ROOT = path.join(__dirname, "..");

describe("planning capacity (users per replica, measured per size preset)", () => {
    it("every preset has a measured figure; a replica counts at most one core (one uvicorn worker per pod)", () => {
        for (const s of Object.values(SizePreset)) assert.ok(PLANNING_USERS_PER_CPU[s] > 0, `${s}: no measured users per CPU`);
        const per = (s: SizePreset, cpu: string) => planningUsersPerReplica(s, cpu);
        assert.ok(per(SizePreset.Small, "500m") < per(SizePreset.Medium, "1"));
        assert.strictEqual(
            per(SizePreset.Large, "2"),
            PLANNING_USERS_PER_CPU[SizePreset.Large] * EVENT_LOOP_CORES,
            "the second core of a large pod serves the thread pool, not more users",
        );
    });

    it("the HPA carries the figure for the pod's CPU request (pod.cpuRequest overrides the preset's)", async () => {
        const hpaFigure = async (args: Record<string, unknown>) => {
            reset();
            new OpenWebUiCluster("cap", { target: CloudTarget.Kubernetes, hostname: "chat.example.com", ...args } as any);
            await settle();
            const hpa = ofType("kubernetes:autoscaling/v2:HorizontalPodAutoscaler")[0];
            return Number(hpa.plain.metadata.annotations[PLANNING_USERS_ANNOTATION]);
        };
        assert.strictEqual(await hpaFigure({ size: SizePreset.Medium }), planningUsersPerReplica(SizePreset.Medium, "1"));
        assert.strictEqual(await hpaFigure({ size: SizePreset.Medium, pod: { cpuRequest: "500m" } }), planningUsersPerReplica(SizePreset.Medium, "500m"));
        assert.ok(planningUsersPerReplica(SizePreset.Medium, "500m") < planningUsersPerReplica(SizePreset.Medium, "1"));
        assert.strictEqual(await hpaFigure({ size: SizePreset.Small }), planningUsersPerReplica(SizePreset.Small, "500m"));
    });

    it("`openwebui plan` prints users at replicas.min and replicas.max beside the cost estimate", async function () {
        this.timeout(120_000);
        const r = await plan({ programDir: path.join(ROOT, "examples", "kubernetes"), out: false, noPolicy: true, config: ["replicasMin=3", "replicasMax=8"] });
        assert.strictEqual(r.error, undefined, r.error);
        const per = planningUsersPerReplica(SizePreset.Medium, "1");
        assert.deepStrictEqual(
            (r.capacity ?? []).map((c) => [c.usersPerReplica, c.usersAtMin, c.usersAtMax]),
            [[per, 3 * per, 8 * per]],
        );
        const text = renderText(r);
        assert.match(text, new RegExp(`~${per} users per replica -> ~${3 * per} at replicas.min \\(3\\), ~${8 * per} at replicas.max \\(8\\)`));
        assert.ok(text.indexOf("Planning capacity") > text.indexOf("Estimated"), "capacity is printed after the cost estimate");
    });
});

describe("database pools hold the preset's steady use (no reconnect churn)", () => {
    const { computePools, POD_SIZING } = require("../components/spec/sizing");
    const P = require("../policy/policies");
    it("the pool takes the preset's steady use first; overflow only what the budget leaves", () => {
        const plan = computePools({
            maxConnections: 5000,
            budgetFraction: 0.8,
            maxReplicas: 10,
            pgvector: true,
            preferredPool: POD_SIZING.medium.preferredPool,
            preferredOverflow: POD_SIZING.medium.preferredOverflow,
        });
        assert.strictEqual(plan.poolSize, POD_SIZING.medium.preferredPool);
        assert.strictEqual(plan.maxOverflow, POD_SIZING.medium.preferredOverflow);
        assert.strictEqual(plan.churn, undefined);
        // A tight budget: the pool keeps what it can, overflow gives way first.
        const tight = computePools({ maxConnections: 1700, budgetFraction: 0.8, maxReplicas: 10, pgvector: true, preferredPool: 25, preferredOverflow: 10 });
        assert.strictEqual(tight.poolSize, 25);
        assert.ok(tight.maxOverflow < 10 && tight.worstCaseTotal <= tight.budget, JSON.stringify(tight));
    });

    it("a budget that forces the pool below steady use is said at construction (annotation), by plan and by the policy pack", async function () {
        this.timeout(60_000);
        reset();
        // 200 connections x 0.8 over 14 pods x 3 engines: 3 per engine, far below the preset's pool.
        new OpenWebUiCluster("churn", {
            target: CloudTarget.Kubernetes,
            hostname: "chat.example.com",
            database: { mode: "external", url: "postgresql://u:p@db.example.com:5432/owui?sslmode=require", maxConnections: 200 },
            replicas: { min: 2, max: 10 },
        } as any);
        await settle();
        const dep = ofType("kubernetes:apps/v1:Deployment").find((d) => d.name === "churn")!;
        const why = dep.plain.metadata.annotations["openwebui.io/pool-churn"];
        assert.match(String(why), /DATABASE_POOL_SIZE \d+ is below the 25 .*Fix: /);
        assert.strictEqual(P.POOL_CHURN_ANNOTATION, POOL_CHURN_ANNOTATION);
        const rule = P.policies.find((p: any) => p.name === "owui-pool-churn");
        const reports: string[] = [];
        rule.validateResource({ type: "kubernetes:apps/v1:Deployment", name: "churn", props: dep.plain }, (m: string) => reports.push(m));
        assert.strictEqual(reports.length, 1);
        // A database with room: no annotation.
        reset();
        new OpenWebUiCluster("roomy", {
            target: CloudTarget.Kubernetes,
            hostname: "chat.example.com",
            database: { mode: "external", url: "postgresql://u:p@db.example.com:5432/owui?sslmode=require", maxConnections: 5000 },
        } as any);
        await settle();
        assert.strictEqual(
            ofType("kubernetes:apps/v1:Deployment").find((d) => d.name === "roomy")!.plain.metadata.annotations["openwebui.io/pool-churn"],
            undefined,
        );
    });
});
