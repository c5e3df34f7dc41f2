// Secret hygiene: no annotation, message or plain output may let a secret be read or confirmed.
// - hashes over secret material are keyed (HMAC-SHA256) with a key that is itself a Pulumi
//   secret (the release's generated WEBUI_SECRET_KEY): a guessed header or API key cannot be
//   confirmed against the `openwebui.io/config-hash` annotation, which is plain in the pod spec;
// - Secret names that are refused are never echoed (a pasted `.dockerconfigjson` or token lands
//   in the name field more often than one thinks);
// - an OTLP exporter that sends headers (API keys) is refused over plain http://.
import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { hasUrlCredentials, isKnown, problem } from "./errors";

/** A Kubernetes object name (DNS-1123 subdomain, 253 characters at most). */
const SECRET_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** HMAC-SHA256 of `data` (JSON) keyed with `key`, 16 hex characters; plain (not secret) so it can be an annotation. */
export function keyedHash(key: pulumi.Input<string>, data: pulumi.Input<unknown>): pulumi.Output<string> {
    return pulumi.unsecret(
        pulumi
            .all([pulumi.secret(key), pulumi.output(data)])
            .apply(([k, d]) => crypto.createHmac("sha256", `openwebui.io/config-hash:${k}`).update(JSON.stringify(d)).digest("hex").slice(0, 16)),
    );
}

/**
 * A Secret name (image pull Secret, envFrom Secret): refused without repeating the value, which
 * is then often the secret itself. Outputs are left to the API server.
 */
export function secretNameProblem(field: string, v: unknown): string | undefined {
    if (!isKnown(v)) return undefined;
    if (typeof v === "string" && SECRET_NAME.test(v)) return undefined;
    const kind = typeof v !== "string" ? `a ${Array.isArray(v) ? "list" : typeof v}` : `${v.length} characters, not a Secret name`;
    return problem(
        field,
        `<redacted: ${kind}>`,
        "give the name of a Kubernetes Secret in the release namespace (a lowercase DNS subdomain such as regcred), never its content",
    );
}

/** Secret-bearing OTLP export over plain http:// (headers usually carry the backend's API key). */
export function otelTransportProblems(otel: { exporterEndpoint?: unknown; exporterHeaders?: unknown; collectorEndpoint?: unknown }): string[] {
    // The existing collector's URL becomes OTEL_EXPORTER_OTLP_ENDPOINT, a plain env value of every pod.
    if (hasUrlCredentials(otel.collectorEndpoint)) {
        return [
            problem(
                "otel.collectorEndpoint",
                "<redacted>",
                "credentials in the URL would be a literal secret in the pod spec (OTEL_EXPORTER_OTLP_ENDPOINT): remove them (Open WebUI sends no credentials to its collector; keep the collector inside the cluster, or behind a NetworkPolicy)",
            ),
        ];
    }
    const headers = otel.exporterHeaders;
    const hasHeaders = headers !== undefined && (!isKnown(headers) || Object.keys(headers as object).length > 0);
    const endpoint = otel.exporterEndpoint;
    if (!hasHeaders || !isKnown(endpoint) || typeof endpoint !== "string" || !/^http:\/\//i.test(endpoint)) return [];
    return [
        problem(
            "otel.exporterEndpoint",
            endpoint,
            "otel.exporterHeaders (API keys, tokens) would travel in clear text: use the https:// endpoint of your backend, or drop the headers",
        ),
    ];
}

/** The same rule once an Output endpoint is known (inside the collector Secret's apply): fails the deployment. */
export function assertOtelTransport(endpoint: string, headerCount: number): void {
    if (headerCount > 0 && /^http:\/\//i.test(endpoint)) {
        throw new Error(
            "OpenWebUiCluster: otel.exporterEndpoint: resolved to an http:// URL while otel.exporterHeaders are set; the headers (API keys) would travel in clear text: use https://, or drop the headers",
        );
    }
}
