// A start that cannot finish leaves nothing running: stopped from outside while under way
// (a test's afterAll after its beforeAll ran out of time, a Ctrl-C), or failing on its own.
// Before, the nodes of such a start ran on after the test run, and nobody stopped them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FULL_TRIALS, NODE_SET_START_MS, rejectionOf } from '@a4c-admin/test-support';
import { describe, expect, it } from 'vitest';
import { A4C_1X_ELASTICSEARCH_VERSION, nodesHome, startNodeSet, stopNodeSet } from './index.mjs';
import { processesUnder } from './set-processes.mjs';

const HTTP_PORT = 9288;

/** Waits until `ready` holds, checking every 100 ms. */
async function until(ready: () => Promise<boolean> | boolean, what: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Every process of the set stays gone: checked twice, so that a node forked late is seen. */
async function expectNothingRunning(folder: string) {
  expect(await processesUnder(folder)).toEqual([]);
  await sleep(3000);
  expect(await processesUnder(folder)).toEqual([]);
  expect(existsSync(join(folder, 'state.json'))).toBe(false);
}

describe('a node set start that cannot finish', { timeout: NODE_SET_START_MS }, () => {
  // The moments whose 8.x node must start fully first (a minute or two on a busy machine) are
  // in the full tier (A4C_TRIALS=full).
  const moments = [
    { moment: 'its first process runs', version: undefined, reached: async (folder: string) => (await processesUnder(folder)).length > 0 },
    ...(FULL_TRIALS
      ? [{ moment: 'its node wrote its pid (waiting for health)', version: undefined, reached: (folder: string) => existsSync(join(folder, 'node-0', 'pid')) }]
      : []),
    {
      moment: 'its Elasticsearch 1.7.6 node wrote its pid',
      version: A4C_1X_ELASTICSEARCH_VERSION,
      reached: (folder: string) => existsSync(join(folder, 'node-0', 'pid')),
    },
  ];
  for (const { moment, version, reached } of moments)
    it(`stopped from outside when ${moment}: the start fails and no process of the set runs`, async () => {
      const name = 'launcher-stopped';
      const folder = join(nodesHome(), name);
      const start = startNodeSet({ name, version, httpPort: HTTP_PORT, transportPort: HTTP_PORT + 1, fresh: true });
      const failure = rejectionOf(start);
      await until(() => reached(folder), moment);
      expect(await stopNodeSet(name)).toBe(true);
      expect(String(await failure)).toMatch(/stopped from outside|did not start|exited while starting/);
      await expectNothingRunning(folder);
    });

  it.runIf(FULL_TRIALS)('refused by Elasticsearch (an unknown setting): the start fails with the reason and no process of the set runs', async () => {
    const name = 'launcher-refused';
    const folder = join(nodesHome(), name);
    const failure = await rejectionOf(
      startNodeSet({ name, httpPort: HTTP_PORT, transportPort: HTTP_PORT + 1, fresh: true, settings: { 'a4c.no.such.setting': 'x' } }),
    );
    expect(String(failure)).toMatch(/a4c\.no\.such\.setting/);
    await expectNothingRunning(folder);
    await stopNodeSet(name);
  });
});
