// Filled per cloud once the cloud modules land (see tests/<cloud>.test.ts for the inputs).
module.exports = {};
