// The running users: grown to a step's count (new users arrive spread over one think time) or
// shrunk back (the newest stop first).
import { BenchConfig, seeded } from "./config";
import { SimUser } from "./users";

export class Ramp {
    readonly users: SimUser[] = [];
    private readonly rnd: () => number;

    constructor(
        readonly base: string,
        readonly tokens: string[],
        readonly cfg: BenchConfig,
    ) {
        this.rnd = seeded(cfg.seed);
    }

    grow(n: number): void {
        if (n > this.tokens.length) throw new Error(`${n} users asked, ${this.tokens.length} created`);
        for (let i = this.users.length; i < n; i++)
            this.users.push(new SimUser(this.base, this.tokens[i], i, this.cfg).start(this.rnd() * this.cfg.thinkMs[1]));
    }

    async shrink(n: number): Promise<void> {
        await Promise.all(this.users.splice(n).map((u) => u.stop()));
    }

    async stop(): Promise<void> {
        await this.shrink(0);
    }
}
