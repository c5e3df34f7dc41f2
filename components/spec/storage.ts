// `storage`: where Open WebUI keeps uploads (a bucket, an in-cluster S3-compatible store, or a
// shared volume): the mode, its settings with their defaults, and their checks.
import { checkUrl } from "./addresses";
import { DEFAULTS } from "./defaults";
import { problem } from "./errors";
import { checkMode } from "./specChecks";
import type { ResolvedStorage } from "./specTypes";
import { OpenWebUiClusterArgs, ServiceMode } from "../args/types";

/** `storage`, defaulted (`defaultMode`: the target's data tier) and checked. */
export function resolveStorage(a: OpenWebUiClusterArgs, defaultMode: ServiceMode, cloud: boolean, problems: string[]): ResolvedStorage {
    const s = a.storage;
    const storageMode = s?.mode ?? defaultMode;
    checkMode("storage.mode", storageMode, cloud, problems);
    const storage: ResolvedStorage = {
        ...s,
        mode: storageMode,
        retainOnDelete: s?.retainOnDelete ?? DEFAULTS["storage.retainOnDelete"].value,
        storageGb: s?.storageGb ?? DEFAULTS["storage.storageGb"].value,
        storageClassName: s?.storageClassName ?? a.kubernetes?.storageClassName,
        // S3-compatible stores (external, in-cluster) take path-style addressing; a bucket or a volume none.
        s3AddressingStyle: s?.s3AddressingStyle ?? (storageMode === ServiceMode.Managed || storageMode === ServiceMode.SharedVolume ? undefined : "path"),
    };
    if (storageMode === ServiceMode.External && s?.s3EndpointUrl === undefined && s?.bucketName === undefined) {
        problems.push(
            problem("storage.bucketName", undefined, "external storage needs storage.bucketName (and storage.s3EndpointUrl for S3-compatible stores)"),
        );
    }
    if ((s?.s3AccessKeyIdSecret === undefined) !== (s?.s3SecretAccessKeySecret === undefined)) {
        problems.push(problem("storage.s3AccessKeyIdSecret/s3SecretAccessKeySecret", "only one set", "set both, or neither to use the pod identity"));
    }
    checkUrl(problems, "storage.s3EndpointUrl", s?.s3EndpointUrl, {
        schemes: ["http", "https"],
        fix: "use the http(s):// URL of the S3-compatible endpoint, e.g. https://s3.example.com",
        credentialsIn: "storage.s3AccessKeyIdSecret/s3SecretAccessKeySecret",
    });
    if (storage.s3AddressingStyle !== undefined && !["path", "virtual", "auto"].includes(storage.s3AddressingStyle)) {
        problems.push(problem("storage.s3AddressingStyle", storage.s3AddressingStyle, "use path, virtual or auto"));
    }
    return storage;
}
