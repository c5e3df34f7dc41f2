"""Open WebUI in HA on any Kubernetes cluster, from Python.

OpenWebUiCluster is written in TypeScript and served by this repository as a source-based plugin
package; `pulumi package add ../..` generated the Python SDK `pulumi_openwebui` used here.
Python names: arguments and outputs are snake_case (`ingress_class_name`, `webui_secret_key`),
enums are UPPER_SNAKE (`ServiceMode.IN_CLUSTER`), and every argument type gets the `Args`
suffix of Pulumi's Python SDKs (the TypeScript `Database` is `DatabaseArgs`).
"""
import pulumi
import pulumi_openwebui as openwebui

config = pulumi.Config()
external = config.get_bool("external") or False

backing_services = {}
if external:
    # Production: your own highly available Postgres (with pgvector), Redis and S3-compatible
    # store. URLs are Pulumi secrets (`pulumi config set --secret ...`); the component keeps them
    # secret and hands them to the pods through a Kubernetes Secret.
    backing_services = dict(
        database=openwebui.DatabaseArgs(
            mode=openwebui.ServiceMode.EXTERNAL,
            url=config.require_secret("databaseUrl"),
            # SHOW max_connections on your server: the pools of all replicas are sized to fit it.
            max_connections=config.require_int("databaseMaxConnections"),
        ),
        redis=openwebui.RedisArgs(
            mode=openwebui.ServiceMode.EXTERNAL,
            url=config.require_secret("redisUrl"),
        ),
        storage=openwebui.StorageArgs(
            mode=openwebui.ServiceMode.EXTERNAL,
            bucket_name=config.require("bucketName"),
            s3_endpoint_url=config.get("s3EndpointUrl"),
            s3_region=config.get("s3Region"),
            # An existing Kubernetes Secret in the release namespace (see README).
            s3_access_key_id_secret=openwebui.SecretKeyRefArgs(name="openwebui-s3", key="accessKeyId"),
            s3_secret_access_key_secret=openwebui.SecretKeyRefArgs(name="openwebui-s3", key="secretAccessKey"),
        ),
    )
# Otherwise (evaluation): single-instance in-cluster Postgres (pgvector), Valkey and an S3
# store on persistent volumes. Not highly available.

oidc = None
if config.get("oidcProviderUrl"):
    oidc = openwebui.OidcArgs(
        provider_url=config.require("oidcProviderUrl"),
        client_id=config.require("oidcClientId"),
        client_secret=config.require_secret("oidcClientSecret"),
        provider_name=config.get("oidcProviderName"),
    )

openai_api_key = config.get_secret("openaiApiKey")

cluster = openwebui.OpenWebUiCluster(
    "chat",
    target=openwebui.CloudTarget.KUBERNETES,
    hostname=config.require("hostname"),
    namespace=config.get("namespace"),
    create_namespace=config.get_bool("createNamespace"),
    size=openwebui.SizePreset.MEDIUM,
    replicas=openwebui.ReplicasArgs(
        min=config.get_int("replicasMin") or 3,
        max=config.get_int("replicasMax") or 10,
    ),
    tls=openwebui.TlsArgs(cluster_issuer=config.get("clusterIssuer")),
    kubernetes=openwebui.KubernetesTargetArgs(
        routing=openwebui.RoutingMode.INGRESS,
        ingress_class_name=config.get("ingressClassName") or "nginx",
        storage_class_name=config.get("storageClassName"),
    ),
    oidc=oidc,
    rag=openwebui.RagArgs(
        openai_api_base_urls=[config.get("openaiBaseUrl") or "https://api.openai.com/v1"],
        openai_api_keys=[openai_api_key] if openai_api_key is not None else None,
    ),
    otel=openwebui.OtelArgs(exporter_endpoint=config.get("otlpEndpoint")),
    **backing_services,
)

pulumi.export("url", cluster.url)
pulumi.export("namespace", cluster.namespace)
pulumi.export("deploymentName", cluster.deployment_name)
pulumi.export("migrationJobName", cluster.migration_job_name)
pulumi.export("databaseEndpoint", cluster.database_endpoint)
pulumi.export("databasePoolSize", cluster.database_pool_size)
pulumi.export("databaseMaxClientConnections", cluster.database_max_client_connections)
# Secret outputs stay secret: `pulumi stack output webuiSecretKey --show-secrets`.
pulumi.export("webuiSecretKey", cluster.webui_secret_key)
