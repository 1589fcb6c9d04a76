// `a4c-admin migrate` beyond the one cluster, as an operator runs the built binary: into another
// cluster (the config's `target:` section, or `--target <url>`), and an export folder into a new
// folder (`--from-export`). The target is A4C_TEST_ES_TARGET_URL when set (a second node), else
// the test node under another index prefix.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createElasticsearchClient } from '@a4c-admin/es-snapshot';
import { uniqueName } from '@a4c-admin/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEW_SAMPLE_INDICES } from '../api/installation.test-support.js';
import { type BinaryRun, createE2eInstallation, describeRun, type E2eInstallation, parseJsonResult } from './binary.test-support.js';

function expectExit(run: BinaryRun, code: number): void {
  expect(run.code, describeRun(run)).toBe(code);
}

describe('a4c-admin migrate into another cluster, and from an export folder', () => {
  let installation: E2eInstallation;
  let source: ReturnType<typeof createElasticsearchClient>;
  let target: ReturnType<typeof createElasticsearchClient>;
  let targetUrl: string;
  const targetPrefix = `${uniqueName('e2e-target')}-`;

  /** Every index of the source under the installation's prefix, its document count, and the aliases. */
  async function sourceState() {
    const indices = await source.cat.indices({ index: `${installation.prefix}*`, format: 'json', h: 'index' });
    const aliases = await source.indices.getAlias({ index: `${installation.prefix}*` });
    // The count API, not _cat's docs.count: that one counts nested documents too.
    const counted = await Promise.all(indices.map(async (entry) => `${entry.index}:${(await source.count({ index: entry.index! })).count}`));
    return {
      indices: counted.sort(),
      aliases: Object.values(aliases).flatMap((entry) => Object.keys(entry.aliases ?? {})),
    };
  }

  beforeAll(async () => {
    installation = await createE2eInstallation({ indices: FEW_SAMPLE_INDICES });
    targetUrl = process.env.A4C_TEST_ES_TARGET_URL ?? installation.url;
    source = createElasticsearchClient({ addresses: [installation.url] });
    target = createElasticsearchClient({ addresses: [targetUrl] });
    const config = JSON.parse(await readFile(installation.configFile, 'utf8')) as Record<string, unknown>;
    await writeFile(installation.configFile, `${JSON.stringify({ ...config, target: { addresses: [targetUrl], index_prefix: targetPrefix } }, null, 2)}\n`);
  });

  afterAll(async () => {
    await target?.indices.delete({ index: `${targetPrefix}*`, ignore_unavailable: true, allow_no_indices: true }).catch(() => undefined);
    await Promise.all([source?.close(), target?.close()]);
    await installation?.cleanup();
  });

  it('refuses flags that do not go together, as usage errors', async () => {
    expectExit(await installation.run(['migrate', '1.1.0', '--target', targetUrl, '--rollback', '--yes']), 2);
    expectExit(await installation.run(['migrate', '1.1.0', '--from-export', installation.folder]), 2);
    expectExit(await installation.run(['migrate', '1.1.0', '--from-export', installation.folder, '--output', '/tmp/x', '--target', targetUrl]), 2);
    expectExit(await installation.run(['migrate', '1.1.0', '--target', 'ftp://es8']), 2);
  });

  it('--dry-run across clusters reads the source and writes nothing to either cluster', async () => {
    const before = await sourceState();
    const run = await installation.run(['migrate', '1.1.0', '--dry-run', '--json']);
    expectExit(run, 0);
    expect(parseJsonResult<{ status: string }>(run).result.status).toBe('ok');
    expect(await target.cat.indices({ index: `${targetPrefix}*`, format: 'json' })).toEqual([]);
    expect(await sourceState()).toEqual(before);
  });

  it('migrates into the target with its 1.2.0 aliases and marker, leaves the source as it was, then refuses to run over it', async () => {
    const before = await sourceState();
    const run = await installation.run(['migrate', '1.1.0', '--json']);
    expectExit(run, 0);
    const { result } = parseJsonResult<{ status: string; backup?: string; summary: string[]; marker: { version: string } }>(run);
    expect(result).toMatchObject({ status: 'migrated', marker: { version: '1.2.0' } });
    expect(result.backup).toBeUndefined();
    expect(result.summary[0]).toContain('no pre-migration backup: the source cluster was only read');
    expect(await sourceState()).toEqual(before);
    // Every A4C index of the source is on the target, behind its alias, with as many documents.
    for (const entry of before.indices) {
      const [index, count] = entry.split(':') as [string, string];
      const name = index.slice(installation.prefix.length);
      const counted = (await target.count({ index: `${targetPrefix}${name}` })).count;
      expect(counted, name).toBe(name === 'auditconfiguration' ? Math.min(Number(count), 1) : Number(count));
    }

    const again = await installation.run(['migrate', '1.1.0', '--json']);
    expect(parseJsonResult(again).error).toMatchObject({ code: 'PRECONDITION_FAILED', message: expect.stringContaining('finished A4C 1.2.0 installation') });
  });

  it('--from-export migrates a backup made with --format export into a new folder, touching no cluster', async () => {
    expectExit(await installation.run(['backup', '1.1.0', '-n', 'export110', '--format', 'export']), 0);
    const before = await sourceState();
    const output = join(installation.folder, 'migrated-export');
    const run = await installation.run(['migrate', '1.1.0', '--from-export', join(installation.backupDir, 'export110'), '--output', output, '--json']);
    expectExit(run, 0);
    const { result } = parseJsonResult<{ files: string[]; indices: Record<string, { read: number; written: number; merged: number }> }>(run);
    expect((await readdir(output)).sort()).toEqual(result.files.map((file) => file.slice(output.length + 1)).sort());
    expect(result.indices.auditconfiguration?.written ?? 0).toBeLessThanOrEqual(1);
    expect(result.indices.indexednodetype!.written).toBe(result.indices.indexednodetype!.read);
    expect(await sourceState()).toEqual(before);
  });
});
