// Loads the one cloud module the target needs. `require` is deliberate: a static import
// would load every cloud SDK (tens of MB each) whatever the target.
import type { CloudPlatform } from "./interface";
import { CloudTarget } from "../components/types";

export function loadPlatform(target: CloudTarget): CloudPlatform {
    switch (target) {
        case CloudTarget.Aws:
            return (require("./aws") as { platform: CloudPlatform }).platform;
        case CloudTarget.Gcp:
            return (require("./gcp") as { platform: CloudPlatform }).platform;
        case CloudTarget.Azure:
            return (require("./azure") as { platform: CloudPlatform }).platform;
        default:
            return (require("./kubernetes") as { platform: CloudPlatform }).platform;
    }
}
