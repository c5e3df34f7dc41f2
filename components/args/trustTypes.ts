// Trusted certificate authorities: a private CA bundle every TLS client of the release trusts.
import * as pulumi from "@pulumi/pulumi";

/**
 * A CA bundle (PEM) in an existing ConfigMap or Secret of the release namespace (e.g. written by
 * cert-manager's trust-manager or External Secrets), trusted by every container that makes TLS
 * calls: Open WebUI and its migration Job (an internal IdP, OpenAI-compatible gateway, Redis,
 * S3 endpoint or external Postgres behind a private CA) and the OTEL collector (its exporter).
 * It is added to the public roots, not substituted for them. Exactly one of `configMapName`,
 * `secretName`.
 */
export interface TrustedCa {
    /** ConfigMap holding the bundle. Default: none. */
    configMapName?: pulumi.Input<string>;
    /** Secret holding the bundle. Default: none. */
    secretName?: pulumi.Input<string>;
    /** Key of the bundle in the ConfigMap/Secret. Default: `ca.crt`. */
    key?: pulumi.Input<string>;
}
