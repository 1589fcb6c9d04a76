// Every long operation of core takes one `signal?: AbortSignal`: aborted before it starts or
// while it runs, verify, list, prune and doctor stop with CANCELLED and change nothing. Real
// backups in temp folders; the snapshot store and the cluster are small fakes (no Elasticsearch).
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  type A4cAdminConfig,
  doctor,
  isA4cAdminError,
  listBackups,
  parseConfig,
  pruneBackups,
  type SnapshotInfo,
  type SnapshotStore,
  TOOL_VERSION,
  verifyBackup,
} from '@a4c-admin/core';
import { canonicalHash, createProgressReporter, verifyFileTree, writeManifest } from '@a4c-admin/core/internal';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BackupBackends } from './backends.js';
import { writeBackupMarker } from './backup-ownership.js';

const NAMES = ['b1', 'b2', 'b3'];
const FILES_PER_BACKUP = 20;

let root: string;
let config: A4cAdminConfig;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const snapshotInfo = (name: string): SnapshotInfo => ({
  repository: 'a4c-admin',
  name,
  uuid: `u-${name}`,
  state: 'SUCCESS',
  indices: ['application'],
  metadata: {},
  shards: { total: 1, successful: 1, failed: 0 },
});

async function makeBackup(name: string, day: number): Promise<void> {
  const folder = join(config.backup.files_dir, name);
  await mkdir(join(folder, 'files', 'data'), { recursive: true });
  const files = [];
  for (let index = 0; index < FILES_PER_BACKUP; index++) {
    const content = `${name} file ${index}\n`;
    await writeFile(join(folder, 'files', 'data', `f${index}.txt`), content, { mode: 0o644 });
    files.push({ path: `data/f${index}.txt`, size: Buffer.byteLength(content), mode: 0o644, sha256: sha256(content) });
  }
  await writeBackupMarker(folder, { name, backupId: `id-${name}` });
  await writeManifest(folder, {
    formatVersion: 1,
    tool: { name: 'a4c-admin', version: TOOL_VERSION },
    name,
    backupId: `id-${name}`,
    a4cDataVersion: '1.1.0',
    elasticsearch: { version: '8.19.0', clusterName: 'alien4cloud', clusterUuid: 'c-1' },
    snapshot: { repository: 'a4c-admin', name, uuid: `u-${name}`, state: 'SUCCESS' },
    indices: [{ name: 'application', docCount: 1, mappingHash: canonicalHash({}) }],
    files,
    configFiles: [],
    options: { parts: ['data'] },
    startedAt: `2026-11-0${day}T00:00:00.000Z`,
    endedAt: `2026-11-0${day}T00:01:00.000Z`,
  });
}

/** A snapshot store that answers list and get, runs `onList` first, and must never be asked to change anything. */
function fakeSnapshots(onList: () => void = () => undefined): SnapshotStore {
  const refuse = async () => {
    throw new Error('a cancelled operation must not change snapshots');
  };
  return {
    list: async () => {
      onList();
      return NAMES.map(snapshotInfo);
    },
    get: async (name: string) => snapshotInfo(name),
    running: async () => [],
    ensureRepository: refuse,
    create: refuse,
    remove: refuse,
    restore: refuse,
  } as unknown as SnapshotStore;
}

/** Every path under root with its size and content hash: "changes nothing" is this, unchanged. */
async function treeOf(folder: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  const walk = async (path: string) => {
    for (const entry of await readdir(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) {
        result[`${relative(root, full)}/`] = `mode ${(await stat(full)).mode}`;
        await walk(full);
      } else {
        result[relative(root, full)] = sha256(await readFile(full, 'utf8'));
      }
    }
  };
  await walk(folder);
  return result;
}

async function expectCancelled(promise: Promise<unknown>): Promise<void> {
  const failure = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(isA4cAdminError(failure) ? failure.code : failure).toBe('CANCELLED');
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'a4c-cancel-'));
  await mkdir(join(root, 'a4c'));
  config = parseConfig({
    elasticsearch: { addresses: ['http://127.0.0.1:9'] },
    backup: { files_dir: join(root, 'backups') },
    alien4cloud: { dir: join(root, 'a4c') },
  });
  for (const [position, name] of NAMES.entries()) await makeBackup(name, position + 1);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('verify honours its signal', () => {
  it('verifies the set-up backup when not cancelled (the fixture is sound)', async () => {
    expect((await verifyBackup({ config, snapshots: fakeSnapshots(), name: 'b1' })).problems).toEqual([]);
  });

  it('an aborted signal: CANCELLED, nothing changed', async () => {
    const before = await treeOf(root);
    await expectCancelled(verifyBackup({ config, snapshots: fakeSnapshots(), name: 'b1', signal: AbortSignal.abort() }));
    expect(await treeOf(root)).toEqual(before);
  });

  it('aborted once the file check started: verifyBackup passes the signal to verifyFileTree, which stops', async () => {
    const before = await treeOf(root);
    const controller = new AbortController();
    let snapshotAsked = false;
    const snapshots = {
      ...fakeSnapshots(),
      get: async (name: string) => {
        snapshotAsked = true;
        return snapshotInfo(name);
      },
    } as SnapshotStore;
    await expectCancelled(
      verifyBackup({
        config,
        snapshots,
        name: 'b1',
        signal: controller.signal,
        onProgress: (event) => {
          if (event.phase === 'files' && event.kind === 'start') controller.abort();
        },
      }),
    );
    expect(snapshotAsked).toBe(false);
    expect(await treeOf(root)).toEqual(before);
  });

  it('verifyFileTree checks the signal in its file loop', async () => {
    const controller = new AbortController();
    const hashed: string[] = [];
    const progress = createProgressReporter('verify', (event) => {
      if (event.kind === 'start') controller.abort();
      hashed.push(event.kind);
    });
    const files = Array.from({ length: FILES_PER_BACKUP }, (_, index) => ({ path: `data/f${index}.txt`, size: 1, mode: 0o644, sha256: 'a'.repeat(64) }));
    await expectCancelled(verifyFileTree({ root: join(config.backup.files_dir, 'b1', 'files'), files, progress, signal: controller.signal }));
    expect(hashed).toEqual(['start']);
  });
});

describe('list honours its signal', () => {
  it('lists the three backups when not cancelled (the fixture is sound)', async () => {
    expect((await listBackups({ config, snapshots: fakeSnapshots() })).map((backup) => [backup.name, backup.state])).toEqual([
      ['b3', 'complete'],
      ['b2', 'complete'],
      ['b1', 'complete'],
    ]);
  });

  it('an aborted signal, or one aborted while the snapshots are listed: CANCELLED, nothing changed', async () => {
    const before = await treeOf(root);
    await expectCancelled(listBackups({ config, snapshots: fakeSnapshots(), signal: AbortSignal.abort() }));
    const controller = new AbortController();
    await expectCancelled(listBackups({ config, snapshots: fakeSnapshots(() => controller.abort()), signal: controller.signal }));
    expect(await treeOf(root)).toEqual(before);
  });
});

describe('prune honours its signal', () => {
  it('an aborted signal: CANCELLED before the lock is taken, no backup deleted', async () => {
    const before = await treeOf(root);
    await expectCancelled(pruneBackups({ config, snapshots: fakeSnapshots(), policy: { keepLast: 1 }, signal: AbortSignal.abort() }));
    expect(await treeOf(root)).toEqual(before);
  });

  it('aborted while the backups are listed: CANCELLED, no backup deleted, the lock released', async () => {
    const before = await treeOf(root);
    const controller = new AbortController();
    await expectCancelled(pruneBackups({ config, snapshots: fakeSnapshots(() => controller.abort()), policy: { keepLast: 1 }, signal: controller.signal }));
    expect(await treeOf(root)).toEqual(before);
  });
});

describe('doctor honours its signal', () => {
  const backends = (describe: () => Promise<never>): BackupBackends => ({ cluster: { describe }, snapshots: fakeSnapshots() }) as unknown as BackupBackends;
  const unreachable = async (): Promise<never> => {
    throw new Error('connect ECONNREFUSED');
  };

  it('an aborted signal: CANCELLED before the first check', async () => {
    let asked = false;
    await expectCancelled(
      doctor({
        config,
        backends: backends(async () => {
          asked = true;
          return unreachable();
        }),
        signal: AbortSignal.abort(),
      }),
    );
    expect(asked).toBe(false);
  });

  it('aborted during a check: CANCELLED before the next one, so the missing backup folder is not created', async () => {
    const fresh = { ...config, backup: { ...config.backup, files_dir: join(root, 'not-yet') } };
    const controller = new AbortController();
    await expectCancelled(
      doctor({
        config: fresh,
        backends: backends(async () => {
          controller.abort();
          return unreachable();
        }),
        signal: controller.signal,
      }),
    );
    await expect(stat(join(root, 'not-yet'))).rejects.toThrow(/ENOENT/);
  });
});
