// The adoption inputs at construction (`importFrom`, `webuiSecretKeyRef`): each problem names the
// field, the value and the fix; defaults resolved. Secret names and keys are checked with every
// SecretKeyRef of the args (k8sRules.ts). The Job they describe is built by importJob.ts.
import { DEFAULTS } from "./defaults";
import { enumValues, isKnown, problem } from "./errors";
import { ImportFrom, ImportOnNonEmpty, ImportVectors } from "../args/importTypes";
import type { SecretKeyRef } from "../args/secretKeyRef";
import type { OpenWebUiClusterArgs } from "../args/types";

/** `importFrom` with its defaults. */
export interface ResolvedImport {
    dataDirClaim?: string;
    databaseUrlSecret?: SecretKeyRef;
    uploadsClaim?: string;
    vectors: ImportVectors;
    onNonEmpty: ImportOnNonEmpty;
    allowNewSecretKey: boolean;
    workDirSize: string;
    timeoutMinutes: number;
}

const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUANTITY = /^(\d+(\.\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;

function claimProblem(field: string, v: unknown): string | undefined {
    if (typeof v === "string" && DNS_SUBDOMAIN.test(v)) return undefined;
    return problem(
        field,
        v,
        "give the name of an existing PersistentVolumeClaim in the release namespace (DNS-1123: lowercase letters, digits, '-' and '.', at most 253 characters), e.g. open-webui (the Helm chart's claim)",
    );
}

function refMissing(field: string, ref: unknown): string | undefined {
    const r = ref as { name?: unknown; key?: unknown } | undefined;
    if (r && typeof r === "object" && r.name !== undefined && r.key !== undefined) return undefined;
    return problem(field, ref === undefined ? undefined : "<redacted>", "give { name, key } of an existing Secret in the release namespace");
}

/** The `importFrom` source problems: exactly one source, valid claim names. */
function sourceProblems(f: ImportFrom): string[] {
    const out: string[] = [];
    const hasDir = f.dataDirClaim !== undefined,
        hasDb = f.databaseUrlSecret !== undefined;
    if (hasDir && hasDb)
        out.push(
            problem(
                "importFrom.dataDirClaim/databaseUrlSecret",
                "both set",
                "set one source: dataDirClaim (the old DATA_DIR volume, SQLite) or databaseUrlSecret (the old Postgres); run the import twice for two sources",
            ),
        );
    else if (!hasDir && !hasDb)
        out.push(
            problem(
                "importFrom",
                "no source",
                "set importFrom.dataDirClaim (the PersistentVolumeClaim holding the old DATA_DIR) or importFrom.databaseUrlSecret (a Secret key holding the old Postgres URL)",
            ),
        );
    if (hasDir) out.push(...[claimProblem("importFrom.dataDirClaim", f.dataDirClaim)].filter((p): p is string => !!p));
    if (hasDb) out.push(...[refMissing("importFrom.databaseUrlSecret", f.databaseUrlSecret)].filter((p): p is string => !!p));
    if (f.uploadsClaim !== undefined) {
        const p = claimProblem("importFrom.uploadsClaim", f.uploadsClaim);
        if (p) out.push(p);
        else if (f.uploadsClaim === f.dataDirClaim)
            out.push(problem("importFrom.uploadsClaim", f.uploadsClaim, "it is dataDirClaim already, whose uploads/ is read: drop uploadsClaim"));
    }
    return out;
}

/** The `importFrom` choices' problems: enums, scratch size, deadline. */
function choiceProblems(f: ImportFrom): string[] {
    const out: string[] = [];
    if (f.vectors !== undefined && !enumValues(ImportVectors).includes(f.vectors))
        out.push(problem("importFrom.vectors", f.vectors, `use one of ${enumValues(ImportVectors).join(", ")}`));
    if (f.onNonEmpty !== undefined && !enumValues(ImportOnNonEmpty).includes(f.onNonEmpty))
        out.push(problem("importFrom.onNonEmpty", f.onNonEmpty, `use one of ${enumValues(ImportOnNonEmpty).join(", ")} (refuse stops before any write)`));
    const size = f.workDirSize;
    if (size !== undefined && (typeof size !== "string" || !QUANTITY.test(size) || Number(QUANTITY.exec(size)![1]) <= 0)) {
        out.push(problem("importFrom.workDirSize", size, "use a Kubernetes quantity above 0 such as 20Gi (room for a working copy of the source database)"));
    }
    const t = f.timeoutMinutes;
    if (t !== undefined && (!Number.isInteger(t) || t < 5 || t > 2880))
        out.push(problem("importFrom.timeoutMinutes", t, "use a whole number of minutes from 5 to 2880 (48 hours)"));
    return out;
}

/** Resolves and checks `importFrom` and `webuiSecretKeyRef` (Secret names and keys are checked with every SecretKeyRef in k8sRules.ts). */
export function resolveAdoption(a: OpenWebUiClusterArgs): { importFrom?: ResolvedImport; webuiSecretKeyRef?: SecretKeyRef; problems: string[] } {
    const problems: string[] = [];
    const ref = a.webuiSecretKeyRef;
    if (ref !== undefined) {
        const p = refMissing("webuiSecretKeyRef", ref);
        if (p) problems.push(p);
    }
    const f = a.importFrom;
    if (f === undefined) return { webuiSecretKeyRef: ref, problems };
    if (f === null || typeof f !== "object" || !isKnown(f))
        return {
            webuiSecretKeyRef: ref,
            problems: [...problems, problem("importFrom", "not an object", "give { dataDirClaim } or { databaseUrlSecret: { name, key } } and the options")],
        };
    problems.push(...sourceProblems(f), ...choiceProblems(f));
    const importFrom: ResolvedImport = {
        dataDirClaim: f.dataDirClaim,
        databaseUrlSecret: f.databaseUrlSecret,
        uploadsClaim: f.uploadsClaim,
        vectors: f.vectors ?? DEFAULTS["importFrom.vectors"].value,
        onNonEmpty: f.onNonEmpty ?? DEFAULTS["importFrom.onNonEmpty"].value,
        allowNewSecretKey: f.allowNewSecretKey ?? DEFAULTS["importFrom.allowNewSecretKey"].value,
        workDirSize: f.workDirSize ?? DEFAULTS["importFrom.workDirSize"].value,
        timeoutMinutes: f.timeoutMinutes ?? DEFAULTS["importFrom.timeoutMinutes"].value,
    };
    return { importFrom, webuiSecretKeyRef: ref, problems };
}
