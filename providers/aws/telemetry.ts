// The collector's AWS backends: traces to the X-Ray OTLP endpoint, logs to CloudWatch Logs' OTLP
// endpoint (a log group + stream the component creates, with retention), both signed with SigV4
// by the collector's own role (Pod Identity or IRSA, like the app's), allowed nothing else.
// Traces need CloudWatch Transaction Search enabled once per account/region (README).
import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as eks from "@pulumi/aws/eks";
import * as iam from "@pulumi/aws/iam";
import type { CollectorBackendConfig, ProviderContext, TelemetryBackend } from "../../components/platform/port";
import { AwsIdentityMode } from "../../components/platform/awsArgs";
import { POD_IDENTITY_ANNOTATION } from "./identity";
import { awsArgs, regionArg, state, trustPolicy } from "./shared";

/** Least privilege of the collector: put spans (X-Ray) and log events into its one log group. */
export function collectorPolicyDocument(logGroupArn: string, metrics: boolean): string {
    const statements: object[] = [
        { Sid: "PutTraces", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutSpans", "xray:PutSpansForIndexing"], Resource: "*" },
        { Sid: "PutLogs", Effect: "Allow", Action: ["logs:PutLogEvents", "logs:DescribeLogStreams"], Resource: [logGroupArn, `${logGroupArn}:log-stream:*`] },
    ];
    // cloudwatch:PutMetricData has no resource scope; a namespace condition bounds it.
    if (metrics)
        statements.push({
            Sid: "PutMetrics",
            Effect: "Allow",
            Action: "cloudwatch:PutMetricData",
            Resource: "*",
            Condition: { StringEquals: { "cloudwatch:namespace": "open-webui" } },
        });
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** The collector's exporters for `region`, log group and stream (pure: tests render it). */
export function awsCollectorBackend(region: string, logGroup: string, logStream: string, metrics: boolean): CollectorBackendConfig {
    const auth = (service: string) => ({ region, service });
    const otlp = (key: string, url: string, authName: string, headers?: Record<string, string>) => ({
        [key]: url,
        auth: { authenticator: authName },
        compression: "gzip",
        ...(headers ? { headers } : {}),
        sending_queue: { enabled: true, queue_size: 5000 },
        retry_on_failure: { enabled: true, max_elapsed_time: "300s" },
    });
    const exporters: Record<string, unknown> = {
        "otlphttp/xray": otlp("traces_endpoint", `https://xray.${region}.amazonaws.com/v1/traces`, "sigv4auth/xray"),
        "otlphttp/logs": otlp("logs_endpoint", `https://logs.${region}.amazonaws.com/v1/logs`, "sigv4auth/logs", {
            "x-aws-log-group": logGroup,
            "x-aws-log-stream": logStream,
        }),
    };
    const extensions: Record<string, unknown> = { "sigv4auth/xray": auth("xray"), "sigv4auth/logs": auth("logs") };
    if (metrics) {
        exporters["otlphttp/metrics"] = otlp("metrics_endpoint", `https://monitoring.${region}.amazonaws.com/v1/metrics`, "sigv4auth/monitoring");
        extensions["sigv4auth/monitoring"] = auth("monitoring");
    }
    return { extensions, exporters, pipelines: { traces: ["otlphttp/xray"], logs: ["otlphttp/logs"], metrics: metrics ? ["otlphttp/metrics"] : [] } };
}

export function createTelemetry(ctx: ProviderContext, collectorServiceAccount: string): TelemetryBackend {
    const aws = awsArgs(ctx);
    const otel = ctx.spec.otel;
    const logGroup = new cloudwatch.LogGroup(
        `${ctx.name}-otel-logs`,
        {
            name: `/openwebui/${ctx.namespace}/${ctx.name}`,
            retentionInDays: otel.logRetentionDays,
            tags: ctx.tags,
            ...regionArg(ctx),
        },
        ctx.opts(),
    );
    const stream = new cloudwatch.LogStream(`${ctx.name}-otel-logs`, { name: "open-webui", logGroupName: logGroup.name, ...regionArg(ctx) }, ctx.opts());
    const collectorCtx = { ...ctx, serviceAccountName: collectorServiceAccount };
    const role = new iam.Role(
        `${ctx.name}-otel-role`,
        {
            description: `Open WebUI ${ctx.name}: OpenTelemetry collector (system:serviceaccount:${ctx.namespace}:${collectorServiceAccount})`,
            assumeRolePolicy: trustPolicy(collectorCtx),
            maxSessionDuration: 3600,
            tags: ctx.tags,
        },
        ctx.opts(),
    );
    new iam.RolePolicy(
        `${ctx.name}-otel-export`,
        { role: role.id, policy: logGroup.arn.apply((arn) => collectorPolicyDocument(arn, otel.metrics)) },
        ctx.opts(),
    );
    const annotations: { [key: string]: pulumi.Input<string> } = {};
    if ((aws.eks.identityMode ?? AwsIdentityMode.PodIdentity) === AwsIdentityMode.Irsa) {
        annotations["eks.amazonaws.com/role-arn"] = role.arn;
    } else {
        const association = new eks.PodIdentityAssociation(
            `${ctx.name}-otel-pod-identity`,
            {
                clusterName: aws.eks.clusterName,
                namespace: ctx.namespace,
                serviceAccount: collectorServiceAccount,
                roleArn: role.arn,
                disableSessionTags: false,
                tags: ctx.tags,
                ...regionArg(ctx),
            },
            ctx.opts(),
        );
        annotations[POD_IDENTITY_ANNOTATION] = association.associationId;
    }
    const backend = pulumi.all([state(ctx).region, logGroup.name, stream.name]).apply(([r, g, s]) => awsCollectorBackend(r, g, s, otel.metrics));
    return {
        config: backend,
        pipelines: awsCollectorBackend("r", "g", "s", otel.metrics).pipelines,
        identity: { serviceAccountAnnotations: annotations, podLabels: {}, principal: role.arn },
    };
}
