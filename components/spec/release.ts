// The release itself: its target, hostname and namespace (the first checks `resolveSpec` runs),
// and the data tier the target implies (the services' default modes).
import { DNS_NAME } from "./addresses";
import { DEFAULTS } from "./defaults";
import { enumValues, problem } from "./errors";
import { DNS_1123_LABEL } from "./specChecks";
import { presetModes } from "../data/checks";
import { CloudTarget, OpenWebUiClusterArgs, ServiceMode } from "../args/types";

export interface ResolvedRelease {
    /** Any target but `kubernetes` (managed services exist). */
    cloud: boolean;
    /** The default mode of each data service on this target and data tier. */
    tier: { database: ServiceMode; redis: ServiceMode; storage: ServiceMode };
    namespace: string;
}

/** `target`, `hostname`, `namespace`: checked; the namespace defaulted. */
export function resolveRelease(a: OpenWebUiClusterArgs, problems: string[]): ResolvedRelease {
    if (!enumValues(CloudTarget).includes(a.target)) {
        problems.push(problem("target", a.target, `use one of ${enumValues(CloudTarget).join(", ")}`));
    }
    const cloud = a.target !== CloudTarget.Kubernetes;
    const tier = presetModes(a, cloud);
    if (typeof a.hostname !== "string" || !DNS_NAME.test(a.hostname)) {
        problems.push(problem("hostname", a.hostname, "give a lowercase DNS name such as chat.example.com (no scheme, no path)"));
    }
    const namespace = a.namespace ?? DEFAULTS.namespace.value;
    if (!DNS_1123_LABEL.test(namespace) || namespace.length > 63) {
        problems.push(problem("namespace", namespace, "use a DNS-1123 label: lowercase letters, digits and '-', at most 63 characters"));
    }
    return { cloud, tier, namespace };
}

/** The release-wide settings without checks of their own (Open WebUI's sign-up and config, labels and tags). */
export function resolveSettings(a: OpenWebUiClusterArgs): {
    createNamespace: boolean;
    enableSignup: boolean;
    defaultUserRole: string;
    persistentConfig: boolean;
} {
    return {
        createNamespace: a.createNamespace ?? DEFAULTS.createNamespace.value,
        enableSignup: a.enableSignup ?? DEFAULTS.enableSignup.value,
        defaultUserRole: a.defaultUserRole ?? DEFAULTS.defaultUserRole.value,
        persistentConfig: a.persistentConfig ?? DEFAULTS.persistentConfig.value,
    };
}
