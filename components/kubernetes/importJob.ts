// Adopting an existing Open WebUI (`importFrom`; its checks are in importSpec.ts):
// - createImportJob: the one-shot Job `<name>-import` that runs the importer
//   (migrate/openwebui_import.py, shipped in the package and delivered by the ConfigMap
//   `<name>-import-script`) in the pinned Open WebUI image, with exactly the serving pods' env
//   (DATABASE_URL, storage, vectors, WEBUI_SECRET_KEY) plus the source settings. The source
//   volume is mounted read-only; the Job runs as the app's ServiceAccount (bucket access through
//   workload identity), with the restricted security context and the `pod` knobs of the
//   migration Job. Pulumi awaits it (no ttlSecondsAfterFinished) after the database bootstrap and
//   before the migration Job and the Deployment (openWebUiCluster.ts orders them).
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { ResolvedImport } from "../spec/importSpec";
import { withPodKnobs } from "./podKnobs";
import { restrictedContainerSecurity } from "./security";
import { PodInputs, envFrom, podSecurity, resources, volumes as appVolumes } from "./workloads";

type EnvVar = k8s.types.input.core.v1.EnvVar;

/** Where the Job mounts things. */
export const IMPORT_PATHS = { script: "/opt/openwebui-import", source: "/source", uploads: "/source-uploads", work: "/import-work" };
/** The importer's file name, in the package (`migrate/`) and in the ConfigMap. */
export const IMPORT_SCRIPT = "openwebui_import.py";
/** The env var holding the source Postgres URL (from the user's Secret; never on the command line). */
export const IMPORT_SOURCE_URL_ENV = "OPENWEBUI_IMPORT_SOURCE_DATABASE_URL";
/** Job annotation naming the source, for people and `openwebui plan`. */
export const IMPORT_SOURCE_ANNOTATION = "openwebui.io/import-source";
/** ConfigMaps hold at most 1 MiB. */
const CONFIGMAP_MAX_BYTES = 1024 * 1024;
/**
 * The importer's source files (`migrate/*.py`: the entry point and its modules), read from the
 * package: `migrate/` sits at the package root, one level above `components/` (ts-node, checkout)
 * and two above `bin/components/` (compiled, tarball). File name -> content, for the ConfigMap.
 */
export function importScripts(dir: string = __dirname): { [file: string]: string } {
    const candidates = [path.join(dir, "..", "migrate"), path.join(dir, "..", "..", "migrate")];
    const found = candidates.find((c) => fs.existsSync(path.join(c, IMPORT_SCRIPT)));
    if (!found)
        throw new Error(
            `OpenWebUiCluster: importFrom: the importer migrate/${IMPORT_SCRIPT} is missing from the package (looked in ${candidates.join(", ")}); reinstall the package`,
        );
    const files = fs
        .readdirSync(found)
        .filter((f) => /^[A-Za-z0-9_]+\.py$/.test(f) && !/^test_|_test\.py$/.test(f))
        .sort();
    const out = Object.fromEntries(files.map((f) => [f, fs.readFileSync(path.join(found, f), "utf8")]));
    const bytes = Object.values(out).reduce((n, t) => n + Buffer.byteLength(t), 0);
    if (bytes > CONFIGMAP_MAX_BYTES - 4096)
        throw new Error(`OpenWebUiCluster: importFrom: migrate/*.py is ${bytes} bytes, above what a ConfigMap holds (1 MiB)`);
    return out;
}

/** The importer's arguments (the contract of migrate/openwebui_import.py); never a URL or a key. */
export function importArgs(imp: ResolvedImport): string[] {
    const args: string[] = [];
    if (imp.dataDirClaim !== undefined) args.push("--source-data-dir", IMPORT_PATHS.source);
    if (imp.databaseUrlSecret !== undefined) args.push("--source-database-url-env", IMPORT_SOURCE_URL_ENV);
    if (imp.uploadsClaim !== undefined) args.push("--uploads-dir", IMPORT_PATHS.uploads);
    args.push("--vectors", imp.vectors, "--on-nonempty", imp.onNonEmpty, "--work-dir", IMPORT_PATHS.work);
    if (imp.allowNewSecretKey) args.push("--allow-new-secret-key");
    return args;
}

/**
 * The image's Open WebUI sources (`open_webui` is not pip-installed there): on PYTHONPATH so the
 * importer and the child processes it starts (Open WebUI's own migrations) import it; the
 * script's directory (its sibling modules) is on sys.path as the script's.
 */
export const APP_SOURCE_DIR = "/app/backend";

/** One line for `plan` and the Job annotation: what is read (never a URL). */
export function importSourceDescription(imp: ResolvedImport): pulumi.Output<string> {
    const uploads = imp.uploadsClaim !== undefined ? `, uploads from PersistentVolumeClaim ${imp.uploadsClaim}` : "";
    const src =
        imp.dataDirClaim !== undefined
            ? pulumi.output(`PersistentVolumeClaim ${imp.dataDirClaim} (DATA_DIR, mounted read-only)`)
            : pulumi.interpolate`Postgres at Secret ${imp.databaseUrlSecret!.name} key ${imp.databaseUrlSecret!.key}`;
    return pulumi.interpolate`${src}${uploads}; vectors ${imp.vectors}, non-empty target: ${imp.onNonEmpty}`;
}

/** The Job's env on top of the app's: PYTHONPATH (unless the user's env sets it) and the source Postgres URL from the user's Secret. */
export function importEnv(imp: ResolvedImport, appEnv: EnvVar[]): EnvVar[] {
    const out: EnvVar[] = appEnv.some((e) => e.name === "PYTHONPATH") ? [] : [{ name: "PYTHONPATH", value: APP_SOURCE_DIR }];
    if (imp.databaseUrlSecret)
        out.push({ name: IMPORT_SOURCE_URL_ENV, valueFrom: { secretKeyRef: { name: imp.databaseUrlSecret.name, key: imp.databaseUrlSecret.key } } });
    return out;
}

/** Volumes and mounts of the import Job on top of the app pod's: the script, the source, the scratch directory. */
function importVolumes(name: string, imp: ResolvedImport): { volumes: k8s.types.input.core.v1.Volume[]; mounts: k8s.types.input.core.v1.VolumeMount[] } {
    const volumes: k8s.types.input.core.v1.Volume[] = [
        { name: "import-script", configMap: { name: `${name}-import-script` } },
        { name: "import-work", emptyDir: { sizeLimit: imp.workDirSize } },
    ];
    const mounts: k8s.types.input.core.v1.VolumeMount[] = [
        { name: "import-script", mountPath: IMPORT_PATHS.script, readOnly: true },
        { name: "import-work", mountPath: IMPORT_PATHS.work },
    ];
    if (imp.dataDirClaim !== undefined) {
        volumes.push({ name: "import-source", persistentVolumeClaim: { claimName: imp.dataDirClaim, readOnly: true } });
        mounts.push({ name: "import-source", mountPath: IMPORT_PATHS.source, readOnly: true });
    }
    if (imp.uploadsClaim !== undefined) {
        volumes.push({ name: "import-uploads", persistentVolumeClaim: { claimName: imp.uploadsClaim, readOnly: true } });
        mounts.push({ name: "import-uploads", mountPath: IMPORT_PATHS.uploads, readOnly: true });
    }
    return { volumes, mounts };
}

/**
 * The ConfigMap with the importer and the import Job. `env` is the serving pods' env (buildEnv);
 * the source URL, when the source is a Postgres, is added from the user's Secret.
 */
export function createImportJob(
    name: string,
    p: PodInputs,
    imp: ResolvedImport,
    env: EnvVar[],
    dependsOn: pulumi.Input<pulumi.Resource>[],
    opts: pulumi.CustomResourceOptions,
): { job: k8s.batch.v1.Job; script: k8s.core.v1.ConfigMap } {
    const spec = p.spec;
    const labels = { ...p.labels, ...p.podLabels, "app.kubernetes.io/component": "import" };
    const script = new k8s.core.v1.ConfigMap(
        `${name}-import-script`,
        { metadata: { name: `${name}-import-script`, namespace: p.namespace, labels }, data: importScripts() },
        opts,
    );
    const app = appVolumes(p);
    const own = importVolumes(name, imp);
    const sourceEnv: EnvVar[] = importEnv(imp, env);
    const job = new k8s.batch.v1.Job(
        `${name}-import`,
        {
            metadata: {
                name: `${name}-import`,
                namespace: p.namespace,
                labels,
                annotations: { [IMPORT_SOURCE_ANNOTATION]: importSourceDescription(imp), "pulumi.com/replaceUnready": "true" },
            },
            spec: {
                // Resumable: a retry continues where the last attempt stopped (state in the target database).
                backoffLimit: 2,
                activeDeadlineSeconds: imp.timeoutMinutes * 60,
                template: withPodKnobs(
                    {
                        // No config hash: a rotated Secret is no reason to run the import again.
                        metadata: { labels },
                        spec: {
                            restartPolicy: "Never",
                            serviceAccountName: p.serviceAccountName,
                            automountServiceAccountToken: false,
                            securityContext: podSecurity(),
                            initContainers: app.initContainers.length ? app.initContainers : undefined,
                            containers: [
                                {
                                    name: "import",
                                    image: spec.image.ref,
                                    imagePullPolicy: spec.image.pullPolicy,
                                    workingDir: APP_SOURCE_DIR,
                                    command: ["python3", `${IMPORT_PATHS.script}/${IMPORT_SCRIPT}`],
                                    args: importArgs(imp),
                                    env: [...env, ...sourceEnv],
                                    envFrom: envFrom(p),
                                    volumeMounts: [...app.mounts, ...own.mounts],
                                    securityContext: restrictedContainerSecurity(spec.pod.readOnlyRootFilesystem),
                                    resources: resources(spec),
                                },
                            ],
                            volumes: [...app.volumes, ...own.volumes],
                        },
                    },
                    spec.knobs.app,
                    { main: ["import"], selector: { ...p.selector, "app.kubernetes.io/component": "import" } },
                ),
            },
        },
        {
            ...opts,
            dependsOn: [...dependsOn, script],
            // A Job's pod template is immutable: a changed spec (import inputs, image, env) is a new
            // Job, and the importer resumes or finds its finished state in the target database. Not
            // ignoreChanges: the engine would create a replacement with the old (ignored) values.
            deleteBeforeReplace: true,
            replaceOnChanges: ["spec"],
            customTimeouts: { create: `${imp.timeoutMinutes}m`, update: `${imp.timeoutMinutes}m` },
        },
    );
    return { job, script };
}
