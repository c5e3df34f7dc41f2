// Renders docs/args.md (the full args reference) from the inferred schema.json, so the
// reference cannot drift from the code: `node scripts/argsdoc.js` (tests/argsdoc.test.ts checks it).
const fs = require("fs");
const path = require("path");

function render(schema) {
    const res = schema.resources["openwebui:index:OpenWebUiCluster"];
    const types = schema.types || {};
    const short = (ref) => ref.replace("#/types/openwebui:index:", "");
    const typeOf = (p) => {
        if (p.$ref) return `[${short(p.$ref)}](#${short(p.$ref).toLowerCase()})`;
        if (p.type === "array") return `${typeOf(p.items)}[]`;
        if (p.type === "object" && p.additionalProperties) return `map of ${typeOf(p.additionalProperties)}`;
        return p.type || "any";
    };
    const cell = (s) => (s || "").replace(/\|/g, "\\|").replace(/\n+/g, " ");
    const table = (props, required) => {
        const rows = Object.entries(props).map(
            ([k, p]) =>
                `| \`${k}\`${(required || []).includes(k) ? " (required)" : ""} | ${typeOf(p)}${p.secret ? " (secret)" : ""} | ${cell(p.description)} |`,
        );
        return ["| Name | Type | Description and default |", "|---|---|---|", ...rows].join("\n");
    };
    const out = [
        "# OpenWebUiCluster arguments",
        "",
        "Generated from `schema.json` (the schema Pulumi infers for other languages) by `node scripts/argsdoc.js`. Do not edit by hand.",
        "",
        `Token: \`openwebui:index:OpenWebUiCluster\`. ${cell(res.description)}`,
        "",
        "## Inputs",
        "",
        table(res.inputProperties, res.requiredInputs),
        "",
        "## Outputs",
        "",
        table(res.properties, []),
        "",
    ];
    for (const [token, t] of Object.entries(types)) {
        const name = token.replace("openwebui:index:", "");
        out.push(`## ${name}`, "");
        if (t.description) out.push(cell(t.description), "");
        if (t.enum) {
            out.push("| Value | Description |", "|---|---|", ...t.enum.map((e) => `| \`${e.value}\` | ${cell(e.description)} |`), "");
        } else {
            out.push(table(t.properties || {}, t.required), "");
        }
    }
    return out.join("\n");
}

if (require.main === module) {
    const root = path.resolve(__dirname, "..");
    const schema = JSON.parse(fs.readFileSync(path.join(root, "schema.json"), "utf8"));
    fs.mkdirSync(path.join(root, "docs"), { recursive: true });
    fs.writeFileSync(path.join(root, "docs", "args.md"), render(schema));
    console.log("wrote docs/args.md");
}
module.exports = { render };
