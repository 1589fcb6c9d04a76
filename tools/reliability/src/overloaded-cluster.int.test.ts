// Elasticsearch answering 429 and 503, injected by a loopback proxy in front of the real node,
// during an export-format backup and during an import (restore of that backup). A few faults:
// the one retry layer (our transport: 429/502/503/504, docs/reliability.md "Retries") must carry the operation through. Faults that never stop: the tool must
// fail with a clear error, change nothing it cannot restore, and succeed once the cluster recovers.
import { readdir } from 'node:fs/promises';
import { testElasticsearch } from '@a4c-admin/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultProxy, startFaultProxy } from './fault-proxy.js';
import { documentFingerprints } from './installation-state.js';
import { assertBinaryBuilt, describeRun, runTool, runToolPatiently } from './run-tool.js';
import { createTestInstallation, type TestInstallation } from './test-installation.js';

const INDICES = ['application', 'csar', 'topology', 'plugin', 'user'];

describe('an overloaded cluster (429 / 503 through a proxy)', () => {
  let installation: TestInstallation;
  let proxy: FaultProxy;
  let configFile: string;
  let names: string[];
  let documents: Record<string, string>;
  const injected: Record<string, number> = {};

  beforeAll(async () => {
    assertBinaryBuilt();
    const es = testElasticsearch();
    installation = await createTestInstallation({
      urls: [es.url],
      repoPath: es.repoPath || '/var/tmp/a4c-admin-es/nodes/test/repo',
      indices: INDICES,
      label: 'rel-busy',
    });
    names = Object.keys(installation.indices);
    documents = await documentFingerprints(installation.client, names);
    proxy = await startFaultProxy(es.url);
    // Three retries, as shipped by default.
    configFile = await installation.writeConfig({ addresses: [proxy.url], max_retries: 3 }, `${installation.root}/config/through-proxy.yml`);
  });

  afterAll(async () => {
    await proxy?.close();
    await installation?.cleanup();
    console.log(`[overload] faults injected: ${JSON.stringify(injected)}`);
  });

  const tool = (args: string[]) => runTool(['--json', '-c', configFile, ...args]);
  const count = (label: string) => {
    for (const [status, times] of Object.entries(proxy.injected)) injected[`${label} ${status}`] = (injected[`${label} ${status}`] ?? 0) + times;
    proxy.injected = {};
  };

  it('an export-format backup succeeds through 503s on its reads (the transport retries 502/503/504)', async () => {
    proxy.setRules([{ path: /_search|_pit|_count/, status: 503, times: 2 }]);
    const run = await tool(['backup', '1.1.0', '-n', 'busy-export', '--format', 'export']);
    const faults = proxy.injected[503];
    count('export');
    expect(run.status, describeRun(run)).toBe(0);
    expect(faults, 'faults were injected').toBe(2);
    const verified = await runTool(['--json', '-c', installation.configFile, 'verify', 'busy-export']);
    expect(verified.status, describeRun(verified)).toBe(0);
  });

  // Our transport retries 429 with backoff on every request (raw-bytes ones included): a 429
  // means Elasticsearch pushed back before running the request. The reads, whichever form they
  // take: an index that fits in one page is one search (no point in time), the counts one _msearch.
  it('an export-format backup succeeds through 429s on its reads (retried with backoff)', async () => {
    proxy.setRules([{ path: /_search|_msearch|_pit|_count/, status: 429, times: 2 }]);
    const run = await tool(['backup', '1.1.0', '-n', 'pushed-back-export', '--format', 'export']);
    const faults = proxy.injected[429];
    count('export');
    expect(run.status, describeRun(run)).toBe(0);
    expect(faults, 'faults were injected').toBe(2);
    const verified = await runTool(['--json', '-c', installation.configFile, 'verify', 'pushed-back-export']);
    expect(verified.status, describeRun(verified)).toBe(0);
  });

  it('429s that never stop fail an export-format backup with a clear error and leave no backup', async () => {
    proxy.setRules([{ path: /_search|_pit|_count/, status: 429, times: Infinity }]);
    const run = await tool(['backup', '1.1.0', '-n', 'rejected-export', '--format', 'export']);
    count('always');
    expect({ status: run.status, code: run.json?.error?.code }, describeRun(run)).toEqual({ status: 4, code: 'ES_REQUEST_FAILED' });
    expect(run.json?.error?.message).toMatch(/answered 429/);
    expect(run.json?.error?.hint).toMatch(/overloaded.*retry/);
    proxy.setRules([]);
    const listed = await runToolPatiently(['--json', '-c', installation.configFile, 'list']);
    expect((listed.json!.result as { backups: Array<{ name: string }> }).backups.map((entry) => entry.name).sort()).toEqual([
      'busy-export',
      'pushed-back-export',
    ]);
    expect((await readdir(installation.backupDir)).filter((name) => name.includes('rejected-export'))).toEqual([]);
  });

  it('an import succeeds through 503s on its bulk requests (the transport retries)', async () => {
    await installation.client.indices.delete({ index: [`${installation.prefix}csar`, `${installation.prefix}topology`] });
    proxy.setRules([{ path: /_bulk/, status: 503, times: 2 }]);
    const run = await tool(['restore', '1.1.0', '-n', 'busy-export', '--yes']);
    const faults = proxy.injected[503];
    count('import');
    expect(run.status, describeRun(run)).toBe(0);
    expect(faults, 'faults were injected').toBe(2);
    expect(await documentFingerprints(installation.client, names)).toEqual(documents);
  });

  it('an import succeeds through a 429 on a bulk request (the bulk loader retries rejections itself)', async () => {
    await installation.client.indices.delete({ index: `${installation.prefix}plugin` });
    proxy.setRules([{ path: /_bulk/, status: 429, times: 1 }]);
    const run = await tool(['restore', '1.1.0', '-n', 'busy-export', '--yes']);
    const faults = proxy.injected[429];
    count('import');
    expect(run.status, describeRun(run)).toBe(0);
    expect(faults, 'faults were injected').toBe(1);
    expect(await documentFingerprints(installation.client, names)).toEqual(documents);
  });

  it('an import whose bulk requests keep failing with 503 fails with a clear error; the re-run restores everything', async () => {
    await installation.client.indices.delete({ index: `${installation.prefix}application` });
    proxy.setRules([{ path: /_bulk/, status: 503, times: Infinity }]);
    const run = await tool(['restore', '1.1.0', '-n', 'busy-export', '--yes']);
    count('always');
    expect(run.status, describeRun(run)).not.toBe(0);
    expect(['ES_REQUEST_FAILED', 'IMPORT_REJECTED']).toContain(run.json?.error?.code);
    expect(run.json?.error?.message).toMatch(/503/);
    expect(run.json?.error?.hint).toMatch(/\w{3,}/);
    proxy.setRules([]);
    const again = await tool(['restore', '1.1.0', '-n', 'busy-export', '--yes']);
    expect(again.status, describeRun(again)).toBe(0);
    expect(await documentFingerprints(installation.client, names)).toEqual(documents);
  });
});
