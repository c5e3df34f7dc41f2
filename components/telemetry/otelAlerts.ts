// Kubernetes-level alerting, opt-in on every target: a PrometheusRule (Prometheus Operator CRD;
// the component cannot detect CRDs at construction, so it is an explicit switch) and one Grafana
// dashboard as a ConfigMap the Grafana sidecar picks up by its label.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { ResolvedSpec } from "../spec/specTypes";

/** Thresholds, documented in the README's Observability table. */
export const ALERT_THRESHOLDS = {
    /** Minutes the Deployment may stay below `replicas.min` available before it fires. */
    belowMinimumForMinutes: 5,
    /** Days before a cert-manager certificate of the release expires. */
    certificateExpiryDays: 14,
};

/** The rules (pure: tests read them). `ns` is the namespace, `name` the component. */
export function alertRules(name: string, ns: string, minAvailable: number): object[] {
    const sel = `namespace="${ns}"`;
    return [
        {
            alert: "OpenWebUiBelowMinimumAvailable",
            expr: `kube_deployment_status_replicas_available{${sel},deployment="${name}"} < ${minAvailable}`,
            for: `${ALERT_THRESHOLDS.belowMinimumForMinutes}m`,
            labels: { severity: "critical" },
            annotations: { summary: `Open WebUI ${ns}/${name}: fewer than ${minAvailable} pods available (replicas.min)` },
        },
        {
            alert: "OpenWebUiMigrationJobFailed",
            expr: `kube_job_status_failed{${sel},job_name=~"${name}-migrate-.*"} > 0`,
            labels: { severity: "critical" },
            annotations: { summary: `Open WebUI ${ns}/${name}: the migration Job failed; the new version is not serving (kubectl logs job/<name>)` },
        },
        {
            alert: "OpenWebUiCertificateExpiring",
            expr: `certmanager_certificate_expiration_timestamp_seconds{${sel}} - time() < ${ALERT_THRESHOLDS.certificateExpiryDays} * 86400`,
            for: "1h",
            labels: { severity: "warning" },
            annotations: { summary: `A certificate in ${ns} expires within ${ALERT_THRESHOLDS.certificateExpiryDays} days (cert-manager did not renew it)` },
        },
    ];
}

/** A small dashboard: availability, restarts, CPU and memory of the release's pods. */
export function dashboardJson(name: string, ns: string): string {
    const panel = (id: number, title: string, expr: string, y: number) => ({
        id,
        title,
        type: "timeseries",
        gridPos: { h: 8, w: 12, x: (id % 2) * 12, y },
        targets: [{ expr, refId: "A" }],
    });
    const pods = `namespace="${ns}",pod=~"${name}-.*"`;
    return JSON.stringify({
        uid: `openwebui-${ns}-${name}`.slice(0, 40),
        title: `Open WebUI ${ns}/${name}`,
        schemaVersion: 39,
        tags: ["open-webui"],
        time: { from: "now-6h", to: "now" },
        panels: [
            panel(0, "Available replicas", `kube_deployment_status_replicas_available{namespace="${ns}",deployment="${name}"}`, 0),
            panel(1, "Container restarts (1h)", `sum by (pod) (increase(kube_pod_container_status_restarts_total{${pods}}[1h]))`, 0),
            panel(2, "CPU (cores)", `sum by (pod) (rate(container_cpu_usage_seconds_total{${pods},container!=""}[5m]))`, 8),
            panel(3, "Memory (working set)", `sum by (pod) (container_memory_working_set_bytes{${pods},container!=""})`, 8),
        ],
    });
}

export function createAlerting(
    name: string,
    spec: ResolvedSpec,
    namespace: pulumi.Input<string>,
    labels: { [key: string]: string },
    opts: pulumi.CustomResourceOptions,
): void {
    if (spec.otel.prometheusRule) {
        new k8s.apiextensions.CustomResource(
            `${name}-alerts`,
            {
                apiVersion: "monitoring.coreos.com/v1",
                kind: "PrometheusRule",
                metadata: { name: `${name}-alerts`, namespace, labels },
                spec: { groups: [{ name: `open-webui-${name}`, rules: alertRules(name, spec.namespace, spec.replicas.min) }] },
            },
            opts,
        );
    }
    if (spec.otel.grafanaDashboard) {
        new k8s.core.v1.ConfigMap(
            `${name}-dashboard`,
            {
                metadata: { name: `${name}-dashboard`, namespace, labels: { ...labels, grafana_dashboard: "1" } },
                data: { "open-webui.json": dashboardJson(name, spec.namespace) },
            },
            opts,
        );
    }
}
