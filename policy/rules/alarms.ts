// Cloud alarms next to an Open WebUI on a cloud target: its managed Postgres and Redis are
// watched by the cloud's alarms (CloudWatch MetricAlarm, Cloud Monitoring AlertPolicy, Azure
// Monitor MetricAlert), and the alarms notify someone. Advisory: the component creates them by
// default (`alarms.enabled`) but needs `alarms.notificationTargets` to page anyone.
import type { PolicyResource } from "@pulumi/policy";
import { TYPES, arr, isUnknown, raw, stackRule, type Json } from "./shape";
import { findOwuiWorkloads, patternOf } from "./workloads";

/** Per cloud: what the alarms watch, the alarm type, and whether one alarm notifies someone. */
const CLOUDS: { cloud: string; watched: string[]; alarm: string; notifies: (p: Json) => boolean }[] = [
    {
        cloud: "aws",
        watched: [TYPES.rdsCluster, TYPES.rdsInstance, TYPES.elasticacheReplicationGroup],
        alarm: TYPES.cloudwatchMetricAlarm,
        notifies: (p) => present(p.alarmActions),
    },
    {
        cloud: "gcp",
        watched: [TYPES.sqlInstance, TYPES.memorystoreInstance],
        alarm: TYPES.monitoringAlertPolicy,
        notifies: (p) => present(p.notificationChannels),
    },
    {
        cloud: "azure",
        watched: [TYPES.pgFlexibleServer, TYPES.redisEnterprise],
        alarm: TYPES.monitorMetricAlert,
        notifies: (p) => isUnknown(p.actions) || arr(p.actions).some((a: Json) => isUnknown(a) || present([raw(a)?.actionGroupId])),
    },
];

/** A non-empty list of targets (or one not known yet). */
function present(list: unknown): boolean {
    return isUnknown(list) || arr(list).some((x) => isUnknown(x) || (typeof x === "string" && x !== ""));
}

function check(resources: PolicyResource[], report: (message: string, urn?: string) => void): void {
    for (const c of CLOUDS) {
        const watched = resources.filter((r) => c.watched.includes(r.type));
        if (watched.length === 0) continue;
        const alarms = resources.filter((r) => r.type === c.alarm);
        const kind = c.alarm.split(":").pop();
        if (alarms.length === 0) {
            for (const r of watched)
                report(
                    `${r.type.split(":").pop()} '${r.name}' has no ${kind} in the stack: nobody learns that it is full, overloaded or out of connections.`,
                    r.urn,
                );
        } else if (!alarms.some((a) => c.notifies(raw(a.props)))) {
            report(`The stack's ${alarms.length} ${kind}(s) notify no one (no notification target): they show in the console but page nobody.`, alarms[0].urn);
        }
    }
}

export const cloudAlarms = stackRule({
    name: "owui-alarms",
    description:
        "On a cloud target (an Open WebUI workload next to RDS/Aurora, ElastiCache, Cloud SQL, Memorystore, Azure PostgreSQL or Azure Managed Redis), the stack has the cloud's alarms (CloudWatch MetricAlarm, Cloud Monitoring AlertPolicy, Azure Monitor MetricAlert) and at least one of them notifies a target (SNS topic, notification channel, Action Group).",
    remediation:
        "Keep alarms.enabled (default true on aws/gcp/azure) and set alarms.notificationTargets: SNS topic ARNs (aws), projects/<p>/notificationChannels/<id> (gcp) or Action Group ids (azure).",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["observability"],
    validateStack: (args, report) => {
        if (findOwuiWorkloads(args.resources, patternOf(args)).length === 0) return;
        check(args.resources, report);
    },
});
