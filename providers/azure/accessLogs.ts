// Access logs on azure: diagnostic settings (hardening.accessLogs): every log category (categoryGroup `allLogs`) and the
// metrics of PostgreSQL, Redis, the blob service and a bring-your-own Application Gateway for
// Containers, sent to one Log Analytics workspace: `azure.logAnalyticsWorkspaceId`, or one the
// component creates (PerGB2018, retention hardening.accessLogRetentionDays).
import * as pulumi from "@pulumi/pulumi";
import * as monitor from "@pulumi/azure-native/monitor";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import type { ResolvedSpec } from "../../components/spec/spec";
import type { ProviderContext } from "../../components/platform/port";
import { dnsLabel, shared } from "./shared";

export const DEFAULT_WORKSPACE_RETENTION_DAYS = 30;
/** ARM id of a Log Analytics workspace. */
export const WORKSPACE_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.OperationalInsights\/workspaces\/[^/]+$/i;

export function accessLogsOn(spec: ResolvedSpec): boolean {
    return spec.hardening.accessLogs !== false;
}

const workspaces = new WeakMap<pulumi.Resource, pulumi.Input<string>>();

/** The workspace the settings send to: the user's, or one created once per component. */
export function logWorkspaceId(ctx: ProviderContext): pulumi.Input<string> {
    const known = workspaces.get(ctx.parent);
    if (known !== undefined) return known;
    const s = shared(ctx);
    let id: pulumi.Input<string>;
    if (s.args.logAnalyticsWorkspaceId !== undefined) {
        id = s.args.logAnalyticsWorkspaceId;
    } else {
        const ws = new operationalinsights.Workspace(
            `${ctx.name}-logs`,
            {
                resourceGroupName: s.resourceGroupName,
                location: s.location,
                sku: { name: "PerGB2018" },
                retentionInDays: ctx.spec.hardening.accessLogRetentionDays ?? DEFAULT_WORKSPACE_RETENTION_DAYS,
                tags: ctx.tags,
            },
            ctx.opts(),
        );
        id = ws.id;
    }
    workspaces.set(ctx.parent, id);
    return id;
}

/** What one setting collects: every log category (`allLogs`) and/or one metric category. */
export interface Collect {
    logs: boolean;
    /** `AllMetrics` for most resources; the blob service's is `Transaction`. */
    metrics?: string;
}

/**
 * A diagnostic setting on `resourceUri` (`${name}-<role>-diagnostics`), or undefined with
 * hardening.accessLogs=false. A lock on the resource must depend on it: deleting a setting under
 * a CanNotDelete lock fails (ScopeLocked), so the lock has to go first on destroy.
 */
export function diagnosticSetting(
    ctx: ProviderContext,
    role: string,
    resourceUri: pulumi.Input<string>,
    collect: Collect,
    dependsOn: pulumi.Resource[] = [],
): monitor.DiagnosticSetting | undefined {
    if (!accessLogsOn(ctx.spec)) return undefined;
    return new monitor.DiagnosticSetting(
        `${ctx.name}-${role}-diagnostics`,
        {
            name: `${dnsLabel(ctx.name)}-${role}`,
            resourceUri,
            workspaceId: logWorkspaceId(ctx),
            ...(collect.logs ? { logs: [{ categoryGroup: "allLogs", enabled: true }] } : {}),
            ...(collect.metrics ? { metrics: [{ category: collect.metrics, enabled: true }] } : {}),
        },
        ctx.opts({ dependsOn }),
    );
}

/** The resources a lock must wait for (and outlive on destroy): the settings that exist. */
export function present(...r: (pulumi.Resource | undefined)[]): pulumi.Resource[] {
    return r.filter((x): x is pulumi.Resource => x !== undefined);
}
