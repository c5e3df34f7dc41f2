// The provider-neutral spec of an Open WebUI cluster: the args of `OpenWebUiCluster`.
//
// Rules for this file (multi-language schema inference, see tests/schema.test.ts):
// interfaces, string enums, arrays and maps only; no unions other than `T | undefined`,
// no functions. Fields that decide *what* is created (target, modes, counts) are plain
// values so they can be validated at construction; values that only flow into resources
// (hostnames, ARNs, secrets) are `pulumi.Input`s.
import * as pulumi from "@pulumi/pulumi";
import type { Aws } from "../platform/awsArgs";
import type { Gcp } from "../platform/gcpArgs";
import type { Azure } from "../platform/azureArgs";
import type { KubernetesTarget } from "../platform/kubernetesArgs";
import type { AppPod, Workloads } from "./podTypes";
import type { Sso } from "./ssoTypes";
import type { TrustedCa } from "./trustTypes";
import type { SecretKeyRef } from "./secretKeyRef";
import type { Hardening, Network } from "./networkTypes";
import type { ImportFrom } from "./importTypes";
import { CloudTarget, SizePreset, OtlpProtocol, OtelSampler, ZoneSpread, EmbeddingEngine, DefaultUserRole } from "./enums";
import type { AppService, Database, Redis, Storage, VectorStoreConfig } from "./serviceTypes";
export * from "./podTypes";
export * from "./secretKeyRef";
export * from "./ssoTypes";
export * from "./trustTypes";
export * from "./networkTypes";
export * from "./importTypes";

export * from "./enums";
export { RoutingMode } from "./routingMode";
export * from "./serviceTypes";

/** Replica count and autoscaling. */
export interface Replicas {
    /** Minimum serving replicas (HPA floor). Default: 3. Must be >= 2 for HA. */
    min?: number;
    /** Maximum serving replicas (HPA ceiling); also sizes the database pools. Default: the larger of 10 and `min`. */
    max?: number;
    /** Target average CPU utilization (%) for the HPA. Default: 70. */
    targetCpuUtilization?: number;
}

/** The Open WebUI container image. */
export interface Image {
    /** Image repository. Default: `ghcr.io/open-webui/open-webui`. */
    repository?: string;
    /** Released version tag (`vX.Y.Z`, optionally with a suffix). `main`/`latest` are refused. Default: `v0.12.4`. */
    tag?: string;
    /** Optional digest (`sha256:...`) pinned in addition to the tag. Default: none. */
    digest?: string;
    /** Image pull policy. Default: `IfNotPresent`. */
    pullPolicy?: string;
}

/**
 * Cloud alarms as code (CloudWatch on aws, Cloud Monitoring on gcp, Azure Monitor on azure) on the
 * managed database, cache and load balancer; thresholds in README's Observability table
 * (`ALARM_THRESHOLDS`, components/telemetry/alarmsSpec.ts).
 */
export interface Alarms {
    /**
     * Create the cloud alarms. Default: true on aws, gcp and azure. Ignored on kubernetes (no cloud
     * alarms there: `otel.prometheusRule` is the route, with Alertmanager delivering them).
     */
    enabled?: boolean;
    /**
     * Where the alarms notify (at most 5): SNS topic ARNs on aws (`arn:aws:sns:<region>:<account>:<topic>`,
     * in the alarms' region), Cloud Monitoring notification channels on gcp
     * (`projects/<project>/notificationChannels/<id>`), Action Group resource ids on azure
     * (`/subscriptions/<id>/resourceGroups/<rg>/providers/microsoft.insights/actionGroups/<name>`).
     * Default: none (the alarms are created and visible in the console, but notify no one).
     */
    notificationTargets?: string[];
}

/** Public hostname and TLS. */
export interface Tls {
    /** Serve HTTPS (and redirect HTTP). Default: true. Turning it off is refused unless `allowInsecureHttp` is set. */
    enabled?: boolean;
    /** Explicit opt-in to plain HTTP (evaluation only). Default: false. */
    allowInsecureHttp?: boolean;
    /** Name of an existing `kubernetes.io/tls` Secret for Ingress/Gateway TLS (kubernetes target, Azure). Default: none (controller-managed or cert-manager). */
    secretName?: pulumi.Input<string>;
    /** cert-manager ClusterIssuer to annotate the Ingress with (kubernetes/Azure targets). Default: none. */
    clusterIssuer?: string;
}

/** OpenID Connect single sign-on. */
export interface Oidc {
    /** Issuer discovery URL (`OPENID_PROVIDER_URL`), e.g. `https://idp/.well-known/openid-configuration`. */
    providerUrl: pulumi.Input<string>;
    /** OAuth client id. */
    clientId: pulumi.Input<string>;
    /** OAuth client secret (a Pulumi secret; delivered through a Kubernetes Secret). Set this or `clientSecretRef`. */
    clientSecret?: pulumi.Input<string>;
    /** The client secret in an existing Kubernetes Secret of the release namespace (External Secrets Operator, Secrets Store CSI). Set this or `clientSecret`. */
    clientSecretRef?: SecretKeyRef;
    /** Button label. Default: `SSO`. */
    providerName?: string;
    /** Scopes. Default: `openid email profile`. */
    scopes?: string;
    /** Create accounts on first SSO login. Default: true. */
    enableSignup?: boolean;
    /** Merge SSO logins into existing accounts with the same email. Default: false. */
    mergeAccountsByEmail?: boolean;
    /** Disable the local login form. Default: false. */
    disablePasswordLogin?: boolean;
}

/** OpenTelemetry: an in-cluster collector receiving OTLP from Open WebUI and exporting to your backend. */
export interface Otel {
    /**
     * Export Open WebUI's telemetry (`ENABLE_OTEL`); false turns off the collector, its identity,
     * its cloud backends and the app's OTEL env at once. Default: true on aws, gcp and azure (the
     * cloud's own backends, see `cloudBackend`); on kubernetes true when `exporterEndpoint`,
     * `collectorEndpoint` or `debugOnly` is set, else false (nowhere to send).
     */
    enabled?: boolean;
    /**
     * Export to the cloud's own backends through the collector's own workload identity: AWS X-Ray
     * and CloudWatch Logs (OTLP endpoints, SigV4), GCP Cloud Trace/Logging/Monitoring, Azure
     * Application Insights (created with its Log Analytics workspace). Not on kubernetes. Default:
     * true on aws/gcp/azure unless `exporterEndpoint`, `collectorEndpoint` or `debugOnly` is set; false on kubernetes.
     */
    cloudBackend?: boolean;
    /** Trace sampler in Open WebUI (`OTEL_TRACES_SAMPLER`). Default: `parentbased_traceidratio`. */
    sampler?: OtelSampler;
    /** Ratio for the `*traceidratio` samplers, 0..1 (`OTEL_TRACES_SAMPLER_ARG`). Default: 0.1 (one trace in ten). */
    samplerRatio?: number;
    /**
     * Days the telemetry backend keeps the logs: the CloudWatch log group (aws: 1, 3, 5, 7, 14, 30,
     * 60, 90 ... 3653) or Application Insights (azure: 30, 60, 90, 120, 180, 270, 365, 550, 730).
     * Unused on gcp (Cloud Logging's `_Default` bucket keeps 30 days). Default: 30.
     */
    logRetentionDays?: number;
    /**
     * Expose the collector's metrics pipeline as a Prometheus scrape endpoint (`:8889/metrics`,
     * Service port `prometheus`). Default: false.
     */
    prometheusScrape?: boolean;
    /**
     * Also create a `monitoring.coreos.com/v1` ServiceMonitor for that endpoint. The component
     * cannot see the cluster's CRDs when it is constructed: set this only where the Prometheus
     * Operator is installed (the apply fails otherwise). Needs `prometheusScrape`. Default: false.
     */
    serviceMonitor?: boolean;
    /**
     * Create a `monitoring.coreos.com/v1` PrometheusRule (any target; needs the Prometheus Operator
     * and kube-state-metrics): Open WebUI Deployment below `replicas.min` available for 5 min,
     * a failed migration Job, a cert-manager certificate of the release expiring within 14 days.
     * Independent of `enabled`. Default: false.
     */
    prometheusRule?: boolean;
    /** Ship a Grafana dashboard (ConfigMap labelled `grafana_dashboard: "1"`, for the Grafana sidecar). Default: false. */
    grafanaDashboard?: boolean;
    /** OTLP endpoint of your backend; the component deploys a collector that batches and exports to it. Default: none. */
    exporterEndpoint?: pulumi.Input<string>;
    /**
     * An existing OTLP/gRPC collector Open WebUI sends to directly (e.g.
     * `http://otel-collector.observability.svc:4317`); no collector is deployed. Instead of
     * `exporterEndpoint`. Default: none.
     */
    collectorEndpoint?: pulumi.Input<string>;
    /**
     * Deploy the collector with only the `debug` exporter (it logs a summary and keeps nothing),
     * to try the pipeline before a backend exists. `plan` says so loudly. Default: false.
     */
    debugOnly?: boolean;
    /** Protocol to the backend. Default: `grpc`. */
    exporterProtocol?: OtlpProtocol;
    /** Headers for the backend (e.g. API keys); stored in a Kubernetes Secret. Default: none. */
    exporterHeaders?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** Export traces. Default: true. */
    traces?: boolean;
    /**
     * Export metrics. Default: true with `exporterEndpoint`/`collectorEndpoint`/`debugOnly`; false
     * with `cloudBackend`: Open WebUI's metrics carry high-cardinality attributes (one deployment saw
     * ~35M datapoints/hour) and the cloud metric stores bill per series and sample.
     */
    metrics?: boolean;
    /** Export logs (they carry trace ids). Default: true with `cloudBackend`, else false. */
    logs?: boolean;
    /** Collector image. Default: `otel/opentelemetry-collector-contrib:0.165.0`. */
    collectorImage?: string;
    /** Collector replicas. Default: 2. */
    collectorReplicas?: number;
}

/** RAG, embedding and task-model settings passed through to Open WebUI. */
export interface Rag {
    /** `RAG_EMBEDDING_ENGINE`. Default: `openai`. */
    embeddingEngine?: EmbeddingEngine;
    /** `RAG_EMBEDDING_MODEL`. Default: `text-embedding-3-small`. */
    embeddingModel?: string;
    /** `ENABLE_RAG_HYBRID_SEARCH`. Default: false. */
    hybridSearch?: boolean;
    /** `CONTENT_EXTRACTION_ENGINE` (tika, docling, document_intelligence, mistral_ocr, external). Default: Open WebUI's built-in. */
    contentExtractionEngine?: string;
    /** `TASK_MODEL` for local models. Default: none. */
    taskModel?: string;
    /** `TASK_MODEL_EXTERNAL` for external (OpenAI-compatible) models. Default: none. */
    taskModelExternal?: string;
    /** `OPENAI_API_BASE_URLS` (joined with `;`). Default: none. */
    openaiApiBaseUrls?: string[];
    /** `OPENAI_API_KEYS` (joined with `;`), a Pulumi secret. Default: none. */
    openaiApiKeys?: pulumi.Input<pulumi.Input<string>[]>;
    /** `OPENAI_API_KEYS` from an existing Kubernetes Secret (the `;`-joined list). Instead of `openaiApiKeys`. Default: none. */
    openaiApiKeysRef?: SecretKeyRef;
    /** `OLLAMA_BASE_URLS` (joined with `;`). Default: none. */
    ollamaBaseUrls?: string[];
    /**
     * Where embeddings are computed: `RAG_OPENAI_API_BASE_URL` (engine `openai`: an OpenAI-
     * compatible gateway such as LiteLLM, Azure OpenAI's /openai/v1, a proxy) or
     * `RAG_OLLAMA_BASE_URL` (engine `ollama`). Open WebUI does not take these from
     * `OPENAI_API_BASE_URLS`/`OLLAMA_BASE_URLS`: unset, embeddings go to api.openai.com.
     * Default: the first of `openaiApiBaseUrls` (or `ollamaBaseUrls`).
     */
    embeddingApiBaseUrl?: string;
    /**
     * The embedding endpoint's key, a Pulumi secret (`RAG_OPENAI_API_KEY` / `RAG_OLLAMA_API_KEY`).
     * Default: the first of `openaiApiKeys` (engine `openai`); none for `ollama`.
     */
    embeddingApiKey?: pulumi.Input<string>;
    /** The embedding endpoint's key from an existing Kubernetes Secret. Instead of `embeddingApiKey`. Default: none. */
    embeddingApiKeyRef?: SecretKeyRef;
}

/** Migration and upgrade behaviour. */
export interface Migrations {
    /** Scale serving replicas to 0 (for upgrades across schema-breaking releases). Default: false. */
    maintenanceMode?: boolean;
    /** Timeout of the migration Job in minutes. Default: 30. */
    timeoutMinutes?: number;
}

/**
 * Knobs of the Open WebUI pods (the serving Deployment and the migration Job); every other
 * workload takes the same knobs under `workloads`.
 */
export interface Pod extends AppPod {
    /** Seconds the pod may take to drain websockets on shutdown. Default: 60. */
    terminationGracePeriodSeconds?: number;
    /** Name of an image pull Secret. Deprecated: use `imagePullSecrets`. Default: none. */
    imagePullSecret?: string;
    /**
     * Names of image pull Secrets, given to every pod the component creates (Open WebUI and every
     * workload; `workloads.<name>.imagePullSecrets` adds more). Default: none.
     */
    imagePullSecrets?: string[];
    /**
     * Zone spread of the Open WebUI pods. Default: `required` on aws/gcp/azure (managed node
     * pools always carry `topology.kubernetes.io/zone`), `preferred` on `kubernetes` (kind, k3s,
     * bare metal and single-zone clusters often have no zone labels, and a required spread would
     * leave every pod Pending there).
     */
    zoneSpread?: ZoneSpread;
    /**
     * Run Open WebUI with a read-only root filesystem (data, static files and /tmp live on
     * emptyDir volumes). Default: true. Either way the image's model caches are copied onto the
     * data volume by the `seed-data` init container, and tool/function requirements install with
     * `pip --user` into `/app/backend/data/python`. Turn off only if a plugin must write into the image.
     */
    readOnlyRootFilesystem?: boolean;
}

/** Arguments of `OpenWebUiCluster`. */
export interface OpenWebUiClusterArgs {
    /** Where to deploy: `aws`, `gcp`, `azure` or `kubernetes`. Required. */
    target: CloudTarget;
    /** Public hostname (e.g. `chat.example.com`); becomes `WEBUI_URL`. Required. */
    hostname: string;
    /**
     * Further hostnames the route serves (Ingress rules and TLS hosts, HTTPRoute `hostnames`, the
     * GKE managed certificate). `WEBUI_URL` stays `hostname`; the certificate must cover them
     * (AWS: `aws.certificateArn`; a `tls.secretName` Secret); DNS records are created for
     * `hostname` only. Default: none.
     */
    additionalHostnames?: string[];
    /** Kubernetes namespace. Default: `open-webui`. */
    namespace?: string;
    /** Create the namespace (with restricted Pod Security labels). Default: true. */
    createNamespace?: boolean;
    /** Size preset. Default: `medium`. */
    size?: SizePreset;
    /** Serving replicas and autoscaling. Default: min 3, max the larger of 10 and `min`. */
    replicas?: Replicas;
    /** Open WebUI image. Default: `ghcr.io/open-webui/open-webui:v0.12.4`. */
    image?: Image;
    /** TLS. Default: HTTPS with redirect. */
    tls?: Tls;
    /** The Open WebUI Service: type, annotations, appProtocol. Default: ClusterIP, behind the route. */
    service?: AppService;
    /** Postgres. Default: managed (clouds) / in-cluster (kubernetes). */
    database?: Database;
    /** Redis. Default: managed (clouds) / in-cluster (kubernetes). */
    redis?: Redis;
    /** Upload storage. Default: managed bucket (clouds) / in-cluster S3-compatible store (kubernetes). */
    storage?: Storage;
    /** Vector store. Default: pgvector. */
    vectorStore?: VectorStoreConfig;
    /** Generic OpenID Connect single sign-on (`OPENID_PROVIDER_URL`). Default: none (local accounts). */
    oidc?: Oidc;
    /** Google, Microsoft and GitHub sign-in, role/group claims, trusted-header auth. Default: none. */
    sso?: Sso;
    /** OpenTelemetry, alert rules and dashboard. Default: on aws/gcp/azure to the cloud's own backends; on kubernetes only with a destination (`exporterEndpoint`, `collectorEndpoint`, `debugOnly`). */
    otel?: Otel;
    /** Cloud alarms on the managed database, cache and load balancer. Default: on (aws/gcp/azure), notifying no one until `notificationTargets` is set. */
    alarms?: Alarms;
    /** RAG and task models. */
    rag?: Rag;
    /** Migrations and upgrades. */
    migrations?: Migrations;
    /**
     * An existing Open WebUI to bring in (its DATA_DIR volume or its Postgres): a one-shot import
     * Job copies users, chats, files, knowledge and settings into this cluster's database, bucket
     * and vector store before the migration Job and the Deployment run; the source is read only.
     * Remove it once the cutover is done. Default: none (a fresh, empty Open WebUI).
     */
    importFrom?: ImportFrom;
    /**
     * `WEBUI_SECRET_KEY` from an existing Kubernetes Secret of the release namespace (e.g. the old
     * instance's key, so sessions and signed values survive a move). The component then generates
     * no key and the output `webuiSecretKey` is empty. Default: a generated 64-character key.
     */
    webuiSecretKeyRef?: SecretKeyRef;
    /** Knobs of the Open WebUI pods (tolerations, affinity, volumes, sidecars, resources, ...). Default: none beyond the component's. */
    pod?: Pod;
    /** Pod knobs and images of the other workloads (bootstrap Job, collector, in-cluster services). Default: none. */
    workloads?: Workloads;
    /**
     * Registry mirror for every default image: replaces the registry host (keeping the path), e.g.
     * `mirror.corp.example` turns `ghcr.io/open-webui/open-webui:v0.12.4` into
     * `mirror.corp.example/open-webui/open-webui:v0.12.4` and `postgres:17.6-alpine` into
     * `mirror.corp.example/library/postgres:17.6-alpine`; may carry a path
     * (`harbor.corp.example/proxy`). Images set explicitly (`image.repository`,
     * `workloads.<name>.image`, `otel.collectorImage`) are used as given. Default: none.
     */
    imageRegistry?: string;
    /** `THREAD_POOL_SIZE`. Default: from `size` (20/40/80). */
    threadPoolSize?: number;
    /** Allow new sign-ups with the local form (`ENABLE_SIGNUP`). Default: false. */
    enableSignup?: boolean;
    /** Role of an account created by sign-up, local or OAuth (`DEFAULT_USER_ROLE`): `pending` waits for an administrator's approval. Default: `pending`. */
    defaultUserRole?: DefaultUserRole;
    /**
     * Open WebUI's persistent config (`ENABLE_PERSISTENT_CONFIG`). When true, settings saved in
     * the admin UI live in the database and win over env on later starts, so a changed `rag`/`oidc`
     * value in this spec only applies to a fresh database. Set false to make this spec the source
     * of truth on every start (admin UI changes then last until the next restart). Default: true.
     */
    persistentConfig?: boolean;
    /** Extra plain environment variables. Names the component manages are refused. */
    extraEnv?: { [key: string]: string };
    /** Extra secret environment variables (Pulumi secrets, delivered through the Kubernetes Secret). */
    extraSecretEnv?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** Extra environment variables read from keys of existing Kubernetes Secrets (`valueFrom.secretKeyRef`), by variable name. Default: none. */
    extraSecretEnvRefs?: { [key: string]: SecretKeyRef };
    /** Existing Kubernetes Secrets read whole into the Open WebUI containers (`envFrom`), e.g. synced by External Secrets Operator. Default: none. */
    extraEnvFromSecrets?: string[];
    /** A private CA bundle (existing ConfigMap or Secret) added to the trust of every TLS client of the release. Default: none (public roots only). */
    trustedCa?: TrustedCa;
    /** Extra labels on every Kubernetes object. */
    labels?: { [key: string]: string };
    /** Cloud tags/labels on every cloud resource. */
    tags?: { [key: string]: string };
    /** AWS target settings. Required when `target` is `aws`. */
    aws?: Aws;
    /** GCP target settings. Required when `target` is `gcp`. */
    gcp?: Gcp;
    /** Azure target settings. Required when `target` is `azure`. */
    azure?: Azure;
    /** Kubernetes target settings (routing, storage class). */
    kubernetes?: KubernetesTarget;
    /** NetworkPolicies: default-deny ingress and egress, then each workload's flows. Default: on, egress to the internet off (see `Network`). */
    network?: Network;
    /** Security headers, load balancer logs, cache deletion protection. Default: all on (see `Hardening`). */
    hardening?: Hardening;
}
