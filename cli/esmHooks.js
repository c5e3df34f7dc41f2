// Module hooks for TypeScript ES module programs (`openwebui plan`, cli/loader.ts): ts-node's ESM
// hooks over the project's own ts-node, with the options the Pulumi language host passes
// (@pulumi/pulumi cmd/run/hooks.js does the same for `pulumi preview`). Plain JavaScript: Node
// loads it on its loader thread, where nothing compiles TypeScript.
"use strict";
let hooks;
exports.initialize = function initialize(data) {
    const tsNode = require(data.tsNode);
    hooks = tsNode.createEsmHooks(tsNode.register(data.options));
};
exports.resolve = (specifier, context, next) => hooks.resolve(specifier, context, next);
exports.load = (url, context, next) => hooks.load(url, context, next);
