// Turns user args into a validated, defaulted ResolvedSpec. Pure: no resource is created
// here, so a bad spec fails before anything is registered.
import { checkUrl, DNS_NAME } from "./addresses";
import { clusterFitProblems, resolveClusterFit } from "../kubernetes/clusterFit";
import { DEFAULT_IMAGE_REPOSITORY, DEFAULT_IMAGE_TAG, DEFAULT_OTEL_COLLECTOR_IMAGE, resolveImages } from "./images";
import { providers as ssoProviders, ssoProblems } from "./sso";
import { trustedCaProblems } from "./trust";
import { APP_POD_NAMES, mirrorImage, podKnobProblems, registryProblems, ResolvedKnobs, resolveKnobs, WORKLOADS } from "../kubernetes/podKnobs";
import { enumValues, problem } from "./errors";
import { envContractProblems } from "../env/envContract";
import { otelBackendProblems, resolveOtel } from "../telemetry/otelSpec";
import { alarmsProblems, resolveAlarms } from "../telemetry/alarmsSpec";
import { resolveAdoption } from "./importSpec";
import { secretNameProblem } from "./secretHygiene";
import { presetModes, dataTierProblems } from "../data/checks";
import { CNPG_MAX_CONNECTIONS, IN_CLUSTER_MAX_CONNECTIONS, POD_SIZING, PoolPlan, computePools } from "./sizing";
import {
    CloudTarget,
    DefaultUserRole,
    EmbeddingEngine,
    OpenWebUiClusterArgs,
    PgvectorIndexMethod,
    RoutingMode,
    ServiceMode,
    SizePreset,
    VectorStore,
    Workloads,
    ZoneSpread,
} from "../args/types";
import {
    PGVECTOR_MAX_INDEXED_DIMENSIONS,
    ResolvedDatabase,
    ResolvedRedis,
    ResolvedStorage,
    ResolvedOtel,
    ResolvedSpec,
} from "./specTypes";
import {
    DNS_1123_LABEL,
    RELEASE_TAG,
    checkDnsSubdomain,
    checkMode,
    checkDatabase,
    checkRedis,
    checkHttpUrl,
    checkOtel,
} from "./specChecks";

export { DEFAULT_IMAGE_REPOSITORY, DEFAULT_IMAGE_TAG, DEFAULT_OTEL_COLLECTOR_IMAGE } from "./images";
export * from "./specTypes";

/**
 * Resolves defaults and checks everything that can be checked without the cloud module.
 * Returns the spec (pools not yet planned) and the problems found.
 */
export function resolveSpec(args: OpenWebUiClusterArgs): { spec: ResolvedSpec; problems: string[] } {
    const problems: string[] = [];
    const a = args ?? {};

    if (!enumValues(CloudTarget).includes(a.target)) {
        problems.push(problem("target", a.target, `use one of ${enumValues(CloudTarget).join(", ")}`));
    }
    const cloud = a.target !== CloudTarget.Kubernetes;
    const tier = presetModes(a, cloud);
    const defaultMode = tier.database;

    if (typeof a.hostname !== "string" || !DNS_NAME.test(a.hostname)) {
        problems.push(problem("hostname", a.hostname, "give a lowercase DNS name such as chat.example.com (no scheme, no path)"));
    }
    const namespace = a.namespace ?? "open-webui";
    if (!DNS_1123_LABEL.test(namespace) || namespace.length > 63) {
        problems.push(problem("namespace", namespace, "use a DNS-1123 label: lowercase letters, digits and '-', at most 63 characters"));
    }
    const size = a.size ?? SizePreset.Medium;
    if (!enumValues(SizePreset).includes(size)) {
        problems.push(problem("size", size, `use one of ${enumValues(SizePreset).join(", ")}`));
    }
    const sizing = POD_SIZING[size] ?? POD_SIZING[SizePreset.Medium];

    // Replicas
    const rMin = a.replicas?.min ?? 3;
    const rMax = a.replicas?.max ?? Math.max(10, rMin);
    const cpuTarget = a.replicas?.targetCpuUtilization ?? 70;
    if (!Number.isInteger(rMin) || rMin < 1) {
        problems.push(problem("replicas.min", rMin, "use a whole number >= 2 (2 or more replicas are needed for high availability)"));
    } else if (rMin < 2 && !a.migrations?.maintenanceMode) {
        problems.push(problem("replicas.min", rMin, "a single replica is not highly available: use 2 or more (3 spreads over three zones)"));
    }
    if (!Number.isInteger(rMax) || rMax < rMin) {
        problems.push(problem("replicas.max", rMax, `use a whole number >= replicas.min (${rMin})`));
    }
    if (!Number.isInteger(cpuTarget) || cpuTarget < 10 || cpuTarget > 95) {
        problems.push(problem("replicas.targetCpuUtilization", cpuTarget, "use a percentage between 10 and 95"));
    }

    // Image
    const tag = a.image?.tag ?? DEFAULT_IMAGE_TAG;
    const repository = a.image?.repository ?? mirrorImage(DEFAULT_IMAGE_REPOSITORY, a.imageRegistry);
    if (!RELEASE_TAG.test(tag)) {
        problems.push(problem("image.tag", tag, `pin a released version such as ${DEFAULT_IMAGE_TAG}; moving tags like main/latest/cuda let replicas and the migration Job run different code`));
    }
    if (a.image?.digest !== undefined && !/^sha256:[a-f0-9]{64}$/.test(a.image.digest)) {
        problems.push(problem("image.digest", a.image.digest, "use the form sha256:<64 hex digits>"));
    }
    if (/[:@]/.test(repository.split("/").slice(-1)[0] ?? "")) {
        problems.push(problem("image.repository", repository, "give the repository without tag or digest; set image.tag / image.digest"));
    }
    const pullPolicy = a.image?.pullPolicy ?? "IfNotPresent";
    if (!["Always", "IfNotPresent", "Never"].includes(pullPolicy)) {
        problems.push(problem("image.pullPolicy", pullPolicy, "use Always, IfNotPresent or Never"));
    }
    if (a.pod?.zoneSpread !== undefined && !enumValues(ZoneSpread).includes(a.pod.zoneSpread)) {
        problems.push(problem("pod.zoneSpread", a.pod.zoneSpread, `use one of ${enumValues(ZoneSpread).join(", ")}`));
    }
    const ref = `${repository}:${tag}${a.image?.digest ? `@${a.image.digest}` : ""}`;

    // TLS
    const tlsEnabled = a.tls?.enabled ?? true;
    if (!tlsEnabled && !a.tls?.allowInsecureHttp) {
        problems.push(problem("tls.enabled", false, "plain HTTP exposes session cookies; keep TLS on, or also set tls.allowInsecureHttp=true for an evaluation cluster"));
    }
    const url = `${tlsEnabled ? "https" : "http"}://${a.hostname}`;

    // Database
    const dbMode = a.database?.mode ?? defaultMode;
    checkMode("database.mode", dbMode, cloud, problems);
    const db: ResolvedDatabase = {
        mode: dbMode,
        name: a.database?.name ?? "openwebui",
        version: a.database?.version ?? "16",
        url: a.database?.url,
        urlSecret: a.database?.urlSecret,
        maxConnections: a.database?.maxConnections ?? (dbMode === ServiceMode.InCluster ? IN_CLUSTER_MAX_CONNECTIONS : dbMode === ServiceMode.InClusterHa ? CNPG_MAX_CONNECTIONS : 0),
        budgetFraction: a.database?.connectionBudgetFraction ?? 0.8,
        poolSize: a.database?.poolSize,
        poolMaxOverflow: a.database?.poolMaxOverflow,
        createVectorExtension: a.database?.createVectorExtension,
        iamAuth: a.database?.iamAuth ?? false,
        verifyServerCertificate: a.database?.verifyServerCertificate ?? true,
        deletionProtection: a.database?.deletionProtection ?? true,
        backupRetentionDays: a.database?.backupRetentionDays ?? 14,
        highAvailability: a.database?.highAvailability ?? true,
        storageGb: a.database?.storageGb ?? 20,
        instances: a.database?.instances ?? 3,
        synchronousReplicas: a.database?.synchronousReplicas ?? 1,
        backup: a.database?.backup,
        connectTimeoutSeconds: a.database?.connectTimeoutSeconds ?? 10,
        tcpUserTimeoutSeconds: a.database?.tcpUserTimeoutSeconds ?? 15,
    };
    checkDatabase(a.database, db, problems);

    // Redis
    const redisMode = a.redis?.mode ?? tier.redis;
    checkMode("redis.mode", redisMode, cloud, problems);
    const redis: ResolvedRedis = {
        mode: redisMode,
        url: a.redis?.url,
        urlSecret: a.redis?.urlSecret,
        cluster: a.redis?.cluster ?? false,
        sentinelHosts: a.redis?.sentinelHosts,
        keyPrefix: a.redis?.keyPrefix ?? "open-webui",
        socketConnectTimeoutSeconds: a.redis?.socketConnectTimeoutSeconds ?? 2,
        socketTimeoutSeconds: a.redis?.socketTimeoutSeconds ?? 1,
        healthCheckIntervalSeconds: a.redis?.healthCheckIntervalSeconds ?? 30,
        highAvailability: a.redis?.highAvailability ?? true,
        storageGb: a.redis?.storageGb ?? 5,
    };
    checkRedis(redis, problems);
    if (redisMode === ServiceMode.Managed && !redis.highAvailability && rMin > 1) {
        problems.push(problem("redis.highAvailability", false, "with several replicas Redis carries sessions and websockets: keep it highly available (replica + automatic failover)"));
    }

    // Storage
    const storageMode = a.storage?.mode ?? tier.storage;
    checkMode("storage.mode", storageMode, cloud, problems);
    const storage: ResolvedStorage = {
        ...a.storage,
        mode: storageMode,
        retainOnDelete: a.storage?.retainOnDelete ?? true,
        storageGb: a.storage?.storageGb ?? 20,
        storageClassName: a.storage?.storageClassName ?? a.kubernetes?.storageClassName,
        s3AddressingStyle: a.storage?.s3AddressingStyle ?? (storageMode === ServiceMode.Managed || storageMode === ServiceMode.SharedVolume ? undefined : "path"),
    };
    if (storageMode === ServiceMode.External && a.storage?.s3EndpointUrl === undefined && a.storage?.bucketName === undefined) {
        problems.push(problem("storage.bucketName", undefined, "external storage needs storage.bucketName (and storage.s3EndpointUrl for S3-compatible stores)"));
    }
    if ((a.storage?.s3AccessKeyIdSecret === undefined) !== (a.storage?.s3SecretAccessKeySecret === undefined)) {
        problems.push(problem("storage.s3AccessKeyIdSecret/s3SecretAccessKeySecret", "only one set", "set both, or neither to use the pod identity"));
    }
    checkUrl(problems, "storage.s3EndpointUrl", a.storage?.s3EndpointUrl, { schemes: ["http", "https"], fix: "use the http(s):// URL of the S3-compatible endpoint, e.g. https://s3.example.com", credentialsIn: "storage.s3AccessKeyIdSecret/s3SecretAccessKeySecret" });
    if (storage.s3AddressingStyle !== undefined && !["path", "virtual", "auto"].includes(storage.s3AddressingStyle)) {
        problems.push(problem("storage.s3AddressingStyle", storage.s3AddressingStyle, "use path, virtual or auto"));
    }

    // Vector store
    const vsType = a.vectorStore?.type ?? VectorStore.Pgvector;
    if (!enumValues(VectorStore).includes(vsType)) {
        problems.push(problem("vectorStore.type", vsType, `use one of ${enumValues(VectorStore).join(", ")}; the embedded Chroma (SQLite) crashes workers with more than one process`));
    } else if (vsType !== VectorStore.Pgvector && a.vectorStore?.url === undefined && vsType !== VectorStore.Pinecone) {
        problems.push(problem("vectorStore.url", undefined, `vectorStore.type=${vsType} needs the URL of its server (for Chroma: its HTTP server, never the embedded store)`));
    }
    if (a.vectorStore?.url !== undefined && enumValues(VectorStore).includes(vsType)) {
        // Milvus also speaks gRPC at tcp://; the others are HTTP APIs.
        const schemes = vsType === VectorStore.Milvus ? ["http", "https", "tcp"] : ["http", "https"];
        checkUrl(problems, "vectorStore.url", a.vectorStore.url, { schemes, fix: `use the ${schemes.map((x) => x + "://").join(" or ")} URL of the ${vsType} server with a host, e.g. http://${vsType.toLowerCase()}.vectors.svc:${({ qdrant: 6333, milvus: 19530, opensearch: 9200, elasticsearch: 9200, chromaHttp: 8000 } as Record<string, number>)[vsType] ?? 80}`, credentialsIn: "vectorStore.apiKeySecret" });
    }
    if (vsType === VectorStore.Pinecone && a.vectorStore?.apiKeySecret === undefined) {
        problems.push(problem("vectorStore.apiKeySecret", undefined, "Pinecone needs an API key: reference a Secret key holding it"));
    }
    const maxVec = a.vectorStore?.pgvectorMaxVectorLength ?? 1536;
    // pgvector indexes `vector` up to 2000 dimensions and `halfvec` up to 4000; above 2000 the
    // env switches Open WebUI to halfvec (PGVECTOR_USE_HALFVEC), which it otherwise refuses at start.
    if (!Number.isInteger(maxVec) || maxVec < 1 || maxVec > PGVECTOR_MAX_INDEXED_DIMENSIONS) {
        problems.push(problem("vectorStore.pgvectorMaxVectorLength", maxVec, `use a whole number from 1 to ${PGVECTOR_MAX_INDEXED_DIMENSIONS}: pgvector indexes halfvec up to 4000 dimensions (above 2000 the component sets PGVECTOR_USE_HALFVEC=true); for larger embeddings pick a model or a dimensions setting of at most 4000 (text-embedding-3-large: 3072)`));
    }

    // Sign-in (OIDC, SSO presets, trusted headers)
    if (a.oidc !== undefined) {
        if (a.oidc.providerUrl === undefined || a.oidc.providerUrl === "") problems.push(problem("oidc.providerUrl", a.oidc.providerUrl, "OIDC needs providerUrl (the issuer's discovery URL)"));
        checkUrl(problems, "oidc.providerUrl", a.oidc.providerUrl, { schemes: ["https"], fix: "use the https:// discovery URL of your identity provider", credentialsIn: "oidc.clientSecret" });
    }
    problems.push(...ssoProblems(a));
    problems.push(...trustedCaProblems(a.trustedCa));
    const oauth = ssoProviders(a);
    problems.push(...dataTierProblems(a, { database: db, redis, storage, oauth: oauth.length > 0 }));
    if (oauth.length && (redis.cluster || redis.sentinelHosts)) {
        problems.push(problem(oauth[0] === "oidc" ? "oidc" : `sso.${oauth[0]}`, "with a clustered/Sentinel Redis", "Open WebUI's shared OAuth sessions (ENABLE_STAR_SESSIONS_MIDDLEWARE) need a standalone Redis endpoint; use a non-cluster Redis"));
    }

    // OTEL
    const otel: ResolvedOtel = resolveOtel(a.target, a.otel, a.otel?.collectorImage ?? a.workloads?.otelCollector?.image ?? mirrorImage(DEFAULT_OTEL_COLLECTOR_IMAGE, a.imageRegistry));
    checkOtel(a.otel, otel, problems);
    problems.push(...otelBackendProblems(a.target, a.otel, otel));
    problems.push(...alarmsProblems(a.target, a.alarms));

    // RAG
    const engine = a.rag?.embeddingEngine ?? EmbeddingEngine.Openai;
    if (!enumValues(EmbeddingEngine).includes(engine)) {
        problems.push(problem("rag.embeddingEngine", engine, "use openai or ollama; in-pod SentenceTransformers makes every replica load a model and is not suited to scale"));
    }
    (a.rag?.openaiApiBaseUrls ?? []).forEach((u, i) => checkHttpUrl(`rag.openaiApiBaseUrls[${i}]`, u, problems, "rag.openaiApiKeys"));
    (a.rag?.ollamaBaseUrls ?? []).forEach((u, i) => checkHttpUrl(`rag.ollamaBaseUrls[${i}]`, u, problems, "extraSecretEnv"));
    if (a.rag?.embeddingApiBaseUrl !== undefined) checkHttpUrl("rag.embeddingApiBaseUrl", a.rag.embeddingApiBaseUrl, problems, "rag.embeddingApiKey");

    // Migrations, pod, env
    const timeoutMinutes = a.migrations?.timeoutMinutes ?? 30;
    if (!Number.isInteger(timeoutMinutes) || timeoutMinutes < 1 || timeoutMinutes > 720) {
        problems.push(problem("migrations.timeoutMinutes", timeoutMinutes, "use a whole number of minutes from 1 to 720"));
    }
    const grace = a.pod?.terminationGracePeriodSeconds ?? 60;
    if (!Number.isInteger(grace) || grace < 10 || grace > 3600) {
        problems.push(problem("pod.terminationGracePeriodSeconds", grace, "use 10 to 3600 seconds"));
    }
    const threadPoolSize = a.threadPoolSize ?? sizing.threadPoolSize;
    if (!Number.isInteger(threadPoolSize) || threadPoolSize < 1) {
        problems.push(problem("threadPoolSize", threadPoolSize, "use a positive whole number"));
    }
    const extraEnv = a.extraEnv ?? {};
    const adoption = resolveAdoption(a);
    problems.push(...adoption.problems);
    // The env contract: owned names, credentials in plain env, duplicates (envContract.ts).
    problems.push(...envContractProblems(a));
    (a.extraEnvFromSecrets ?? []).forEach((n, i) => checkDnsSubdomain(`extraEnvFromSecrets[${i}]`, n, problems));
    // Secrets from existing Kubernetes Secrets, or as Pulumi secrets: one of each.
    for (const [v, r, f] of [[a.rag?.openaiApiKeys, a.rag?.openaiApiKeysRef, "rag.openaiApiKeys"], [a.rag?.embeddingApiKey, a.rag?.embeddingApiKeyRef, "rag.embeddingApiKey"]] as const) {
        if (v !== undefined && r !== undefined) problems.push(problem(`${f}/${f}Ref`, "both set", "set one: the value as a Pulumi secret, or the reference to an existing Secret"));
    }
    if (a.rag?.openaiApiKeysRef && (a.rag.embeddingEngine ?? EmbeddingEngine.Openai) === EmbeddingEngine.Openai && a.rag.embeddingApiKey === undefined && a.rag.embeddingApiKeyRef === undefined) {
        problems.push(problem("rag.embeddingApiKeyRef", undefined, "with rag.openaiApiKeysRef the embedding key cannot be taken from the first key (it lives in your Secret): set rag.embeddingApiKeyRef (or rag.embeddingApiKey)"));
    }
    for (const [field, map] of [["labels", a.labels], ["pod.labels", a.pod?.labels]] as const) {
        for (const [k, v] of Object.entries(map ?? {})) {
            if (!/^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(k) || !/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/.test(v)) {
                problems.push(problem(`${field}.${k}`, v, "use a valid Kubernetes label key and value (63 characters, alphanumerics, '-', '_', '.')"));
            }
        }
    }

    // Pod knobs and images of every workload
    problems.push(...registryProblems(a.imageRegistry));
    problems.push(...podKnobProblems("pod", a.pod, APP_POD_NAMES));
    const workloads = a.workloads ?? {};
    for (const w of Object.keys(WORKLOADS) as (keyof Workloads)[]) problems.push(...podKnobProblems(`workloads.${w}`, workloads[w], WORKLOADS[w]));
    if (a.otel?.collectorImage !== undefined && workloads.otelCollector?.image !== undefined && a.otel.collectorImage !== workloads.otelCollector.image) {
        problems.push(problem("workloads.otelCollector.image", workloads.otelCollector.image, `otel.collectorImage sets the same image (${a.otel.collectorImage}): set one of them`));
    }
    const everyPod = [...new Set([...(a.pod?.imagePullSecret ? [a.pod.imagePullSecret] : []), ...(a.pod?.imagePullSecrets ?? [])])];
    const pullSecretProblem = secretNameProblem("pod.imagePullSecret", a.pod?.imagePullSecret);
    if (pullSecretProblem) problems.push(pullSecretProblem);
    const { annotations: _a, labels: _l, zoneSpread: _z, terminationGracePeriodSeconds: _t, readOnlyRootFilesystem: _r, imagePullSecret: _i, command: _c, args: _g, serviceAccountAnnotations: _s, ...appKnobs } = a.pod ?? {};
    const knobs = {
        app: resolveKnobs(appKnobs, everyPod),
        ...(Object.fromEntries((Object.keys(WORKLOADS) as (keyof Workloads)[]).map((w) => [w, resolveKnobs(workloads[w], everyPod)])) as Record<keyof Workloads, ResolvedKnobs>),
    };

    // Target-specific presence
    if (a.target === CloudTarget.Aws && !a.aws) problems.push(problem("aws", undefined, "target aws needs the aws block (vpcId, subnet ids, EKS cluster)"));
    if (a.target === CloudTarget.Gcp && !a.gcp) problems.push(problem("gcp", undefined, "target gcp needs the gcp block (project, region, network, GKE cluster)"));
    if (a.target === CloudTarget.Azure && !a.azure) problems.push(problem("azure", undefined, "target azure needs the azure block (resource group, location, VNet subnets, AKS OIDC issuer)"));
    const k8s = a.kubernetes ?? {};
    if (k8s.routing !== undefined && !enumValues(RoutingMode).includes(k8s.routing)) {
        problems.push(problem("kubernetes.routing", k8s.routing, `use one of ${enumValues(RoutingMode).join(", ")}`));
    }
    problems.push(...clusterFitProblems(a)); // cluster domain, Service, extra hostnames, ServiceAccount annotations

    const spec: ResolvedSpec = {
        target: a.target,
        hostname: a.hostname,
        ...resolveClusterFit(a),
        url,
        namespace,
        createNamespace: a.createNamespace ?? true,
        size,
        replicas: { min: rMin, max: rMax, targetCpuUtilization: cpuTarget },
        image: { repository, tag, digest: a.image?.digest, pullPolicy, ref },
        tls: { ...a.tls, enabled: tlsEnabled },
        database: db,
        redis,
        storage,
        vectorStore: {
            ...a.vectorStore,
            type: vsType,
            pgvectorIndexMethod: a.vectorStore?.pgvectorIndexMethod ?? PgvectorIndexMethod.Hnsw,
            pgvectorMaxVectorLength: maxVec,
        },
        oidc: a.oidc,
        sso: a.sso,
        otel,
        alarms: resolveAlarms(a.target, a.alarms),
        rag: { ...a.rag, embeddingEngine: engine, embeddingModel: a.rag?.embeddingModel ?? "text-embedding-3-small", hybridSearch: a.rag?.hybridSearch ?? false },
        migrations: { maintenanceMode: a.migrations?.maintenanceMode ?? false, timeoutMinutes },
        importFrom: adoption.importFrom,
        webuiSecretKeyRef: adoption.webuiSecretKeyRef,
        images: resolveImages(a, db.version),
        knobs,
        pod: {
            ...a.pod,
            zoneSpread: a.pod?.zoneSpread ?? (a.target === CloudTarget.Kubernetes ? ZoneSpread.Preferred : ZoneSpread.Required),
            cpuRequest: a.pod?.cpuRequest ?? sizing.cpuRequest,
            memoryRequest: a.pod?.memoryRequest ?? sizing.memoryRequest,
            memoryLimit: a.pod?.memoryLimit ?? sizing.memoryLimit,
            terminationGracePeriodSeconds: grace,
            readOnlyRootFilesystem: a.pod?.readOnlyRootFilesystem ?? true,
        },
        threadPoolSize,
        enableSignup: a.enableSignup ?? false,
        defaultUserRole: a.defaultUserRole ?? DefaultUserRole.Pending,
        persistentConfig: a.persistentConfig ?? true,
        extraEnv,
        extraSecretEnv: a.extraSecretEnv,
        extraSecretEnvRefs: a.extraSecretEnvRefs,
        extraEnvFromSecrets: a.extraEnvFromSecrets,
        trustedCa: a.trustedCa,
        labels: a.labels ?? {},
        tags: a.tags ?? {},
        aws: a.aws,
        gcp: a.gcp,
        azure: a.azure,
        kubernetes: k8s,
        network: a.network ?? {},
        hardening: a.hardening ?? {},
        pools: undefined as unknown as PoolPlan,
    };
    return { spec, problems };
}

/** Fills `spec.pools` from the server's max_connections; returns a problem if it cannot fit. */
export function planPools(spec: ResolvedSpec, managedMaxConnections: number | undefined): string | undefined {
    const maxConnections = spec.database.mode === ServiceMode.Managed && spec.database.maxConnections === 0
        ? managedMaxConnections ?? 0
        : spec.database.maxConnections;
    if (!maxConnections) return undefined; // reported by checkDatabase
    spec.database.maxConnections = maxConnections;
    const sizing = POD_SIZING[spec.size] ?? POD_SIZING[SizePreset.Medium];
    const plan = computePools({
        maxConnections,
        budgetFraction: spec.database.budgetFraction,
        maxReplicas: spec.replicas.max,
        pgvector: spec.vectorStore.type === VectorStore.Pgvector,
        preferredPool: sizing.preferredPool,
        preferredOverflow: sizing.preferredOverflow,
        poolSize: spec.database.poolSize,
        maxOverflow: spec.database.poolMaxOverflow,
    });
    if (typeof plan === "string") return plan;
    spec.pools = plan;
    return undefined;
}
