// Root hook: after the whole unit suite, every stack a test built with the component (every
// valid variant, on every target) goes through the policy pack, and none may carry a mandatory
// violation: the component must never produce what its own pack refuses. Loaded by .mocharc.json.
import { variants } from "./harness";
import { runPolicies, urnFor } from "../policy/runner";

export const mochaHooks = {
    async afterAll(this: Mocha.Context) {
        this.timeout(300_000);
        if (variants.length === 0) return; // a run of files that builds no stack
        const seen = new Set<string>();
        const failures: string[] = [];
        let checked = 0;
        for (const v of variants) {
            const resources = v.resources
                .filter((r) => r.custom)
                .map((r) => ({
                    type: r.type,
                    name: r.name,
                    urn: urnFor(r.type, r.name),
                    // Autonamed inputs the provider's Check would fill in (mocks skip Check).
                    props: r.type === "aws:s3/bucket:Bucket" && r.plain.bucket === undefined ? { ...r.plain, bucket: `${r.name}-bucket` } : r.plain,
                }));
            const key = JSON.stringify(resources);
            if (seen.has(key)) continue;
            seen.add(key);
            checked++;
            const mandatory = (await runPolicies(resources)).filter((x) => x.enforcementLevel === "mandatory");
            for (const m of mandatory) failures.push(`${v.label}: ${m.policyName}: ${m.message}`);
        }
        console.log(`  policy pack over ${checked} distinct stacks the tests built: ${failures.length} mandatory violations`);
        if (failures.length) throw new Error(`the policy pack refuses stacks the component builds:\n${[...new Set(failures)].join("\n")}`);
    },
};
