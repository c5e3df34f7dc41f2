// The multi-language schema, inferred in-process exactly as the Pulumi CLI infers it for
// `pulumi package add` / `pulumi package get-schema` (ComponentProvider.getSchema(), see
// scripts/schema.ts), checked against the TypeScript sources and against the committed
// snapshot schema.json (API changes must be reviewed: regenerate with `npm run schema`).
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import * as YAML from "yaml";
import { ARGS_SHAPE_PATH, REGENERATE, ROOT, SCHEMA_PATH, entryComponents, formatSchema, providerName, sharedProvider } from "../scripts/schema";
import { argsShapeModule } from "../components/spec/unknownKeys";
import { ARGS_SHAPE } from "../components/spec/argsShape.generated";

const TOKEN = "openwebui:index:OpenWebUiCluster";
const typeName = (ref: string) => ref.replace("#/types/openwebui:index:", "");

// ---- What the TypeScript sources declare (parsed only, no type-check: fast) ----------------
interface Member {
    name: string;
    optional: boolean;
    doc: string;
    typeNode?: ts.TypeNode;
}
interface Decl {
    file: string;
    kind: "interface" | "enum";
    members: Member[];
    values: (string | number)[];
    bases?: string[];
}

function docOf(node: ts.Node): string {
    const docs = ((node as any).jsDoc ?? []) as ts.JSDoc[];
    return docs.map((d) => (typeof d.comment === "string" ? d.comment : (ts.getTextOfJSDocComment(d.comment) ?? ""))).join("\n");
}

function sourceFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) return sourceFiles(p);
        return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [p] : [];
    });
}

function interfaceDecl(node: ts.InterfaceDeclaration, sf: ts.SourceFile, file: string): Decl {
    return {
        file,
        kind: "interface",
        values: [],
        members: node.members.filter(ts.isPropertySignature).map((m) => ({
            name: m.name.getText(sf),
            optional: !!m.questionToken,
            doc: docOf(m),
            typeNode: m.type,
        })),
        bases: (node.heritageClauses ?? []).flatMap((h) => h.types.map((t) => t.expression.getText(sf))),
    };
}

/**
 * Every interface and enum declared in the package sources (components/, providers/, index.ts),
 * by name, with the members of the interfaces they extend; plus the Kubernetes input types
 * (`k8s.types.input.core.v1` / `meta.v1`) the args use for pod knobs, which the analyzer copies
 * into the schema under their bare names (so a clash with one of ours would be silent).
 */
function declarations(): Map<string, Decl[]> {
    const out = new Map<string, Decl[]>();
    const add = (name: string, d: Decl) => out.set(name, [...(out.get(name) ?? []), d]);
    const files = [path.join(ROOT, "index.ts"), ...sourceFiles(path.join(ROOT, "components")), ...sourceFiles(path.join(ROOT, "providers"))];
    for (const file of files) {
        const sf = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2020, true);
        sf.forEachChild((node) => {
            if (ts.isInterfaceDeclaration(node)) add(node.name.text, interfaceDecl(node, sf, path.relative(ROOT, file)));
            else if (ts.isEnumDeclaration(node)) {
                add(node.name.text, {
                    file: path.relative(ROOT, file),
                    kind: "enum",
                    members: node.members.map((m) => ({ name: m.name.getText(sf), optional: false, doc: docOf(m) })),
                    values: node.members.map((m) =>
                        m.initializer && ts.isStringLiteral(m.initializer) ? m.initializer.text : Number(m.initializer?.getText(sf)),
                    ),
                });
            }
        });
    }
    const k8sInput = path.join(ROOT, "node_modules", "@pulumi", "kubernetes", "types", "input.d.ts");
    const sf = ts.createSourceFile(k8sInput, fs.readFileSync(k8sInput, "utf8"), ts.ScriptTarget.ES2020, true);
    const visit = (node: ts.Node, ns: string[]) => {
        if (ts.isModuleDeclaration(node) && node.body) {
            const inner = [...ns, node.name.getText(sf)];
            if (ts.isModuleBlock(node.body)) node.body.statements.forEach((st) => visit(st, inner));
        } else if (ts.isInterfaceDeclaration(node) && ["core.v1", "meta.v1"].includes(ns.join("."))) {
            k8sDecls.set(node.name.text, [...(k8sDecls.get(node.name.text) ?? []), interfaceDecl(node, sf, `@pulumi/kubernetes types.input.${ns.join(".")}`)]);
        }
    };
    const k8sDecls = new Map<string, Decl[]>();
    sf.statements.forEach((st) => visit(st, []));
    // A Kubernetes type stands for a schema name only where our sources declare none (our `Pod` is
    // not core/v1 Pod); a clash between a used Kubernetes type and one of ours shows up as a member mismatch.
    for (const [name, decls] of k8sDecls) if (!out.has(name)) out.set(name, decls);
    // Inherited members (`interface Pod extends WorkloadPod`), as the analyzer sees them.
    const withBases = (d: Decl, seen: Set<string>): Member[] => [
        ...(d.bases ?? []).flatMap((b) =>
            seen.has(b) ? [] : (out.get(b) ?? []).filter((x) => x.kind === "interface").flatMap((x) => withBases(x, new Set([...seen, b]))),
        ),
        ...d.members,
    ];
    // A member redeclared by the extending interface replaces the inherited one (its TSDoc wins).
    const byName = (ms: Member[]) => [...new Map(ms.map((m) => [m.name, m])).values()];
    for (const decls of out.values()) for (const d of decls) if (d.bases?.length) d.members = byName(withBases(d, new Set()));
    return out;
}

/** The enum a member's declared type refers to (`E`, `E | undefined`, `pulumi.Input<E>`), if any. */
function enumRef(typeNode: ts.TypeNode | undefined, decls: Map<string, Decl[]>): string | undefined {
    if (!typeNode) return undefined;
    if (ts.isUnionTypeNode(typeNode)) {
        const nonUndefined = typeNode.types.filter((t) => t.kind !== ts.SyntaxKind.UndefinedKeyword);
        return nonUndefined.length === 1 ? enumRef(nonUndefined[0], decls) : undefined;
    }
    if (ts.isTypeReferenceNode(typeNode)) {
        const name = typeNode.typeName.getText();
        if (/(^|\.)Input$/.test(name) && typeNode.typeArguments?.length === 1) return enumRef(typeNode.typeArguments[0], decls);
        if (decls.get(name)?.some((d) => d.kind === "enum")) return name;
    }
    return undefined;
}

/** The JSON paths at which two values differ (for a readable drift message). */
function diffPaths(a: any, b: any, at = "$", out: string[] = []): string[] {
    if (out.length >= 25) return out;
    if (JSON.stringify(a) === JSON.stringify(b)) return out;
    if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
        for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
            if (!(k in a)) out.push(`${at}.${k} (new)`);
            else if (!(k in b)) out.push(`${at}.${k} (removed)`);
            else diffPaths(a[k], b[k], `${at}.${k}`, out);
        }
        return out;
    }
    out.push(at);
    return out;
}

describe("multi-language schema (inferred like `pulumi package get-schema`)", function () {
    this.timeout(180_000); // the TypeScript analyzer type-checks the whole package once (seconds)
    let schema: any;
    let resource: any;
    let decls: Map<string, Decl[]>;

    before(async () => {
        schema = await sharedProvider().schema;
        resource = schema.resources[TOKEN];
        decls = declarations();
    });

    it("is a source-based nodejs plugin package named openwebui whose entry exports only OpenWebUiCluster", () => {
        const plugin = YAML.parse(fs.readFileSync(path.join(ROOT, "PulumiPlugin.yaml"), "utf8"));
        assert.strictEqual(plugin.runtime, "nodejs");
        assert.deepStrictEqual(providerName(), { name: "openwebui", namespace: undefined });
        assert.deepStrictEqual(
            entryComponents().map((c) => c.name),
            ["OpenWebUiCluster"],
        );
        assert.strictEqual(schema.name, "openwebui");
        assert.strictEqual(schema.version, JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version);
        assert.deepStrictEqual(Object.keys(schema.resources), [TOKEN]);
        assert.deepStrictEqual(schema.dependencies, [], "args must not reference resources of other packages");
    });

    it("the package root holds PulumiPlugin.yaml and no Pulumi.yaml (the real CLI refuses a directory with both)", () => {
        // Found by the real engine: `pulumi package get-schema .` / `packages: openwebui: ../..` failed with
        // "detected both PulumiPlugin.yaml and Pulumi.yaml". The stack-config program lives in program/.
        assert.ok(fs.existsSync(path.join(ROOT, "PulumiPlugin.yaml")));
        for (const f of ["Pulumi.yaml", "Pulumi.yml"]) assert.ok(!fs.existsSync(path.join(ROOT, f)), `${f} in the package root`);
        assert.strictEqual(YAML.parse(fs.readFileSync(path.join(ROOT, "program", "Pulumi.yaml"), "utf8")).main, "index.ts");
    });

    it(`declares the component ${TOKEN} with required inputs target and hostname`, () => {
        assert.strictEqual(resource.isComponent, true);
        assert.deepStrictEqual(resource.requiredInputs, ["hostname", "target"]);
        assert.match(resource.description, /highly available Open WebUI/);
        assert.deepStrictEqual(resource.inputProperties.target, {
            $ref: "#/types/openwebui:index:CloudTarget",
            plain: true,
            description: "Where to deploy: `aws`, `gcp`, `azure` or `kubernetes`. Required.",
        });
        assert.strictEqual(resource.inputProperties.hostname.type, "string");
    });

    it("has every member of OpenWebUiClusterArgs as an input, with its TSDoc as description", () => {
        const [args] = decls.get("OpenWebUiClusterArgs")!;
        assert.deepStrictEqual(Object.keys(resource.inputProperties).sort(), args.members.map((m) => m.name).sort());
        for (const m of args.members) {
            const p = resource.inputProperties[m.name];
            assert.ok(m.doc, `OpenWebUiClusterArgs.${m.name} has no TSDoc`);
            assert.strictEqual(p.description, m.doc, `inputProperties.${m.name}.description`);
            assert.strictEqual(!!p.optional, m.optional, `inputProperties.${m.name}.optional`);
        }
    });

    it("has the declared outputs (class properties), each described; the secret ones say so", () => {
        const expected: Record<string, string> = {
            url: "string",
            namespace: "string",
            serviceAccountName: "string",
            deploymentName: "string",
            serviceName: "string",
            migrationJobName: "string",
            databaseEndpoint: "string",
            redisEndpoint: "string",
            bucketName: "string",
            identityPrincipal: "string",
            webuiSecretKey: "string",
            databaseUrl: "string",
            databasePoolSize: "number",
            databasePoolMaxOverflow: "number",
            databaseMaxClientConnections: "number",
            databaseServerMaxConnections: "number",
            image: "string",
            otelCollectorEndpoint: "string",
        };
        assert.deepStrictEqual(Object.fromEntries(Object.entries(resource.properties).map(([k, v]: [string, any]) => [k, v.type])), expected);
        assert.deepStrictEqual(resource.required, Object.keys(expected).sort(), "every output is always set");
        for (const [k, v] of Object.entries<any>(resource.properties)) assert.ok(v.description?.length > 5, `output ${k} has no description`);
        assert.match(resource.properties.webuiSecretKey.description, /secret/);
        assert.match(resource.properties.databaseUrl.description, /secret/);
    });

    it("the analyzer cannot mark secrets (no `secret: true`): secrecy is carried at runtime (tests/construct.test.ts)", () => {
        // @pulumi/pulumi 3.270's analyzer never emits `secret`. If this fails, the analyzer learned
        // it: then assert `secret: true` on webuiSecretKey, databaseUrl and the secret inputs.
        const marked: string[] = [];
        const walk = (v: any, at: string) => {
            if (!v || typeof v !== "object") return;
            if (!Array.isArray(v) && typeof v.secret === "boolean") marked.push(at);
            for (const [k, x] of Object.entries(v)) walk(x, `${at}.${k}`);
        };
        walk(schema, "$");
        assert.deepStrictEqual(marked, []);
    });

    it("every object type is exactly one interface of the sources: same members, required set and TSDoc", () => {
        const objects = Object.entries<any>(schema.types).filter(([, t]) => t.type === "object");
        assert.ok(objects.length >= 20, `only ${objects.length} object types`);
        for (const [token, t] of objects) {
            const name = typeName(`#/types/${token}`);
            const found = (decls.get(name) ?? []).filter((d) => d.kind === "interface");
            // The analyzer names types by interface name only: a second interface with the same name
            // (e.g. in another provider's args.ts) would silently get the first one's schema.
            assert.strictEqual(found.length, 1, `type ${name} must be declared exactly once, found in: ${found.map((d) => d.file).join(", ") || "nowhere"}`);
            const [decl] = found;
            assert.deepStrictEqual(Object.keys(t.properties).sort(), decl.members.map((m) => m.name).sort(), `${name} members`);
            assert.deepStrictEqual(
                t.required,
                decl.members
                    .filter((m) => !m.optional)
                    .map((m) => m.name)
                    .sort(),
                `${name} required`,
            );
            for (const m of decl.members) {
                assert.ok(m.doc, `${decl.file}: ${name}.${m.name} has no TSDoc`);
                assert.strictEqual(t.properties[m.name].description, m.doc, `${name}.${m.name} description`);
            }
        }
    });

    it("every enum is a schema enum with the declared values, and every enum-typed field refers to it", () => {
        const enums = Object.entries<any>(schema.types).filter(([, t]) => t.enum);
        assert.ok(enums.length >= 8, `only ${enums.length} enums`);
        for (const [token, t] of enums) {
            const name = typeName(`#/types/${token}`);
            const found = (decls.get(name) ?? []).filter((d) => d.kind === "enum");
            assert.strictEqual(found.length, 1, `enum ${name} must be declared exactly once, found in: ${found.map((d) => d.file).join(", ") || "nowhere"}`);
            assert.strictEqual(t.type, "string", `${name} is a string enum`);
            assert.deepStrictEqual(
                t.enum.map((e: any) => e.value),
                found[0].values,
                `${name} values`,
            );
            assert.deepStrictEqual(
                t.enum.map((e: any) => e.name),
                found[0].members.map((m) => m.name),
                `${name} member names`,
            );
        }
        // Each field declared with an enum type (in the args and in every object type) is a $ref to that enum.
        const holders: [string, Member[], any][] = [["OpenWebUiClusterArgs", decls.get("OpenWebUiClusterArgs")![0].members, resource.inputProperties]];
        for (const [token, t] of Object.entries<any>(schema.types)) {
            if (t.type === "object") holders.push([typeName(`#/types/${token}`), decls.get(typeName(`#/types/${token}`))![0].members, t.properties]);
        }
        let checked = 0;
        for (const [holder, members, props] of holders) {
            for (const m of members) {
                const e = enumRef(m.typeNode, decls);
                if (!e) continue;
                checked++;
                assert.strictEqual(props[m.name].$ref, `#/types/openwebui:index:${e}`, `${holder}.${m.name} must be the enum ${e}`);
            }
        }
        assert.ok(checked >= 10, `only ${checked} enum-typed fields`);
        // The important ones, spelled out.
        const ref = (p: any) => typeName(p.$ref);
        assert.strictEqual(ref(resource.inputProperties.size), "SizePreset");
        assert.strictEqual(ref(schema.types["openwebui:index:Database"].properties.mode), "ServiceMode");
        assert.strictEqual(ref(schema.types["openwebui:index:VectorStoreConfig"].properties.type), "VectorStore");
        assert.strictEqual(ref(schema.types["openwebui:index:KubernetesTarget"].properties.routing), "RoutingMode");
        assert.deepStrictEqual(
            schema.types["openwebui:index:CloudTarget"].enum.map((e: any) => e.value),
            ["aws", "gcp", "azure", "kubernetes"],
        );
        assert.deepStrictEqual(
            schema.types["openwebui:index:ServiceMode"].enum.map((e: any) => e.value),
            ["managed", "external", "inCluster", "inClusterHa", "sharedVolume"],
        );
    });

    it("plain where the value decides what is created; Input (accepts outputs and secrets) where it only flows into resources", () => {
        const ins = resource.inputProperties;
        const type = (n: string) => schema.types[`openwebui:index:${n}`].properties;
        for (const k of ["target", "hostname", "size", "replicas", "database", "redis", "oidc", "aws", "gcp", "azure", "kubernetes", "extraEnv"]) {
            assert.strictEqual(ins[k].plain, true, `${k} should be plain`);
        }
        // Secrets and values computed by other resources must be accepted as Outputs from other languages.
        const inputs: [any, string][] = [
            [ins.extraSecretEnv, "extraSecretEnv"],
            [type("Oidc").clientSecret, "oidc.clientSecret"],
            [type("Database").url, "database.url"],
            [type("Redis").url, "redis.url"],
            [type("Rag").openaiApiKeys, "rag.openaiApiKeys"],
            [type("Otel").exporterHeaders, "otel.exporterHeaders"],
            [type("Storage").bucketName, "storage.bucketName"],
        ];
        for (const [p, label] of inputs) assert.strictEqual(p.plain, undefined, `${label} must be an Input`);
        assert.deepStrictEqual(ins.extraSecretEnv.additionalProperties, { type: "string" });
        assert.deepStrictEqual(type("Rag").openaiApiKeys.items, { type: "string" });
    });

    it(`the args' shape the input checks read (components/spec/argsShape.generated.ts) is schema.json's (${REGENERATE})`, () => {
        const committed = JSON.parse(fs.readFileSync(SCHEMA_PATH, "utf8"));
        assert.strictEqual(fs.readFileSync(ARGS_SHAPE_PATH, "utf8"), argsShapeModule(committed), "argsShape.generated.ts is out of date");
        // Every key the runtime checks know is a key of schema.json, and the reverse.
        assert.deepStrictEqual(Object.keys(ARGS_SHAPE.types).sort(), Object.keys(committed.types).sort());
        const token = Object.keys(committed.resources)[0];
        assert.deepStrictEqual(Object.keys(ARGS_SHAPE.resources[token].inputProperties).sort(), Object.keys(committed.resources[token].inputProperties).sort());
    });

    it(`matches the committed schema.json (on purpose changes: ${REGENERATE})`, () => {
        const committed = fs.existsSync(SCHEMA_PATH) ? fs.readFileSync(SCHEMA_PATH, "utf8") : "";
        const inferred = formatSchema(schema);
        if (committed === inferred) return;
        const changed = committed ? diffPaths(JSON.parse(committed), schema) : ["(schema.json missing)"];
        assert.fail(
            `schema.json is out of date: the inferred multi-language API changed at\n  ${changed.join("\n  ")}\n` +
                `If the change is intended, review it and regenerate the snapshot:\n  ${REGENERATE}\n` +
                `then commit schema.json with the change. If not, fix the TypeScript args/outputs.`,
        );
    });
});
