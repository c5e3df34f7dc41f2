// Validation before anything is registered: types (schema-driven), the spec's own checks, the
// target's checks (through its cloud module, loaded here), the Kubernetes rules, and the pool plan.
import { platformFor } from "../platform/loader";
import type { CloudPlatform } from "../platform/port";
import { ownedAnnotationProblems } from "../kubernetes/clusterFit";
import { ValidationError } from "./errors";
import { exposureProblems } from "./exposure";
import { unknownKeyProblems } from "./unknownKeys";
import { inputTypeProblems, unreportedSoft } from "./inputTypes";
import { k8sRuleProblems, unreported } from "../kubernetes/k8sRules";
import { ResolvedSpec, planPools, resolveSpec } from "./spec";
import { OpenWebUiClusterArgs, ServiceMode } from "../args/types";

/** Pulumi type token; also the multi-language token `<package>:index:<Class>`. */
export const OPEN_WEBUI_CLUSTER_TYPE = "openwebui:index:OpenWebUiCluster";

/** Validates args and loads the target's cloud module; throws ValidationError listing every problem. */
export function prepareSpec(args: OpenWebUiClusterArgs, name?: string): { spec: ResolvedSpec; platform: CloudPlatform } {
    // Types first (schema-driven): no other check reads a value of the wrong type or an Output.
    const types = inputTypeProblems(OPEN_WEBUI_CLUSTER_TYPE, args);
    if (types.hard.length) throw new ValidationError([...unknownKeyProblems(OPEN_WEBUI_CLUSTER_TYPE, args), ...types.hard]);
    const { spec, problems } = resolveSpec(args);
    problems.unshift(...unknownKeyProblems(OPEN_WEBUI_CLUSTER_TYPE, args));
    if (problems.some((p) => p.startsWith("target:"))) throw new ValidationError(problems);
    const platform = platformFor(spec.target);
    problems.push(...platform.validate(spec), ...ownedAnnotationProblems(spec, platform.ownedAnnotations), ...exposureProblems(spec));
    problems.push(...unreported(problems, k8sRuleProblems(name, args, spec)));
    problems.push(...unreportedSoft(types.soft, problems));
    if (problems.length === 0) {
        const poolProblem = planPools(spec, spec.database.mode === ServiceMode.Managed ? platform.databaseMaxConnections(spec) : undefined);
        if (poolProblem) problems.push(poolProblem);
        if (spec.redis.mode === ServiceMode.Managed) spec.redis.cluster = platform.cacheIsCluster(spec);
    }
    if (problems.length) throw new ValidationError(problems);
    return { spec, platform };
}
