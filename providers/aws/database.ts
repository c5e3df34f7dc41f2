// Managed Postgres: Aurora PostgreSQL (writer + reader in another AZ) or RDS Multi-AZ.
// Private subnets only, 5432 from the cluster's security groups only, TLS forced by parameter,
// KMS encryption, backups, deletion protection, final snapshot, Performance Insights, log exports.
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import * as iam from "@pulumi/aws/iam";
import * as rds from "@pulumi/aws/rds";
import * as vpc from "@pulumi/aws/vpc";
import { RandomPassword } from "@pulumi/random/randomPassword";
import { RandomString } from "@pulumi/random/randomString";
import { APP_DB_USER } from "../../components/data/database";
import type { ManagedDatabase, ProviderContext } from "../../components/platform/port";
import { rdsCaBundle } from "../databaseCa";
import { AwsDatabaseEngine } from "../../components/platform/awsArgs";
import { ADMIN_DB_USER, classMaxConnections, dbEngine, dbEngineVersion, dbInstanceClass } from "./catalog";
import { awsArgs, kmsKey, podRole, regionArg, state } from "./shared";

export const PG_PORT = 5432;

/** A security group admitting `port` only from the cluster's security groups (no egress: replies are stateful). */
export function privateSecurityGroup(ctx: ProviderContext, role: string, port: number, what: string): ec2.SecurityGroup {
    const aws = awsArgs(ctx);
    const sg = new ec2.SecurityGroup(
        `${ctx.name}-${role}-sg`,
        {
            vpcId: aws.vpcId,
            description: `Open WebUI ${ctx.name}: ${what} (${port}) from the EKS cluster only`,
            tags: ctx.tags,
            ...regionArg(ctx),
        },
        ctx.opts(),
    );
    aws.eks.securityGroupIds.forEach((source, i) => {
        new vpc.SecurityGroupIngressRule(
            `${ctx.name}-${role}-from-cluster-${i}`,
            {
                securityGroupId: sg.id,
                referencedSecurityGroupId: source,
                ipProtocol: "tcp",
                fromPort: port,
                toPort: port,
                description: `${what} from EKS security group ${i}`,
                tags: ctx.tags,
                ...regionArg(ctx),
            },
            ctx.opts(),
        );
    });
    return sg;
}

/**
 * Final snapshot identifier: letters, digits and hyphens, starting with a letter, with a random
 * suffix fixed for the database's lifetime, so destroying a re-created stack does not collide
 * with the snapshot a previous destroy left.
 */
function finalSnapshotId(ctx: ProviderContext): pulumi.Output<string> {
    const base = `${ctx.name}-${pulumi.getStack()}-final`.toLowerCase().replace(/[^a-z0-9-]/g, "-").replace(/-+/g, "-");
    const prefix = (/^[a-z]/.test(base) ? base : `owui-${base}`).slice(0, 200).replace(/-$/, "");
    const suffix = new RandomString(`${ctx.name}-db-final-snapshot-suffix`, { length: 8, special: false, upper: false }, ctx.opts());
    return pulumi.interpolate`${prefix}-${suffix.result}`;
}

/**
 * Availability zones of the private subnets, sorted (so reordering the subnet list never moves,
 * i.e. replaces, an instance): the writer goes to the first AZ, the reader to the next one.
 */
function spreadAzs(ctx: ProviderContext): { writer: pulumi.Output<string | undefined>; reader: pulumi.Output<string | undefined> } {
    const aws = awsArgs(ctx);
    const azs = pulumi
        .output(aws.privateSubnetIds)
        .apply((ids) => pulumi.all(ids.map((id) => ec2.getSubnetOutput({ id, ...regionArg(ctx) }, { parent: ctx.parent }).availabilityZone)))
        .apply((z) => [...new Set(z)].sort());
    const writer = azs.apply((z) => z[0] as string | undefined);
    const reader = azs.apply((z) => {
        const other = z[1];
        if (other === undefined) {
            void pulumi.log.warn(`aws.privateSubnetIds: all subnets are in ${z[0]}; the database reader cannot be placed in another AZ. Use subnets in at least two AZs.`, ctx.parent);
        }
        return other;
    });
    return { writer, reader };
}

export function createDatabase(ctx: ProviderContext): ManagedDatabase {
    const spec = ctx.spec;
    const aws = awsArgs(ctx);
    const engine = dbEngine(spec);
    const version = dbEngineVersion(spec)!;
    const major = version.split(".")[0];
    const instanceClass = dbInstanceClass(spec);
    const classDefault = classMaxConnections(spec);
    // The core filled maxConnections from the class table, or kept the user's value: write the latter to the server.
    const maxConnections = spec.database.maxConnections || classDefault || 0;
    const maxConnectionsOverride = maxConnections !== classDefault ? maxConnections : undefined;
    const key = kmsKey(ctx);
    const tags = ctx.tags;
    const region = regionArg(ctx);
    const piRetention = aws.database?.performanceInsightsRetentionDays ?? 7;

    const subnetGroup = new rds.SubnetGroup(
        `${ctx.name}-db-subnets`,
        { subnetIds: aws.privateSubnetIds, description: `Open WebUI ${ctx.name}: private database subnets`, tags, ...region },
        ctx.opts(),
    );
    const sg = privateSecurityGroup(ctx, "db", PG_PORT, "Postgres");
    const password = new RandomPassword(`${ctx.name}-db-admin-password`, { length: 40, special: false }, ctx.opts());
    const tlsParams = [{ name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" }];
    const connParams = maxConnectionsOverride ? [{ name: "max_connections", value: String(maxConnectionsOverride), applyMethod: "pending-reboot" }] : [];
    const common = {
        storageEncrypted: true,
        kmsKeyId: key,
        backupRetentionPeriod: spec.database.backupRetentionDays,
        deletionProtection: spec.database.deletionProtection,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: finalSnapshotId(ctx),
        copyTagsToSnapshot: true,
        iamDatabaseAuthenticationEnabled: spec.database.iamAuth,
        vpcSecurityGroupIds: [sg.id],
        dbSubnetGroupName: subnetGroup.id,
        tags,
        ...region,
    };
    const piArgs = {
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: key,
        performanceInsightsRetentionPeriod: piRetention,
    };

    let host: pulumi.Output<string>;
    let resourceId: pulumi.Output<string>;
    let alarmScope: pulumi.Output<string>;
    let server: rds.Cluster | rds.Instance;
    const dependsOn: pulumi.Resource[] = [];
    if (engine === AwsDatabaseEngine.Aurora) {
        const clusterParams = new rds.ClusterParameterGroup(
            `${ctx.name}-db-cluster-params`,
            { family: `aurora-postgresql${major}`, description: `Open WebUI ${ctx.name}: TLS only`, parameters: tlsParams, tags, ...region },
            ctx.opts(),
        );
        const instanceParams = connParams.length
            ? new rds.ParameterGroup(
                `${ctx.name}-db-instance-params`,
                { family: `aurora-postgresql${major}`, description: `Open WebUI ${ctx.name}: max_connections`, parameters: connParams, tags, ...region },
                ctx.opts(),
            )
            : undefined;
        const cluster = new rds.Cluster(
            `${ctx.name}-db`,
            {
                ...common,
                engine: "aurora-postgresql",
                engineMode: "provisioned",
                engineVersion: version,
                databaseName: spec.database.name,
                masterUsername: ADMIN_DB_USER,
                masterPassword: pulumi.secret(password.result),
                dbClusterParameterGroupName: clusterParams.id,
                enabledCloudwatchLogsExports: ["postgresql"],
                port: PG_PORT,
            },
            ctx.opts(),
        );
        const azs = spreadAzs(ctx);
        const members: { role: string; az: pulumi.Output<string | undefined>; tier: number }[] = [{ role: "writer", az: azs.writer, tier: 0 }];
        if (spec.database.highAvailability) members.push({ role: "reader", az: azs.reader, tier: 1 });
        for (const m of members) {
            const inst = new rds.ClusterInstance(
                `${ctx.name}-db-${m.role}`,
                {
                    clusterIdentifier: cluster.id,
                    engine: "aurora-postgresql",
                    engineVersion: version,
                    instanceClass,
                    availabilityZone: m.az,
                    promotionTier: m.tier,
                    publiclyAccessible: false,
                    autoMinorVersionUpgrade: false,
                    dbSubnetGroupName: subnetGroup.id,
                    dbParameterGroupName: instanceParams?.id,
                    copyTagsToSnapshot: true,
                    ...piArgs,
                    tags,
                    ...region,
                },
                ctx.opts(),
            );
            dependsOn.push(inst);
        }
        dependsOn.unshift(cluster);
        server = cluster;
        host = cluster.endpoint;
        resourceId = cluster.clusterResourceId;
        alarmScope = cluster.clusterIdentifier;
    } else {
        const params = new rds.ParameterGroup(
            `${ctx.name}-db-params`,
            { family: `postgres${major}`, description: `Open WebUI ${ctx.name}: TLS only`, parameters: [...tlsParams, ...connParams], tags, ...region },
            ctx.opts(),
        );
        const instance = new rds.Instance(
            `${ctx.name}-db`,
            {
                ...common,
                ...piArgs,
                engine: "postgres",
                engineVersion: version,
                instanceClass,
                multiAz: spec.database.highAvailability,
                allocatedStorage: spec.database.storageGb,
                maxAllocatedStorage: aws.database?.maxAllocatedStorageGb ?? spec.database.storageGb * 10,
                storageType: "gp3",
                dbName: spec.database.name,
                username: ADMIN_DB_USER,
                password: pulumi.secret(password.result),
                parameterGroupName: params.id,
                publiclyAccessible: false,
                autoMinorVersionUpgrade: false,
                enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
                port: PG_PORT,
            },
            ctx.opts(),
        );
        dependsOn.push(instance);
        server = instance;
        host = instance.address;
        resourceId = instance.resourceId;
        alarmScope = instance.identifier;
    }

    if (spec.database.iamAuth) {
        const s = state(ctx);
        const dbUserArn = pulumi.interpolate`arn:${s.partition}:rds-db:${s.region}:${s.accountId}:dbuser:${resourceId}/${APP_DB_USER}`;
        const role = podRole(ctx);
        new iam.RolePolicy(
            `${ctx.name}-rds-iam-connect`,
            {
                role: role.id,
                policy: dbUserArn.apply((arn) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [{ Sid: "ConnectAsAppRoleOnly", Effect: "Allow", Action: "rds-db:connect", Resource: arn }],
                    }),
                ),
            },
            ctx.opts(),
        );
    }

    return {
        host,
        port: PG_PORT,
        database: spec.database.name,
        adminUsername: ADMIN_DB_USER,
        adminPassword: pulumi.secret(password.result),
        // The RDS root CAs sign every RDS/Aurora endpoint's certificate (cluster, reader, instance names).
        ...(spec.database.verifyServerCertificate ? { sslMode: "verify-full" as const, caCertificate: rdsCaBundle() } : { sslMode: "require" as const }),
        maxConnections,
        iamAuth: spec.database.iamAuth,
        dependsOn,
        alarmScope,
        resource: server,
    };
}
