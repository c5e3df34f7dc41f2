// Minimal valid specs per target for the benchmark (cloud inputs are placeholders; mocks answer).
function specFor(target, i) {
    const base = { target, hostname: `chat${i}.example.com`, namespace: `owui-${i}` };
    switch (target) {
        case "kubernetes":
            return base;
        default:
            return { ...base, ...require("./cloudSpecs")[target] };
    }
}
// The SDK modules the component loads for a target (the baseline imports exactly these).
function sdkModules(target) {
    const common = ["@pulumi/kubernetes", "@pulumi/random"];
    const perCloud = { kubernetes: [], aws: ["@pulumi/aws"], gcp: ["@pulumi/gcp"], azure: ["@pulumi/azure-native"] };
    return [...common, ...perCloud[target]];
}
module.exports = { specFor, sdkModules };
