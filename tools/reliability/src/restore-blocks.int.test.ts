// Blocks present when a backup was taken (a write block set by hand or left by a migration's
// adoption, read_only, read_only_allow_delete from a full disk) must not come back silently
// with the restore: A4C would start on indices it cannot write. Through the built binary on the
// real node: the restore lifts them, says so, and A4C's indices take writes again.

import { testElasticsearch } from '@a4c-admin/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBinaryBuilt, describeRun, runToolPatiently } from './run-tool.js';
import { createTestInstallation, type TestInstallation } from './test-installation.js';

describe('a restore of a backup taken while indices were blocked', () => {
  let installation: TestInstallation;

  beforeAll(async () => {
    assertBinaryBuilt();
    const es = testElasticsearch();
    installation = await createTestInstallation({
      urls: [es.url],
      repoPath: es.repoPath || '/var/tmp/a4c-admin-es/nodes/test/repo',
      indices: ['csar', 'user', 'topology'],
      label: 'rel-blocks',
    });
  });

  afterAll(async () => {
    await installation?.cleanup();
  });

  const writable = async (index: string) => {
    try {
      await installation.client.index({ index, id: `probe-${Date.now()}`, document: { probe: true }, refresh: true });
      return true;
    } catch (error) {
      if (/cluster_block_exception/.test(String((error as Error).message))) return false;
      throw error;
    }
  };

  it.each([
    { format: 'snapshot', index: 'csar', block: 'write' },
    { format: 'snapshot', index: 'user', block: 'read_only' },
    { format: 'export', index: 'topology', block: 'write' },
  ])('$format backup, $block block on $index: lifted on restore and reported', async ({ format, index, block }) => {
    const { client, prefix, configFile } = installation;
    const name = `blocked-${format}-${index}`;
    const target = `${prefix}${index}`;
    await client.indices.putSettings({ index: target, settings: { [`index.blocks.${block}`]: true } });
    try {
      const backup = await runToolPatiently(['--json', '-c', configFile, 'backup', '1.1.0', '-n', name, '--format', format]);
      expect(backup.status, describeRun(backup)).toBe(0);
    } finally {
      await client.indices.putSettings({ index: target, settings: { [`index.blocks.${block}`]: null } });
    }
    const restored = await runToolPatiently(['--json', '-c', configFile, 'restore', '1.1.0', '-n', name, '--yes']);
    expect(restored.status, describeRun(restored)).toBe(0);
    expect(await writable(target), `${target} takes writes after the restore`).toBe(true);
    const unblocked = (restored.json!.result as { unblocked: Array<{ index: string; blocks: string[] }> }).unblocked;
    if (format === 'snapshot') {
      // A snapshot keeps index settings, blocks included: they came back, were lifted and reported.
      expect(unblocked).toEqual([{ index: target, blocks: [block] }]);
      expect(restored.stderr).toMatch(new RegExp(`blocks were lifted.*${target} \\(${block}\\)`));
    } else {
      expect(unblocked).toEqual([]);
    }
    const text = await runToolPatiently(['-c', configFile, 'restore', '1.1.0', '-n', name, '--yes']);
    expect(text.status, describeRun(text)).toBe(0);
    if (format === 'snapshot') expect(text.stdout).toMatch(new RegExp(`lifted the blocks the backup held on 1 index.*${target} \\(${block}\\)`));
    expect(await writable(target)).toBe(true);
  });
});
