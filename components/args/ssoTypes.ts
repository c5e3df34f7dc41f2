// Single sign-on presets beside the generic `oidc` provider: Google, Microsoft Entra ID, GitHub,
// role and group management from token claims, and trusted-header auth behind an authenticating
// proxy. Each maps to the env names of the pinned Open WebUI release (config.py / env.py of
// 0.12.4); `components/spec/sso.ts` builds the env and refuses what that release does not support.
import * as pulumi from "@pulumi/pulumi";
import type { SecretKeyRef } from "./secretKeyRef";

/** An OAuth client registered at the identity provider. */
export interface SsoClient {
    /** OAuth client id. Required. */
    clientId: pulumi.Input<string>;
    /** Client secret, a Pulumi secret (stored in the release's Kubernetes Secret). Set this or `clientSecretRef`. */
    clientSecret?: pulumi.Input<string>;
    /** The client secret in an existing Kubernetes Secret of the release namespace (External Secrets Operator, Secrets Store CSI). Set this or `clientSecret`. */
    clientSecretRef?: SecretKeyRef;
    /** Scopes. Default: Open WebUI's (Google and Microsoft `openid email profile`, GitHub `user:email`). */
    scopes?: string;
}

/** Microsoft Entra ID (`MICROSOFT_*`): Open WebUI registers it only with a tenant. */
export interface MicrosoftSso extends SsoClient {
    /** Directory (tenant) id (`MICROSOFT_CLIENT_TENANT_ID`). Required. */
    tenantId: pulumi.Input<string>;
    /** Login base URL (`MICROSOFT_CLIENT_LOGIN_BASE_URL`), for sovereign clouds. Default: `https://login.microsoftonline.com`. */
    loginBaseUrl?: string;
}

/** Roles from a token claim (`ENABLE_OAUTH_ROLE_MANAGEMENT`). */
export interface SsoRoles {
    /** Claim holding the roles (`OAUTH_ROLES_CLAIM`; dotted paths allowed). Default: `roles`. */
    claim?: string;
    /** Roles allowed to sign in (`OAUTH_ALLOWED_ROLES`). Default: `user`, `admin`. */
    allowedRoles?: string[];
    /** Roles that make a user an Open WebUI admin (`OAUTH_ADMIN_ROLES`). Default: `admin`. */
    adminRoles?: string[];
}

/** Groups from a token claim (`ENABLE_OAUTH_GROUP_MANAGEMENT`). */
export interface SsoGroups {
    /** Claim holding the groups (`OAUTH_GROUP_CLAIM`). Default: `groups`. */
    claim?: string;
    /** Create groups that do not exist yet (`ENABLE_OAUTH_GROUP_CREATION`). Default: false. */
    createGroups?: boolean;
}

/**
 * Trusted-header auth (`WEBUI_AUTH_TRUSTED_*_HEADER`): an authenticating proxy in front of Open
 * WebUI (oauth2-proxy, Pomerium, Cloudflare Access, an ALB with OIDC) signs users in by header.
 * Anyone who reaches the pods without that proxy can send the header and be anyone.
 */
export interface TrustedHeaderAuth {
    /** Header with the user's email (`WEBUI_AUTH_TRUSTED_EMAIL_HEADER`), e.g. `X-Forwarded-Email`. Required. */
    emailHeader: string;
    /** Header with the display name (`WEBUI_AUTH_TRUSTED_NAME_HEADER`). Default: none (the email). */
    nameHeader?: string;
    /** Header with comma-separated group names (`WEBUI_AUTH_TRUSTED_GROUPS_HEADER`). Default: none. */
    groupsHeader?: string;
    /** Header with the role, `admin`/`user`/`pending` (`WEBUI_AUTH_TRUSTED_ROLE_HEADER`). Default: none. */
    roleHeader?: string;
    /**
     * Confirms that every request reaches Open WebUI through the authenticating proxy, which sets
     * these headers and drops any the client sent. Required to be true: the component's own load
     * balancer forwards client headers unchanged.
     */
    proxyStripsClientHeaders: boolean;
}

/** Single sign-on beyond the generic `oidc` provider; several providers may be enabled at once. */
export interface Sso {
    /** Google (`GOOGLE_CLIENT_ID`/`GOOGLE_CLIENT_SECRET`); redirect URI `https://<hostname>/oauth/google/callback`. Default: off. */
    google?: SsoClient;
    /** Microsoft Entra ID (`MICROSOFT_*`); redirect URI `https://<hostname>/oauth/microsoft/callback`. Default: off. */
    microsoft?: MicrosoftSso;
    /** GitHub (`GITHUB_CLIENT_*`); redirect URI `https://<hostname>/oauth/github/callback`. Default: off. */
    github?: SsoClient;
    /** Manage Open WebUI roles from a token claim. Needs an OAuth provider (`oidc`, `microsoft`, ...). Default: off. */
    roles?: SsoRoles;
    /** Manage Open WebUI groups from a token claim. Needs an OAuth provider. Default: off. */
    groups?: SsoGroups;
    /** Sign-in by headers of an authenticating proxy. Excludes the OAuth providers. Default: off. */
    trustedHeader?: TrustedHeaderAuth;
    /** Email domains allowed to sign in through OAuth (`OAUTH_ALLOWED_DOMAINS`). Default: all. */
    allowedDomains?: string[];
    /** Create accounts on first OAuth login (`ENABLE_OAUTH_SIGNUP`). Default: `oidc.enableSignup`, else true. */
    enableSignup?: boolean;
    /** Merge OAuth logins into existing accounts with the same email (`OAUTH_MERGE_ACCOUNTS_BY_EMAIL`). Default: `oidc.mergeAccountsByEmail`, else false. */
    mergeAccountsByEmail?: boolean;
    /** Hide the local login form (`ENABLE_LOGIN_FORM=false`); needs a provider or trusted headers. Default: `oidc.disablePasswordLogin`, else false. */
    disablePasswordLogin?: boolean;
}
