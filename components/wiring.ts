// The context every step of OpenWebUiCluster.build shares: the release's labels and pod selector,
// the Namespace (when the component creates it), the options of a child, and the context the
// cloud module builds with. Made once, before any backing service (openWebUiCluster.ts step 2).
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { CloudPlatform, ProviderContext } from "./platform/port";
import type { ResolvedSpec } from "./spec/specTypes";

/** What the steps of the build share. */
export interface WiringContext {
    name: string;
    spec: ResolvedSpec;
    platform: CloudPlatform;
    ctx: ProviderContext;
    namespace: string;
    labels: { [key: string]: string };
    /** The serving pods' selector. */
    selector: { [key: string]: string };
    /** The Namespace, when the component created it (`createNamespace`). */
    ns?: k8s.core.v1.Namespace;
    nsDeps: pulumi.Resource[];
    /** Options of a direct child of the component. */
    child: (extra?: pulumi.CustomResourceOptions) => pulumi.CustomResourceOptions;
    /** Options of a namespaced Kubernetes child (depends on the Namespace when one is created). */
    k8sOpts: (extra?: pulumi.CustomResourceOptions) => pulumi.CustomResourceOptions;
}

/** A backing service the app pods reach: the NetworkPolicies open egress to its role's ports. */
export interface Backend {
    role: string;
    ports: number[];
}

/** The app Secret's data as the backing services fill it (`DATABASE_URL`, `REDIS_URL`, keys). */
export type AppSecretData = { [key: string]: pulumi.Input<string> };

/** `opts` with `extra` appended to its dependsOn. */
export function withDependsOn(opts: pulumi.CustomResourceOptions, extra: pulumi.Input<pulumi.Resource>[]): pulumi.CustomResourceOptions {
    return { ...opts, dependsOn: [...((opts.dependsOn as pulumi.Input<pulumi.Resource>[] | undefined) ?? []), ...extra] };
}

/** The release's labels: the recommended `app.kubernetes.io/*` set, then `labels` from the spec. */
export function releaseLabels(name: string, spec: ResolvedSpec): { [key: string]: string } {
    return {
        "app.kubernetes.io/name": "open-webui",
        "app.kubernetes.io/instance": name,
        "app.kubernetes.io/version": spec.image.tag,
        "app.kubernetes.io/managed-by": "pulumi",
        "app.kubernetes.io/part-of": "openwebui-cluster",
        ...spec.labels,
    };
}

/** The Namespace (`createNamespace`), enforcing the restricted Pod Security Standard. */
function createNamespace(w: Pick<WiringContext, "name" | "spec" | "platform" | "labels" | "child">): k8s.core.v1.Namespace {
    const { name, spec, platform, labels } = w;
    const podSecurity = {
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/enforce-version": "latest",
        "pod-security.kubernetes.io/warn": "restricted",
    };
    const nsLabels = { ...labels, ...podSecurity, ...(platform.namespaceLabels?.(spec) ?? {}) };
    return new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: { name: spec.namespace, labels: nsLabels } }, w.child());
}

/** The shared context of `component`'s children; creates the Namespace when the spec asks for it. */
export function createWiring(component: pulumi.ComponentResource, name: string, spec: ResolvedSpec, platform: CloudPlatform): WiringContext {
    const child = (extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions => ({ parent: component, ...extra });
    const labels = releaseLabels(name, spec);
    const ns = spec.createNamespace ? createNamespace({ name, spec, platform, labels, child }) : undefined;
    const nsDeps: pulumi.Resource[] = ns ? [ns] : [];
    const k8sOpts = (extra?: pulumi.CustomResourceOptions) => child({ dependsOn: nsDeps, ...extra });
    const withCloudTransforms = (o: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions =>
        platform.childTransformations ? { ...o, transformations: [...(o.transformations ?? []), ...platform.childTransformations] } : o;
    const ctx: ProviderContext = {
        name,
        parent: component,
        spec,
        namespace: spec.namespace,
        serviceAccountName: name,
        tags: { "openwebui-cluster": name, "managed-by": "pulumi", ...spec.tags },
        opts: (extra) => withCloudTransforms(child({ dependsOn: nsDeps, ...extra })),
    };
    const selector = { "app.kubernetes.io/instance": name, "app.kubernetes.io/component": "app" };
    return { name, spec, platform, ctx, namespace: spec.namespace, labels, selector, ns, nsDeps, child, k8sOpts };
}
