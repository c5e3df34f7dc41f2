// Args of adopting an existing Open WebUI (`importFrom`): where its data lives and what the
// one-shot import Job (components/kubernetes/importJob.ts) does with it. Schema-inferable: interfaces and
// string enums only.
import type { SecretKeyRef } from "./secretKeyRef";

/** What the import does with the source's vectors (embedded Chroma of `vector_db/`). */
export enum ImportVectors {
    /** Copy the stored embeddings into the target vector store (the embedding model must be unchanged). */
    Copy = "copy",
    /** Copy no vectors; re-embed the knowledge bases through Open WebUI after cutover (costs embedding calls and time). */
    Reembed = "reembed",
    /** Move no vectors at all: knowledge bases answer nothing until re-indexed by hand. */
    Skip = "skip",
}

/** What the import does when the target database already holds Open WebUI data. */
export enum ImportOnNonEmpty {
    /** Stop before any write, saying what was found (the safe default). */
    Refuse = "refuse",
    /** Add the source's rows whose ids are missing (the final delta of a cutover: re-run after the first copy). */
    Merge = "merge",
    /** Delete the target's Open WebUI rows first, then copy (destructive). */
    Replace = "replace",
}

/**
 * An existing Open WebUI to bring into the cluster: a one-shot Job (`<name>-import`) runs the
 * importer in the pinned Open WebUI image with the app's own env before the migration Job and the
 * Deployment. The source is mounted or read read-only and never written. Set exactly one of
 * `dataDirClaim` and `databaseUrlSecret`.
 */
export interface ImportFrom {
    /**
     * An existing PersistentVolumeClaim in the release namespace holding the old instance's
     * DATA_DIR (`webui.db` with its `-wal`/`-shm`, `uploads/`, `vector_db/`), e.g. the Helm
     * chart's `open-webui` claim; mounted read-only at `/source`. Scale the old instance to 0
     * first (a ReadWriteOnce volume attaches to one node). Default: none.
     */
    dataDirClaim?: string;
    /** The old instance's Postgres: a key of an existing Secret holding its URL (`postgresql://...`). Instead of `dataDirClaim`. Default: none. */
    databaseUrlSecret?: SecretKeyRef;
    /**
     * An existing PersistentVolumeClaim holding the old `uploads/` directory when it is not inside
     * `dataDirClaim` (a Postgres source, or uploads on their own volume); mounted read-only at
     * `/source-uploads`. Default: none (`uploads/` of `dataDirClaim`).
     */
    uploadsClaim?: string;
    /** What happens to the vectors. Default: `copy`. */
    vectors?: ImportVectors;
    /** What happens when the target database already holds Open WebUI data. Default: `refuse`. */
    onNonEmpty?: ImportOnNonEmpty;
    /**
     * Proceed when the source's `.webui_secret_key` differs from the cluster's `WEBUI_SECRET_KEY`
     * (every user is logged out at cutover). Prefer adopting the old key with `webuiSecretKeyRef`.
     * Default: false (the import refuses).
     */
    allowNewSecretKey?: boolean;
    /** Size limit of the Job's scratch directory (an emptyDir holding the working copy of the source database). Default: `20Gi`. */
    workDirSize?: string;
    /** Deadline of the import Job in minutes (`activeDeadlineSeconds`; Pulumi waits as long). Default: 360. */
    timeoutMinutes?: number;
}
