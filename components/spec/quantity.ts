// Kubernetes quantities as numbers (a leaf module: sizing.ts and k8sRules.ts both read it).

/** Kubernetes' quantity grammar (`<number><suffix>`, suffix binary Ki..Ei, decimal n u m k M G T P E, or an exponent), as its value. */
export function parseQuantity(q: unknown): number | undefined {
    if (typeof q !== "string") return undefined;
    const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/.exec(q);
    if (!m) return undefined;
    const n = Number(m[1]);
    const s = m[2] ?? "";
    const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
    const decimal: Record<string, number> = { "": 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
    if (s in binary) return n * binary[s];
    if (s in decimal) return n * decimal[s];
    return n * 10 ** Number(s.slice(1));
}
