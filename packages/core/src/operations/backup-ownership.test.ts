import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../manifest.js';
import type { SnapshotInfo } from '../ports.js';
import { BACKUP_MARKER_FILE, backupLocationKey, judgeSnapshotOwnership, ownershipMetadata, readBackupMarker, writeBackupMarker } from './backup-ownership.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'a4c-ownership-'));
  await mkdir(join(root, 'backups'));
  await mkdir(join(root, 'elsewhere'));
  await symlink(join(root, 'backups'), join(root, 'backups-link'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const snapshot = (metadata: Record<string, unknown>, uuid = 'uuid-1'): SnapshotInfo => ({
  repository: 'r',
  name: 'nightly',
  uuid,
  state: 'SUCCESS',
  indices: [],
  metadata,
  shards: { total: 1, successful: 1, failed: 0 },
});
const manifest = (fields: Partial<Manifest> = {}): Manifest =>
  ({ name: 'nightly', backupId: 'id-1', snapshot: { repository: 'r', name: 'nightly', uuid: 'uuid-1', state: 'SUCCESS' }, ...fields }) as Manifest;

describe('judgeSnapshotOwnership', () => {
  it('owns the snapshot of its own run in its own folder, whatever the spelling of backup.files_dir', async () => {
    const location = await backupLocationKey(join(root, 'backups'), 'nightly');
    for (const filesDir of [join(root, 'backups'), `${join(root, 'backups')}/`, join(root, 'backups-link'), join(root, 'elsewhere/../backups')]) {
      const folder = join(filesDir, 'nightly');
      expect(
        await judgeSnapshotOwnership({ snapshot: snapshot(ownershipMetadata('nightly', 'id-1', location)), folder, filesDir, manifest: manifest() }),
      ).toEqual({ owned: true });
    }
  });

  it('does not own it from a copy under another name, a copy in another folder, another run, another uuid or another tool', async () => {
    const filesDir = join(root, 'backups');
    const location = await backupLocationKey(filesDir, 'nightly');
    const ours = snapshot(ownershipMetadata('nightly', 'id-1', location));
    const cases: Array<[string, Parameters<typeof judgeSnapshotOwnership>[0], RegExp]> = [
      ['copy under another name', { snapshot: ours, folder: join(filesDir, 'nightly-copy'), filesDir, manifest: manifest() }, /copy of backup "nightly"/],
      [
        'copy of the same name elsewhere',
        { snapshot: ours, folder: join(root, 'elsewhere', 'nightly'), filesDir: join(root, 'elsewhere'), manifest: manifest() },
        /another folder/,
      ],
      [
        'another run of the name',
        { snapshot: ours, folder: join(filesDir, 'nightly'), filesDir, manifest: manifest({ backupId: 'id-2' }) },
        /another backup run/,
      ],
      [
        'another uuid',
        { snapshot: snapshot(ownershipMetadata('nightly', 'id-1', location), 'uuid-2'), folder: join(filesDir, 'nightly'), filesDir, manifest: manifest() },
        /another snapshot/,
      ],
      ['not a4c-admin', { snapshot: snapshot({}), folder: join(filesDir, 'nightly'), filesDir, manifest: manifest() }, /not taken by a4c-admin/],
    ];
    for (const [title, input, reason] of cases) {
      const verdict = await judgeSnapshotOwnership(input);
      expect(verdict.owned, title).toBe(false);
      expect(verdict.owned ? '' : verdict.reason, title).toMatch(reason);
    }
  });

  it('a snapshot from before backup ids: owned only when tag, name, folder name and uuid agree', async () => {
    const filesDir = join(root, 'backups');
    const legacy = snapshot({ tool: 'a4c-admin', backup: 'nightly' });
    const old = manifest({ backupId: undefined });
    expect(await judgeSnapshotOwnership({ snapshot: legacy, folder: join(filesDir, 'nightly'), filesDir, manifest: old })).toEqual({ owned: true });
    expect((await judgeSnapshotOwnership({ snapshot: legacy, folder: join(filesDir, 'renamed'), filesDir, manifest: old })).owned).toBe(false);
    expect(
      (await judgeSnapshotOwnership({ snapshot: snapshot({ tool: 'a4c-admin', backup: 'other' }), folder: join(filesDir, 'nightly'), filesDir, manifest: old }))
        .owned,
    ).toBe(false);
    // A folder with only a marker (its manifest damaged) cannot prove an old snapshot is its own.
    expect(
      (
        await judgeSnapshotOwnership({
          snapshot: legacy,
          folder: join(filesDir, 'nightly'),
          filesDir,
          marker: { tool: 'a4c-admin', name: 'nightly', backupId: 'id-1', createdAt: '' },
        })
      ).owned,
    ).toBe(false);
  });
});

describe('readBackupMarker', () => {
  it('reads the marker a backup wrote, and takes a FIFO in its place for no marker at once (never waits on it)', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'a4c-marker-'));
    try {
      await writeBackupMarker(folder, { name: 'nightly', backupId: 'id-1' });
      expect(await readBackupMarker(folder)).toMatchObject({ tool: 'a4c-admin', name: 'nightly', backupId: 'id-1' });
      await rm(join(folder, BACKUP_MARKER_FILE));
      execFileSync('mkfifo', [join(folder, BACKUP_MARKER_FILE)]);
      const started = Date.now();
      expect(await readBackupMarker(folder)).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
