// Runs every row of the bad-input corpus through the real binary against one shared
// installation on the real node: each must fail with its exit status, code, message and
// hint, and leave the data folder, the backup folder and the cluster exactly as they were.

import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { testElasticsearch, tierSample } from '@a4c-admin/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAD_INPUTS, type CorpusContext, forgeExportChunk } from './bad-input-cases.js';
import { documentFingerprints, installationFingerprint, treeState } from './installation-state.js';
import { assertBinaryBuilt, describeRun, runTool, runToolPatiently } from './run-tool.js';
import { createTestInstallation, type TestInstallation } from './test-installation.js';

/** A few indices are enough for refusals, and keep the shared installation quick to make. */
/** The default tier runs a few rows of each area (rotating by seed); A4C_TRIALS=full runs them all. */
const ROWS = tierSample(BAD_INPUTS, (row) => row.area, 3);

const CORPUS_INDICES = ['application', 'csar', 'plugin', 'pluginconfiguration', 'orchestrator', 'orchestratorconfiguration', 'topology', 'user'];

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe(`the bad-input corpus: ${ROWS.description}`, () => {
  let installation: TestInstallation;
  let context: CorpusContext;
  let notElasticsearch: Server;

  beforeAll(async () => {
    assertBinaryBuilt();
    const es = testElasticsearch();
    installation = await createTestInstallation({
      urls: [es.url],
      repoPath: es.repoPath || '/var/tmp/a4c-admin-es/nodes/test/repo',
      indices: CORPUS_INDICES,
      label: 'rel-corpus',
    });
    const scratch = await mkdtemp(join(tmpdir(), 'a4c-rel-corpus-scratch-'));
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    const deadPort = await listen(probe);
    await new Promise((resolve) => probe.close(resolve));
    notElasticsearch = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<html>hello</html>'));
    const webPort = await listen(notElasticsearch);
    context = {
      installation,
      scratch,
      snapshotBackup: 'good-snapshot',
      exportBackup: 'good-export',
      deadUrl: `http://127.0.0.1:${deadPort}`,
      notElasticsearchUrl: `http://127.0.0.1:${webPort}`,
    };
    for (const [name, format] of [
      ['good-snapshot', 'snapshot'],
      ['good-export', 'export'],
    ] as const) {
      const run = await runToolPatiently(['--json', '-c', installation.configFile, 'backup', '1.1.0', '-n', name, '--format', format]);
      expect(run.status, describeRun(run)).toBe(0);
    }
  });

  afterAll(async () => {
    notElasticsearch?.close();
    if (context) await rm(context.scratch, { recursive: true, force: true });
    await installation?.cleanup();
  });

  it(`has at least 50 cases in every area (${BAD_INPUTS.length})`, () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(50);
    expect(new Set(BAD_INPUTS.map((row) => row.area)).size).toBe(6);
    expect(new Set(BAD_INPUTS.map((row) => row.title)).size).toBe(BAD_INPUTS.length);
  });

  for (const row of ROWS.rows) {
    it(`${row.area}: ${row.title}`, async () => {
      const args = await row.prepare(context);
      const before = await everything();
      try {
        const run = await runToolPatiently(['--json', ...(row.withConfig === false ? [] : ['-c', installation.configFile]), ...args]);
        const error = run.json?.error;
        expect(error, `expected a JSON error on stdout\n${describeRun(run)}`).toBeDefined();
        expect({ status: run.status, code: error?.code }, describeRun(run)).toEqual({ status: row.expected.status, code: row.expected.code });
        expect(error!.exitCode).toBe(row.expected.status);
        expect(error!.message, describeRun(run)).toMatch(row.expected.message);
        expect(error!.hint ?? '', `a hint says what to do\n${describeRun(run)}`).toMatch(row.expected.hint ?? /\w{3,}/);
        expect(await everything(), `${row.title} changed something`).toEqual(before);
      } finally {
        await row.undo?.(context);
      }
    });
  }

  // Last, since it changes the cluster: a chunk forged with matching checksums passes every
  // check, so the restore has already removed the indices when the import meets it. What the
  // tool owes then: a clear "failed part-way" error, and a good backup that brings all back.
  it('export files: a forged chunk (checksums recomputed) fails part-way, and a good backup restores everything', async () => {
    const names = Object.keys(installation.indices);
    const documents = await documentFingerprints(installation.client, names);
    const files = await treeState(installation.dataDir);
    await forgeExportChunk(context, 'forged-chunk', (index) => `{"index":{"_index":"${index}","_id":"forged"}}\nthis line is not JSON\n`);
    const failed = await runTool(['--json', '-c', installation.configFile, 'restore', '1.1.0', '-n', 'forged-chunk', '--yes']);
    expect(failed.status, describeRun(failed)).toBe(8);
    expect(failed.json?.error?.code, describeRun(failed)).toBe('IMPORT_REJECTED');
    expect(failed.json?.error?.message).toMatch(/chunk|JSON|line/);
    expect(failed.json?.error?.hint).toMatch(/\w{3,}/);
    const repaired = await runToolPatiently(['--json', '-c', installation.configFile, 'restore', '1.1.0', '-n', context.exportBackup, '--yes']);
    expect(repaired.status, describeRun(repaired)).toBe(0);
    expect(await documentFingerprints(installation.client, names)).toEqual(documents);
    expect(await treeState(installation.dataDir)).toEqual(files);
  });

  it('export files: a forged chunk whose action lines name another index is refused, and that index is untouched', async () => {
    const bystander = `a4c-rel-bystander-${process.pid}`;
    await installation.client.index({ index: bystander, id: 'own', document: { owner: 'someone else' }, refresh: true });
    try {
      const names = Object.keys(installation.indices);
      const documents = await documentFingerprints(installation.client, names);
      await forgeExportChunk(context, 'forged-action', () =>
        [`{"index":{"_index":"${bystander}","_id":"forged"}}`, '{"planted":true}', `{"delete":{"_index":"${bystander}","_id":"own"}}`, ''].join('\n'),
      );
      const failed = await runTool(['--json', '-c', installation.configFile, 'restore', '1.1.0', '-n', 'forged-action', '--yes']);
      expect({ status: failed.status, code: failed.json?.error?.code }, describeRun(failed)).toEqual({ status: 6, code: 'EXPORT_INVALID' });
      expect(failed.json?.error?.message).toMatch(/action line that is not an index action into/);
      expect(failed.json?.error?.hint).toMatch(/another backup|export the index again/);
      await installation.client.indices.refresh({ index: bystander });
      const held = await installation.client.search({ index: bystander, query: { match_all: {} } });
      expect(held.hits.hits.map((hit) => [hit._id, hit._source])).toEqual([['own', { owner: 'someone else' }]]);
      const repaired = await runToolPatiently(['--json', '-c', installation.configFile, 'restore', '1.1.0', '-n', context.exportBackup, '--yes']);
      expect(repaired.status, describeRun(repaired)).toBe(0);
      expect(await documentFingerprints(installation.client, names)).toEqual(documents);
    } finally {
      await installation.client.indices.delete({ index: bystander }, { ignore: [404] });
    }
  });

  /** The whole installation (folders, every index of the cluster, snapshots) around each refusal. */
  async function everything() {
    // The migration lock's folder (.migration) appears on the first migrate, even refused: bookkeeping, not data.
    return installationFingerprint({ ...installation, configDir: dirname(installation.configFile) }, (path) => path === '.migration');
  }
});
