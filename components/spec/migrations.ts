// `migrations`: the schema-migration Job's timeout, and maintenance mode.
import { DEFAULTS } from "./defaults";
import { problem } from "./errors";
import type { ResolvedSpec } from "./specTypes";
import type { OpenWebUiClusterArgs } from "../args/types";

/** `migrations`, defaulted and checked. */
export function resolveMigrations(a: OpenWebUiClusterArgs, problems: string[]): ResolvedSpec["migrations"] {
    const timeoutMinutes = a.migrations?.timeoutMinutes ?? DEFAULTS["migrations.timeoutMinutes"].value;
    if (!Number.isInteger(timeoutMinutes) || timeoutMinutes < 1 || timeoutMinutes > 720) {
        problems.push(problem("migrations.timeoutMinutes", timeoutMinutes, "use a whole number of minutes from 1 to 720"));
    }
    return { maintenanceMode: a.migrations?.maintenanceMode ?? DEFAULTS["migrations.maintenanceMode"].value, timeoutMinutes };
}
