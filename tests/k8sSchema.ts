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

/** Strips Pulumi-only fields and validates; throws with the schema errors. */
export async function validateK8sObject(obj: any): Promise<void> {
    if (!obj || !obj.apiVersion || !obj.kind) throw new Error(`not a Kubernetes object: ${JSON.stringify(obj)?.slice(0, 200)}`);
    const path = modulePath(obj.apiVersion, obj.kind);
    let mod: any;
    try {
        mod = path.startsWith("@kubernetes-models/gke") ? require(path) : await dynamicImport(path);
    } catch (e) {
        throw new Error(`no schema model for ${obj.apiVersion} ${obj.kind} (${path}): ${(e as Error).message}`);
    }
    const Model = mod[obj.kind] ?? mod.default;
    const instance = new Model(JSON.parse(JSON.stringify(obj)));
    try {
        instance.validate();
    } catch (e) {
        throw new Error(`${obj.kind} ${obj.metadata?.name}: ${(e as Error).message}`);
    }
}

/** Kubernetes resources among the registered ones, as plain objects. */
export function kubernetesObjects(registered: { type: string; inputs: any }[]): any[] {
    const { unwrapSecrets } = require("./harness");
    return registered.filter((r) => r.type.startsWith("kubernetes:") && r.inputs && r.inputs.kind).map((r) => unwrapSecrets(r.inputs));
}
