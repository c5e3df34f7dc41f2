// Validates Kubernetes objects against the real OpenAPI schemas shipped by the
// `kubernetes-models` family (core API, GKE CRDs, Gateway API). An object whose
// apiVersion/kind has no known model fails: nothing is skipped silently.
const dynamicImport = new Function("s", "return import(s)") as (s: string) => Promise<any>;

function modulePath(apiVersion: string, kind: string): string {
    const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
    if (group === "") return `kubernetes-models/${version}/${kind}`;
    if (group.endsWith(".gke.io") || group === "cloud.google.com") return `@kubernetes-models/gke/${group}/${version}/${kind}`;
    if (group === "gateway.networking.k8s.io") return `@kubernetes-models/gateway-api/${group}/${version}/${kind}`;
    return `kubernetes-models/${group}/${version}/${kind}`;
}

/**
 * CRDs with no published model package: JSON schemas transcribed from the vendor's API reference
 * (closed objects, so a misspelt field fails as it would against the CRD's structural schema).
 * - alb.networking.azure.io/v1 RoutePolicy: Microsoft, "Application Gateway for Containers API
 *   specification for Kubernetes" (RoutePolicySpec, RoutePolicyConfig, RouteTimeouts;
 *   targetRef is a Gateway API PolicyTargetReference; durations are meta/v1 Durations).
 */
const DURATION = "^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$";
const CRD_SCHEMAS: Record<string, object> = {
    "alb.networking.azure.io/v1/RoutePolicy": {
        type: "object",
        required: ["apiVersion", "kind", "metadata", "spec"],
        additionalProperties: false,
        properties: {
            apiVersion: { const: "alb.networking.azure.io/v1" },
            kind: { const: "RoutePolicy" },
            metadata: {
                type: "object",
                required: ["name"],
                properties: {
                    name: { type: "string", pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", maxLength: 253 },
                    namespace: { type: "string" },
                    labels: { type: "object", additionalProperties: { type: "string" } },
                    annotations: { type: "object" },
                },
            },
            spec: {
                type: "object",
                required: ["targetRef"],
                additionalProperties: false,
                properties: {
                    targetRef: {
                        type: "object",
                        required: ["group", "kind", "name"],
                        additionalProperties: false,
                        properties: {
                            group: { type: "string" },
                            kind: { type: "string", minLength: 1 },
                            name: { type: "string", minLength: 1 },
                            namespace: { type: "string" },
                        },
                    },
                    default: { $ref: "#/$defs/config" },
                    override: { $ref: "#/$defs/config" },
                },
            },
        },
        $defs: {
            config: {
                type: "object",
                additionalProperties: false,
                properties: {
                    timeouts: { type: "object", additionalProperties: false, properties: { routeTimeout: { type: "string", pattern: DURATION } } },
                    sessionAffinity: {
                        type: "object",
                        required: ["affinityType"],
                        additionalProperties: false,
                        properties: {
                            affinityType: { enum: ["application-cookie", "managed-cookie"] },
                            cookieName: { type: "string" },
                            cookieDuration: { type: "string", pattern: DURATION },
                        },
                    },
                },
            },
        },
    },
};

/**
 * CRDs shipped upstream beside the checkout (../shared/e2e-toolchain/crds, unmodified, with their
 * license): the served version's openAPIV3Schema, read once. CloudNativePG v1.30.0 for now.
 */
const UPSTREAM_CRDS: Record<string, string> = { "postgresql.cnpg.io": "cloudnative-pg-v1.30.0" };
export const UPSTREAM_CRD_DIR = require("path").resolve(__dirname, "../../shared/e2e-toolchain/crds");
function upstreamCrdSchema(apiVersion: string, kind: string): object | undefined {
    const [group, version] = String(apiVersion).split("/");
    const dir = UPSTREAM_CRDS[group];
    if (!dir) return undefined;
    const key = `${apiVersion}/${kind}`;
    if (!CRD_SCHEMAS[key]) {
        const fs = require("fs"),
            path = require("path");
        const file = path.join(UPSTREAM_CRD_DIR, dir, `${group}_${kind.toLowerCase()}s.yaml`);
        const crd = require("yaml").parse(fs.readFileSync(file, "utf8"));
        const v = crd.spec.versions.find((x: any) => x.name === version);
        if (!v) throw new Error(`${file} serves no version ${version}`);
        CRD_SCHEMAS[key] = v.schema.openAPIV3Schema;
    }
    return CRD_SCHEMAS[key];
}

const compiled = new WeakMap<object, any>();
function validateCrd(obj: any, schema: object): void {
    const Ajv = require("ajv").default;
    if (!compiled.has(schema)) compiled.set(schema, new Ajv({ allErrors: true, strict: false, logger: false }).compile(schema));
    const validate = compiled.get(schema);
    if (!validate(obj)) {
        throw new Error(
            `${obj.kind} ${obj.metadata?.name}: ${validate.errors.map((e: any) => `${e.instancePath || "/"} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ""}`).join("; ")}`,
        );
    }
}

/** Strips Pulumi-only fields and validates; throws with the schema errors. */
export async function validateK8sObject(obj: any): Promise<void> {
    if (!obj || !obj.apiVersion || !obj.kind) throw new Error(`not a Kubernetes object: ${JSON.stringify(obj)?.slice(0, 200)}`);
    const crd = CRD_SCHEMAS[`${obj.apiVersion}/${obj.kind}`] ?? upstreamCrdSchema(obj.apiVersion, obj.kind);
    if (crd) return validateCrd(JSON.parse(JSON.stringify(obj)), crd);
    const path = modulePath(obj.apiVersion, obj.kind);
    let mod: any;
    try {
        mod = path.startsWith("@kubernetes-models/gke") ? require(path) : await dynamicImport(path);
    } catch (e) {
        throw new Error(`no schema model for ${obj.apiVersion} ${obj.kind} (${path}): ${(e as Error).message}`, { cause: e });
    }
    const Model = mod[obj.kind] ?? mod.default;
    const instance = new Model(JSON.parse(JSON.stringify(obj)));
    try {
        instance.validate();
    } catch (e) {
        throw new Error(`${obj.kind} ${obj.metadata?.name}: ${(e as Error).message}`, { cause: e });
    }
}

/** Kubernetes resources among the registered ones, as plain objects. */
export function kubernetesObjects(registered: { type: string; inputs: any }[]): any[] {
    const { unwrapSecrets } = require("./harness");
    return registered.filter((r) => r.type.startsWith("kubernetes:") && r.inputs && r.inputs.kind).map((r) => unwrapSecrets(r.inputs));
}
