import * as pulumi from "@pulumi/pulumi";

/** A reference to a key in an existing Kubernetes Secret in the release namespace. */
export interface SecretKeyRef {
    /** Name of the Secret. */
    name: pulumi.Input<string>;
    /** Key inside the Secret. */
    key: pulumi.Input<string>;
}
