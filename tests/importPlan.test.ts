// `openwebui plan` says when an import will run (importFrom), from what, and that the source is
// only read; without importFrom it says nothing of the kind.
import * as assert from "assert";
import * as path from "path";
import { plan, renderText } from "../cli/plan";

const PROGRAM = path.join(__dirname, "..", "program");
const run = (extra: string[]) =>
    plan({ programDir: PROGRAM, out: false, noPolicy: true, transpileOnly: true, configPath: true, config: ["hostname=chat.example.com", ...extra] });

describe("openwebui plan: an import (importFrom)", function () {
    this.timeout(120000);
    it("names the import Job, the source and that the source is never written", async () => {
        const r = await run(["spec.importFrom.dataDirClaim=open-webui", "spec.importFrom.vectors=reembed"]);
        assert.strictEqual(r.error, undefined, r.error);
        const note = r.notes.find((n) => n.startsWith("IMPORT WILL RUN"));
        assert.ok(note, `no import note in ${JSON.stringify(r.notes)}`);
        assert.match(
            note!,
            /Job open-webui\/\S+-import copies an existing Open WebUI into this cluster before the migration Job and the Deployment start, from PersistentVolumeClaim open-webui \(DATA_DIR, mounted read-only\); vectors reembed, non-empty target: refuse\. The source is only read, never written\./,
        );
        assert.match(renderText(r), /note: IMPORT WILL RUN/);
    });
    it("says nothing without importFrom", async () => {
        const r = await run([]);
        assert.strictEqual(r.error, undefined, r.error);
        assert.ok(!r.notes.some((n) => /IMPORT/.test(n)), JSON.stringify(r.notes));
    });
});
