// Database pools below the steady use of the size preset: the component writes the reason on the
// serving Deployment (components/spec/sizing.ts PoolPlan.churn) when the connection budget, or an explicit
// database.poolSize, leaves the pool smaller than the preset needs at its planning capacity.
import { TYPES, get, raw, resourceRule } from "./shape";

/** The component's annotation (components/spec/sizing.ts POOL_CHURN_ANNOTATION; tests/capacity.test.ts keeps them equal). The pack ships without the component. */
export const POOL_CHURN_ANNOTATION = "openwebui.io/pool-churn";

export const poolChurn = resourceRule({
    name: "owui-pool-churn",
    description: `An Open WebUI Deployment whose database pool is below the size preset's steady use (annotation ${POOL_CHURN_ANNOTATION}): under the planned load each replica opens and closes Postgres connections (a login per request past the pool).`,
    remediation:
        "Give the pool room: a bigger database size or database.maxConnections, fewer replicas.max, or no explicit database.poolSize below the preset's.",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["capacity", "database"],
    validateResource: (args, report) => {
        if (args.type !== TYPES.deployment) return;
        const why = get(raw(args.props), "metadata", "annotations", POOL_CHURN_ANNOTATION);
        if (typeof why === "string") report(`Deployment '${args.name}': ${why}`);
    },
});
