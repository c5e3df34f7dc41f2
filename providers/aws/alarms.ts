// CloudWatch alarms (alarms.enabled, default on): RDS/Aurora connections, CPU and storage;
// ElastiCache memory and evictions; the ALB's 5xx ratio and unhealthy targets. Each notifies
// `alarms.notificationTargets` (SNS topics) on ALARM and on OK. Thresholds: ALARM_THRESHOLDS.
import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as lb from "@pulumi/aws/lb";
import { ALARM_THRESHOLDS as T, connectionsThreshold } from "../../components/telemetry/alarmsSpec";
import type { AlarmInputs, ManagedCache, ProviderContext } from "../../components/platform/port";
import { AwsDatabaseEngine } from "../../components/platform/awsArgs";
import { cacheReplicas, cacheShards, dbEngine } from "./catalog";
import { awsArgs, regionArg } from "./shared";

/** CloudWatch's limit of metrics in one metric-math alarm (a hard limit). */
export const MAX_ALARM_METRICS = 10;
const GIB = 1024 ** 3;

type AlarmArgs = Omit<cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions" | "tags" | "region">;

function alarm(ctx: ProviderContext, targets: string[], what: string, args: AlarmArgs): cloudwatch.MetricAlarm {
    return new cloudwatch.MetricAlarm(
        `${ctx.name}-alarm-${what}`,
        { ...args, alarmActions: targets, okActions: targets, tags: ctx.tags, ...regionArg(ctx) },
        ctx.opts(),
    );
}

export function createAlarms(ctx: ProviderContext, inputs: AlarmInputs): void {
    if (inputs.database?.alarmScope) databaseAlarms(ctx, inputs, inputs.database.alarmScope);
    if (inputs.cache?.alarmMembers) cacheAlarms(ctx, inputs.notificationTargets, inputs.cache);
    if (inputs.route) loadBalancerAlarms(ctx, inputs.notificationTargets, inputs.route);
}

function databaseAlarms(ctx: ProviderContext, inputs: AlarmInputs, id: pulumi.Output<string>): void {
    const aurora = dbEngine(ctx.spec) === AwsDatabaseEngine.Aurora;
    // Aurora: the writer (the endpoint the pods use); RDS: the instance (Multi-AZ standby included).
    const dimensions: { [key: string]: pulumi.Input<string> } = aurora ? { DBClusterIdentifier: id, Role: "WRITER" } : { DBInstanceIdentifier: id };
    const db = { namespace: "AWS/RDS", dimensions, comparisonOperator: "GreaterThanThreshold" };
    const limit = connectionsThreshold(inputs.maxConnections);
    const targets = inputs.notificationTargets;
    alarm(ctx, targets, "db-connections", {
        ...db,
        alarmDescription: `Open WebUI ${ctx.name}: database connections above ${limit} (${T.databaseConnectionsPercent} % of max_connections ${inputs.maxConnections}, the limit the pools were sized against)`,
        metricName: "DatabaseConnections",
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: T.windowMinutes,
        threshold: limit,
    });
    alarm(ctx, targets, "db-cpu", {
        ...db,
        alarmDescription: `Open WebUI ${ctx.name}: database CPU above ${T.databaseCpuPercent} % for ${T.databaseCpuMinutes} minutes`,
        metricName: "CPUUtilization",
        statistic: "Average",
        period: 60,
        evaluationPeriods: T.databaseCpuMinutes,
        threshold: T.databaseCpuPercent,
    });
    // Aurora's cluster volume grows by itself (to 128 TiB): no free-space threshold to watch.
    if (aurora) return;
    const freeGb = (ctx.spec.database.storageGb * (100 - T.databaseStoragePercent)) / 100;
    alarm(ctx, targets, "db-storage", {
        ...db,
        comparisonOperator: "LessThanThreshold",
        alarmDescription: `Open WebUI ${ctx.name}: database free storage below ${freeGb} GiB (${100 - T.databaseStoragePercent} % of the ${ctx.spec.database.storageGb} GiB allocated; storage autoscaling may be at its maximum)`,
        metricName: "FreeStorageSpace",
        statistic: "Minimum",
        period: 300,
        evaluationPeriods: 1,
        threshold: Math.round(freeGb * GIB),
    });
}

/** ElastiCache publishes memory and evictions per node (CacheClusterId): one metric-math alarm over the group's members. */
function cacheAlarms(ctx: ProviderContext, targets: string[], cache: ManagedCache): void {
    const spec = ctx.spec;
    const nodes = (spec.redis.cluster ? cacheShards(spec) : 1) * (1 + cacheReplicas(spec));
    if (nodes > MAX_ALARM_METRICS) {
        void pulumi.log.warn(
            `alarms: the cache has ${nodes} nodes; CloudWatch alarms take at most ${MAX_ALARM_METRICS} metrics, so the memory and eviction alarms watch the first ${MAX_ALARM_METRICS} only`,
            ctx.parent,
        );
    }
    const queries = (metricName: string, stat: string, reduce: string) =>
        cache.alarmMembers!.apply((ids) => {
            const members = ids.slice(0, MAX_ALARM_METRICS).map((id, i) => ({
                id: `m${i}`,
                returnData: false,
                metric: { namespace: "AWS/ElastiCache", metricName, dimensions: { CacheClusterId: id }, period: 60, stat },
            }));
            return [
                ...members,
                { id: "e1", label: `${reduce} ${metricName}`, returnData: true, expression: `${reduce}([${members.map((m) => m.id).join(",")}])` },
            ];
        });
    alarm(ctx, targets, "cache-memory", {
        alarmDescription: `Open WebUI ${ctx.name}: Redis memory above ${T.cacheMemoryPercent} % on a node (evictions follow)`,
        metricQueries: queries("DatabaseMemoryUsagePercentage", "Maximum", "MAX"),
        comparisonOperator: "GreaterThanThreshold",
        evaluationPeriods: T.windowMinutes,
        threshold: T.cacheMemoryPercent,
    });
    alarm(ctx, targets, "cache-evictions", {
        alarmDescription: `Open WebUI ${ctx.name}: Redis evicted keys (sessions, websocket and config state may be lost)`,
        metricQueries: queries("Evictions", "Sum", "SUM"),
        comparisonOperator: "GreaterThanThreshold",
        evaluationPeriods: T.windowMinutes,
        datapointsToAlarm: 1,
        threshold: T.cacheEvictions,
        treatMissingData: "notBreaching",
    });
}

/**
 * The tags the AWS Load Balancer Controller puts on what it creates for an Ingress
 * (kubernetes-sigs/aws-load-balancer-controller pkg/deploy/tracking/provider.go): the cluster,
 * the stack (`group.name`, else `<namespace>/<ingress>`) and the resource id.
 */
export function controllerTags(ctx: ProviderContext, resource: string): { [key: string]: pulumi.Input<string> } {
    const aws = awsArgs(ctx);
    return {
        "elbv2.k8s.aws/cluster": aws.eks.clusterName,
        "ingress.k8s.aws/stack": aws.loadBalancer?.groupName ?? `${ctx.namespace}/${ctx.name}`,
        "ingress.k8s.aws/resource": resource,
    };
}

/**
 * The ALB is the controller's, not Pulumi's: looked up by the controller's tags once the Ingress
 * exists (Pulumi awaits its load balancer status, so the ALB and its target group exist by then).
 */
function loadBalancerAlarms(ctx: ProviderContext, targets: string[], route: pulumi.CustomResource): void {
    const opts = { parent: ctx.parent, dependsOn: [route] };
    const alb = lb.getLoadBalancerOutput({ tags: controllerTags(ctx, "LoadBalancer"), ...regionArg(ctx) }, opts);
    // Target group resource id: `<namespace>/<ingress>-<service>:<port>` (the Service is named like the Ingress; port `http`).
    const tg = lb.getTargetGroupOutput({ tags: controllerTags(ctx, `${ctx.namespace}/${ctx.name}-${ctx.name}:http`), ...regionArg(ctx) }, opts);
    const metric = (id: string, metricName: string) => ({
        id,
        returnData: false,
        metric: { namespace: "AWS/ApplicationELB", metricName, dimensions: { LoadBalancer: alb.arnSuffix }, period: T.windowMinutes * 60, stat: "Sum" },
    });
    alarm(ctx, targets, "lb-5xx", {
        alarmDescription: `Open WebUI ${ctx.name}: more than ${T.http5xxPercent} % of requests answered 5xx (by the pods or the ALB) over ${T.windowMinutes} minutes`,
        metricQueries: [
            metric("m1", "HTTPCode_Target_5XX_Count"),
            metric("m2", "RequestCount"),
            metric("m3", "HTTPCode_ELB_5XX_Count"),
            // ALB 5xx with no request reaching a target (none healthy): a denominator of 1 keeps it visible.
            { id: "e1", label: "5xx % of requests", returnData: true, expression: "100 * (FILL(m1, 0) + FILL(m3, 0)) / FILL(m2, 1)" },
        ],
        comparisonOperator: "GreaterThanThreshold",
        evaluationPeriods: 1,
        threshold: T.http5xxPercent,
        treatMissingData: "notBreaching",
    });
    alarm(ctx, targets, "lb-unhealthy", {
        alarmDescription: `Open WebUI ${ctx.name}: unhealthy pods behind the ALB for ${T.windowMinutes} minutes`,
        namespace: "AWS/ApplicationELB",
        metricName: "UnHealthyHostCount",
        dimensions: { LoadBalancer: alb.arnSuffix, TargetGroup: tg.arnSuffix },
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: T.windowMinutes,
        comparisonOperator: "GreaterThanThreshold",
        threshold: T.unhealthyTargets,
        treatMissingData: "notBreaching",
    });
}
