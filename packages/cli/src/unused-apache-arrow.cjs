// Stands in for `apache-arrow/Arrow.node` in the bundled binary (see tsup.config.ts): the
// Elasticsearch client's helpers import it for ES|QL's Arrow output, which a4c-admin never uses.
const unused = () => {
  throw new Error('a4c-admin was built without Apache Arrow: ES|QL Arrow output is not available in the binary');
};
module.exports = { tableFromIPC: unused, AsyncRecordBatchStreamReader: { from: unused } };
