// @ts-check
// How many test files vitest runs at once, one place for the config and the global setup.
// Each integration worker gets its own single node and its own 1.7.6 node (the setup starts one
// set per worker), so files never see each other's indices, snapshots or running tasks; the
// 3-node cluster is shared and held by one file at a time (test-support's cluster lease).
// Most of an integration test's time is spent waiting (for Elasticsearch, a child process, a
// disk flush), so two files at once use two cores better than one.

/** The number of files run at once: A4C_TEST_WORKERS, else 1 on a node given from outside (its indices are shared), else 2. */
export function testWorkers() {
  const asked = process.env.A4C_TEST_WORKERS;
  if (asked !== undefined && asked !== '') {
    const workers = Number(asked);
    if (!Number.isInteger(workers) || workers < 1 || workers > 4) throw new Error(`A4C_TEST_WORKERS=${asked}: give a whole number from 1 to 4.`);
    return workers;
  }
  return process.env.A4C_TEST_ES_URL ? 1 : 2;
}
