// Object storage rules: buckets private and encrypted (S3, GCS, Blob), S3 public access blocks.
import type { PolicyResource } from "@pulumi/policy";
import { TYPES, isUnknown, raw, get, arr, isTrueOrUnknown, stackRule, resourceRule } from "./shape";

const PUBLIC_ACLS = new Set(["public-read", "public-read-write", "authenticated-read"]);

export const bucketSecurity = resourceRule({
    name: "object-storage-private-and-encrypted",
    description:
        "Upload buckets must be private and reached over TLS: S3 public access block all true and no public ACL; GCS publicAccessPrevention=enforced with uniform access and no allUsers grants; Azure allowBlobPublicAccess=false, HTTPS only, private containers.",
    remediation:
        'AWS: BucketPublicAccessBlock with all four flags true, no public-read ACL. GCP: publicAccessPrevention="enforced", uniformBucketLevelAccess=true. Azure: allowBlobPublicAccess=false, enableHttpsTrafficOnly=true, containers with publicAccess None.',
    enforcementLevel: "mandatory",
    severity: "critical",
    tags: ["security", "storage"],
    validateResource: (args, report) => {
        const p = raw(args.props);
        switch (args.type) {
            case TYPES.s3PublicAccessBlock: {
                const off = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].filter((k) => !isTrueOrUnknown(p[k]));
                if (off.length) report(`S3 public access block '${args.name}' does not set ${off.join(", ")} to true.`);
                return;
            }
            case TYPES.s3Bucket:
            case TYPES.s3BucketV2:
            case TYPES.s3BucketAcl:
            case TYPES.s3BucketAclV2:
                if (PUBLIC_ACLS.has(p.acl)) report(`S3 ${args.type.split(":").pop()} '${args.name}' has acl=${p.acl}.`);
                for (const g of arr(get(p, "accessControlPolicy", "grants"))) {
                    const uri = g?.grantee?.uri;
                    if (typeof uri === "string" && /AllUsers|AuthenticatedUsers/.test(uri))
                        report(`S3 ${args.type.split(":").pop()} '${args.name}' grants ${g.permission} to ${uri}.`);
                }
                return;
            case TYPES.gcsBucket:
                if (!isUnknown(p.publicAccessPrevention) && p.publicAccessPrevention !== "enforced")
                    report(`GCS bucket '${args.name}' has publicAccessPrevention=${p.publicAccessPrevention ?? "unset (inherited)"}; set "enforced".`);
                if (!isTrueOrUnknown(p.uniformBucketLevelAccess))
                    report(`GCS bucket '${args.name}' has uniformBucketLevelAccess=${p.uniformBucketLevelAccess}; set true.`);
                return;
            case TYPES.gcsBucketIamMember:
            case TYPES.gcsBucketIamBinding: {
                const members = [p.member, ...arr(p.members)].filter((m) => m === "allUsers" || m === "allAuthenticatedUsers");
                if (members.length) report(`GCS IAM ${args.type.split(":").pop()} '${args.name}' grants ${p.role} to ${members.join(", ")}.`);
                return;
            }
            case TYPES.storageAccount:
                if (p.allowBlobPublicAccess !== false && !isUnknown(p.allowBlobPublicAccess))
                    report(`Storage account '${args.name}' has allowBlobPublicAccess=${p.allowBlobPublicAccess}; set false explicitly.`);
                if (p.enableHttpsTrafficOnly === false) report(`Storage account '${args.name}' has enableHttpsTrafficOnly=false.`);
                if (typeof p.minimumTlsVersion === "string" && /TLS1_[01]$/.test(p.minimumTlsVersion))
                    report(`Storage account '${args.name}' allows ${p.minimumTlsVersion}.`);
                return;
            case TYPES.blobContainer:
                if (p.publicAccess === "Blob" || p.publicAccess === "Container") report(`Blob container '${args.name}' has publicAccess=${p.publicAccess}.`);
                return;
        }
    },
});

export const s3PublicAccessBlockPresent = stackRule({
    name: "s3-bucket-has-public-access-block",
    description: "Every S3 bucket of the stack needs its own BucketPublicAccessBlock (all four flags true).",
    remediation:
        "Create an aws.s3.BucketPublicAccessBlock with bucket=<bucket>.id and blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets all true.",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["security", "storage"],
    validateStack: (args, report) => {
        const blocks = args.resources.filter((r) => r.type === TYPES.s3PublicAccessBlock);
        for (const b of args.resources.filter((r) => r.type === TYPES.s3Bucket || r.type === TYPES.s3BucketV2)) {
            const bp = raw(b.props);
            const ids = [bp.id, bp.bucket].filter((x) => typeof x === "string" && !isUnknown(x));
            const found = blocks.some((pab) => {
                const target = raw(pab.props).bucket;
                if (typeof target === "string" && ids.includes(target)) return true;
                const deps = (pab as Partial<PolicyResource>).propertyDependencies?.bucket;
                return arr(deps).some((d: PolicyResource) => d === b || d?.urn === b.urn);
            });
            if (!found) report(`S3 bucket '${b.name}' has no BucketPublicAccessBlock.`, b.urn);
        }
    },
});
