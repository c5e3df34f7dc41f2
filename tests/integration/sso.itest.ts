// Integration: the sign-in env the component emits (`oidc`, `sso.google/microsoft/github`,
// `sso.trustedHeader`), given to a real Open WebUI 0.12.4. What the release does with it is the
// proof the env names are right:
// - /api/config lists every provider the release registered (config.py registers one only when
//   all of its variables are set: Microsoft needs the tenant, the control shows it);
// - /oauth/github/login redirects to GitHub with the redirect URI the component set (GitHub has
//   no discovery document, so this needs no network);
// - with trusted headers, /api/v1/auths/signin signs a user in from the proxy's headers alone.
// Only the sign-in env is taken (plus the secret key and URL): the server runs on its own SQLite
// here (with the emitted embedding engine, so no local model loads), since what is under test is
// how it reads these variables.
import "../harness"; // setMocks first
import * as assert from "assert";
import { ofType, reset, settle } from "../harness";
import { resolveEnv, Env } from "./lib/component";
import { startOpenWebUi, stopOpenWebUi, OpenWebUi } from "./lib/openwebui";
import { cleanupAll, request } from "./lib/procs";
import { OpenWebUiCluster, OpenWebUiClusterArgs } from "../../index";
import { CloudTarget } from "../../components/args/types";
import { SSO_ENV } from "../../components/spec/sso";

/** The emitted serving env, reduced to sign-in variables (Redis-backed sessions left out: no Redis here). */
async function signInEnv(args: Partial<OpenWebUiClusterArgs>): Promise<Env> {
    reset();
    new OpenWebUiCluster("it", { target: CloudTarget.Kubernetes, hostname: "chat.example.com", otel: { enabled: false }, ...args });
    await settle();
    const dep = ofType("kubernetes:apps/v1:Deployment").find((d) => d.name === "it")!;
    const env = resolveEnv(dep.plain.spec.template.spec.containers[0]);
    const keep = new Set([
        ...SSO_ENV.filter((k) => k !== "ENABLE_STAR_SESSIONS_MIDDLEWARE"),
        "WEBUI_SECRET_KEY",
        "WEBUI_URL",
        "ENABLE_SIGNUP",
        "ENV",
        "RAG_EMBEDDING_ENGINE",
        "RAG_EMBEDDING_MODEL",
        "ENABLE_RAG_HYBRID_SEARCH",
    ]);
    return Object.fromEntries(Object.entries(env).filter(([k]) => keep.has(k)));
}

const PRESETS: Partial<OpenWebUiClusterArgs> = {
    oidc: {
        providerUrl: "https://idp.example.com/.well-known/openid-configuration",
        clientId: "it-oidc",
        clientSecret: "it-oidc-secret",
        providerName: "Corp SSO",
    },
    sso: {
        google: { clientId: "it-google", clientSecret: "it-google-secret" },
        microsoft: { clientId: "it-ms", clientSecret: "it-ms-secret", tenantId: "00000000-0000-0000-0000-000000000001" },
        github: { clientId: "it-github", clientSecret: "it-github-secret" },
    },
};

describe("sign-in: the emitted env in a real Open WebUI 0.12.4 (providers registered, GitHub redirect, trusted headers)", function () {
    this.timeout(300_000);
    let server: OpenWebUi | undefined;
    const report: Record<string, unknown> = {};

    afterEach(async () => {
        await stopOpenWebUi(server);
        server = undefined;
    });
    after(async () => {
        await cleanupAll();
        console.log(`      sso report: ${JSON.stringify(report)}`);
    });

    it("all four providers are registered and shown; GitHub's login redirects with the component's redirect URI", async () => {
        const env = await signInEnv(PRESETS);
        server = await startOpenWebUi("sso", env);
        const config = JSON.parse((await request(`${server.base}/api/config`)).body);
        report.providers = config.oauth.providers;
        assert.deepStrictEqual(Object.keys(config.oauth.providers).sort(), ["github", "google", "microsoft", "oidc"]);
        assert.strictEqual(config.oauth.providers.oidc, "Corp SSO");
        const login = await request(`${server.base}/oauth/github/login`);
        assert.strictEqual(login.status, 302, login.body);
        const to = new URL(String(login.headers.location));
        report.githubRedirect = `${to.origin}${to.pathname}`;
        assert.strictEqual(`${to.origin}${to.pathname}`, "https://github.com/login/oauth/authorize");
        assert.strictEqual(to.searchParams.get("client_id"), "it-github");
        assert.strictEqual(to.searchParams.get("redirect_uri"), "https://chat.example.com/oauth/github/callback");
    });

    it("control: without the tenant id the release does not register Microsoft (why the component requires it)", async () => {
        const env = await signInEnv(PRESETS);
        delete env.MICROSOFT_CLIENT_TENANT_ID;
        server = await startOpenWebUi("sso-control", env);
        const config = JSON.parse((await request(`${server.base}/api/config`)).body);
        assert.deepStrictEqual(Object.keys(config.oauth.providers).sort(), ["github", "google", "oidc"]);
    });

    it("trusted headers: the proxy's headers alone sign a user in, with the name header; without them the sign-in is refused", async () => {
        const env = await signInEnv({
            kubernetes: { routing: "none" as any },
            sso: { trustedHeader: { emailHeader: "X-Forwarded-Email", nameHeader: "X-Forwarded-User", proxyStripsClientHeaders: true } },
        }); // trusted headers only behind the user's proxy (routing none)
        assert.strictEqual(env.WEBUI_AUTH_TRUSTED_EMAIL_HEADER, "X-Forwarded-Email");
        server = await startOpenWebUi("sso-header", env);
        const config = JSON.parse((await request(`${server.base}/api/config`)).body);
        assert.strictEqual(config.features.auth_trusted_header, true);
        const signin = await request(`${server.base}/api/v1/auths/signin`, {
            method: "POST",
            headers: { "X-Forwarded-Email": "Alice@Example.com", "X-Forwarded-User": "Alice%20Doe" },
            body: { email: "", password: "" },
        });
        assert.strictEqual(signin.status, 200, signin.body);
        const user = JSON.parse(signin.body);
        report.trustedHeaderUser = { email: user.email, name: user.name, role: user.role };
        assert.strictEqual(user.email, "alice@example.com");
        assert.strictEqual(user.name, "Alice Doe");
        assert.ok(typeof user.token === "string" && user.token.length > 20);
        const without = await request(`${server.base}/api/v1/auths/signin`, { method: "POST", body: { email: "alice@example.com", password: "x" } });
        assert.strictEqual(without.status, 400, without.body);
    });
});
