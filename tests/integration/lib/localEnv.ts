// The emitted AWS env (lib/component.ts emitManagedAws) pointed at this machine's servers: what
// the HA drills and the migration test share.
import { Env } from "./component";
import { LocalS3 } from "./lb";
import { LocalPostgres, LocalRedis } from "./servers";

/** `url` with host, port (and optionally query params and the database) replaced; user, password kept. */
export function relocate(url: string, port: number, query: Record<string, string> = {}, database?: string): string {
    const u = new URL(url);
    u.hostname = "127.0.0.1";
    u.port = String(port);
    if (database) u.pathname = `/${database}`;
    for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
    return u.toString();
}

/**
 * The emitted env with only what cannot exist on this machine replaced, each for a stated reason:
 * - DATABASE_URL / PGVECTOR_DB_URL, REDIS_URL / WEBSOCKET_REDIS_URL: host and port of the local
 *   servers (user, password, database, sslmode and scheme as emitted: the local servers are
 *   started with the emitted passwords). Postgres: `sslrootcert` is the local test CA, where the
 *   pod mounts Amazon's RDS CAs (the emitted sslmode=verify-full is kept). Redis: `ssl_ca_certs`
 *   is the local test CA, where the pod trusts ElastiCache's Amazon CA from the image's system store.
 * - S3_ENDPOINT_URL + AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY: the pod reaches the regional S3
 *   endpoint with EKS Pod Identity credentials (boto3's default chain); here, moto with keys.
 * - ENABLE_OTEL=false: no collector here (the collector is proven in the e2e suite).
 * `database` (optional) selects one of the test's databases.
 * DATA_DIR/STATIC_DIR are replaced per process by startOpenWebUi (the pod's emptyDir).
 */
export function localizeAws(env: Env, pg: LocalPostgres, redis: LocalRedis, s3: LocalS3, database?: string): Env {
    return {
        ...env,
        DATABASE_URL: relocate(env.DATABASE_URL, pg.port, { sslrootcert: pg.ca!.caCert }, database),
        PGVECTOR_DB_URL: relocate(env.PGVECTOR_DB_URL, pg.port, { sslrootcert: pg.ca!.caCert }, database),
        REDIS_URL: relocate(env.REDIS_URL, redis.port, { ssl_ca_certs: redis.ca!.caCert }),
        WEBSOCKET_REDIS_URL: relocate(env.WEBSOCKET_REDIS_URL, redis.port, { ssl_ca_certs: redis.ca!.caCert }),
        S3_ENDPOINT_URL: s3.endpoint,
        AWS_ACCESS_KEY_ID: s3.accessKeyId,
        AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
        ENABLE_OTEL: "false",
    };
}
