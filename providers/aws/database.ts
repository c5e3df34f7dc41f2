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
    const base = `${ctx.name}-${pulumi.getStack()}-final`
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, "-")
        .replace(/-+/g, "-");
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
            void pulumi.log.warn(
                `aws.privateSubnetIds: all subnets are in ${z[0]}; the database reader cannot be placed in another AZ. Use subnets in at least two AZs.`,
                ctx.parent,
            );
        }
        return other;
    });
    return { writer, reader };
}

/** A parameter of an RDS (cluster) parameter group. */
interface DbParameter {
    name: string;
    value: string;
    applyMethod: string;
}

/** What both engines are built from: the version, the parameters, the shared settings and resources. */
interface DbBase {
    version: string;
    major: string;
    instanceClass: string;
    tlsParams: DbParameter[];
    connParams: DbParameter[];
    common: ReturnType<typeof commonServerArgs>;
    piArgs: {
        performanceInsightsEnabled: boolean;
        performanceInsightsKmsKeyId: pulumi.Output<string>;
        performanceInsightsRetentionPeriod: number;
    };
    subnetGroup: rds.SubnetGroup;
    password: RandomPassword;
}

/** The engine's server and what the core needs of it. */
interface DbServer {
    server: rds.Cluster | rds.Instance;
    host: pulumi.Output<string>;
    resourceId: pulumi.Output<string>;
    alarmScope: pulumi.Output<string>;
    dependsOn: pulumi.Resource[];
}

export function createDatabase(ctx: ProviderContext): ManagedDatabase {
    const spec = ctx.spec;
    const classDefault = classMaxConnections(spec);
    // The core filled maxConnections from the class table, or kept the user's value: write the latter to the server.
    const maxConnections = spec.database.maxConnections || classDefault || 0;
    const maxConnectionsOverride = maxConnections !== classDefault ? maxConnections : undefined;
    const base = createDbBase(ctx, maxConnectionsOverride);
    const db = dbEngine(spec) === AwsDatabaseEngine.Aurora ? createAurora(ctx, base) : createRdsInstance(ctx, base);
    if (spec.database.iamAuth) grantIamConnect(ctx, db.resourceId);

    return {
        host: db.host,
        port: PG_PORT,
        database: spec.database.name,
        adminUsername: ADMIN_DB_USER,
        adminPassword: pulumi.secret(base.password.result),
        // The RDS root CAs sign every RDS/Aurora endpoint's certificate (cluster, reader, instance names).
        ...(spec.database.verifyServerCertificate ? { sslMode: "verify-full" as const, caCertificate: rdsCaBundle() } : { sslMode: "require" as const }),
        maxConnections,
        iamAuth: spec.database.iamAuth,
        dependsOn: db.dependsOn,
        alarmScope: db.alarmScope,
        resource: db.server,
    };
}

/** The KMS key, subnet group, security group, admin password and settings both engines share. */
function createDbBase(ctx: ProviderContext, maxConnectionsOverride: number | undefined): DbBase {
    const spec = ctx.spec;
    const aws = awsArgs(ctx);
    const version = dbEngineVersion(spec)!;
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
    const common = commonServerArgs(ctx, key, sg, subnetGroup);
    const piArgs = {
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: key,
        performanceInsightsRetentionPeriod: piRetention,
    };
    const major = version.split(".")[0];
    const instanceClass = dbInstanceClass(spec);
    return { version, major, instanceClass, tlsParams, connParams, common, piArgs, subnetGroup, password };
}

/** The settings the Aurora cluster and the RDS instance share: encryption, backups, snapshots, network. */
function commonServerArgs(ctx: ProviderContext, key: pulumi.Output<string>, sg: ec2.SecurityGroup, subnetGroup: rds.SubnetGroup) {
    const spec = ctx.spec;
    return {
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
        tags: ctx.tags,
        ...regionArg(ctx),
    };
}

/** Aurora PostgreSQL: the cluster with its TLS parameters, then the writer and the reader (when HA). */
function createAurora(ctx: ProviderContext, b: DbBase): DbServer {
    const spec = ctx.spec;
    const { version, major, tlsParams, connParams, common, password } = b;
    const tags = ctx.tags;
    const region = regionArg(ctx);
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
    const instances = createAuroraInstances(ctx, b, cluster, instanceParams);
    return {
        server: cluster,
        host: cluster.endpoint,
        resourceId: cluster.clusterResourceId,
        alarmScope: cluster.clusterIdentifier,
        dependsOn: [cluster, ...instances],
    };
}

/** The Aurora writer in the first AZ and, with database.highAvailability, a reader in the next one. */
function createAuroraInstances(ctx: ProviderContext, b: DbBase, cluster: rds.Cluster, instanceParams: rds.ParameterGroup | undefined): rds.ClusterInstance[] {
    const { version, instanceClass, subnetGroup, piArgs } = b;
    const tags = ctx.tags;
    const region = regionArg(ctx);
    const azs = spreadAzs(ctx);
    const members: { role: string; az: pulumi.Output<string | undefined>; tier: number }[] = [{ role: "writer", az: azs.writer, tier: 0 }];
    if (ctx.spec.database.highAvailability) members.push({ role: "reader", az: azs.reader, tier: 1 });
    return members.map(
        (m) =>
            new rds.ClusterInstance(
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
            ),
    );
}

/** RDS for PostgreSQL Multi-AZ: one instance, its parameter group (TLS, max_connections), autoscaling gp3 storage. */
function createRdsInstance(ctx: ProviderContext, b: DbBase): DbServer {
    const spec = ctx.spec;
    const aws = awsArgs(ctx);
    const { version, major, instanceClass, tlsParams, connParams, common, piArgs, password } = b;
    const tags = ctx.tags;
    const region = regionArg(ctx);
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
    return {
        server: instance,
        host: instance.address,
        resourceId: instance.resourceId,
        alarmScope: instance.identifier,
        dependsOn: [instance],
    };
}

/** database.iamAuth: lets the pod role connect (rds-db:connect) as the application user only. */
function grantIamConnect(ctx: ProviderContext, resourceId: pulumi.Output<string>): void {
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
