// The collector's GCP backends: Cloud Trace, Cloud Logging (and Cloud Monitoring when metrics are
// on) through the `googlecloud` exporter, as its own Google service account (Workload Identity),
// granted only the writer roles those need.
import * as pulumi from "@pulumi/pulumi";
import * as projects from "@pulumi/gcp/projects";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import type { CollectorBackendConfig, ProviderContext, TelemetryBackend } from "../../components/platform/port";
import { defaultServiceAccountId, workloadPool } from "./shared";

/** Writer roles of the collector's service account (metricWriter only with metrics on). */
export function collectorRoles(metrics: boolean): string[] {
    return ["roles/cloudtrace.agent", "roles/logging.logWriter", ...(metrics ? ["roles/monitoring.metricWriter"] : [])];
}

/** The collector's exporter for `project` (pure: tests render it). */
export function gcpCollectorBackend(project: string, metrics: boolean): CollectorBackendConfig {
    return {
        extensions: {},
        exporters: {
            googlecloud: {
                project,
                log: { default_log_name: "open-webui" },
                // Custom metrics land under workload.googleapis.com/open-webui/... (billed per sample).
                metric: { prefix: "workload.googleapis.com/open-webui" },
                sending_queue: { enabled: true, queue_size: 5000 },
            },
        },
        pipelines: { traces: ["googlecloud"], logs: ["googlecloud"], metrics: metrics ? ["googlecloud"] : [] },
    };
}

export function createTelemetry(ctx: ProviderContext, collectorServiceAccount: string): TelemetryBackend {
    const g = ctx.spec.gcp!;
    const gsa = new serviceaccount.Account(
        `${ctx.name}-otel-gsa`,
        {
            project: g.project,
            accountId: defaultServiceAccountId(`${ctx.name}-otel`),
            displayName: `Open WebUI ${ctx.name} collector`,
            description: `Workload Identity of ${ctx.namespace}/${collectorServiceAccount} (OpenTelemetry collector of ${ctx.name})`,
        },
        ctx.opts(),
    );
    new serviceaccount.IAMMember(
        `${ctx.name}-otel-gsa-wi`,
        {
            serviceAccountId: gsa.name,
            role: "roles/iam.workloadIdentityUser",
            member: `serviceAccount:${workloadPool(g)}[${ctx.namespace}/${collectorServiceAccount}]`,
        },
        ctx.opts(),
    );
    const grants = collectorRoles(ctx.spec.otel.metrics).map(
        (role) =>
            new projects.IAMMember(
                `${ctx.name}-otel-${role.split("/")[1].replace(/\./g, "-").toLowerCase()}`,
                { project: g.project, role, member: pulumi.interpolate`serviceAccount:${gsa.email}` },
                ctx.opts(),
            ),
    );
    const backend = gcpCollectorBackend(g.project, ctx.spec.otel.metrics);
    return {
        config: backend,
        pipelines: backend.pipelines,
        identity: { serviceAccountAnnotations: { "iam.gke.io/gcp-service-account": gsa.email }, podLabels: {}, principal: gsa.email, dependsOn: grants },
    };
}
