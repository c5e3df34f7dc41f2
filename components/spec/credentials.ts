// What a credential looks like, by its variable name or by its value. A leaf module (no imports):
// errors.ts masks these in every message, envContract.ts refuses them as plain env.

/**
 * Variable names that hold secrets, case-insensitive: passwords, tokens, keys, credentials,
 * connection strings, private keys, session/cookie secrets (MY_TOKEN, OPENAI_API_KEYS,
 * DB_PASSWD, AWS_SECRET_ACCESS_KEY, GOOGLE_CREDENTIALS, SENTRY_DSN, x_api_key, ...).
 */
const SECRET_NAME =
    /(secret|passw(or)?d|passwd|(^|_)pwd($|_)|token|api_?keys?|(^|_)keys?($|_)|access_?key|private|credential|(^|_)creds?($|_)|(^|_)auth($|_)|(^|_)dsn($|_)|conn(ection)?_?str(ing)?|(^|_)sas($|_)|cookie|signing|bearer|salt($|_))/i;

/** Names that match SECRET_NAME but configure something else (ENABLE_API_KEY, API_KEY_ALLOWED_ENDPOINTS, JWT_EXPIRES_IN...). */
const NOT_SECRET_NAME = /^(ENABLE|DISABLE)_|_(ENABLED|DISABLED|ENDPOINTS?|EXPIRES(_IN)?|HEADER|PREFIX|TTL|TIMEOUT|MODE|LENGTH|SIZE|PATH|FILE|DIR)$/i;

/** True when an env/header name is one that holds a secret. */
export function looksLikeSecretName(name: string): boolean {
    return SECRET_NAME.test(name) && !NOT_SECRET_NAME.test(name);
}

/** Credential shapes inside a value; each names what it found (never the value). */
const CREDENTIAL_VALUES: [RegExp, string][] = [
    [/[a-z][a-z0-9+.-]*:\/\/[^/\s@"]+@/i, "credentials in a URL (user:password@ or token@)"],
    [/-----BEGIN [A-Z0-9 ]*(PRIVATE KEY|CERTIFICATE|OPENSSH|PGP)[A-Z ]*-----/, "a PEM block"],
    [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, "a JSON Web Token"],
    [/\b(sk|rk|pk)-[A-Za-z0-9_-]{16,}/, "an API key (sk-...)"],
    [/\b(AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}\b/, "an AWS access key id"],
    [/\bAIza[0-9A-Za-z_-]{35}\b/, "a Google API key"],
    [/\b(ghp|gho|ghu|ghs|ghr|github_pat|glpat|xox[abprs])[-_][A-Za-z0-9_-]{16,}/, "a GitHub/GitLab/Slack token"],
    [/\b(AccountKey|SharedAccessKey|SharedAccessSignature|Password|Pwd)=[^;\s]{6,}/i, "a connection string with a key or password"],
    [/\bBearer\s+[A-Za-z0-9._~+/-]{16,}=*/i, "a bearer token"],
];

/** What credential the value carries, or undefined. Never returns any part of the value. */
export function credentialIn(value: unknown): string | undefined {
    if (typeof value !== "string") return undefined;
    for (const [re, what] of CREDENTIAL_VALUES) if (re.test(value)) return what;
    return undefined;
}

/** The text with every credential-shaped substring replaced by `***` (URL credentials keep the scheme). */
export function maskCredentials(text: string): string {
    let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s@"]+@/gi, "$1***@");
    for (const [re, what] of CREDENTIAL_VALUES.slice(1))
        out = out.replace(new RegExp(re.source, re.flags.includes("g") ? re.flags : re.flags + "g"), `<${what}: redacted>`);
    return out;
}
