// `image`: Open WebUI's own image (repository, tag, digest, pull policy), pinned to a release.
// The other workloads' images are resolved in images.ts.
import { DEFAULTS } from "./defaults";
import { problem } from "./errors";
import { DEFAULT_IMAGE_REPOSITORY, DEFAULT_IMAGE_TAG } from "./images";
import { RELEASE_TAG } from "./specChecks";
import type { ResolvedSpec } from "./specTypes";
import { mirrorImage } from "../kubernetes/podKnobs";
import type { OpenWebUiClusterArgs } from "../args/types";

/** `image`: Open WebUI's image, pinned to a release (no moving tags), under `imageRegistry` by default. */
export function resolveImage(a: OpenWebUiClusterArgs, problems: string[]): ResolvedSpec["image"] {
    const tag = a.image?.tag ?? DEFAULT_IMAGE_TAG;
    const repository = a.image?.repository ?? mirrorImage(DEFAULT_IMAGE_REPOSITORY, a.imageRegistry);
    if (!RELEASE_TAG.test(tag)) {
        problems.push(
            problem(
                "image.tag",
                tag,
                `pin a released version such as ${DEFAULT_IMAGE_TAG}; moving tags like main/latest/cuda let replicas and the migration Job run different code`,
            ),
        );
    }
    if (a.image?.digest !== undefined && !/^sha256:[a-f0-9]{64}$/.test(a.image.digest)) {
        problems.push(problem("image.digest", a.image.digest, "use the form sha256:<64 hex digits>"));
    }
    if (/[:@]/.test(repository.split("/").slice(-1)[0] ?? "")) {
        problems.push(problem("image.repository", repository, "give the repository without tag or digest; set image.tag / image.digest"));
    }
    const pullPolicy = a.image?.pullPolicy ?? DEFAULTS["image.pullPolicy"].value;
    if (!["Always", "IfNotPresent", "Never"].includes(pullPolicy)) {
        problems.push(problem("image.pullPolicy", pullPolicy, "use Always, IfNotPresent or Never"));
    }
    const ref = `${repository}:${tag}${a.image?.digest ? `@${a.image.digest}` : ""}`;
    return { repository, tag, digest: a.image?.digest, pullPolicy, ref };
}
