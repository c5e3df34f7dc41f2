// The collector's Azure backend: an Application Insights component (workspace-based, on the Log
// Analytics workspace the diagnostic settings use: accessLogs.ts) receiving traces, logs and
// (when on) metrics through the contrib `azuremonitor` exporter.
//
// Why a connection string and not the workload identity: the `azuremonitor` exporter in the
// pinned collector image authenticates with the component's connection string (an ingestion key:
// it writes, it cannot read); Azure Monitor's OTLP ingestion with the `azureauth` extension
// (Entra ID through workload identity) is in preview. Neither module is served by the Go module
// proxy here, so this config cannot be loaded by the validation collector (tests say so).
import * as applicationinsights from "@pulumi/azure-native/applicationinsights";
import type { CollectorBackendConfig, ProviderContext, TelemetryBackend } from "../../components/platform/port";
import { logWorkspaceId } from "./accessLogs";
import { shared } from "./shared";

/** Collector env var holding the Application Insights connection string (from its Secret). */
export const APPINSIGHTS_ENV = "APPLICATIONINSIGHTS_CONNECTION_STRING";

/** The collector's exporter (pure: tests render it). */
export function azureCollectorBackend(metrics: boolean): CollectorBackendConfig {
    return {
        extensions: {},
        exporters: {
            azuremonitor: {
                connection_string: `\${env:${APPINSIGHTS_ENV}}`,
                sending_queue: { enabled: true, queue_size: 5000 },
            },
        },
        pipelines: { traces: ["azuremonitor"], logs: ["azuremonitor"], metrics: metrics ? ["azuremonitor"] : [] },
    };
}

export function createTelemetry(ctx: ProviderContext): TelemetryBackend {
    const s = shared(ctx);
    const insights = new applicationinsights.Component(
        `${ctx.name}-insights`,
        {
            resourceGroupName: s.resourceGroupName,
            location: s.location,
            kind: "web",
            applicationType: "web",
            ingestionMode: "LogAnalytics",
            workspaceResourceId: logWorkspaceId(ctx),
            retentionInDays: ctx.spec.otel.logRetentionDays,
            tags: ctx.tags,
        },
        ctx.opts(),
    );
    const backend = azureCollectorBackend(ctx.spec.otel.metrics);
    return {
        config: backend,
        pipelines: backend.pipelines,
        secretEnv: { [APPINSIGHTS_ENV]: insights.connectionString },
        identity: { serviceAccountAnnotations: {}, podLabels: {}, principal: insights.appId },
    };
}
