// Entry point of the `openwebui-ha` CrossGuard pack: `pulumi preview --policy-pack policy`.
// `new PolicyPack` starts the analyzer gRPC server immediately, so the policies live in
// ./policies (imported by the tests and by `openwebui plan` without starting anything).
import { PolicyPack } from "@pulumi/policy";
import { policies, POLICY_PACK_NAME } from "./policies";

new PolicyPack(POLICY_PACK_NAME, {
    policies,
    // Each policy sets its own level (HA and secrets mandatory, some advisory); this is the
    // fallback for a policy without one. Override per policy with --policy-pack-config.
    enforcementLevel: "advisory",
    displayName: "Open WebUI HA and security",
    description: "Open WebUI HA checklist and security defaults for Kubernetes, AWS, GCP and Azure resources.",
    tags: ["open-webui", "kubernetes", "aws", "gcp", "azure"],
});
