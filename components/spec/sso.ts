// Sign-in: the generic OIDC provider (`oidc`), the presets of `sso` (Google, Microsoft, GitHub),
// role/group claims and trusted-header auth, as the env of the pinned Open WebUI release
// (0.12.4: config.py registers a provider only when all of its variables are set, e.g.
// Microsoft needs the tenant; routers/auths.py signs in by header before any other method).
// Client secrets come either as Pulumi secrets (stored in the release's app Secret) or as
// references to existing Kubernetes Secrets; pods read both through `secretKeyRef`.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { checkUrl } from "./addresses";
import { DEFAULTS } from "./defaults";
import { isKnown, problem } from "./errors";
import type { Oidc, OpenWebUiClusterArgs, SecretKeyRef } from "../args/types";
import type { Sso, SsoClient } from "../args/ssoTypes";

type EnvVar = k8s.types.input.core.v1.EnvVar;

/** The OAuth providers Open WebUI 0.12.4 knows, by its own names (`/oauth/<name>/callback`). */
export type Provider = "oidc" | "google" | "microsoft" | "github";

/** Key of a provider's client secret in the release's app Secret (when given by value). */
export const CLIENT_SECRET_KEY: Record<Provider, string> = {
    oidc: "OAUTH_CLIENT_SECRET",
    google: "GOOGLE_CLIENT_SECRET",
    microsoft: "MICROSOFT_CLIENT_SECRET",
    github: "GITHUB_CLIENT_SECRET",
};

const HEADER = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

function clients(a: { oidc?: Oidc; sso?: Sso }): [Provider, SsoClient | Oidc][] {
    const out: [Provider, SsoClient | Oidc][] = [];
    if (a.oidc) out.push(["oidc", a.oidc]);
    if (a.sso?.google) out.push(["google", a.sso.google]);
    if (a.sso?.microsoft) out.push(["microsoft", a.sso.microsoft]);
    if (a.sso?.github) out.push(["github", a.sso.github]);
    return out;
}

/** The OAuth providers the spec enables. */
export function providers(a: { oidc?: Oidc; sso?: Sso }): Provider[] {
    return clients(a).map(([p]) => p);
}

function field(p: Provider): string {
    return p === "oidc" ? "oidc" : `sso.${p}`;
}

/** The shared sign-in settings: `sso.*`, else `oidc.*`, else Open WebUI's defaults. */
export function signInSettings(a: { oidc?: Oidc; sso?: Sso }): { enableSignup: boolean; mergeAccountsByEmail: boolean; disablePasswordLogin: boolean } {
    return {
        enableSignup: a.sso?.enableSignup ?? a.oidc?.enableSignup ?? DEFAULTS["oidc.enableSignup"].value,
        mergeAccountsByEmail: a.sso?.mergeAccountsByEmail ?? a.oidc?.mergeAccountsByEmail ?? DEFAULTS["oidc.mergeAccountsByEmail"].value,
        disablePasswordLogin: a.sso?.disablePasswordLogin ?? a.oidc?.disablePasswordLogin ?? DEFAULTS["oidc.disablePasswordLogin"].value,
    };
}

/** Every sign-in problem: one client secret per provider, and the combinations 0.12.4 does not support. */
export function ssoProblems(a: OpenWebUiClusterArgs): string[] {
    const out: string[] = [];
    const ps = clients(a);
    clientProblems(ps, out);
    microsoftProblems(a.sso?.microsoft, out);
    // Settings given in both places must agree.
    for (const k of ["enableSignup", "mergeAccountsByEmail", "disablePasswordLogin"] as const) {
        if (a.sso?.[k] !== undefined && a.oidc?.[k] !== undefined && a.sso[k] !== a.oidc[k]) {
            out.push(problem(`sso.${k}`, a.sso[k], `oidc.${k} says ${a.oidc[k]}: the setting applies to every provider, set it once (sso.${k})`));
        }
    }
    const th = a.sso?.trustedHeader;
    if (th) trustedHeaderProblems(th, ps, out);
    if (!ps.length) providerlessProblems(a, out);
    claimListProblems(a.sso, out);
    return out;
}

/** Decides whether each enabled provider has exactly one client secret and a client id. */
function clientProblems(ps: [Provider, SsoClient | Oidc][], out: string[]): void {
    for (const [p, c] of ps) {
        const f = field(p);
        const hasValue = c.clientSecret !== undefined,
            hasRef = c.clientSecretRef !== undefined;
        if (hasValue === hasRef)
            out.push(
                problem(
                    `${f}.clientSecret/clientSecretRef`,
                    hasValue ? "both set" : "neither set",
                    "set exactly one: the secret as a Pulumi secret, or a reference to a key of an existing Kubernetes Secret",
                ),
            );
        if (c.clientId === undefined || (isKnown(c.clientId) && String(c.clientId).trim() === ""))
            out.push(problem(`${f}.clientId`, c.clientId, "give the OAuth client id registered at the provider"));
    }
}

/** Decides whether the Microsoft preset has a tenant and an https login URL. */
function microsoftProblems(ms: Sso["microsoft"], out: string[]): void {
    if (ms && (ms.tenantId === undefined || (isKnown(ms.tenantId) && String(ms.tenantId).trim() === ""))) {
        out.push(
            problem(
                "sso.microsoft.tenantId",
                ms.tenantId,
                "give the directory (tenant) id: Open WebUI registers Microsoft only with MICROSOFT_CLIENT_TENANT_ID",
            ),
        );
    }
    if (ms?.loginBaseUrl !== undefined)
        checkUrl(out, "sso.microsoft.loginBaseUrl", ms.loginBaseUrl, {
            schemes: ["https"],
            fix: "use https://login.microsoftonline.com or your sovereign cloud's login URL",
        });
}

/** Decides whether trusted-header sign-in is safe and usable: no OAuth providers beside it, a stripping proxy, valid header names. */
function trustedHeaderProblems(th: NonNullable<Sso["trustedHeader"]>, ps: [Provider, SsoClient | Oidc][], out: string[]): void {
    if (ps.length)
        out.push(
            problem(
                "sso.trustedHeader",
                `with ${ps.map(([p]) => field(p)).join(", ")}`,
                "Open WebUI signs every request in by header first, so the OAuth providers would never be used: use one or the other",
            ),
        );
    if (th.proxyStripsClientHeaders !== true) {
        out.push(
            problem(
                "sso.trustedHeader.proxyStripsClientHeaders",
                th.proxyStripsClientHeaders,
                "set true only when every request passes an authenticating proxy that sets these headers and drops client-sent ones; anyone reaching the pods otherwise signs in as anyone by sending the header",
            ),
        );
    }
    for (const k of ["emailHeader", "nameHeader", "groupsHeader", "roleHeader"] as const) {
        const v = th[k];
        if ((k === "emailHeader" || v !== undefined) && (typeof v !== "string" || !HEADER.test(v)))
            out.push(problem(`sso.trustedHeader.${k}`, v, "give an HTTP header name such as X-Forwarded-Email"));
    }
}

/** Decides which OAuth-only settings are refused when no OAuth provider is enabled. */
function providerlessProblems(a: OpenWebUiClusterArgs, out: string[]): void {
    if (a.sso?.roles)
        out.push(
            problem("sso.roles", a.sso.roles, "roles come from OAuth tokens: enable a provider (oidc, sso.microsoft, ...) or use sso.trustedHeader.roleHeader"),
        );
    if (a.sso?.groups)
        out.push(
            problem(
                "sso.groups",
                a.sso.groups,
                "groups come from OAuth tokens: enable a provider (oidc, sso.microsoft, ...) or use sso.trustedHeader.groupsHeader",
            ),
        );
    if (a.sso?.allowedDomains) out.push(problem("sso.allowedDomains", a.sso.allowedDomains, "applies to OAuth sign-in only: enable a provider"));
    if (signInSettings(a).disablePasswordLogin && !a.sso?.trustedHeader)
        out.push(problem("sso.disablePasswordLogin", true, "with no provider and no trusted headers nobody could sign in: enable a provider first"));
}

/** Decides whether the role names and email domains survive Open WebUI's comma-separated env lists. */
function claimListProblems(sso: Sso | undefined, out: string[]): void {
    for (const [k, list] of [
        ["allowedRoles", sso?.roles?.allowedRoles],
        ["adminRoles", sso?.roles?.adminRoles],
    ] as const) {
        (list ?? []).forEach((r, i) => {
            if (typeof r !== "string" || r.trim() === "" || r.includes(","))
                out.push(problem(`sso.roles.${k}[${i}]`, r, "give a role name without commas (Open WebUI splits the list on ',')"));
        });
    }
    (sso?.allowedDomains ?? []).forEach((d, i) => {
        if (typeof d !== "string" || !/^(\*|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+)$/.test(d))
            out.push(problem(`sso.allowedDomains[${i}]`, d, "give an email domain such as example.com"));
    });
}

/** Client secrets given by value: app-Secret key -> value (the app Secret stores them). */
export function ssoSecretValues(a: { oidc?: Oidc; sso?: Sso }): { [key: string]: pulumi.Input<string> } {
    const out: { [key: string]: pulumi.Input<string> } = {};
    for (const [p, c] of clients(a)) if (c.clientSecret !== undefined) out[CLIENT_SECRET_KEY[p]] = pulumi.secret(c.clientSecret);
    return out;
}

function plain(name: string, value: pulumi.Input<string> | boolean): EnvVar {
    return { name, value: typeof value === "boolean" ? String(value) : value };
}

function secretEnv(name: string, ref: SecretKeyRef): EnvVar {
    return { name, valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } } };
}

/** The sign-in env; client secrets by reference to the app Secret or to the user's Secret. */
export function ssoEnv(a: { oidc?: Oidc; sso?: Sso }, url: string, appSecretName: pulumi.Input<string>): EnvVar[] {
    const env: EnvVar[] = [];
    const secretOf = (p: Provider, c: SsoClient | Oidc) =>
        secretEnv(CLIENT_SECRET_KEY[p], c.clientSecretRef ?? { name: appSecretName, key: CLIENT_SECRET_KEY[p] });
    const { oidc, sso } = a;
    if (oidc) {
        env.push(
            plain("OAUTH_CLIENT_ID", oidc.clientId),
            secretOf("oidc", oidc),
            plain("OPENID_PROVIDER_URL", oidc.providerUrl),
            plain("OPENID_REDIRECT_URI", `${url}/oauth/oidc/callback`),
            plain("OAUTH_SCOPES", oidc.scopes ?? DEFAULTS["oidc.scopes"].value),
            plain("OAUTH_PROVIDER_NAME", oidc.providerName ?? DEFAULTS["oidc.providerName"].value),
        );
    }
    if (sso?.google) {
        env.push(plain("GOOGLE_CLIENT_ID", sso.google.clientId), secretOf("google", sso.google), plain("GOOGLE_REDIRECT_URI", `${url}/oauth/google/callback`));
        if (sso.google.scopes) env.push(plain("GOOGLE_OAUTH_SCOPE", sso.google.scopes));
    }
    if (sso?.microsoft) {
        const m = sso.microsoft;
        env.push(
            plain("MICROSOFT_CLIENT_ID", m.clientId),
            secretOf("microsoft", m),
            plain("MICROSOFT_CLIENT_TENANT_ID", m.tenantId),
            plain("MICROSOFT_REDIRECT_URI", `${url}/oauth/microsoft/callback`),
        );
        if (m.scopes) env.push(plain("MICROSOFT_OAUTH_SCOPE", m.scopes));
        if (m.loginBaseUrl) env.push(plain("MICROSOFT_CLIENT_LOGIN_BASE_URL", m.loginBaseUrl));
    }
    if (sso?.github) {
        env.push(
            plain("GITHUB_CLIENT_ID", sso.github.clientId),
            secretOf("github", sso.github),
            plain("GITHUB_CLIENT_REDIRECT_URI", `${url}/oauth/github/callback`),
        );
        if (sso.github.scopes) env.push(plain("GITHUB_CLIENT_SCOPE", sso.github.scopes));
    }
    const s = signInSettings(a);
    if (providers(a).length) {
        env.push(
            plain("ENABLE_OAUTH_SIGNUP", s.enableSignup),
            plain("OAUTH_MERGE_ACCOUNTS_BY_EMAIL", s.mergeAccountsByEmail),
            // OAuth login state must survive a hop between replicas: Redis-backed sessions.
            plain("ENABLE_STAR_SESSIONS_MIDDLEWARE", true),
        );
        if (sso?.allowedDomains?.length) env.push(plain("OAUTH_ALLOWED_DOMAINS", sso.allowedDomains.join(",")));
        if (sso?.roles) {
            env.push(plain("ENABLE_OAUTH_ROLE_MANAGEMENT", true), plain("OAUTH_ROLES_CLAIM", sso.roles.claim ?? DEFAULTS["sso.roles.claim"].value));
            if (sso.roles.allowedRoles) env.push(plain("OAUTH_ALLOWED_ROLES", sso.roles.allowedRoles.join(",")));
            if (sso.roles.adminRoles) env.push(plain("OAUTH_ADMIN_ROLES", sso.roles.adminRoles.join(",")));
        }
        if (sso?.groups) {
            env.push(
                plain("ENABLE_OAUTH_GROUP_MANAGEMENT", true),
                plain("OAUTH_GROUP_CLAIM", sso.groups.claim ?? DEFAULTS["sso.groups.claim"].value),
                plain("ENABLE_OAUTH_GROUP_CREATION", sso.groups.createGroups ?? DEFAULTS["sso.groups.createGroups"].value),
            );
        }
    }
    const th = sso?.trustedHeader;
    if (th) {
        env.push(plain("WEBUI_AUTH_TRUSTED_EMAIL_HEADER", th.emailHeader));
        if (th.nameHeader) env.push(plain("WEBUI_AUTH_TRUSTED_NAME_HEADER", th.nameHeader));
        if (th.groupsHeader) env.push(plain("WEBUI_AUTH_TRUSTED_GROUPS_HEADER", th.groupsHeader));
        if (th.roleHeader) env.push(plain("WEBUI_AUTH_TRUSTED_ROLE_HEADER", th.roleHeader));
    }
    if (s.disablePasswordLogin) env.push(plain("ENABLE_LOGIN_FORM", false));
    return env;
}

/** Env names this module sets (the component manages them: refused in extraEnv). */
export const SSO_ENV = [
    "OAUTH_CLIENT_ID",
    "OAUTH_CLIENT_SECRET",
    "OPENID_PROVIDER_URL",
    "OPENID_REDIRECT_URI",
    "OAUTH_SCOPES",
    "OAUTH_PROVIDER_NAME",
    "GOOGLE_CLIENT_ID",
    "GOOGLE_CLIENT_SECRET",
    "GOOGLE_REDIRECT_URI",
    "GOOGLE_OAUTH_SCOPE",
    "MICROSOFT_CLIENT_ID",
    "MICROSOFT_CLIENT_SECRET",
    "MICROSOFT_CLIENT_TENANT_ID",
    "MICROSOFT_REDIRECT_URI",
    "MICROSOFT_OAUTH_SCOPE",
    "MICROSOFT_CLIENT_LOGIN_BASE_URL",
    "GITHUB_CLIENT_ID",
    "GITHUB_CLIENT_SECRET",
    "GITHUB_CLIENT_REDIRECT_URI",
    "GITHUB_CLIENT_SCOPE",
    "ENABLE_OAUTH_SIGNUP",
    "OAUTH_MERGE_ACCOUNTS_BY_EMAIL",
    "ENABLE_STAR_SESSIONS_MIDDLEWARE",
    "OAUTH_ALLOWED_DOMAINS",
    "ENABLE_OAUTH_ROLE_MANAGEMENT",
    "OAUTH_ROLES_CLAIM",
    "OAUTH_ALLOWED_ROLES",
    "OAUTH_ADMIN_ROLES",
    "ENABLE_OAUTH_GROUP_MANAGEMENT",
    "OAUTH_GROUP_CLAIM",
    "ENABLE_OAUTH_GROUP_CREATION",
    "WEBUI_AUTH_TRUSTED_EMAIL_HEADER",
    "WEBUI_AUTH_TRUSTED_NAME_HEADER",
    "WEBUI_AUTH_TRUSTED_GROUPS_HEADER",
    "WEBUI_AUTH_TRUSTED_ROLE_HEADER",
    "ENABLE_LOGIN_FORM",
];
