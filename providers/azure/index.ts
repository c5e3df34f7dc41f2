// The azure target: PostgreSQL Flexible Server, Azure Managed Redis, Blob storage, AKS Workload
// Identity and AKS routing (Application Gateway for Containers by default).
import type { CloudPlatform } from "../interface";
import { createCache } from "./cache";
import { createDatabase, maxConnections, postgresSku } from "./database";
import { createWorkloadIdentity } from "./identity";
import { createLoadBalancer } from "./ingress";
import { createObjectStore } from "./storage";
import { validate } from "./validate";

export { Azure, AzureIngressController } from "./args";
export { validate };

export const platform: CloudPlatform = {
    validate,
    databaseMaxConnections: (spec) => maxConnections(spec),
    cacheIsCluster: () => false,
    createDatabase,
    createCache,
    createObjectStore,
    createWorkloadIdentity,
    createLoadBalancer,
};

export { postgresSku };
