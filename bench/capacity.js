// npm run bench -- capacity: the capacity benchmark (issue 29): real Open WebUI replicas with the
// component's emitted env per size preset, pinned to CPUs, behind nginx, with Postgres, Redis, S3
// and a streaming fake LLM; simulated users ramped in steps. See bench/capacity/main.ts and the
// README's "Capacity benchmark". Not a timed test: it records figures.
//
//   BENCH_PRESETS=medium BENCH_STEPS=10,25,50 BENCH_STEP_SECONDS=60 BENCH_REPLICAS=1 npm run bench -- capacity [--double]
"use strict";
require("ts-node").register({ transpileOnly: true, project: require("path").join(__dirname, "..", "tsconfig.json") });
require("./capacity/main.ts")
    .main()
    .then(
        (code) => process.exit(code),
        (e) => {
            console.error(e);
            process.exit(1);
        },
    );
