// The args reference (docs/args.md) is generated from schema.json: it must match.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

describe("docs/args.md", () => {
    it("is the rendering of schema.json (regenerate: node scripts/argsdoc.js)", () => {
        const root = path.resolve(__dirname, "..");
        const { render } = require("../scripts/argsdoc.js");
        const expected = render(JSON.parse(fs.readFileSync(path.join(root, "schema.json"), "utf8")));
        const actual = fs.readFileSync(path.join(root, "docs", "args.md"), "utf8");
        assert.ok(actual === expected, "docs/args.md is stale: run `node scripts/argsdoc.js` after `npm run schema`");
        assert.match(actual, /\| `target` \(required\) \|/);
        assert.match(actual, /^## Aws$/m);
    });
});
