// What a data-folder round trip (backupFileTree -> restoreFileTree) must keep, and what a backup
// must refuse up front (issue 12, file items), on real temp folders.
import { chmod, mkdir, mkdtemp, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { A4cAdminError } from '@a4c-admin/core';
import { backupFileTree, restoreFileTree } from '@a4c-admin/core/internal';
import { rejectionOf } from '@a4c-admin/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { measureDataFolder } from './operations/measure-data-folder.js';

let root: string;
let data: string;
let backup: string;
let restored: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'a4c-fidelity-'));
  data = join(root, 'data');
  backup = join(root, 'backup', 'files');
  restored = join(root, 'restored');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function put(path: string, content: string | Buffer): Promise<void> {
  await mkdir(join(data, path, '..'), { recursive: true });
  await writeFile(join(data, path), content);
}

async function roundTrip(parts: string[]) {
  const copied = await backupFileTree({ sourceRoot: data, parts, destinationRoot: backup });
  await restoreFileTree({ backupRoot: backup, files: copied.files, folders: copied.folders, targetRoot: restored, parts });
  return copied;
}

/** Bytes of a file and blocks it really takes on disk. */
async function usage(path: string): Promise<{ size: number; allocated: number }> {
  const info = await stat(path);
  return { size: info.size, allocated: info.blocks * 512 };
}

describe('a round trip keeps what the data folder was', () => {
  it('empty folders and folder modes (0700, 0750) come back; older manifests without folders still restore', async () => {
    await put('csar/app/1.0.0/app.yml', 'x');
    await mkdir(join(data, 'csar', 'empty'), { recursive: true });
    await mkdir(join(data, 'plugins', 'private', 'nested-empty'), { recursive: true });
    await chmod(join(data, 'plugins', 'private'), 0o700);
    await chmod(join(data, 'csar', 'app'), 0o750);
    await chmod(join(data, 'plugins'), 0o711);
    const copied = await roundTrip(['csar', 'plugins']);
    expect(copied.folders.map((folder) => folder.path)).toEqual([
      'csar',
      'csar/app',
      'csar/app/1.0.0',
      'csar/empty',
      'plugins',
      'plugins/private',
      'plugins/private/nested-empty',
    ]);
    expect((await stat(join(restored, 'csar', 'empty'))).isDirectory()).toBe(true);
    expect((await stat(join(restored, 'plugins', 'private', 'nested-empty'))).isDirectory()).toBe(true);
    expect((await stat(join(restored, 'plugins', 'private'))).mode & 0o777).toBe(0o700);
    expect((await stat(join(restored, 'csar', 'app'))).mode & 0o777).toBe(0o750);
    expect((await stat(join(restored, 'plugins'))).mode & 0o777).toBe(0o711);
    // Without folder entries (a manifest of an earlier version): files come back, folders 0755.
    const older = join(root, 'older');
    await restoreFileTree({ backupRoot: backup, files: copied.files, targetRoot: older, parts: ['csar'] });
    expect(await readFile(join(older, 'csar', 'app', '1.0.0', 'app.yml'), 'utf8')).toBe('x');
  });

  it('a sparse file stays sparse in the backup and after the restore (same bytes), and a dense one stays whole', async () => {
    const size = 32 * 1024 * 1024;
    const handle = await open(join(await mkdirData('artifacts'), 'disk.img'), 'w');
    await handle.write(Buffer.from('head'), 0, 4, 0);
    await handle.write(Buffer.from('middle'), 0, 6, 16 * 1024 * 1024);
    await handle.truncate(size);
    await handle.close();
    await put('artifacts/dense.bin', Buffer.alloc(300_000, 1));
    expect((await usage(join(data, 'artifacts', 'disk.img'))).allocated).toBeLessThan(1024 * 1024);
    await roundTrip(['artifacts']);
    for (const copy of [join(backup, 'artifacts', 'disk.img'), join(restored, 'artifacts', 'disk.img')]) {
      const { size: copiedSize, allocated } = await usage(copy);
      expect(copiedSize).toBe(size);
      expect(allocated, `${copy} takes ${allocated} bytes on disk`).toBeLessThan(1024 * 1024);
    }
    // Buffers compared with equals(): a deep toEqual of 32 MB takes minutes.
    expect((await readFile(join(restored, 'artifacts', 'disk.img'))).equals(await readFile(join(data, 'artifacts', 'disk.img')))).toBe(true);
    expect(await readFile(join(restored, 'artifacts', 'dense.bin'))).toEqual(Buffer.alloc(300_000, 1));
  });

  it('a backslash is an ordinary character of a name: backed up and restored (file and folder)', async () => {
    await put('csar/back\\slash.yml', 'one');
    await put('plugins/dir\\with\\slashes/inner.txt', 'two');
    const copied = await roundTrip(['csar', 'plugins']);
    expect(copied.files.map((file) => file.path)).toEqual(['csar/back\\slash.yml', 'plugins/dir\\with\\slashes/inner.txt']);
    expect(await readFile(join(restored, 'csar', 'back\\slash.yml'), 'utf8')).toBe('one');
    expect(await readFile(join(restored, 'plugins', 'dir\\with\\slashes', 'inner.txt'), 'utf8')).toBe('two');
  });
});

describe('refused up front, or skipped', () => {
  it('a name that is not UTF-8 is refused by the preflight measure (and the copy), shown escaped', async () => {
    await put('csar/ok.yml', 'x');
    await mkdir(join(data, 'plugins', 'sub'), { recursive: true });
    await writeFile(Buffer.concat([Buffer.from(`${join(data, 'plugins', 'sub')}/caf`), Buffer.from([0xe9]), Buffer.from('.txt')]), 'latin1');
    const measured = await rejectionOf<A4cAdminError>(measureDataFolder(data, ['csar', 'plugins']));
    expect(measured).toMatchObject({ code: 'UNSAFE_PATH' });
    expect(measured.message).toContain('"plugins/sub/caf\\xe9.txt"');
    expect(measured.message).toMatch(/not valid UTF-8/);
    expect(measured.hint).toMatch(/[Rr]ename/);
    const copy = await rejectionOf<A4cAdminError>(backupFileTree({ sourceRoot: data, parts: ['plugins'], destinationRoot: backup }));
    expect(copy.message).toContain('caf\\xe9.txt');
  });

  it('a backup folder inside a part it copies is refused before anything is written, naming both (and through a link too)', async () => {
    await put('csar/app.yml', 'x');
    const inside = join(data, 'csar', 'backups', '.partial-b', 'files');
    const refused = await rejectionOf<A4cAdminError>(backupFileTree({ sourceRoot: data, parts: ['csar'], destinationRoot: inside }));
    expect(refused).toMatchObject({ code: 'UNSAFE_PATH' });
    expect(refused.message).toContain(inside);
    expect(refused.message).toContain(join(data, 'csar'));
    expect(await readdir(join(data, 'csar'))).toEqual(['app.yml']);
    // Variation: the data part reached through a symbolic link to it.
    const { symlink } = await import('node:fs/promises');
    await symlink(join(data, 'csar'), join(root, 'csar-link'));
    const viaLink = await rejectionOf<A4cAdminError>(backupFileTree({ sourceRoot: data, parts: ['csar'], destinationRoot: join(root, 'csar-link', 'b') }));
    expect(viaLink).toMatchObject({ code: 'UNSAFE_PATH' });
  });
});

async function mkdirData(path: string): Promise<string> {
  await mkdir(join(data, path), { recursive: true });
  return join(data, path);
}
