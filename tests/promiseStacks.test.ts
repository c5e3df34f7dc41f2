// The component builds its children without V8 stack capture (components/openWebUiCluster.ts
// withoutPromiseStacks): Pulumi's debuggablePromise records a stack per promise, 60% of evaluation
// under ts-node. Checked against Pulumi's own function, with the restore and the opt-out.
import "./harness";
import * as assert from "assert";
import { reset, settle } from "./harness";
import { CloudTarget, OpenWebUiCluster } from "../index";
import { withoutPromiseStacks } from "../components/openWebUiCluster";

const { debuggablePromise } = require("@pulumi/pulumi/runtime/debuggable");
const stackOf = (): string => {
    const p: any = Promise.resolve();
    debuggablePromise(p, "test");
    return p._debugStackTrace;
};

describe("promise stacks during construction", () => {
    afterEach(() => delete process.env.OPENWEBUI_PROMISE_STACKS);

    it("control: outside, Pulumi records a stack with frames for each promise", () => {
        assert.match(stackOf(), /\n\s+at /);
    });

    it("inside withoutPromiseStacks the recorded stack has no frames; the limit is restored after", () => {
        const before = Error.stackTraceLimit;
        let inside = "";
        withoutPromiseStacks(() => (inside = stackOf()));
        assert.doesNotMatch(inside, /\n\s+at /);
        assert.strictEqual(Error.stackTraceLimit, before);
    });

    it("restored when the build throws; the error keeps its message", () => {
        const before = Error.stackTraceLimit;
        assert.throws(
            () =>
                withoutPromiseStacks(() => {
                    throw new Error("boom in a child");
                }),
            /boom in a child/,
        );
        assert.strictEqual(Error.stackTraceLimit, before);
    });

    it("OPENWEBUI_PROMISE_STACKS=1 keeps the stacks (debugging)", () => {
        process.env.OPENWEBUI_PROMISE_STACKS = "1";
        let inside = "";
        withoutPromiseStacks(() => (inside = stackOf()));
        assert.match(inside, /\n\s+at /);
    });

    it("a whole cluster leaves Error.stackTraceLimit as it found it", async () => {
        reset();
        const before = Error.stackTraceLimit;
        new OpenWebUiCluster("stacks", { target: CloudTarget.Kubernetes, hostname: "chat.example.com" });
        assert.strictEqual(Error.stackTraceLimit, before);
        await settle();
    });

    it("children are built with no callback frame between the constructor and build(): Pulumi formats every frame of every child's stack", async () => {
        reset();
        const { Resource } = require("@pulumi/pulumi/resource");
        const original = Resource.callsites;
        const stacks: string[] = [];
        Resource.callsites = function (this: unknown) {
            const limit = Error.stackTraceLimit;
            Error.stackTraceLimit = Infinity;
            stacks.push(new Error().stack ?? "");
            Error.stackTraceLimit = limit;
            return original.call(this);
        };
        try {
            new OpenWebUiCluster("frames", { target: CloudTarget.Kubernetes, hostname: "chat.example.com" });
        } finally {
            Resource.callsites = original;
        }
        const children = stacks.filter((s) => /\bbuild\b/.test(s));
        assert.ok(children.length > 20, `children seen: ${children.length}`);
        for (const s of children) {
            const frames = s.split("\n").map((l) => l.trim());
            const build = frames.findIndex((l) => /^at OpenWebUiCluster\.build /.test(l));
            assert.match(frames[build + 1], /^at new OpenWebUiCluster /, frames.slice(build, build + 3).join(" | "));
        }
        await settle();
    });
});
