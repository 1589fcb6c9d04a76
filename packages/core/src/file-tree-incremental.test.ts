// Incremental data-folder backups on real folders: an unchanged file (path, size, mtime) is a
// hard link to the previous backup's copy, anything else is copied; a failing link is a copy;
// without `previous` every file is copied; each backup verifies and restores on its own.
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, symlink, unlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { backupFileTree, type FileEntry, restoreFileTree, verifyFileTree } from '@a4c-admin/core/internal';
import { afterEach, beforeEach, expect, it } from 'vitest';

const PARTS = ['csar', 'plugins'];
let root: string;
let data: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'a4c-incremental-'));
  data = join(root, 'data');
  await put('csar/app/app.yml', 'tosca_definitions_version: alien_dsl_1_3_0\n');
  await put('csar/app/big.bin', Buffer.alloc(600_000, 3));
  await put('csar/same-size.txt', 'aaaa');
  await put('csar/touched.txt', 'same bytes');
  await put('plugins/p1/run.sh', '#!/bin/sh\n', 0o755);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function put(path: string, content: string | Buffer, mode = 0o644): Promise<void> {
  await mkdir(dirname(join(data, path)), { recursive: true });
  await writeFile(join(data, path), content);
  await chmod(join(data, path), mode);
}

const inode = async (path: string) => (await stat(path)).ino;
const sha256 = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

async function backupInto(name: string, previous?: { root: string; files: FileEntry[] }) {
  const destinationRoot = join(root, name, 'files');
  const result = await backupFileTree({ sourceRoot: data, parts: PARTS, destinationRoot, previous });
  return { ...result, root: destinationRoot };
}

it('links unchanged files from the previous backup and copies those whose size, mtime or content changed', async () => {
  const first = await backupInto('first');
  expect(first.linked).toEqual({ files: 0, bytes: 0 });
  expect(first.files.every((file) => typeof file.mtimeMs === 'number')).toBe(true);

  // Same size, other content, new mtime; same content, other mtime; a new file; a bigger one.
  await writeFile(join(data, 'csar/same-size.txt'), 'bbbb');
  const later = new Date(Date.now() + 5_000);
  await utimes(join(data, 'csar/same-size.txt'), later, later);
  await utimes(join(data, 'csar/touched.txt'), later, later);
  await put('csar/new.txt', 'new');
  await writeFile(join(data, 'plugins/p1/run.sh'), '#!/bin/sh\necho longer\n');

  const second = await backupInto('second', { root: first.root, files: first.files });
  const same = async (path: string) => (await inode(join(first.root, path))) === (await inode(join(second.root, path)));
  expect(await same('csar/app/app.yml')).toBe(true);
  expect(await same('csar/app/big.bin')).toBe(true);
  expect(await same('csar/same-size.txt')).toBe(false);
  expect(await same('csar/touched.txt')).toBe(false);
  expect(await same('plugins/p1/run.sh')).toBe(false);
  expect(second.linked).toEqual({ files: 2, bytes: 600_000 + Buffer.byteLength('tosca_definitions_version: alien_dsl_1_3_0\n') });

  // Every file is listed with the SHA-256 of what the copy holds, linked or not, with the source's mode.
  for (const file of second.files) expect(file.sha256, file.path).toBe(await sha256(join(second.root, file.path)));
  expect(second.files.find((file) => file.path === 'plugins/p1/run.sh')?.mode).toBe(0o755);
  // Backup files are read-only: a link shares them, so nobody may edit one backup through another.
  expect((await stat(join(second.root, 'csar/app/big.bin'))).mode & 0o777).toBe(0o400);
  expect((await stat(join(second.root, 'csar/new.txt'))).mode & 0o777).toBe(0o400);
});

it('deleting the first backup leaves the second whole: it verifies and restores every file', async () => {
  const first = await backupInto('first');
  const second = await backupInto('second', { root: first.root, files: first.files });
  expect(second.linked.files).toBe(second.files.length);
  await rm(join(root, 'first'), { recursive: true, force: true });

  const verified = await verifyFileTree({ root: second.root, files: second.files, parts: PARTS });
  expect(verified).toMatchObject({ ok: true, missing: [], extra: [], changed: [] });
  const target = join(root, 'restored');
  await mkdir(target);
  await restoreFileTree({ backupRoot: second.root, files: second.files, targetRoot: target, parts: PARTS });
  for (const file of second.files) expect(await sha256(join(target, file.path)), file.path).toBe(file.sha256);
});

it('copies when the link fails (another file system) or the previous copy is not what its manifest says', async () => {
  const first = await backupInto('first');
  // /dev/shm is another file system (tmpfs) here: link() fails with EXDEV.
  const elsewhere = await mkdtemp(join('/dev/shm', 'a4c-incremental-'));
  try {
    const other = await backupFileTree({
      sourceRoot: data,
      parts: PARTS,
      destinationRoot: join(elsewhere, 'files'),
      previous: { root: first.root, files: first.files },
    });
    expect(other.linked.files).toBe(0);
    expect(other.files.map((file) => file.sha256)).toEqual(first.files.map((file) => file.sha256));
  } finally {
    await rm(elsewhere, { recursive: true, force: true });
  }
  // The previous copy replaced by a symbolic link, another removed: both copied, nothing linked to them.
  await unlink(join(first.root, 'csar/app/app.yml'));
  await symlink('/etc/hostname', join(first.root, 'csar/app/app.yml'));
  await unlink(join(first.root, 'csar/touched.txt'));
  const second = await backupInto('second', { root: first.root, files: first.files });
  expect(second.linked.files).toBe(first.files.length - 2);
  expect((await stat(join(second.root, 'csar/app/app.yml'))).isFile()).toBe(true);
  for (const file of second.files) expect(file.sha256, file.path).toBe(await sha256(join(second.root, file.path)));
});

it('links nothing without a previous backup (the full-files backup), nor from entries recorded without an mtime', async () => {
  const first = await backupInto('first');
  const full = await backupInto('full');
  expect(full.linked.files).toBe(0);
  const older = first.files.map(({ mtimeMs: _dropped, ...rest }) => rest);
  const fromOlder = await backupInto('from-older', { root: first.root, files: older });
  expect(fromOlder.linked.files).toBe(0);
  for (const file of fromOlder.files) expect(await inode(join(fromOlder.root, file.path))).not.toBe(await inode(join(first.root, file.path)));
});
