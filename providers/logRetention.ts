// hardening.accessLogRetentionDays, checked by each cloud's validator against the range its log
// store accepts (bucket lifecycle expiry on aws/gcp, Log Analytics retention on azure).
import { problem } from "../components/spec/errors";
import type { ResolvedSpec } from "../components/spec/spec";

export function logRetentionProblem(spec: ResolvedSpec, min: number, max: number, store: string): string[] {
    const days = spec.hardening.accessLogRetentionDays;
    if (days === undefined) return [];
    if (typeof days === "number" && Number.isInteger(days) && days >= min && days <= max) return [];
    return [problem("hardening.accessLogRetentionDays", days, `use a whole number of days from ${min} to ${max} (${store})`)];
}
