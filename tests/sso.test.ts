// Sign-in presets (Google, Microsoft, GitHub, OIDC, role/group claims, trusted headers) and
// existing-Secret references for every secret input: the env of the serving pods and of the
// migration Job, the app Secret, and the combinations refused at construction.
import "./harness";
import * as assert from "assert";
import { envOf, isSecretInput, ofType, registered, reset, settle } from "./harness";
import { kubernetesObjects, validateK8sObject } from "./k8sSchema";
import { CloudTarget, OpenWebUiCluster, OpenWebUiClusterArgs, RoutingMode, ValidationError } from "../index";

const base: OpenWebUiClusterArgs = { target: CloudTarget.Kubernetes, hostname: "chat.example.com" };
const OIDC = { providerUrl: "https://idp.example.com/.well-known/openid-configuration", clientId: "owui" };

async function build(args: Partial<OpenWebUiClusterArgs>): Promise<void> {
    reset();
    new OpenWebUiCluster("chat", { ...base, ...args });
    await settle();
}

/** Env of the serving container and of the migration Job's container: they must agree. */
function envs(): { serve: Record<string, any>; migrate: Record<string, any> } {
    const dep = ofType("kubernetes:apps/v1:Deployment").find((d) => d.name === "chat")!;
    const job = ofType("kubernetes:batch/v1:Job").find((j) => j.name === "chat-migrate")!;
    return { serve: envOf(dep.plain.spec.template.spec), migrate: envOf(job.plain.spec.template.spec) };
}

function appSecret() {
    return ofType("kubernetes:core/v1:Secret").find((s) => s.name === "chat-app")!;
}

const refOf = (e: any) => e?.valueFrom?.secretKeyRef;

describe("sign-in presets and existing-Secret references", function () {
    it("Google, Microsoft, GitHub and OIDC at once: each provider's 0.12.4 env, secrets by value in the app Secret", async () => {
        await build({
            oidc: { ...OIDC, clientSecret: "oidc-secret" },
            sso: {
                google: { clientId: "g-id", clientSecret: "g-secret" },
                microsoft: { clientId: "m-id", clientSecret: "m-secret", tenantId: "tenant-1" },
                github: { clientId: "gh-id", clientSecret: "gh-secret", scopes: "read:user user:email" },
            },
        });
        const { serve, migrate } = envs();
        for (const env of [serve, migrate]) {
            assert.strictEqual(env.GOOGLE_CLIENT_ID.value, "g-id");
            assert.strictEqual(env.GOOGLE_REDIRECT_URI.value, "https://chat.example.com/oauth/google/callback");
            assert.strictEqual(env.MICROSOFT_CLIENT_ID.value, "m-id");
            assert.strictEqual(env.MICROSOFT_CLIENT_TENANT_ID.value, "tenant-1");
            assert.strictEqual(env.MICROSOFT_REDIRECT_URI.value, "https://chat.example.com/oauth/microsoft/callback");
            assert.strictEqual(env.GITHUB_CLIENT_ID.value, "gh-id");
            assert.strictEqual(env.GITHUB_CLIENT_SCOPE.value, "read:user user:email");
            assert.strictEqual(env.GITHUB_CLIENT_REDIRECT_URI.value, "https://chat.example.com/oauth/github/callback");
            assert.strictEqual(env.OPENID_REDIRECT_URI.value, "https://chat.example.com/oauth/oidc/callback");
            assert.strictEqual(env.ENABLE_STAR_SESSIONS_MIDDLEWARE.value, "true");
            for (const k of ["OAUTH_CLIENT_SECRET", "GOOGLE_CLIENT_SECRET", "MICROSOFT_CLIENT_SECRET", "GITHUB_CLIENT_SECRET"]) {
                assert.deepStrictEqual(refOf(env[k]), { name: "chat-app", key: k }, k);
                assert.strictEqual(env[k].value, undefined, `${k} must never be a literal`);
            }
        }
        const secret = appSecret();
        assert.strictEqual(secret.plain.stringData.GOOGLE_CLIENT_SECRET, "g-secret");
        assert.strictEqual(secret.plain.stringData.MICROSOFT_CLIENT_SECRET, "m-secret");
        assert.ok(isSecretInput(secret.inputs, "stringData"));
        for (const o of kubernetesObjects(registered)) await validateK8sObject(o);
    });

    it("client secrets from existing Secrets: valueFrom the user's Secret, nothing stored in the app Secret", async () => {
        await build({
            oidc: { ...OIDC, clientSecretRef: { name: "idp", key: "oidc" } },
            sso: { microsoft: { clientId: "m-id", tenantId: "t", clientSecretRef: { name: "idp", key: "entra" } } },
        });
        const { serve, migrate } = envs();
        for (const env of [serve, migrate]) {
            assert.deepStrictEqual(refOf(env.OAUTH_CLIENT_SECRET), { name: "idp", key: "oidc" });
            assert.deepStrictEqual(refOf(env.MICROSOFT_CLIENT_SECRET), { name: "idp", key: "entra" });
        }
        const data = appSecret().plain.stringData;
        assert.strictEqual(data.OAUTH_CLIENT_SECRET, undefined);
        assert.strictEqual(data.MICROSOFT_CLIENT_SECRET, undefined);
    });

    it("role and group management from claims", async () => {
        await build({
            sso: {
                microsoft: { clientId: "m", tenantId: "t", clientSecret: "s" },
                roles: { claim: "app_roles", allowedRoles: ["user", "admin", "owui.user"], adminRoles: ["owui.admin"] },
                groups: { claim: "grp", createGroups: true },
                allowedDomains: ["example.com"],
                disablePasswordLogin: true,
            },
        });
        const { serve } = envs();
        assert.strictEqual(serve.ENABLE_OAUTH_ROLE_MANAGEMENT.value, "true");
        assert.strictEqual(serve.OAUTH_ROLES_CLAIM.value, "app_roles");
        assert.strictEqual(serve.OAUTH_ALLOWED_ROLES.value, "user,admin,owui.user");
        assert.strictEqual(serve.OAUTH_ADMIN_ROLES.value, "owui.admin");
        assert.strictEqual(serve.ENABLE_OAUTH_GROUP_MANAGEMENT.value, "true");
        assert.strictEqual(serve.OAUTH_GROUP_CLAIM.value, "grp");
        assert.strictEqual(serve.ENABLE_OAUTH_GROUP_CREATION.value, "true");
        assert.strictEqual(serve.OAUTH_ALLOWED_DOMAINS.value, "example.com");
        assert.strictEqual(serve.ENABLE_LOGIN_FORM.value, "false");
    });

    it("trusted-header auth: the header names, no OAuth env", async () => {
        await build({
            kubernetes: { routing: RoutingMode.None },
            sso: {
                trustedHeader: {
                    emailHeader: "X-Forwarded-Email",
                    nameHeader: "X-Forwarded-User",
                    groupsHeader: "X-Forwarded-Groups",
                    proxyStripsClientHeaders: true,
                },
            },
        });
        const { serve, migrate } = envs();
        for (const env of [serve, migrate]) {
            assert.strictEqual(env.WEBUI_AUTH_TRUSTED_EMAIL_HEADER.value, "X-Forwarded-Email");
            assert.strictEqual(env.WEBUI_AUTH_TRUSTED_NAME_HEADER.value, "X-Forwarded-User");
            assert.strictEqual(env.WEBUI_AUTH_TRUSTED_GROUPS_HEADER.value, "X-Forwarded-Groups");
            assert.strictEqual(env.ENABLE_STAR_SESSIONS_MIDDLEWARE, undefined);
            assert.strictEqual(env.OAUTH_CLIENT_ID, undefined);
        }
    });

    it("API keys and extra env from existing Secrets, on the serving pods and the migration Job", async () => {
        await build({
            rag: {
                openaiApiBaseUrls: ["https://gw.example.com/v1"],
                openaiApiKeysRef: { name: "llm", key: "keys" },
                embeddingApiKeyRef: { name: "llm", key: "embed" },
            },
            extraSecretEnvRefs: { WEB_SEARCH_API_KEY: { name: "search", key: "key" } },
            extraEnvFromSecrets: ["synced-by-eso"],
        });
        const { serve, migrate } = envs();
        for (const env of [serve, migrate]) {
            assert.deepStrictEqual(refOf(env.OPENAI_API_KEYS), { name: "llm", key: "keys" });
            assert.deepStrictEqual(refOf(env.RAG_OPENAI_API_KEY), { name: "llm", key: "embed" });
            assert.deepStrictEqual(refOf(env.WEB_SEARCH_API_KEY), { name: "search", key: "key" });
        }
        for (const r of [
            ofType("kubernetes:apps/v1:Deployment").find((d) => d.name === "chat")!,
            ofType("kubernetes:batch/v1:Job").find((j) => j.name === "chat-migrate")!,
        ]) {
            assert.deepStrictEqual(r.plain.spec.template.spec.containers[0].envFrom, [{ secretRef: { name: "synced-by-eso" } }], r.name);
        }
        assert.strictEqual(appSecret().plain.stringData.OPENAI_API_KEYS, undefined);
        for (const o of kubernetesObjects(registered)) await validateK8sObject(o);
    });

    describe("refused at construction, naming the field and the fix; nothing created", () => {
        const cases: [string, Partial<OpenWebUiClusterArgs>, RegExp][] = [
            [
                "a client secret given both ways",
                { sso: { google: { clientId: "g", clientSecret: "s", clientSecretRef: { name: "x", key: "y" } } } },
                /sso\.google\.clientSecret\/clientSecretRef: got "both set"; set exactly one/,
            ],
            ["a client secret given neither way", { oidc: { ...OIDC } }, /oidc\.clientSecret\/clientSecretRef: got "neither set"/],
            [
                "Microsoft without tenant",
                { sso: { microsoft: { clientId: "m", clientSecret: "s" } as any } },
                /sso\.microsoft\.tenantId: got nothing; give the directory \(tenant\) id/,
            ],
            [
                "trusted headers with an OAuth provider",
                { oidc: { ...OIDC, clientSecret: "s" }, sso: { trustedHeader: { emailHeader: "X-Email", proxyStripsClientHeaders: true } } },
                /sso\.trustedHeader: got "with oidc"; Open WebUI signs every request in by header first/,
            ],
            [
                "trusted headers without the proxy confirmation",
                { sso: { trustedHeader: { emailHeader: "X-Email", proxyStripsClientHeaders: false } } },
                /sso\.trustedHeader\.proxyStripsClientHeaders: got false; set true only when/,
            ],
            ["roles without a provider", { sso: { roles: { claim: "roles" } } }, /sso\.roles: .*roles come from OAuth tokens/],
            [
                "the login form hidden with no way in",
                { sso: { disablePasswordLogin: true } },
                /sso\.disablePasswordLogin: got true; with no provider and no trusted headers nobody could sign in/,
            ],
            [
                "oidc and sso disagreeing",
                { oidc: { ...OIDC, clientSecret: "s", enableSignup: false }, sso: { enableSignup: true } },
                /sso\.enableSignup: got true; oidc\.enableSignup says false/,
            ],
            [
                "a managed SSO variable in extraEnv",
                { extraEnv: { OAUTH_ROLES_CLAIM: "roles" } },
                /extraEnv\.OAUTH_ROLES_CLAIM: got "roles"; OAUTH_ROLES_CLAIM is managed by the component/,
            ],
            [
                "API keys given both ways",
                { rag: { openaiApiKeys: ["k"], openaiApiKeysRef: { name: "a", key: "b" } } },
                /rag\.openaiApiKeys\/rag\.openaiApiKeysRef: got "both set"/,
            ],
            [
                "keys by reference, embedding key left to default",
                { rag: { openaiApiKeysRef: { name: "a", key: "b" } } },
                /rag\.embeddingApiKeyRef: got nothing; with rag\.openaiApiKeysRef the embedding key cannot be taken from the first key/,
            ],
            [
                "an extra env ref on a managed name",
                { extraSecretEnvRefs: { DATABASE_URL: { name: "a", key: "b" } } },
                /extraSecretEnvRefs\.DATABASE_URL: .*is managed by the component/,
            ],
            ["an envFrom Secret with a bad name", { extraEnvFromSecrets: ["Bad_Name"] }, /extraEnvFromSecrets\[0\]: got "Bad_Name"; use a valid Secret name/],
            [
                "a header name with a colon",
                { sso: { trustedHeader: { emailHeader: "X-Email:", proxyStripsClientHeaders: true } } },
                /sso\.trustedHeader\.emailHeader: got "X-Email:"; give an HTTP header name/,
            ],
        ];
        for (const [what, args, message] of cases) {
            it(what, () => {
                reset();
                assert.throws(
                    () => new OpenWebUiCluster("chat", { ...base, ...args }),
                    (e: unknown) => e instanceof ValidationError && (message.test(e.message) || assert.fail(e.message)),
                );
                assert.strictEqual(registered.length, 0);
            });
        }
        it("no message repeats a client secret", () => {
            reset();
            assert.throws(
                () =>
                    new OpenWebUiCluster("chat", {
                        ...base,
                        sso: { google: { clientId: "g", clientSecret: "very-secret-value", clientSecretRef: { name: "x", key: "y" } } },
                    }),
                (e: unknown) => e instanceof ValidationError && !e.message.includes("very-secret-value"),
            );
        });
    });
});
