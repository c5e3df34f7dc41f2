// The registered stack as the engine hands it to the policy pack: autonamed names filled in (the
// provider's Check does it; mocks skip it) and property dependencies recovered from the mock ids
// (a lock's `scope`, a diagnostic setting's `resourceUri` hold another resource's id).
import type { Registered } from "./harness";
import { AnalyzedResource, urnFor } from "../policy/runner";

/** The id the mock monitor gives a resource (tests/harness.ts newResource). */
function mockId(r: Registered): string {
    return typeof r.inputs?.name === "string" ? r.inputs.name : `${r.name}-id`;
}

function autonamed(r: Registered): Record<string, any> {
    if (r.type === "aws:s3/bucket:Bucket" && r.plain.bucket === undefined) return { ...r.plain, bucket: `${r.name}-bucket` };
    if (r.type === "gcp:storage/bucket:Bucket" && r.plain.name === undefined) return { ...r.plain, name: r.name };
    return r.plain;
}

export function analyzed(resources: Registered[]): AnalyzedResource[] {
    const custom = resources.filter((r) => r.custom);
    const byId = new Map(custom.map((r) => [mockId(r), urnFor(r.type, r.name)]));
    return custom.map((r) => {
        const propertyDependencies: Record<string, string[]> = {};
        for (const [k, v] of Object.entries(r.plain ?? {})) {
            if (typeof v !== "string") continue;
            const urns = [...byId.entries()].filter(([id]) => v === id || v.startsWith(`${id}/`)).map(([, urn]) => urn);
            if (urns.length) propertyDependencies[k] = urns;
        }
        return { type: r.type, name: r.name, urn: urnFor(r.type, r.name), props: autonamed(r), propertyDependencies };
    });
}
