// `transforms` (the resource option) and stack transforms (`pulumi.runtime.registerResourceTransform`)
// in the offline plan. With a real engine, the engine calls them back for each resource and its
// children; Pulumi's mock monitor only records them, so the plan would show untransformed inputs.
// This runs the same chain the engine does, before the registration is recorded: the resource's
// own transforms, then its ancestors', then the stack's, each seeing the previous one's props.
// Option changes a transform returns (e.g. `protect`) are not modelled; props are.
import type { RegisterResourceRequest } from "@pulumi/pulumi/proto/resource_pb";
// eslint-disable-next-line @typescript-eslint/no-require-imports -- google-protobuf ships no typings
const structproto = require("google-protobuf/google/protobuf/struct_pb");

type TransformResult = { props?: Record<string, unknown> } | undefined;
type Transform = (args: {
    type: string;
    name: string;
    custom: boolean;
    props: Record<string, unknown>;
    opts: Record<string, unknown>;
}) => TransformResult | Promise<TransformResult>;

export interface TransformRunner {
    /** For the mocks' `registerTransform` hook: a stack transform, applied to every later resource. */
    addStackTransform(t: Transform): void;
    /** Rewrites the request's inputs through the chain; returns what the children inherit. */
    apply(req: RegisterResourceRequest): Promise<Transform[]>;
    /** Children of `urn` inherit `chain`. */
    remember(urn: string, chain: Transform[]): void;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the program's own @pulumi/pulumi runtime/rpc module, loaded at run time
export function transformRunner(monitor: { transformCallbacks: Map<string, Transform> }, rpc: any): TransformRunner {
    const inherited = new Map<string, Transform[]>();
    const stack: Transform[] = [];
    return {
        addStackTransform: (t) => void stack.push(t),
        remember: (urn, chain) => void inherited.set(urn, chain),
        async apply(req) {
            const own = req
                .getTransformsList()
                .map((cb) => monitor.transformCallbacks.get(cb.getToken()))
                .filter((t): t is Transform => t !== undefined);
            const chain = [...own, ...(inherited.get(req.getParent()) ?? [])];
            const all = [...chain, ...stack];
            if (!all.length) return chain;
            let props = rpc.deserializeProperties(req.getObject(), true) as Record<string, unknown>;
            for (const t of all) {
                const r = await t({ type: req.getType(), name: req.getName(), custom: req.getCustom(), props, opts: {} });
                if (r && r.props) props = r.props;
            }
            req.setObject(structproto.Struct.fromJavaScript(await rpc.serializeProperties(`transform of ${req.getName()}`, props)));
            return chain;
        },
    };
}
