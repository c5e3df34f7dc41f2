// What the release's TLS clients trust, besides the public roots:
// - the database CA: the cloud's CA for its managed Postgres (providers/<cloud>/database.ts
//   supplies it), mounted from a ConfigMap the core creates; DATABASE_URL names it
//   (`sslrootcert`, with `sslmode=verify-full|verify-ca`) and the bootstrap Job's psql reads it
//   (PGSSLROOTCERT);
// - `trustedCa`: a private bundle in an existing ConfigMap/Secret, for every other TLS call.
//   Python (Open WebUI, its migration Job): a `trusted-ca` init container concatenates the image's
//   public roots with it into an emptyDir, and SSL_CERT_FILE (ssl/OpenSSL: aiohttp, redis-py,
//   httpx) and REQUESTS_CA_BUNDLE (requests) point there, so public endpoints keep working.
//   Go (the OTEL collector): SSL_CERT_DIR lists the bundle's directory beside /etc/ssl/certs;
//   Go reads every file of every listed directory, on top of its system bundle.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { DEFAULTS } from "./defaults";
import { isKnown, problem } from "./errors";
import { DNS_SUBDOMAIN } from "../kubernetes/podKnobs";
import { restrictedContainerSecurity } from "../kubernetes/security";
import type { TrustedCa } from "../args/trustTypes";

type Volume = k8s.types.input.core.v1.Volume;
type VolumeMount = k8s.types.input.core.v1.VolumeMount;
type Container = k8s.types.input.core.v1.Container;
type EnvVar = k8s.types.input.core.v1.EnvVar;

/** Where the database CA (`ca.crt`) is mounted. */
export const DB_CA_DIR = "/etc/open-webui/db-ca";
export const DB_CA_FILE = `${DB_CA_DIR}/ca.crt`;
/** Where `trustedCa`'s bundle is mounted (as `ca.crt`). */
export const TRUSTED_CA_DIR = "/etc/open-webui/trusted-ca";
/** The combined bundle (public roots + `trustedCa`) the Python clients read. */
export const CA_BUNDLE_DIR = "/etc/open-webui/ca-bundle";
export const CA_BUNDLE_FILE = `${CA_BUNDLE_DIR}/ca-bundle.crt`;
/** Env the trust settings own (refused in `extraEnv`). */
export const TRUST_ENV = ["SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "PGSSLROOTCERT"];

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

export function trustedCaProblems(t: TrustedCa | undefined): string[] {
    if (t === undefined) return [];
    const out: string[] = [];
    const given = [t.configMapName !== undefined, t.secretName !== undefined].filter(Boolean).length;
    if (given !== 1)
        out.push(
            problem(
                "trustedCa",
                given ? "configMapName and secretName" : "neither configMapName nor secretName",
                "set exactly one: the ConfigMap or the Secret holding the PEM bundle",
            ),
        );
    for (const f of ["configMapName", "secretName"] as const) {
        const v = t[f];
        if (isKnown(v) && typeof v === "string" && !(v.length <= 253 && DNS_SUBDOMAIN.test(v)))
            out.push(problem(`trustedCa.${f}`, v, "use a Kubernetes object name (lowercase DNS subdomain)"));
    }
    if (isKnown(t.key) && typeof t.key === "string" && !CONFIG_KEY.test(t.key))
        out.push(problem("trustedCa.key", t.key, "use a ConfigMap/Secret key (letters, digits, '-', '_', '.')"));
    return out;
}

/** The `trusted-ca` volume: the bundle as `ca.crt`. */
export function trustedCaVolume(t: TrustedCa): Volume {
    const items = [{ key: t.key ?? DEFAULTS["trustedCa.key"].value, path: "ca.crt" }];
    return t.secretName !== undefined
        ? { name: "trusted-ca", secret: { secretName: t.secretName, items } }
        : { name: "trusted-ca", configMap: { name: t.configMapName!, items } };
}

/**
 * The `trusted-ca` init container's script (Open WebUI image, `sh`): the image's public roots
 * (Debian's bundle, or certifi's where an image has none) followed by the private bundle.
 */
export const TRUSTED_CA_SCRIPT = [
    "set -eu",
    "roots=/etc/ssl/certs/ca-certificates.crt",
    `[ -s "$roots" ] || roots="$(python -c 'import certifi; print(certifi.where())')"`,
    `cat "$roots" "${TRUSTED_CA_DIR}/ca.crt" > "${CA_BUNDLE_FILE}"`,
    `echo "trusted-ca: $(grep -c 'BEGIN CERTIFICATE' "${CA_BUNDLE_FILE}") certificates ($roots + ${TRUSTED_CA_DIR}/ca.crt)"`,
].join("\n");

/** What an Open WebUI pod (Deployment or migration Job) gets for `trustedCa` and the database CA. */
export interface PythonTrust {
    volumes: Volume[];
    mounts: VolumeMount[];
    initContainers: Container[];
    env: EnvVar[];
}

export function pythonTrust(
    t: TrustedCa | undefined,
    dbCaConfigMapName: pulumi.Input<string> | undefined,
    image: { ref: string; pullPolicy: string },
): PythonTrust {
    const out: PythonTrust = { volumes: [], mounts: [], initContainers: [], env: [] };
    if (dbCaConfigMapName !== undefined) {
        out.volumes.push({ name: "db-ca", configMap: { name: dbCaConfigMapName, items: [{ key: "ca.crt", path: "ca.crt" }] } });
        out.mounts.push({ name: "db-ca", mountPath: DB_CA_DIR, readOnly: true });
    }
    if (t === undefined) return out;
    out.volumes.push(trustedCaVolume(t), { name: "ca-bundle", emptyDir: { sizeLimit: "16Mi" } });
    // The private bundle itself stays mounted: an external `sslrootcert=` may name it.
    out.mounts.push({ name: "trusted-ca", mountPath: TRUSTED_CA_DIR, readOnly: true }, { name: "ca-bundle", mountPath: CA_BUNDLE_DIR, readOnly: true });
    out.initContainers.push({
        name: "trusted-ca",
        image: image.ref,
        imagePullPolicy: image.pullPolicy,
        command: ["sh", "-c", TRUSTED_CA_SCRIPT],
        volumeMounts: [
            { name: "trusted-ca", mountPath: TRUSTED_CA_DIR, readOnly: true },
            { name: "ca-bundle", mountPath: CA_BUNDLE_DIR },
        ],
        securityContext: restrictedContainerSecurity(true),
        resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } },
    });
    out.env.push({ name: "SSL_CERT_FILE", value: CA_BUNDLE_FILE }, { name: "REQUESTS_CA_BUNDLE", value: CA_BUNDLE_FILE });
    return out;
}

/** The collector (Go, distroless): the bundle's directory beside the system one. */
export function goTrust(t: TrustedCa | undefined): { volumes: Volume[]; mounts: VolumeMount[]; env: EnvVar[] } {
    if (t === undefined) return { volumes: [], mounts: [], env: [] };
    return {
        volumes: [trustedCaVolume(t)],
        mounts: [{ name: "trusted-ca", mountPath: TRUSTED_CA_DIR, readOnly: true }],
        env: [{ name: "SSL_CERT_DIR", value: `${TRUSTED_CA_DIR}:/etc/ssl/certs` }],
    };
}
