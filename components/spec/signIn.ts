// Sign-in as a section of the spec: the generic OIDC provider, the `sso` presets and trusted
// headers (sso.ts), the trust bundle their TLS calls use (trust.ts), and what sign-in asks of the
// data tier (shared OAuth sessions need a standalone Redis).
import { checkUrl } from "./addresses";
import { problem } from "./errors";
import { providers as ssoProviders, ssoProblems } from "./sso";
import type { ResolvedDatabase, ResolvedRedis, ResolvedStorage } from "./specTypes";
import { trustedCaProblems } from "./trust";
import { dataTierProblems } from "../data/checks";
import type { OpenWebUiClusterArgs } from "../args/types";

/** Checks `oidc`, `sso` and `trustedCa`, and the data tier together with the providers enabled (`oidc` and `sso` stay as given). */
export function resolveSignIn(
    a: OpenWebUiClusterArgs,
    data: { database: ResolvedDatabase; redis: ResolvedRedis; storage: ResolvedStorage },
    problems: string[],
): void {
    if (a.oidc !== undefined) {
        if (a.oidc.providerUrl === undefined || a.oidc.providerUrl === "")
            problems.push(problem("oidc.providerUrl", a.oidc.providerUrl, "OIDC needs providerUrl (the issuer's discovery URL)"));
        checkUrl(problems, "oidc.providerUrl", a.oidc.providerUrl, {
            schemes: ["https"],
            fix: "use the https:// discovery URL of your identity provider",
            credentialsIn: "oidc.clientSecret",
        });
    }
    problems.push(...ssoProblems(a));
    problems.push(...trustedCaProblems(a.trustedCa));
    const oauth = ssoProviders(a);
    problems.push(...dataTierProblems(a, { ...data, oauth: oauth.length > 0 }));
    if (oauth.length && (data.redis.cluster || data.redis.sentinelHosts)) {
        problems.push(
            problem(
                oauth[0] === "oidc" ? "oidc" : `sso.${oauth[0]}`,
                "with a clustered/Sentinel Redis",
                "Open WebUI's shared OAuth sessions (ENABLE_STAR_SESSIONS_MIDDLEWARE) need a standalone Redis endpoint; use a non-cluster Redis",
            ),
        );
    }
}
