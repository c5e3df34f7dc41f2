// The azure target: PostgreSQL Flexible Server, Azure Managed Redis, Blob storage, AKS Workload
// Identity and AKS routing (Application Gateway for Containers by default).
import * as pulumi from "@pulumi/pulumi";
import type { CloudPlatform } from "../../components/platform/port";
import { createAlarms } from "./alarms";
import { createCache } from "./cache";
import { createDatabase, maxConnections, postgresSku } from "./database";
import { createWorkloadIdentity } from "./identity";
import { createLoadBalancer } from "./ingress";
import { createTelemetry } from "./telemetry";
import { createObjectStore } from "./storage";
import { validate } from "./validate";

export { Azure, AzureIngressController } from "../../components/platform/azureArgs";
export { validate };

/** An alias azure-native adds for each API version of a type (`azure-native:<module>/v2023...:<Type>`, `azure-nextgen:...`). */
const API_VERSION_ALIAS = /^azure-native:[^:/]+\/v\d[^:]*:|^azure-nextgen:/;

/**
 * Drops the API-version aliases azure-native's classes add (7 to 60 per resource: 330 per
 * cluster). They only match resources created under a versioned token, which the component never
 * uses, and Pulumi turns each into URN Outputs: 2.2x the floor's memory and 1.6x its CPU at 50
 * clusters (bench/). Other aliases (and the component's own, which children inherit) stay.
 */
export function dropApiVersionAliases(args: pulumi.ResourceTransformationArgs): pulumi.ResourceTransformationResult {
    const aliases = args.opts.aliases?.filter(
        (a) =>
            !(
                typeof a === "object" &&
                a !== null &&
                Object.keys(a).length === 1 &&
                typeof (a as pulumi.Alias).type === "string" &&
                API_VERSION_ALIAS.test((a as pulumi.Alias).type as string)
            ),
    );
    return { props: args.props, opts: { ...args.opts, aliases } };
}

export const platform: CloudPlatform = {
    validate,
    ownedAnnotations: { service: [], serviceAccount: ["azure.workload.identity/client-id"] },
    databaseMaxConnections: (spec) => maxConnections(spec),
    cacheIsCluster: () => false,
    childTransformations: [dropApiVersionAliases],
    createDatabase,
    createCache,
    createObjectStore,
    createWorkloadIdentity,
    createTelemetry,
    createLoadBalancer,
    createAlarms,
};

export { postgresSku };
