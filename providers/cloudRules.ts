// Rules shared by the cloud validators: bucket names as S3 and GCS accept them (refused at
// construction, not by the cloud API after the database and cache were created), and cloud
// settings given for a service the cloud does not create (mode external/inCluster) refused the way
// aws.database / aws.cache already are, instead of being silently ignored.
import { isKnown, problem } from "../components/spec/errors";

const IP_SHAPED = /^\d{1,3}(\.\d{1,3}){3}$/;

/** S3 general purpose bucket naming rules (docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html). */
export function s3BucketProblem(field: string, v: unknown): string | undefined {
    if (!isKnown(v)) return undefined;
    const fix = (why: string) =>
        problem(
            field,
            v,
            `${why}: an S3 bucket name has 3-63 lowercase letters, digits, '.' and '-', starts and ends with a letter or digit, is not an IP address, does not start with xn--, sthree- or amzn-s3-demo- and does not end with -s3alias, --ol-s3, .mrap, --x-s3 or --table-s3`,
        );
    if (typeof v !== "string" || v.length < 3 || v.length > 63) return fix("wrong length");
    if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(v)) return fix("invalid characters");
    if (/\.\.|\.-|-\./.test(v)) return fix("adjacent '.'/'-'");
    if (IP_SHAPED.test(v)) return fix("IP-shaped");
    if (/^(xn--|sthree-|amzn-s3-demo-)/.test(v)) return fix("reserved prefix");
    if (/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(v)) return fix("reserved suffix");
    return undefined;
}

/** Cloud Storage bucket naming rules (cloud.google.com/storage/docs/buckets#naming). */
export function gcsBucketProblem(field: string, v: unknown): string | undefined {
    if (!isKnown(v)) return undefined;
    const fix = (why: string) =>
        problem(
            field,
            v,
            `${why}: a Cloud Storage bucket name has 3-63 lowercase letters, digits, '-', '_' and '.' (up to 222 with dots, 63 per dot-separated part), starts and ends with a letter or digit, is not an IP address, does not start with goog and does not contain google`,
        );
    if (typeof v !== "string") return fix("not a string");
    const dotted = v.includes(".");
    if (v.length < 3 || v.length > (dotted ? 222 : 63) || v.split(".").some((part) => part.length < 1 || part.length > 63)) return fix("wrong length");
    if (!/^[a-z0-9][a-z0-9._-]*[a-z0-9]$/.test(v)) return fix("invalid characters");
    if (IP_SHAPED.test(v)) return fix("IP-shaped");
    if (v.startsWith("goog")) return fix("reserved prefix goog");
    if (/g[o0]{2}g[l1]e/.test(v)) return fix("contains google");
    return undefined;
}

/**
 * Settings of a cloud service the target does not create: `paths` are the fields of the cloud
 * block that configure it (dotted, e.g. skus.redisSkuName); each one that is set is refused.
 */
export function unusedServiceSettings(block: string, args: object | undefined, paths: string[], mode: string, modeField: string, what: string): string[] {
    if (!args) return [];
    const out: string[] = [];
    for (const path of paths) {
        const v = path.split(".").reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), args);
        if (v !== undefined)
            out.push(
                problem(
                    `${block}.${path}`,
                    "set",
                    `${modeField} is ${mode}: ${block}.${path} configures the ${what} the target creates in mode managed only; remove it`,
                ),
            );
    }
    return out;
}
