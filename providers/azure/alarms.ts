// Azure Monitor metric alerts (alarms.enabled, default on): PostgreSQL Flexible Server
// connections, CPU and storage; Azure Managed Redis memory and evictions. Each notifies
// `alarms.notificationTargets` (Action Groups). Thresholds: ALARM_THRESHOLDS (components/telemetry/alarmsSpec.ts).
//
// No load balancer alarm: the default route is Application Gateway for Containers through a
// Gateway whose traffic controller the ALB Controller owns (or an existing shared one); AGIC and
// NGINX are the user's. None is a resource this component could scope an alert to.
import * as pulumi from "@pulumi/pulumi";
import * as monitor from "@pulumi/azure-native/monitor";
import { ALARM_THRESHOLDS as T, connectionsThreshold } from "../../components/telemetry/alarmsSpec";
import type { AlarmInputs, ProviderContext } from "../../components/platform/port";
import { shared } from "./shared";
import type { ResolvedSpec } from "../../components/spec/spec";
import { isKnown, problem } from "../../components/spec/errors";
import type { Azure } from "../../components/platform/azureArgs";
import { logRetentionProblem } from "../logRetention";
import { WORKSPACE_ID } from "./accessLogs";
import { alarmTargetProblems } from "../../components/telemetry/alarmsSpec";

export const POSTGRES_NAMESPACE = "Microsoft.DBforPostgreSQL/flexibleServers";
export const REDIS_NAMESPACE = "Microsoft.Cache/redisEnterprise";

interface Rule {
    scope: pulumi.Input<string>;
    namespace: string;
    metricName: string;
    aggregation: string;
    threshold: number;
    /** ISO 8601 window, e.g. PT5M. */
    window: string;
    severity: number;
}

function metricAlert(ctx: ProviderContext, targets: string[], what: string, summary: string, r: Rule): monitor.MetricAlert {
    return new monitor.MetricAlert(
        `${ctx.name}-alarm-${what}`,
        {
            resourceGroupName: shared(ctx).resourceGroupName,
            location: "global",
            description: `Open WebUI ${ctx.name}: ${summary}`,
            enabled: true,
            autoMitigate: true,
            severity: r.severity,
            scopes: [r.scope],
            evaluationFrequency: r.namespace === REDIS_NAMESPACE ? "PT5M" : "PT1M",
            windowSize: r.window,
            criteria: {
                odataType: "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
                allOf: [
                    {
                        criterionType: "StaticThresholdCriterion",
                        name: what,
                        metricNamespace: r.namespace,
                        metricName: r.metricName,
                        operator: "GreaterThan",
                        threshold: r.threshold,
                        timeAggregation: r.aggregation,
                    },
                ],
            },
            actions: targets.map((actionGroupId) => ({ actionGroupId })),
            tags: ctx.tags,
        },
        ctx.opts(),
    );
}

export function createAlarms(ctx: ProviderContext, inputs: AlarmInputs): void {
    const targets = inputs.notificationTargets;
    const window = `PT${T.windowMinutes}M`;
    const server = inputs.database?.alarmScope;
    if (server) {
        const pg = { scope: server, namespace: POSTGRES_NAMESPACE, window };
        const limit = connectionsThreshold(inputs.maxConnections);
        metricAlert(
            ctx,
            targets,
            "db-connections",
            `database connections above ${limit} (${T.databaseConnectionsPercent} % of max_connections ${inputs.maxConnections})`,
            {
                ...pg,
                metricName: "active_connections",
                aggregation: "Maximum",
                threshold: limit,
                severity: 1,
            },
        );
        metricAlert(ctx, targets, "db-cpu", `database CPU above ${T.databaseCpuPercent} % for ${T.databaseCpuMinutes} minutes`, {
            ...pg,
            metricName: "cpu_percent",
            aggregation: "Average",
            threshold: T.databaseCpuPercent,
            window: `PT${T.databaseCpuMinutes}M`,
            severity: 2,
        });
        metricAlert(ctx, targets, "db-storage", `database storage above ${T.databaseStoragePercent} % used`, {
            ...pg,
            metricName: "storage_percent",
            aggregation: "Maximum",
            threshold: T.databaseStoragePercent,
            severity: 1,
        });
    }
    const cache = inputs.cache?.alarmScope;
    if (cache) {
        const redis = { scope: cache, namespace: REDIS_NAMESPACE, window };
        metricAlert(ctx, targets, "cache-memory", `Redis memory above ${T.cacheMemoryPercent} %`, {
            ...redis,
            metricName: "usedmemorypercentage",
            aggregation: "Maximum",
            threshold: T.cacheMemoryPercent,
            severity: 2,
        });
        metricAlert(ctx, targets, "cache-evictions", "Redis evicted keys (sessions, websocket and config state may be lost)", {
            ...redis,
            metricName: "evictedkeys",
            aggregation: "Total",
            threshold: T.cacheEvictions,
            severity: 1,
        });
    }
}

/** An Action Group resource id (ARM; the provider segment in any case). */
const ACTION_GROUP_ID =
    /^\/subscriptions\/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\/resourceGroups\/[-\w.()]{1,90}\/providers\/microsoft\.insights\/actionGroups\/[-\w.()]{1,260}$/i;

/** Logs and alarms: the workspace's retention, azure.logAnalyticsWorkspaceId, and the alarms' Action Groups. */
export function logsAndAlarmsProblems(spec: ResolvedSpec, a: Azure): string[] {
    const p: string[] = [];
    p.push(...logRetentionProblem(spec, 30, 730, "the Log Analytics workspace's retention"));
    if (a.logAnalyticsWorkspaceId !== undefined && isKnown(a.logAnalyticsWorkspaceId) && !WORKSPACE_ID.test(a.logAnalyticsWorkspaceId)) {
        p.push(
            problem(
                "azure.logAnalyticsWorkspaceId",
                a.logAnalyticsWorkspaceId,
                "use the workspace's ARM id /subscriptions/<s>/resourceGroups/<rg>/providers/Microsoft.OperationalInsights/workspaces/<name> (az monitor log-analytics workspace show --query id)",
            ),
        );
    }
    p.push(
        ...alarmTargetProblems(
            spec,
            ACTION_GROUP_ID,
            "give an Action Group resource id, /subscriptions/<id>/resourceGroups/<group>/providers/microsoft.insights/actionGroups/<name> (az monitor action-group show --query id)",
        ),
    );
    return p;
}
