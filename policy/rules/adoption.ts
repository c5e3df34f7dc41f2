// Adoption rules: an import Job (the component's `importFrom`, or any Job running the package's
// importer openwebui_import.py) whose choices lose or destroy data.
import { TYPES, raw, get, arr, resourceRule, type Json } from "./shape";

/** The importer's arguments of each container of a Job that runs openwebui_import.py. */
function importerArgs(props: Json): string[][] {
    const containers = arr(get(raw(props), "spec", "template", "spec", "containers"));
    return containers
        .map((c: Json) => [...arr(raw(c)?.command), ...arr(raw(c)?.args)].filter((x: unknown): x is string => typeof x === "string"))
        .filter((argv) => argv.some((a) => /openwebui_import\.py$/.test(a)));
}

const valueOf = (argv: string[], flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    if (i >= 0) return argv[i + 1];
    return argv.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
};

export const importDataLoss = resourceRule({
    name: "owui-import-keeps-data",
    description:
        "An Open WebUI import Job should neither delete the target's data first (`--on-nonempty replace`) nor drop the source's vectors (`--vectors skip`: knowledge bases answer nothing until re-indexed).",
    remediation:
        "Component: importFrom.onNonEmpty refuse (or merge for a final delta) and importFrom.vectors copy (or reembed). Keep a backup of the target before a replace.",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["durability", "adoption"],
    validateResource: (args, report) => {
        if (args.type !== TYPES.job) return;
        for (const argv of importerArgs(args.props)) {
            if (valueOf(argv, "--on-nonempty") === "replace")
                report(`Job '${args.name}' imports with --on-nonempty replace: the target's Open WebUI data is deleted before the copy.`);
            if (valueOf(argv, "--vectors") === "skip")
                report(`Job '${args.name}' imports with --vectors skip: knowledge bases lose their vectors (no answers until re-indexed).`);
        }
    },
});
