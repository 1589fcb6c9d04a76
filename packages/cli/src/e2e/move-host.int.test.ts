// Moving an installation to another host and cluster, step by step as docs/backup-and-restore.md
// ("Moving to another host or cluster") tells an operator, with the built binary: a backup on
// host A (the single node; its data folder and config files at A's paths), the backup folder
// (and, for a snapshot, the repository folder) copied with `cp -a` to host B (the 3-node
// cluster, or the node of A4C_TEST_ES_CLUSTER_URL, with its own path.repo), B's own
// admin-tool-config.yml, then `restore --config-files-to` on B. The documents, the data folder
// and the config files end up equal to A's.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { parseConfig } from '@a4c-admin/core';
import { createElasticsearchClient } from '@a4c-admin/es-snapshot';
import { FULL_TRIALS, testElasticsearch } from '@a4c-admin/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentFingerprints, FEW_SAMPLE_INDICES, treeFingerprint } from '../api/installation.test-support.js';
import { type BinaryRun, createE2eInstallation, describeRun, type E2eInstallation, parseJsonResult, runBinary } from './binary.test-support.js';

const execFileAsync = promisify(execFile);
const elasticsearch = testElasticsearch();
const hostB = { urls: elasticsearch.clusterUrls, repoPath: elasticsearch.clusterRepoPath };
/** A snapshot can be moved only when the tests know both nodes' path.repo folders. */
const snapshotMovable = Boolean(elasticsearch.repoPath && hostB.repoPath);

function expectExit(run: BinaryRun, code: number): void {
  expect(run.code, describeRun(run)).toBe(code);
}

describe.skipIf(hostB.urls.length === 0)('moving an installation to another host and cluster', () => {
  let hostA: E2eInstallation;
  /** Host B's folders: its own data folder, config folder and backup folder, none at A's paths. */
  let folderB: string;
  /** The backup the last move took on A (the refusal test copies it again). */
  let moved: string | undefined;

  beforeAll(async () => {
    hostA = await createE2eInstallation({ indices: FEW_SAMPLE_INDICES });
    folderB = await mkdtemp(join(tmpdir(), 'a4c-host-b-'));
  });

  afterAll(async () => {
    const client = createElasticsearchClient({ addresses: hostB.urls });
    try {
      await client.indices.delete({ index: `${hostA.prefix}*`, ignore_unavailable: true, allow_no_indices: true, expand_wildcards: 'all' });
      const snapshots = await client.snapshot.get({ repository: hostA.repositoryName, snapshot: '_all' }).catch(() => ({ snapshots: [] }));
      for (const snapshot of snapshots.snapshots ?? [])
        await client.snapshot.delete({ repository: hostA.repositoryName, snapshot: snapshot.snapshot }, { ignore: [404] });
      await client.snapshot.deleteRepository({ name: hostA.repositoryName }, { ignore: [404] });
    } finally {
      await client.close();
    }
    if (hostB.repoPath && hostA) await rm(join(hostB.repoPath, hostA.repositoryName), { recursive: true, force: true });
    if (folderB) await rm(folderB, { recursive: true, force: true });
    await hostA?.cleanup();
  });

  /** Host B: `<folder>/data`, `<folder>/conf` (A4C's config), `<folder>/backups`, and its admin-tool-config.yml. */
  async function prepareHostB(name: string): Promise<{ dataDir: string; confDir: string; backupDir: string; configFile: string }> {
    const root = join(folderB, name);
    const [dataDir, confDir, backupDir] = ['data', 'conf', 'backups'].map((folder) => join(root, folder)) as [string, string, string];
    for (const folder of [dataDir, confDir, backupDir]) await mkdir(folder, { recursive: true });
    const configFile = join(root, 'admin-tool-config.yml');
    // The same repository name and location as on A: B's path.repo holds the copied folder.
    await writeFile(
      configFile,
      [
        'elasticsearch:',
        `  addresses: [${hostB.urls.join(', ')}]`,
        `  index_prefix: ${hostA.prefix}`,
        `  repository: {name: ${hostA.repositoryName}, location: ${hostA.repositoryName}}`,
        `backup.files_dir: ${backupDir}`,
        `backup.config_files: [${[hostA.alien4cloudConfigFile, hostA.elasticsearchConfigFile].map((file) => join(confDir, basename(file))).join(', ')}]`,
        `alien4cloud.dir: ${dataDir}`,
        '',
      ].join('\n'),
    );
    return { dataDir, confDir, backupDir, configFile };
  }

  async function expectMovedWhole(backup: string, format: 'snapshot' | 'export'): Promise<void> {
    const indices = Object.keys(hostA.indices);
    const configA = parseConfig({
      elasticsearch: { addresses: [hostA.url], index_prefix: hostA.prefix },
      backup: { files_dir: hostA.backupDir },
      alien4cloud: { dir: hostA.dataDir },
    });
    const documentsA = await documentFingerprints(configA, indices);
    // The parts a backup copies (not upload/ nor an embedded node's elasticsearch/ folder).
    const filesA = Object.fromEntries(
      Object.entries(await treeFingerprint(hostA.dataDir)).filter(([path]) => configA.backup.parts.some((part) => path.startsWith(`${part}/`))),
    );

    // 1. On host A: the backup.
    expectExit(await hostA.run(['backup', '1.1.0', '-n', backup, '--format', format]), 0);
    moved = backup;

    // 2. Host B: its folders and its own config; the backup folder copied into its backup.files_dir,
    //    and for a snapshot the repository folder into its path.repo.
    const b = await prepareHostB(backup);
    await execFileAsync('cp', ['-a', join(hostA.backupDir, backup), `${b.backupDir}/`]);
    if (format === 'snapshot') {
      await rm(join(hostB.repoPath, hostA.repositoryName), { recursive: true, force: true });
      await execFileAsync('cp', ['-a', join(elasticsearch.repoPath, hostA.repositoryName), `${hostB.repoPath}/`]);
    }

    // 3. On host B: the plan names B's config folder, then the restore.
    const plan = await runBinary(['-c', b.configFile, 'restore', '1.1.0', '-n', backup, '--config-files-to', b.confDir, '--dry-run', '--json']);
    expectExit(plan, 0);
    expect(parseJsonResult<{ plan: { configFiles: string[] } }>(plan).result.plan.configFiles).toEqual(
      [hostA.alien4cloudConfigFile, hostA.elasticsearchConfigFile].map((file) => join(b.confDir, basename(file))),
    );
    const restored = await runBinary(['-c', b.configFile, 'restore', '1.1.0', '-n', backup, '--config-files-to', b.confDir, '--yes']);
    expectExit(restored, 0);

    // 4. B holds what A held.
    const configB = parseConfig({
      elasticsearch: { addresses: hostB.urls, index_prefix: hostA.prefix },
      backup: { files_dir: b.backupDir },
      alien4cloud: { dir: b.dataDir },
    });
    expect(await documentFingerprints(configB, indices)).toEqual(documentsA);
    expect(await treeFingerprint(b.dataDir)).toEqual(filesA);
    for (const file of [hostA.alien4cloudConfigFile, hostA.elasticsearchConfigFile])
      expect(await readFile(join(b.confDir, basename(file)), 'utf8')).toBe(await readFile(file, 'utf8'));
  }

  it.skipIf(!snapshotMovable)('a snapshot backup, with its repository folder copied into the new path.repo', async () => {
    await expectMovedWhole('moved-snapshot', 'snapshot');
  });

  // Both moves take a minute under load: the export one runs by default only when the snapshot one cannot.
  it.skipIf(snapshotMovable && !FULL_TRIALS)('an export backup, which needs nothing on the new nodes', async () => {
    await expectMovedWhole('moved-export', 'export');
  });

  it("refuses A's config-file paths on B, naming the flags that skip or remap them", async () => {
    const b = await prepareHostB('refused');
    if (!moved) throw new Error('no move ran before this test');
    await execFileAsync('cp', ['-a', join(hostA.backupDir, moved), `${b.backupDir}/`]);
    const refused = await runBinary(['-c', b.configFile, 'restore', '1.1.0', '-n', moved, '--dry-run']);
    expectExit(refused, 5);
    expect(refused.stderr).toContain('is not listed in backup.config_files');
    expect(refused.stderr).toContain('--config-files-to <folder>');
    expect(refused.stderr).toContain('--no-config-files');
    const both = await runBinary(['-c', b.configFile, 'restore', '1.1.0', '-n', moved, '--no-config-files', '--config-files-to', b.confDir]);
    expectExit(both, 2);
    const skipped = await runBinary(['-c', b.configFile, 'restore', '1.1.0', '-n', moved, '--no-config-files', '--dry-run', '--json']);
    expectExit(skipped, 0);
    expect(parseJsonResult<{ plan: { configFiles: string[] } }>(skipped).result.plan.configFiles).toEqual([]);
  });
});
