// The component's inputs as schema.json describes them, for tests that generate args from the
// schema (tests/inputTypes.test.ts, tests/property.test.ts): every leaf property with its path,
// type and whether it is plain; a minimal valid spec per target.
import * as fs from "fs";
import * as path from "path";

export const schema = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "schema.json"), "utf8"));
export const TOKEN = "openwebui:index:OpenWebUiCluster";
export const TARGETS = ["kubernetes", "aws", "gcp", "azure"] as const;
export type Target = (typeof TARGETS)[number];

export interface Leaf {
    /** Dotted path (`replicas.min`); `[]` stands for a list item, `{}` for a map value. */
    path: string[];
    kind: "string" | "number" | "boolean" | "enum" | "any";
    enumValues?: string[];
    plain: boolean;
    /** Within Kubernetes API types (Volume, Affinity, ...), walked only one level. */
    k8sType: boolean;
}

/** Types copied from the Kubernetes API: their leaves are numerous and checked by Kubernetes' own schema. */
const K8S_TYPES = new Set(["Affinity", "Volume", "Toleration", "TopologySpreadConstraint", "VolumeMount"].map((t) => `openwebui:index:${t}`));

/** Every leaf input property (Kubernetes API types stop at their top). */
export function leaves(): Leaf[] {
    const out: Leaf[] = [];
    const walk = (p: any, at: string[], plain: boolean, k8s: boolean, depth: number) => {
        if (depth > 8) return;
        if (p.$ref?.startsWith("#/types/")) {
            const name = p.$ref.slice(8);
            const t = schema.types[name];
            if (t.enum) return void out.push({ path: at, kind: "enum", enumValues: t.enum.map((e: any) => e.value), plain: !!p.plain, k8sType: k8s });
            if (K8S_TYPES.has(name)) return void out.push({ path: at, kind: "any", plain: !!p.plain, k8sType: true });
            for (const [k, sub] of Object.entries<any>(t.properties ?? {})) walk(sub, [...at, k], !!sub.plain, k8s, depth + 1);
            return;
        }
        if (p.type === "array") return walk(p.items, [...at, "[]"], !!p.items.plain, k8s, depth + 1);
        if (p.type === "object" && p.additionalProperties) return walk(p.additionalProperties, [...at, "{}"], !!p.additionalProperties.plain, k8s, depth + 1);
        if (p.$ref === "pulumi.json#/Any") return void out.push({ path: at, kind: "any", plain, k8sType: k8s });
        out.push({ path: at, kind: p.type === "integer" ? "number" : p.type, plain, k8sType: k8s });
    };
    for (const [k, p] of Object.entries<any>(schema.resources[TOKEN].inputProperties)) walk(p, [k], !!p.plain, false, 0);
    return out;
}

/** `path` set to `value` in a copy of `base` (lists get one item, maps the key `X_KEY`). */
export function setPath(base: any, at: string[], value: unknown): any {
    const root = structuredCloneLoose(base);
    let cur: any = root;
    for (let i = 0; i < at.length; i++) {
        const last = i === at.length - 1;
        const part = at[i] === "[]" ? 0 : at[i] === "{}" ? "X_KEY" : at[i];
        const nextIsList = at[i + 1] === "[]";
        if (last) cur[part] = value;
        else {
            if (cur[part] === undefined || cur[part] === null || typeof cur[part] !== "object") cur[part] = nextIsList ? [] : {};
            cur = cur[part];
        }
    }
    return root;
}

/** A deep copy that keeps Outputs and other class instances by reference. */
export function structuredCloneLoose(v: any): any {
    if (Array.isArray(v)) return v.map(structuredCloneLoose);
    if (v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype)
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, structuredCloneLoose(x)]));
    return v;
}

const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";
const VNET = `${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/aks-vnet`;

/** A minimal valid spec per target (the cloud blocks as the cloud tests use them). */
export function baseSpec(target: Target): any {
    const common = { target, hostname: "chat.example.com" };
    switch (target) {
        case "kubernetes":
            return common;
        case "aws":
            return {
                ...common,
                aws: {
                    vpcId: "vpc-0a1b2c3d",
                    privateSubnetIds: ["subnet-0a1", "subnet-0b2", "subnet-0c3"],
                    eks: { clusterName: "prod", securityGroupIds: ["sg-0123abcd"] },
                    certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab",
                },
            };
        case "gcp":
            return { ...common, gcp: { project: "proj-123", region: "europe-west1", network: "projects/proj-123/global/networks/vpc" } };
        case "azure":
            return {
                ...common,
                tls: { secretName: "chat-tls" },
                azure: {
                    resourceGroupName: "rg-owui",
                    location: "westeurope",
                    vnetId: VNET,
                    postgresSubnetCidr: "10.240.8.0/28",
                    privateEndpointSubnetId: `${VNET}/subnets/private-endpoints`,
                    aksOidcIssuerUrl: "https://westeurope.oic.prod-aks.azure.com/tenant-id/cluster-uuid/",
                    ingress: {
                        agc: {
                            resourceId: `${SUB}/resourceGroups/rg-agc/providers/Microsoft.ServiceNetworking/trafficControllers/agc`,
                            frontendName: "owui-frontend",
                        },
                    },
                },
            };
    }
}

/** The target a leaf belongs to (its cloud block), or undefined for a neutral one. */
export function targetOf(l: Leaf): Target | undefined {
    return (["aws", "gcp", "azure"] as const).find((t) => l.path[0] === t);
}
