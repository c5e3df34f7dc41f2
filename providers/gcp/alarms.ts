// Cloud Monitoring alert policies (alarms.enabled, default on): Cloud SQL connections, CPU and
// disk; Memorystore memory and evictions. Each notifies `alarms.notificationTargets`
// (notification channels). Thresholds: ALARM_THRESHOLDS (components/telemetry/alarmsSpec.ts).
//
// No load balancer alarm: the GKE Ingress's URL map is named by ingress-gce
// (`k8s2-um-<hash>-<namespace>-<name>-<hash>`, truncated), not by Pulumi, so a filter cannot be
// sure to select this release's load balancer only.
import * as pulumi from "@pulumi/pulumi";
import * as monitoring from "@pulumi/gcp/monitoring";
import { ALARM_THRESHOLDS as T, connectionsThreshold } from "../../components/telemetry/alarmsSpec";
import type { AlarmInputs, ProviderContext } from "../../components/platform/port";
import { gcpLabels } from "./shared";

/** One condition: a metric of one resource above a threshold for a duration. */
export interface Condition {
    /** Monitored resource type and the label naming this release's instance. */
    resource: { type: string; label: string; id: pulumi.Input<string> };
    metric: string;
    threshold: number;
    /** Seconds the condition must hold. */
    durationSeconds: number;
    aligner: string;
    reducer: string;
    periodSeconds: number;
}

/** `resource.type = ... AND resource.labels.<label> = "<id>" AND metric.type = ...` (ids are validated names: no quotes). */
export function conditionFilter(c: Condition, id: string): string {
    return `resource.type = "${c.resource.type}" AND resource.labels.${c.resource.label} = "${id}" AND metric.type = "${c.metric}"`;
}

function policy(ctx: ProviderContext, targets: string[], what: string, summary: string, severity: string, c: Condition): monitoring.AlertPolicy {
    return new monitoring.AlertPolicy(
        `${ctx.name}-alarm-${what}`,
        {
            project: ctx.spec.gcp!.project,
            displayName: `Open WebUI ${ctx.name}: ${summary}`,
            combiner: "OR",
            severity,
            conditions: [
                {
                    displayName: summary,
                    conditionThreshold: {
                        filter: pulumi.output(c.resource.id).apply((id) => conditionFilter(c, id)),
                        comparison: "COMPARISON_GT",
                        thresholdValue: c.threshold,
                        duration: `${c.durationSeconds}s`,
                        aggregations: [
                            {
                                alignmentPeriod: `${c.periodSeconds}s`,
                                perSeriesAligner: c.aligner,
                                crossSeriesReducer: c.reducer,
                                groupByFields: [`resource.label.${c.resource.label}`],
                            },
                        ],
                        trigger: { count: 1 },
                    },
                },
            ],
            notificationChannels: targets,
            documentation: { mimeType: "text/markdown", content: `Open WebUI \`${ctx.name}\` (namespace \`${ctx.namespace}\`): ${summary}.` },
            userLabels: gcpLabels(ctx.tags),
        },
        ctx.opts(),
    );
}

export function createAlarms(ctx: ProviderContext, inputs: AlarmInputs): void {
    const targets = inputs.notificationTargets;
    const window = T.windowMinutes * 60;
    const sqlId = inputs.database?.alarmScope;
    if (sqlId) {
        const sql = (metric: string) => ({
            resource: { type: "cloudsql_database", label: "database_id", id: sqlId },
            metric: `cloudsql.googleapis.com/database/${metric}`,
        });
        const limit = connectionsThreshold(inputs.maxConnections);
        policy(
            ctx,
            targets,
            "db-connections",
            `database connections above ${limit} (${T.databaseConnectionsPercent} % of max_connections ${inputs.maxConnections})`,
            "CRITICAL",
            {
                ...sql("postgresql/num_backends"),
                threshold: limit,
                durationSeconds: window,
                aligner: "ALIGN_MAX",
                reducer: "REDUCE_SUM",
                periodSeconds: 60,
            },
        );
        policy(ctx, targets, "db-cpu", `database CPU above ${T.databaseCpuPercent} % for ${T.databaseCpuMinutes} minutes`, "WARNING", {
            ...sql("cpu/utilization"),
            threshold: T.databaseCpuPercent / 100,
            durationSeconds: T.databaseCpuMinutes * 60,
            aligner: "ALIGN_MEAN",
            reducer: "REDUCE_MAX",
            periodSeconds: 60,
        });
        policy(ctx, targets, "db-storage", `database disk above ${T.databaseStoragePercent} % used`, "CRITICAL", {
            ...sql("disk/utilization"),
            threshold: T.databaseStoragePercent / 100,
            durationSeconds: window,
            aligner: "ALIGN_MEAN",
            reducer: "REDUCE_MAX",
            periodSeconds: 60,
        });
    }
    const redisId = inputs.cache?.alarmScope;
    if (redisId) {
        const redis = (metric: string) => ({
            resource: { type: "redis_instance", label: "instance_id", id: redisId },
            metric: `redis.googleapis.com/${metric}`,
        });
        policy(ctx, targets, "cache-memory", `Redis memory above ${T.cacheMemoryPercent} %`, "WARNING", {
            ...redis("stats/memory/usage_ratio"),
            threshold: T.cacheMemoryPercent / 100,
            durationSeconds: window,
            aligner: "ALIGN_MAX",
            reducer: "REDUCE_MAX",
            periodSeconds: 60,
        });
        policy(ctx, targets, "cache-evictions", "Redis evicted keys (sessions, websocket and config state may be lost)", "CRITICAL", {
            ...redis("stats/evicted_keys"),
            threshold: T.cacheEvictions,
            durationSeconds: 0,
            aligner: "ALIGN_DELTA",
            reducer: "REDUCE_SUM",
            periodSeconds: window,
        });
    }
}
