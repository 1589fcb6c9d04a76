// A backup goes back only to a cluster that lays A4C's documents out as the one it was taken on:
// the ES 1.x indices of A4C (Elasticsearch 1.x-5.x) or one index per former type (6.x and later).
// Real backup folders in temp; the cluster and the snapshot store are small fakes that must not be
// asked to change anything.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type A4cAdminConfig, isA4cAdminError, parseConfig, restore, type SnapshotInfo, TOOL_VERSION } from '@a4c-admin/core';
import { canonicalHash, writeManifest } from '@a4c-admin/core/internal';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BackupBackends } from './backends.js';
import { writeBackupMarker } from './backup-ownership.js';

let root: string;
let config: A4cAdminConfig;

async function makeBackup(name: string, esVersion: string, index: string): Promise<void> {
  const folder = join(config.backup.files_dir, name);
  await mkdir(join(folder, 'files'), { recursive: true });
  await writeBackupMarker(folder, { name, backupId: `id-${name}` });
  await writeManifest(folder, {
    formatVersion: 1,
    tool: { name: 'a4c-admin', version: TOOL_VERSION },
    name,
    backupId: `id-${name}`,
    a4cDataVersion: '1.1.0',
    elasticsearch: { version: esVersion, clusterName: 'escluster', clusterUuid: '_na_' },
    snapshot: { repository: 'a4c-admin', name, uuid: `u-${name}`, state: 'SUCCESS' },
    indices: [{ name: index, docCount: 1, mappingHash: canonicalHash({}) }],
    files: [],
    configFiles: [],
    options: { parts: [] },
    startedAt: '2026-11-01T00:00:00.000Z',
    endedAt: '2026-11-01T00:01:00.000Z',
  });
}

function backendsOn(esVersion: string): BackupBackends {
  const refuse = async () => {
    throw new Error('a refused restore must not change anything');
  };
  const snapshot = (name: string): SnapshotInfo => ({
    repository: 'a4c-admin',
    name,
    uuid: `u-${name}`,
    state: 'SUCCESS',
    indices: ['toscaelement', 'indexednodetype'],
    shards: { total: 1, successful: 1, failed: 0 },
  });
  return {
    cluster: { describe: async () => ({ clusterName: 'escluster', clusterUuid: '_na_', version: esVersion, status: 'green', nodes: [] }) },
    snapshots: {
      get: async (name: string) => snapshot(name),
      list: async () => [],
      running: async () => [],
      ensureRepository: refuse,
      create: refuse,
      remove: refuse,
      restore: refuse,
    },
    reader: { count: refuse, definition: refuse, read: refuse },
    writer: { create: refuse, write: refuse, remove: refuse, setWriteBlock: refuse, liftBlocks: refuse },
    state: { readMarker: refuse, writeMarker: refuse, resolve: refuse, updateAliases: refuse, listIndices: refuse, storageLayout: refuse, ownership: refuse },
  } as unknown as BackupBackends;
}

async function failureOf(promise: Promise<unknown>): Promise<{ code?: string; message?: string }> {
  const failure = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  return isA4cAdminError(failure) ? { code: failure.code, message: failure.message } : { message: String(failure) };
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'a4c-layout-'));
  await mkdir(join(root, 'a4c'));
  config = parseConfig({
    elasticsearch: { addresses: ['http://127.0.0.1:9'] },
    backup: { files_dir: join(root, 'backups') },
    alien4cloud: { dir: join(root, 'a4c') },
  });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('restore and the storage layout', () => {
  it('refuses a backup of ES 1.7 (its ES 1.x indices) on an ES 8 cluster, before changing anything', async () => {
    await makeBackup('es1', '1.7.6', 'toscaelement');
    const failure = await failureOf(restore({ config, backends: backendsOn('8.19.21'), name: 'es1', version: '1.1.0', a4cStopped: true }));
    expect(failure.code).toBe('VERSION_MISMATCH');
    expect(failure.message).toMatch(/taken on Elasticsearch 1\.7\.6.*Elasticsearch 8\.19\.21.*nothing was changed/);
  });

  it('refuses a backup of ES 8 on an ES 1.7 cluster', async () => {
    await makeBackup('es8', '8.19.21', 'indexednodetype');
    expect((await failureOf(restore({ config, backends: backendsOn('1.7.6'), name: 'es8', version: '1.1.0', a4cStopped: true }))).code).toBe(
      'VERSION_MISMATCH',
    );
  });

  it('takes ES 1.x index names for A4C names only in a backup of a multi-type server', async () => {
    await makeBackup('forged', '8.19.21', 'toscaelement');
    expect((await failureOf(restore({ config, backends: backendsOn('8.19.21'), name: 'forged', version: '1.1.0', a4cStopped: true }))).code).toBe(
      'BACKUP_INVALID',
    );
  });
});
