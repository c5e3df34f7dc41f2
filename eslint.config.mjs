// ESLint (typescript-eslint), run by `npm run lint` in .ci/run. No formatter: a whole-codebase
// reformat would collide with concurrent edits; lines are kept by hand.
//
// - Source (components/, providers/, cli/, policy/, index.ts, plugin.ts): the recommended sets,
//   type-aware (`recommendedTypeChecked`: floating promises, misused promises, needless assertions,
//   ...), on the program tsconfig.json builds (policy/index.ts and runner.ts: policy/tsconfig.json).
//   `no-explicit-any` is ON: each remaining `any` sits at the boundary with Pulumi internals or
//   untyped JSON and carries `// eslint-disable-next-line @typescript-eslint/no-explicit-any -- <reason>`
//   (policy/rules read the engine's untyped resource props through one such alias, `Json` in
//   policy/rules/shape.ts). The `no-unsafe-*` family is off: it flags every use of a value typed
//   `any`, i.e. every read at those named boundaries, which `no-explicit-any` already gates.
// - scripts/*.ts: the same rules without type information (it is outside tsconfig.json; its types
//   are checked by `npm run typecheck:tests`).
// - Tests and the capacity bench: the syntactic recommended sets (their types are checked by
//   `npm run typecheck:tests`, tsconfig.tests.json). `any` is allowed there: tests build deliberately
//   hostile or partial inputs and read untyped resource state from the mocks.
// - JavaScript (cli/*.js, scripts/*.js, bench/*.js): @eslint/js recommended, CommonJS, Node globals.
// Every `eslint-disable` must name a rule that is in force here and give a reason (`-- why`);
// an unused one fails the run.
import js from "@eslint/js";
import globals from "globals";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

const SOURCE = ["index.ts", "plugin.ts", "components/**/*.ts", "providers/**/*.ts", "cli/**/*.ts", "policy/**/*.ts"];
const TESTS = ["tests/**/*.ts", "bench/**/*.ts"];
const UNSAFE_OFF = {
    "@typescript-eslint/no-unsafe-assignment": "off",
    "@typescript-eslint/no-unsafe-member-access": "off",
    "@typescript-eslint/no-unsafe-call": "off",
    "@typescript-eslint/no-unsafe-argument": "off",
    "@typescript-eslint/no-unsafe-return": "off",
};
const ALL_TS = [...SOURCE, "scripts/**/*.ts", ...TESTS];

/** `local/disable-needs-reason`: an `eslint-disable` comment without `-- <reason>` fails the run. */
const local = {
    rules: {
        "disable-needs-reason": {
            meta: { type: "problem", schema: [], messages: { reason: "give this eslint-disable its reason: `-- why`" } },
            create(context) {
                return {
                    Program() {
                        for (const c of context.sourceCode.getAllComments()) {
                            if (/^\s*eslint-disable/.test(c.value) && !/\s--\s*\S/.test(c.value)) context.report({ loc: c.loc, messageId: "reason" });
                        }
                    },
                };
            },
        },
    },
};

export default defineConfig(
    {
        ignores: [
            "node_modules/**",
            ".e2e/**",
            "plan-out/**",
            "bin/**",
            "dist/**",
            "examples/**",
            "program/**",
            "tests/fixtures/**",
            "bench/.build/**",
            "**/*.d.ts",
        ],
    },
    {
        linterOptions: { reportUnusedDisableDirectives: "error" },
        languageOptions: { globals: { ...globals.node } },
        plugins: { local },
        rules: { "local/disable-needs-reason": "error" },
    },
    { files: ["**/*.js"], ...js.configs.recommended, languageOptions: { sourceType: "commonjs", globals: { ...globals.node } } },
    { files: ["**/*.mjs", ...ALL_TS], ...js.configs.recommended },
    ...tseslint.configs.recommended.map((c) => ({ ...c, files: ALL_TS })),
    ...tseslint.configs.recommendedTypeChecked.map((c) => ({ ...c, files: SOURCE })),
    {
        files: SOURCE,
        languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
        rules: UNSAFE_OFF,
    },
    {
        files: ALL_TS,
        rules: {
            // `_`-prefixed names are deliberately unused (positional parameters, rest-omission).
            "@typescript-eslint/no-unused-vars": [
                "error",
                { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true },
            ],
        },
    },
    {
        files: TESTS,
        rules: {
            // Tests may use `any`: hostile and partial inputs, untyped mock state (see the header).
            "@typescript-eslint/no-explicit-any": "off",
            // Tests load modules with require() where the order matters (after the mocks are set) or
            // the module is a Pulumi internal without typings.
            "@typescript-eslint/no-require-imports": "off",
        },
    },
);
