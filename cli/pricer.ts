// The recorders `openwebui plan`'s cost estimate fills: priced lines, usage unit prices and
// unpriced resources, each price multiplied by its cloud's region factor.
import { CostInput, PriceTable, UsagePrice } from "./prices";
import { Cloud } from "./telemetryCost";

export interface CostLine {
    /** Resource name in the plan. */
    resource: string;
    type: string;
    /** What is billed, e.g. "Aurora PostgreSQL db.r6g.xlarge instance". */
    item: string;
    quantity: number;
    unit: string;
    /** USD per unit, regional factor applied. */
    unitPrice: number;
    /** USD per month. */
    monthly: number;
    /** The volume assumed for a usage-billed line (telemetry), so the math can be redone. */
    note?: string;
}

export interface Unpriced {
    resource: string;
    type: string;
    reason: string;
}

export interface UsageLine extends UsagePrice {
    resource: string;
}

export const round2 = (n: number): number => Math.round(n * 100) / 100;

/** Where the estimate's items go (lines priced per month, usage unit prices, unpriced), the region's factor applied. */
export interface Pricer {
    table: PriceTable;
    /** Hours per month. */
    H: number;
    lines: CostLine[];
    usage: UsageLine[];
    unpriced: Unpriced[];
    sources: Set<string>;
    line: (c: Cloud, r: CostInput, item: string, quantity: number, unit: string, basePrice: number, source: string, note?: string) => void;
    use: (c: Cloud, r: CostInput, items: UsagePrice[], source: string) => void;
    notPriced: (r: CostInput, reason: string) => void;
}

/** An empty estimate and its recorders: each price is multiplied by its cloud's region factor. */
export function pricer(table: PriceTable, factorOf: (c: Cloud) => number): Pricer {
    const lines: CostLine[] = [];
    const usage: UsageLine[] = [];
    const unpriced: Unpriced[] = [];
    const sources = new Set<string>();
    const line = (c: Cloud, r: CostInput, item: string, quantity: number, unit: string, basePrice: number, source: string, note?: string) => {
        const unitPrice = basePrice * factorOf(c);
        lines.push({
            resource: r.name,
            type: r.type,
            item,
            quantity,
            unit,
            unitPrice: Math.round(unitPrice * 1e6) / 1e6,
            monthly: round2(quantity * unitPrice),
            ...(note ? { note } : {}),
        });
        sources.add(source);
    };
    const use = (c: Cloud, r: CostInput, items: UsagePrice[], source: string) => {
        for (const u of items) usage.push({ resource: r.name, ...u, price: Math.round(u.price * factorOf(c) * 1e6) / 1e6 });
        sources.add(source);
    };
    const notPriced = (r: CostInput, reason: string) => unpriced.push({ resource: r.name, type: r.type, reason });
    return { table, H: table.hoursPerMonth, lines, usage, unpriced, sources, line, use, notPriced };
}
