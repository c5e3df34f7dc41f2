// Shared mock harness: records every resource the program registers, answers invokes
// for the tokens we expect (and throws for the rest so a new invoke cannot pass silently).
import * as pulumi from "@pulumi/pulumi";

export interface Registered {
    type: string;
    name: string;
    inputs: any;
    custom: boolean;
    provider?: string;
}

export const registered: Registered[] = [];

/** Outputs a mocked cloud resource returns on top of its inputs (values only the cloud knows). */
function cloudOutputs(args: pulumi.runtime.MockResourceArgs): Record<string, any> {
    const n = args.name;
    switch (args.type) {
        case "aws:rds/cluster:Cluster":
        case "aws:rds/instance:Instance":
            return { endpoint: `${n}.cluster-abc.eu-west-1.rds.amazonaws.com`, address: `${n}.abc.eu-west-1.rds.amazonaws.com`, port: 5432, arn: `arn:aws:rds:eu-west-1:123456789012:cluster:${n}`, clusterResourceId: "cluster-ABCDEF", resourceId: "db-ABCDEF" };
        case "aws:elasticache/replicationGroup:ReplicationGroup":
            return { primaryEndpointAddress: `master.${n}.abc.euw1.cache.amazonaws.com`, configurationEndpointAddress: `clustercfg.${n}.abc.euw1.cache.amazonaws.com`, port: 6379, arn: `arn:aws:elasticache:eu-west-1:123456789012:replicationgroup:${n}` };
        case "aws:s3/bucket:Bucket":
        case "aws:s3/bucketV2:BucketV2":
            return { bucket: args.inputs.bucket ?? `${n}-bucket`, arn: `arn:aws:s3:::${args.inputs.bucket ?? `${n}-bucket`}` };
        case "aws:iam/role:Role":
        case "aws:iam/policy:Policy":
            return { arn: `arn:aws:iam::123456789012:${args.type.endsWith("Role") ? "role" : "policy"}/${n}`, name: args.inputs.name ?? n };
        case "aws:kms/key:Key":
            return { arn: `arn:aws:kms:eu-west-1:123456789012:key/${n}`, keyId: `${n}-key-id` };
        case "aws:ec2/securityGroup:SecurityGroup":
            return { arn: `arn:aws:ec2:eu-west-1:123456789012:security-group/sg-${n}` };
        case "gcp:sql/databaseInstance:DatabaseInstance":
            return { privateIpAddress: "10.10.0.3", connectionName: `proj:region:${n}`, name: args.inputs.name ?? n };
        case "gcp:redis/instance:Instance":
            return { host: "10.10.1.4", port: 6378, authString: "mock-redis-auth", serverCaCerts: [{ cert: "-----BEGIN CERTIFICATE-----\nMOCK\n-----END CERTIFICATE-----\n" }] };
        case "gcp:storage/bucket:Bucket":
            return { name: args.inputs.name ?? n, url: `gs://${args.inputs.name ?? n}` };
        case "gcp:serviceaccount/account:Account":
            return { email: `${args.inputs.accountId ?? n}@proj.iam.gserviceaccount.com`, name: `projects/proj/serviceAccounts/${n}` };
        case "gcp:compute/globalAddress:GlobalAddress":
            return { address: "34.120.0.10", name: args.inputs.name ?? n };
        default:
            return {};
    }
}

pulumi.runtime.setMocks(
    {
        newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: any } {
            registered.push({ type: args.type, name: args.name, inputs: args.inputs, custom: args.custom ?? true, provider: args.provider });
            const id = args.inputs.name && typeof args.inputs.name === "string" ? args.inputs.name : `${args.name}-id`;
            return { id, state: { ...args.inputs, ...cloudOutputs(args) } };
        },
        call(args: pulumi.runtime.MockCallArgs): Record<string, any> {
            const handler = invokes[args.token];
            if (!handler) throw new Error(`unmocked invoke ${args.token}`);
            return handler(args.inputs);
        },
    },
    "openwebui",
    "test",
    false,
);

/** Invoke answers; tests may add tokens. */
export const invokes: Record<string, (inputs: any) => Record<string, any>> = {
    "aws:index/getRegion:getRegion": () => ({ name: "eu-west-1", region: "eu-west-1", id: "eu-west-1" }),
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({ accountId: "123456789012", arn: "arn:aws:iam::123456789012:user/test", userId: "x" }),
    "aws:index/getPartition:getPartition": () => ({ partition: "aws", dnsSuffix: "amazonaws.com" }),
    "gcp:organizations/getProject:getProject": (i) => ({ projectId: i.projectId ?? "proj", number: "123456789" }),
    "azure-native:authorization:getClientConfig": () => ({ clientId: "c", objectId: "o", subscriptionId: "00000000-0000-0000-0000-000000000000", tenantId: "t" }),
};

/** Forgets everything registered so far (call before building the program under test). */
export function reset(): void {
    registered.length = 0;
}

/** Waits until every pending registration and apply has run. */
export async function settle(): Promise<void> {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const state = require("@pulumi/pulumi/runtime/state");
    for (let i = 0; i < 50; i++) {
        const before = registered.length;
        await state.getStore().settings.rpcDone;
        await new Promise((r) => setImmediate(r));
        await new Promise((r) => setTimeout(r, 0));
        if (registered.length === before && i > 2) return;
    }
}

/** Resolves an Output's value (mocks run with preview=false, so every value is known). */
export function value<T>(o: pulumi.Input<T> | undefined): Promise<T> {
    return new Promise((resolve) => pulumi.output(o as pulumi.Input<T>).apply((v) => { resolve(v as T); return v; }));
}

/** All resources of a type (e.g. `kubernetes:apps/v1:Deployment`). */
export function ofType(type: string): Registered[] {
    return registered.filter((r) => r.type === type);
}

/** The one resource of a type; fails when there are none or several. */
export function one(type: string, nameSuffix?: string): Registered {
    const found = ofType(type).filter((r) => nameSuffix === undefined || r.name.endsWith(nameSuffix));
    if (found.length !== 1) {
        throw new Error(`expected one ${type}${nameSuffix ? ` named *${nameSuffix}` : ""}, found ${found.length}: ${found.map((f) => f.name).join(", ")}`);
    }
    return found[0];
}

/** Env var list of the first container of a pod template, as a map name -> EnvVar. */
export function envOf(podSpec: any, container = 0): Record<string, any> {
    const out: Record<string, any> = {};
    for (const e of podSpec.containers[container].env ?? []) out[e.name] = e;
    return out;
}
