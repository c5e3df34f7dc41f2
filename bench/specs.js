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
module.exports = { specFor };
