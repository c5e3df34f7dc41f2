// The env the user adds (`extraEnv`, `extraSecretEnv`, `extraSecretEnvRefs`, `extraEnvFromSecrets`),
// checked against the env contract: names the component owns, credentials in plain env,
// duplicates (components/env/envContract.ts).
import { checkDnsSubdomain } from "./specChecks";
import { envContractProblems } from "../env/envContract";
import type { OpenWebUiClusterArgs } from "../args/types";

/** `extraEnv` (none by default) and the env contract's problems; `extraEnvFromSecrets` names checked. */
export function resolveExtraEnv(a: OpenWebUiClusterArgs, problems: string[]): { [key: string]: string } {
    problems.push(...envContractProblems(a));
    (a.extraEnvFromSecrets ?? []).forEach((n, i) => checkDnsSubdomain(`extraEnvFromSecrets[${i}]`, n, problems));
    return a.extraEnv ?? {};
}
