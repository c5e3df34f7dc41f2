// How `alarms` resolves and is checked: cloud alarms on by default on aws, gcp and azure (none on
// kubernetes, where `otel.prometheusRule` is the route), notifying the targets the user names.
// Each cloud checks the format of its targets (providers/<cloud>/validate.ts) with
// `alarmTargetProblems`; the thresholds of every cloud's alarms (providers/<cloud>/alarms.ts) are here.
import { CloudTarget } from "../args/enums";
import { problem } from "../spec/errors";
import type { Alarms } from "../args/types";
import type { ResolvedAlarms, ResolvedSpec } from "../spec/specTypes";

/** The thresholds of the cloud alarms, documented in README's Observability table. */
export const ALARM_THRESHOLDS = {
    /** Database connections above this % of the `max_connections` the pools were sized against. */
    databaseConnectionsPercent: 80,
    /** Database CPU above this % ... */
    databaseCpuPercent: 80,
    /** ... for this many minutes. */
    databaseCpuMinutes: 15,
    /** Database storage used above this % (RDS: free space below 100 minus this % of `database.storageGb`). */
    databaseStoragePercent: 85,
    /** Redis memory used above this %. */
    cacheMemoryPercent: 80,
    /** Evicted keys above this count in the window (Open WebUI's sessions and websocket state must not be evicted). */
    cacheEvictions: 0,
    /** Load balancer 5xx responses (from the targets) above this % of requests over the window. */
    http5xxPercent: 5,
    /** Unhealthy load balancer targets above this count over the window. */
    unhealthyTargets: 0,
    /** Evaluation window of every alarm but CPU, in minutes. */
    windowMinutes: 5,
};

/** At most this many targets: CloudWatch takes 5 actions per state, Azure 5 action groups per alert rule. */
export const MAX_ALARM_TARGETS = 5;

/** Connections above which the database alarm fires: 80 % of `maxConnections`, rounded down. */
export function connectionsThreshold(maxConnections: number): number {
    return Math.floor((maxConnections * ALARM_THRESHOLDS.databaseConnectionsPercent) / 100);
}

const CLOUDS: string[] = [CloudTarget.Aws, CloudTarget.Gcp, CloudTarget.Azure];

export function resolveAlarms(target: CloudTarget, a: Alarms | undefined): ResolvedAlarms {
    return {
        enabled: CLOUDS.includes(target) && (a?.enabled ?? true),
        notificationTargets: Array.isArray(a?.notificationTargets) ? [...a.notificationTargets] : [],
    };
}

/** Target-independent checks; each message names the field, the value and the fix. */
export function alarmsProblems(target: CloudTarget, a: Alarms | undefined): string[] {
    const targets = a?.notificationTargets;
    if (targets === undefined) return [];
    const out: string[] = [];
    if (!CLOUDS.includes(target) && targets.length) {
        out.push(
            problem(
                "alarms.notificationTargets",
                targets,
                "the kubernetes target creates no cloud alarms: remove it, set otel.prometheusRule: true and route the alerts in your Alertmanager",
            ),
        );
    } else if (a?.enabled === false && targets.length) {
        out.push(
            problem("alarms.notificationTargets", targets, "alarms.enabled is false, so nothing would notify them: remove the targets or turn the alarms on"),
        );
    }
    if (targets.length > MAX_ALARM_TARGETS) {
        out.push(
            problem(
                "alarms.notificationTargets",
                `${targets.length} targets`,
                `give at most ${MAX_ALARM_TARGETS} (the clouds' limit of actions per alarm); fan out from one topic, channel or action group instead`,
            ),
        );
    }
    const seen = new Set<string>();
    targets.forEach((t, i) => {
        if (seen.has(t)) out.push(problem(`alarms.notificationTargets[${i}]`, t, "listed twice: give each target once"));
        seen.add(t);
    });
    return out;
}

/**
 * Format checks of one cloud's targets (called by providers/<cloud>/validate.ts): anchored
 * patterns with narrow character classes, so no newline, quote, filter syntax or URL gets through.
 */
export function alarmTargetProblems(spec: ResolvedSpec, pattern: RegExp, fix: string): string[] {
    return spec.alarms.notificationTargets.flatMap((t, i) =>
        typeof t === "string" && t.length <= 512 && pattern.test(t) ? [] : [problem(`alarms.notificationTargets[${i}]`, t, fix)],
    );
}
