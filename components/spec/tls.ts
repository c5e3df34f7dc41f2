// `tls`: HTTPS by default; plain HTTP only when explicitly allowed. Sets the release URL.
import { DEFAULTS } from "./defaults";
import { problem } from "./errors";
import type { ResolvedSpec } from "./specTypes";
import type { OpenWebUiClusterArgs } from "../args/types";

/** `tls` (enabled defaulted) and the URL the release serves at. */
export function resolveTls(a: OpenWebUiClusterArgs, problems: string[]): { tls: ResolvedSpec["tls"]; url: string } {
    const tlsEnabled = a.tls?.enabled ?? DEFAULTS["tls.enabled"].value;
    if (!tlsEnabled && !a.tls?.allowInsecureHttp) {
        problems.push(
            problem("tls.enabled", false, "plain HTTP exposes session cookies; keep TLS on, or also set tls.allowInsecureHttp=true for an evaluation cluster"),
        );
    }
    return { tls: { ...a.tls, enabled: tlsEnabled }, url: `${tlsEnabled ? "https" : "http"}://${a.hostname}` };
}
