// Acting on one backup must never ruin another, and only what a4c-admin made may be deleted:
// a copy of a backup (another name, or the same name in another backup.files_dir), two backups
// racing for one name, a failed backup, folders in backup.files_dir that are not backups, and
// config folders that overlap. Everything through the built binary on the real node.
import { cp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { testElasticsearch, trialCount } from '@a4c-admin/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterState, documentFingerprints, treeState } from './installation-state.js';
import { assertBinaryBuilt, describeRun, runTool, runToolPatiently, type ToolRun } from './run-tool.js';
import { createTestInstallation, type TestInstallation } from './test-installation.js';

const INDICES = ['application', 'csar', 'plugin', 'user', 'topology'];

let installation: TestInstallation;

beforeAll(async () => {
  assertBinaryBuilt();
  const es = testElasticsearch();
  installation = await createTestInstallation({
    urls: [es.url],
    repoPath: es.repoPath || '/var/tmp/a4c-admin-es/nodes/test/repo',
    indices: INDICES,
    label: 'rel-owner',
  });
});

afterAll(async () => {
  await installation?.cleanup();
});

/** A second config of the same installation (same cluster, same repository) with other keys changed. */
async function configWith(file: string, change: (config: Record<string, any>) => void): Promise<string> {
  const config = JSON.parse(await readFile(installation.configFile, 'utf8'));
  change(config);
  const path = join(installation.root, 'config', file);
  await writeFile(path, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  return path;
}

const tool = (args: string[], config = installation.configFile) => runToolPatiently(['--json', '-c', config, ...args]);

async function backupOk(name: string, config = installation.configFile): Promise<void> {
  const run = await tool(['backup', '1.1.0', '-n', name], config);
  expect(run.status, describeRun(run)).toBe(0);
}

async function expectVerifies(name: string, config = installation.configFile): Promise<void> {
  const run = await tool(['verify', name], config);
  expect(run.status, describeRun(run)).toBe(0);
}

async function snapshotNames(): Promise<string[]> {
  return (await clusterState(installation.client, installation.prefix, installation.repository.name)).snapshots;
}

function errorCode(run: ToolRun): string | undefined {
  return run.json?.error?.code;
}

describe('a snapshot belongs to exactly one backup folder', () => {
  it('deleting a `cp -a` copy (another name) removes only the copy; the original keeps its snapshot, verifies and restores', async () => {
    for (const [original, copy] of [
      ['owned-one', 'owned-one-copy'],
      ['owned-two', 'aaa-renamed'],
    ] as const) {
      await backupOk(original);
      await cp(join(installation.backupDir, original), join(installation.backupDir, copy), { recursive: true, preserveTimestamps: true });
      const deleted = await tool(['delete', copy, '--yes']);
      expect(deleted.status, describeRun(deleted)).toBe(0);
      expect(deleted.json?.result).toMatchObject({ folderDeleted: true, snapshotDeleted: false });
      expect(JSON.stringify(deleted.json?.result)).toMatch(/kept.*copy/);
      expect(await snapshotNames()).toContain(original);
      await expectVerifies(original);
    }
    // The original still restores every document.
    const names = Object.keys(installation.indices);
    const before = await documentFingerprints(installation.client, names);
    const restored = await tool(['restore', '1.1.0', '-n', 'owned-one', '--yes']);
    expect(restored.status, describeRun(restored)).toBe(0);
    expect(await documentFingerprints(installation.client, names)).toEqual(before);
    // And deleting the original itself removes its snapshot.
    const gone = await tool(['delete', 'owned-two', '--yes']);
    expect(gone.json?.result, describeRun(gone)).toMatchObject({ folderDeleted: true, snapshotDeleted: true });
    expect(await snapshotNames()).not.toContain('owned-two');
  });

  it('a copy of the same name in another backup.files_dir: deleting it there keeps the snapshot, and a backup of that name there is refused', async () => {
    const otherDir = join(installation.root, 'backups-elsewhere');
    const other = await configWith('elsewhere.yml', (config) => (config.backup.files_dir = otherDir));
    await backupOk('shared-name');
    await mkdir(otherDir, { recursive: true, mode: 0o700 });
    await cp(join(installation.backupDir, 'shared-name'), join(otherDir, 'shared-name'), { recursive: true, preserveTimestamps: true });
    const deleted = await tool(['delete', 'shared-name', '--yes'], other);
    expect(deleted.status, describeRun(deleted)).toBe(0);
    expect(deleted.json?.result).toMatchObject({ folderDeleted: true, snapshotDeleted: false });
    expect(await snapshotNames()).toContain('shared-name');
    await expectVerifies('shared-name');

    // Variation: no copy there at all; deleting or backing up the name from the other folder refuses, changing nothing.
    const before = await snapshotNames();
    const orphanDelete = await tool(['delete', 'shared-name', '--yes'], other);
    expect(orphanDelete.status, describeRun(orphanDelete)).toBe(5);
    expect(errorCode(orphanDelete)).toBe('BACKUP_NOT_FOUND');
    const clash = await tool(['backup', '1.1.0', '-n', 'shared-name'], other);
    expect(clash.status, describeRun(clash)).toBe(5);
    expect(errorCode(clash)).toBe('BACKUP_EXISTS');
    expect(await snapshotNames()).toEqual(before);
    await expectVerifies('shared-name');
  });

  // Races: one round each by default, three in the full tier (A4C_TRIALS=full), where the
  // order of the two racing backup folders alternates too.
  const RACE_ROUNDS = trialCount(1, 3);

  it(`two backups of one name started at the same time: exactly one wins, and the winner verifies (${RACE_ROUNDS} round(s))`, async () => {
    for (let round = 0; round < RACE_ROUNDS; round += 1) {
      const name = `race-${round}`;
      const runs = await Promise.all([0, 1].map(() => runTool(['--json', '-c', installation.configFile, 'backup', '1.1.0', '-n', name])));
      const winners = runs.filter((run) => run.status === 0);
      expect(winners, runs.map(describeRun).join('\n')).toHaveLength(1);
      for (const loser of runs.filter((run) => run.status !== 0))
        expect(['LOCKED', 'BACKUP_EXISTS', 'SNAPSHOT_IN_PROGRESS'], describeRun(loser)).toContain(errorCode(loser));
      await expectVerifies(name);
    }
  });

  it("a backup that fails never removes someone else's snapshot: one name raced from two backup folders sharing the repository", async () => {
    const otherDir = join(installation.root, 'backups-racing');
    const other = await configWith('racing.yml', (config) => (config.backup.files_dir = otherDir));
    for (let round = 0; round < RACE_ROUNDS; round += 1) {
      const name = `cross-race-${round}`;
      const configs = round % 2 === 0 ? [installation.configFile, other] : [other, installation.configFile];
      const runs = await Promise.all(configs.map((config) => runTool(['--json', '-c', config, 'backup', '1.1.0', '-n', name])));
      const winner = runs.findIndex((run) => run.status === 0);
      expect(
        runs.filter((run) => run.status === 0),
        runs.map(describeRun).join('\n'),
      ).toHaveLength(1);
      expect(await snapshotNames()).toContain(name);
      await expectVerifies(name, configs[winner]);
    }
  });
});

describe('only folders a4c-admin made are deleted or listed', () => {
  it('delete refuses a folder of backup.files_dir that is not a backup, leaving it whole; list does not show it', async () => {
    const notes = join(installation.backupDir, 'notes');
    await mkdir(join(notes, 'deep'), { recursive: true });
    await writeFile(join(notes, 'deep', 'todo.txt'), 'keep me\n');
    // Variation: a folder that holds a manifest.json that is not a valid one.
    const lookalike = join(installation.backupDir, 'lookalike');
    await mkdir(lookalike, { recursive: true });
    await writeFile(join(lookalike, 'manifest.json'), '{"name":"lookalike"}\n');
    for (const name of ['notes', 'lookalike']) {
      const before = await treeState(installation.backupDir);
      const snapshots = await snapshotNames();
      const run = await tool(['delete', name, '--yes']);
      expect(run.status, describeRun(run)).toBe(5);
      expect(errorCode(run)).toBe('UNSAFE_PATH');
      expect(run.json?.error?.message).toMatch(/not a backup made by a4c-admin/);
      expect(run.json?.error?.hint).toBeTruthy();
      expect(await treeState(installation.backupDir)).toEqual(before);
      expect(await snapshotNames()).toEqual(snapshots);
    }
    const listed = await tool(['list']);
    expect(listed.status, describeRun(listed)).toBe(0);
    expect(listed.stdout).not.toMatch(/"notes"|"lookalike"/);
  });

  it("a backup of the tool's whose manifest is damaged is still listed as broken and can be deleted, with its snapshot", async () => {
    await backupOk('damaged-own');
    await writeFile(join(installation.backupDir, 'damaged-own', 'manifest.json'), '{ truncated');
    const listed = await tool(['list']);
    expect(listed.stdout).toMatch(/damaged-own/);
    const run = await tool(['delete', 'damaged-own', '--yes']);
    expect(run.status, describeRun(run)).toBe(0);
    expect(run.json?.result).toMatchObject({ folderDeleted: true, snapshotDeleted: true });
    expect(await snapshotNames()).not.toContain('damaged-own');
  });

  it('backup.files_dir the parent of alien4cloud.dir is refused by config validate and every command, naming both keys; the data folder stays whole', async () => {
    const dataBefore = await treeState(installation.dataDir);
    const parent = await configWith('parent.yml', (config) => (config.backup.files_dir = installation.root));
    for (const args of [['config', 'validate'], ['list'], ['delete', 'data', '--yes'], ['backup', '1.1.0', '-n', 'x']]) {
      const run = await tool(args, parent);
      expect(run.status, describeRun(run)).toBe(3);
      expect(errorCode(run)).toBe('CONFIG_INVALID');
      expect(run.json?.error?.message).toMatch(/backup\.files_dir.*alien4cloud\.dir/);
    }
    expect(await treeState(installation.dataDir)).toEqual(dataBefore);
  });

  it('overlaps through a symbolic link, and exporter.dir or the repository location inside the data folder, are refused too', async () => {
    const link = join(installation.root, 'link-into-data');
    await symlink(installation.dataDir, link);
    const variants: Array<[string, (config: Record<string, any>) => void, RegExp]> = [
      ['via-link.yml', (config) => (config.backup.files_dir = join(link, 'backups')), /backup\.files_dir.*inside alien4cloud\.dir.*symbolic links/],
      ['export-in-data.yml', (config) => (config.exporter.dir = join(installation.dataDir, 'export')), /alien4cloud\.dir.*contains exporter\.dir/],
      [
        'data-is-repo.yml',
        (config) => (config.elasticsearch.repository.location = `${installation.dataDir}/`),
        /alien4cloud\.dir.*same folder as elasticsearch\.repository\.location/,
      ],
    ];
    for (const [file, change, message] of variants) {
      const run = await tool(['config', 'validate'], await configWith(file, change));
      expect(run.status, describeRun(run)).toBe(3);
      expect(run.json?.error?.message).toMatch(message);
    }
    await rm(link);
  });
});
