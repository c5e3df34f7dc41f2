// The component's shared-volume storage mode on one machine: every pod has the same DATA_DIR path
// (as in the image) holding its own emptyDir, and ONE ReadWriteMany directory mounted at
// DATA_DIR/uploads. Each Open WebUI process runs in its own mount namespace (`unshare --mount`,
// root) where its private dir is bind-mounted at `podRoot` and the shared dir at `podRoot/uploads`:
// the paths Open WebUI stores (`file.path`) are then the same in every pod, and another pod's
// private files are not reachable, as on separate nodes.
import * as fs from "fs";
import * as path from "path";
import { Env } from "./component";
import { tempDir } from "./procs";

export function sharedVolumeLauncher(name: string, shared: string, podRoot: string): { launcher: string[]; overrides: Env } {
    const own = tempDir(`pod-${name}`);
    fs.mkdirSync(path.join(own, "uploads"));
    const script = 'mount --bind "$1" "$3" && mount --bind "$2" "$3/uploads" && shift 3 && exec "$@"';
    return {
        launcher: ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh", own, shared, podRoot],
        overrides: { DATA_DIR: podRoot, STATIC_DIR: path.join(podRoot, "static") },
    };
}
