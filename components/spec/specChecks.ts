// Field checks shared by the section resolvers: service modes, URLs, names. Each problem names
// the field, the value and the fix. (The database's, Redis' and OTEL's own checks live with their
// resolvers: database.ts, redis.ts, telemetry.ts.)
import { checkUrl } from "./addresses";
import { enumValues, problem } from "./errors";
import { ServiceMode } from "../args/types";

export const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const RELEASE_TAG = /^v?\d+\.\d+\.\d+([-+.][0-9A-Za-z.-]+)?$/;
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function checkDnsSubdomain(field: string, v: string, problems: string[]): void {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(v))
        problems.push(problem(field, v, "use a valid Secret name (DNS subdomain)"));
}

export function checkMode(field: string, mode: ServiceMode, cloud: boolean, problems: string[]): void {
    if (!enumValues(ServiceMode).includes(mode)) {
        problems.push(problem(field, mode, `use one of ${enumValues(ServiceMode).join(", ")}`));
    } else if (mode === ServiceMode.Managed && !cloud) {
        problems.push(problem(field, mode, "target kubernetes has no managed services: use external (bring your own) or inCluster (evaluation)"));
    }
}

/**
 * An http(s) URL without credentials (a user:password in a URL would be a literal secret in the
 * pod spec); the message never repeats the credentials.
 */
export function checkHttpUrl(field: string, value: unknown, problems: string[], keyField: string): void {
    checkUrl(problems, field, value, {
        schemes: ["http", "https"],
        fix: "use an http:// or https:// URL with a host (e.g. https://gateway.example.com/v1)",
        credentialsIn: keyField,
    });
}
