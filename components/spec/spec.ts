// Turns user args into a validated, defaulted ResolvedSpec. Pure: no resource is created
// here, so a bad spec fails before anything is registered. Each section of the spec is resolved
// by one function named after it, holding its defaults (read from defaults.ts) and its checks;
// the problems are collected in the order of the steps below.
import { resolveClusterFit } from "../kubernetes/clusterFit";
import { resolveDatabase } from "./database";
import { resolveExtraEnv } from "./extraEnv";
import { resolveImage } from "./image";
import { resolveImages } from "./images";
import { resolveAdoption } from "./importSpec";
import { resolveMigrations } from "./migrations";
import { resolvePlatform } from "./platform";
import { labelProblems, resolvePod, zoneSpreadProblems } from "./pod";
import { ragKeyProblems, resolveRag } from "./rag";
import { resolveRedis } from "./redis";
import { resolveRelease, resolveSettings } from "./release";
import { resolveReplicas } from "./replicas";
import { resolveSignIn } from "./signIn";
import { resolveSize, resolveThreadPoolSize } from "./size";
import { resolveStorage } from "./storage";
import { resolveTelemetry } from "./telemetry";
import { resolveTls } from "./tls";
import { resolveVectorStore } from "./vectorStore";
import { resolveWorkloads } from "./workloads";
import type { PoolPlan } from "./sizing";
import type { ResolvedSpec } from "./specTypes";
import type { OpenWebUiClusterArgs } from "../args/types";

export { DEFAULT_IMAGE_REPOSITORY, DEFAULT_IMAGE_TAG, DEFAULT_OTEL_COLLECTOR_IMAGE } from "./images";
export { planPools } from "./size";
export * from "./specTypes";

/**
 * Resolves defaults and checks everything that can be checked without the cloud module.
 * Returns the spec (pools not yet planned) and the problems found.
 */
export function resolveSpec(args: OpenWebUiClusterArgs): { spec: ResolvedSpec; problems: string[] } {
    const problems: string[] = [];
    const a = args ?? {};
    const { cloud, tier, namespace } = resolveRelease(a, problems);
    const { size, sizing } = resolveSize(a, problems);
    const replicas = resolveReplicas(a, problems);
    const image = resolveImage(a, problems);
    zoneSpreadProblems(a, problems);
    const { tls, url } = resolveTls(a, problems);
    const database = resolveDatabase(a, tier.database, cloud, problems);
    const redis = resolveRedis(a, tier.redis, cloud, replicas.min, problems);
    const storage = resolveStorage(a, tier.storage, cloud, problems);
    const vectorStore = resolveVectorStore(a, problems);
    resolveSignIn(a, { database, redis, storage }, problems);
    const { otel, alarms } = resolveTelemetry(a, problems);
    const rag = resolveRag(a, problems);
    const migrations = resolveMigrations(a, problems);
    const pod = resolvePod(a, sizing, problems);
    const threadPoolSize = resolveThreadPoolSize(a, sizing, problems);
    const adoption = resolveAdoption(a);
    problems.push(...adoption.problems);
    const extraEnv = resolveExtraEnv(a, problems);
    ragKeyProblems(a, problems);
    labelProblems(a, problems);
    const knobs = resolveWorkloads(a, problems);
    const kubernetes = resolvePlatform(a, problems);
    const { createNamespace, ...settings } = resolveSettings(a);

    const spec: ResolvedSpec = {
        target: a.target,
        hostname: a.hostname,
        ...resolveClusterFit(a),
        url,
        namespace,
        createNamespace,
        size,
        replicas,
        image,
        tls,
        database,
        redis,
        storage,
        vectorStore,
        oidc: a.oidc,
        sso: a.sso,
        otel,
        alarms,
        rag,
        migrations,
        importFrom: adoption.importFrom,
        webuiSecretKeyRef: adoption.webuiSecretKeyRef,
        images: resolveImages(a, database.version),
        knobs,
        pod,
        threadPoolSize,
        ...settings,
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
        kubernetes,
        network: a.network ?? {},
        hardening: a.hardening ?? {},
        pools: undefined as unknown as PoolPlan,
    };
    return { spec, problems };
}
