import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, open, readdir, readFile, rm, stat, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { A4cAdminError, ProgressEvent } from '@a4c-admin/core';
import { backupFileTree, createProgressReporter, type FileEntry, restoreFileTree, verifyFileTree } from '@a4c-admin/core/internal';
import { rejectionOf } from '@a4c-admin/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

let root: string;
let data: string;
let backup: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'a4c-tree-'));
  data = join(root, 'data');
  backup = join(root, 'backup', 'files');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function put(base: string, path: string, content: string | Buffer, mode = 0o644): Promise<void> {
  await mkdir(dirname(join(base, path)), { recursive: true });
  await writeFile(join(base, path), content);
  await chmod(join(base, path), mode);
}

/** Every file under a folder (posix path -> mode and sha256), to compare trees. */
async function snapshotTree(base: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const name of (await readdir(base, { recursive: true })).sort()) {
    const info = await stat(join(base, name));
    if (info.isDirectory()) result[`${name}/`] = 'dir';
    else
      result[name] = `${(info.mode & 0o7777).toString(8)} ${createHash('sha256')
        .update(await readFile(join(base, name)))
        .digest('hex')}`;
  }
  return result;
}

const failure = (promise: Promise<unknown>) => rejectionOf<A4cAdminError>(promise);

async function sampleTree(): Promise<void> {
  await put(data, 'csar/app/1.0.0/app.yml', 'tosca_definitions_version: alien_dsl_1_3_0\n');
  await put(data, 'csar/app/1.0.0/empty.txt', '');
  await put(data, 'csar/été/日本語 ✓.yml', 'unicode: yes\n');
  await put(data, 'artifacts/deep/a/b/c/d/e/f/blob.bin', Buffer.alloc(300_000, 7), 0o600);
  await put(data, 'plugins/p1/run.sh', '#!/bin/sh\necho hi\n', 0o755);
  await put(data, 'work/plugins/content/p1/ui.js', 'console.log(1)\n');
  await put(data, 'work/other/not-backed-up.txt', 'x');
  await put(data, 'upload/tmp.bin', 'x');
  await mkdir(join(data, 'csar/empty-folder'), { recursive: true });
}
const PARTS = ['csar', 'artifacts', 'images', 'plugins', 'work/plugins'];

describe('backupFileTree', () => {
  it('copies the parts with their layout, hashes each file, records source modes, skips missing parts with a warning', async () => {
    await sampleTree();
    const events: ProgressEvent[] = [];
    const result = await backupFileTree({
      sourceRoot: data,
      parts: PARTS,
      destinationRoot: backup,
      progress: createProgressReporter('backup', (event) => events.push(event)),
    });
    expect(result.skippedParts).toEqual(['images']);
    expect(events.some((event) => event.kind === 'warning' && event.item === 'images')).toBe(true);
    expect(result.files.map((entry) => entry.path)).toEqual([
      'artifacts/deep/a/b/c/d/e/f/blob.bin',
      'csar/app/1.0.0/app.yml',
      'csar/app/1.0.0/empty.txt',
      'csar/été/日本語 ✓.yml',
      'plugins/p1/run.sh',
      'work/plugins/content/p1/ui.js',
    ]);
    const byPath = new Map(result.files.map((entry) => [entry.path, entry]));
    expect(byPath.get('csar/app/1.0.0/empty.txt')).toEqual({
      path: 'csar/app/1.0.0/empty.txt',
      size: 0,
      mode: 0o644,
      // The source's modification time: the next backup links the copy while it stays the same.
      mtimeMs: (await stat(join(data, 'csar/app/1.0.0/empty.txt'))).mtimeMs,
      sha256: createHash('sha256').digest('hex'),
    });
    expect(byPath.get('plugins/p1/run.sh')?.mode).toBe(0o755);
    expect(byPath.get('artifacts/deep/a/b/c/d/e/f/blob.bin')?.sha256).toBe(createHash('sha256').update(Buffer.alloc(300_000, 7)).digest('hex'));
    expect(result.bytes).toBe(result.files.reduce((sum, entry) => sum + entry.size, 0));
    // Backup copies are private and read-only (a hard link shares them with later backups): folders 0700, files 0400.
    expect((await stat(join(backup, 'plugins/p1/run.sh'))).mode & 0o777).toBe(0o400);
    expect((await stat(join(backup, 'csar/app'))).mode & 0o777).toBe(0o700);
    expect(await readFile(join(backup, 'csar/été/日本語 ✓.yml'), 'utf8')).toBe('unicode: yes\n');
    await expect(stat(join(backup, 'upload'))).rejects.toThrow();
    await expect(stat(join(backup, 'work/other'))).rejects.toThrow();
    expect((await verifyFileTree({ root: backup, files: result.files })).ok).toBe(true);
  });

  it('refuses upload/ and elasticsearch/ as parts', async () => {
    await sampleTree();
    for (const part of ['upload', 'elasticsearch/nodes']) {
      const error = await failure(backupFileTree({ sourceRoot: data, parts: [part], destinationRoot: backup }));
      expect(error.code).toBe('USAGE');
      expect(error.message).toContain(part);
    }
    expect((await failure(backupFileTree({ sourceRoot: data, parts: ['../etc'], destinationRoot: backup }))).code).toBe('UNSAFE_PATH');
  });

  it('refuses a symlink pointing outside the tree, naming it, without following it', async () => {
    await sampleTree();
    await writeFile(join(root, 'secret.txt'), 'outside');
    await symlink(join(root, 'secret.txt'), join(data, 'csar/app/link.yml'));
    const error = await failure(backupFileTree({ sourceRoot: data, parts: ['csar'], destinationRoot: backup }));
    expect(error.code).toBe('UNSAFE_PATH');
    expect(error.message).toContain(join(data, 'csar/app/link.yml'));
    expect(error.message).toContain('symbolic link');
    expect(error.hint).toBeTruthy();
    // A symlinked folder is refused too.
    await rm(join(data, 'csar/app/link.yml'));
    await symlink(root, join(data, 'csar/escape'));
    expect((await failure(backupFileTree({ sourceRoot: data, parts: ['csar'], destinationRoot: join(root, 'backup2') }))).code).toBe('UNSAFE_PATH');
  });

  it('refuses a fifo inside the tree', async () => {
    await sampleTree();
    execFileSync('mkfifo', [join(data, 'plugins/pipe')]);
    const error = await failure(backupFileTree({ sourceRoot: data, parts: ['plugins'], destinationRoot: backup }));
    expect(error.code).toBe('UNSAFE_PATH');
    expect(error.message).toMatch(/plugins\/pipe is a named pipe/);
  });

  it('refuses a destination that already holds files', async () => {
    await sampleTree();
    await put(backup, 'other', 'x');
    expect((await failure(backupFileTree({ sourceRoot: data, parts: ['csar'], destinationRoot: backup }))).code).toBe('BACKUP_EXISTS');
  });
});

describe('verifyFileTree', () => {
  it('detects a flipped byte, a missing file and an extra file', async () => {
    await sampleTree();
    const { files } = await backupFileTree({ sourceRoot: data, parts: PARTS, destinationRoot: backup });
    const blob = join(backup, 'artifacts/deep/a/b/c/d/e/f/blob.bin');
    const handle = await open(blob, 'r+');
    await handle.write(Buffer.from([8]), 0, 1, 123_456);
    await handle.close();
    await rm(join(backup, 'csar/app/1.0.0/app.yml'));
    await put(backup, 'plugins/p1/intruder.sh', 'rm -rf /');
    const result = await verifyFileTree({ root: backup, files });
    expect(result).toEqual({
      ok: false,
      missing: ['csar/app/1.0.0/app.yml'],
      extra: ['plugins/p1/intruder.sh'],
      changed: ['artifacts/deep/a/b/c/d/e/f/blob.bin'],
    });
  });

  it('reports a file replaced by a symlink as missing and the link as extra, without following it', async () => {
    await sampleTree();
    const { files } = await backupFileTree({ sourceRoot: data, parts: ['plugins'], destinationRoot: backup });
    await rm(join(backup, 'plugins/p1/run.sh'));
    await symlink('/etc/passwd', join(backup, 'plugins/p1/run.sh'));
    const result = await verifyFileTree({ root: backup, files });
    expect(result.missing).toEqual(['plugins/p1/run.sh']);
    expect(result.extra).toEqual(['plugins/p1/run.sh']);
  });
});

describe('restoreFileTree', () => {
  it('replaces the restored parts with the backup, restores modes, leaves other folders alone and no leftovers', async () => {
    await sampleTree();
    const { files } = await backupFileTree({ sourceRoot: data, parts: PARTS, destinationRoot: backup });
    const before = await snapshotTree(data);
    // The data folder drifts after the backup.
    await put(data, 'csar/new-app/2.0/app.yml', 'new');
    await writeFile(join(data, 'csar/app/1.0.0/app.yml'), 'edited');
    await rm(join(data, 'plugins'), { recursive: true });
    await put(data, 'work/other/not-backed-up.txt', 'changed after backup');

    const result = await restoreFileTree({ backupRoot: backup, files, targetRoot: data, parts: ['csar', 'artifacts', 'plugins', 'work/plugins'] });
    expect(result.files).toBe(files.length);
    expect(result.recovery.action).toBe('none');
    const after = await snapshotTree(data);
    // Restored parts equal the backup (the empty folder was not backed up: it has no file).
    const restoredParts = (tree: Record<string, string>) =>
      Object.fromEntries(Object.entries(tree).filter(([path]) => /^(csar|artifacts|plugins|work\/plugins)\//.test(path) && path !== 'csar/empty-folder/'));
    expect(restoredParts(after)).toEqual(restoredParts(before));
    expect(after['work/other/not-backed-up.txt']).toContain(createHash('sha256').update('changed after backup').digest('hex'));
    expect(after['plugins/p1/run.sh']?.startsWith('755 ')).toBe(true);
    expect((await readdir(data)).filter((name) => name.startsWith('.a4c-admin'))).toEqual([]);
  });

  it('refuses entries that would escape the target, before touching anything', async () => {
    await sampleTree();
    const { files } = await backupFileTree({ sourceRoot: data, parts: ['csar'], destinationRoot: backup });
    const before = await snapshotTree(data);
    const evil: FileEntry[] = [
      { path: 'csar/../../escaped', size: 1, mode: 0o644, sha256: 'a'.repeat(64) },
      { path: '/etc/passwd', size: 1, mode: 0o644, sha256: 'a'.repeat(64) },
      { path: 'csar/./x', size: 1, mode: 0o644, sha256: 'a'.repeat(64) },
    ];
    for (const entry of evil) {
      const attempt = [...files, { ...entry, path: entry.path.startsWith('csar') ? entry.path : `csar/${entry.path}` }];
      const error = await failure(restoreFileTree({ backupRoot: backup, files: attempt, targetRoot: data, parts: ['csar'] }));
      expect(error.code).toBe('UNSAFE_PATH');
      expect(error.message).toContain('Refusing the path');
    }
    expect(await snapshotTree(data)).toEqual(before);
  });

  it('refuses to restore through a symlinked parent folder', async () => {
    await sampleTree();
    const { files } = await backupFileTree({ sourceRoot: data, parts: ['work/plugins'], destinationRoot: backup });
    await rm(join(data, 'work'), { recursive: true });
    await mkdir(join(root, 'elsewhere'));
    await symlink(join(root, 'elsewhere'), join(data, 'work'));
    const error = await failure(restoreFileTree({ backupRoot: backup, files, targetRoot: data, parts: ['work/plugins'] }));
    expect(error.code).toBe('UNSAFE_PATH');
    expect(await readdir(join(root, 'elsewhere'))).toEqual([]);
  });

  it('a damaged backup copy fails with CHECKSUM_MISMATCH and leaves the target as it was', async () => {
    await sampleTree();
    const { files } = await backupFileTree({ sourceRoot: data, parts: PARTS, destinationRoot: backup });
    await writeFile(join(backup, 'csar/app/1.0.0/app.yml'), 'tampered');
    await writeFile(join(data, 'csar/app/1.0.0/app.yml'), 'current');
    const before = await snapshotTree(data);
    const error = await failure(restoreFileTree({ backupRoot: backup, files, targetRoot: data, parts: ['csar', 'plugins'] }));
    expect(error.code).toBe('CHECKSUM_MISMATCH');
    expect(error.hint).toMatch(/verify/);
    expect(await snapshotTree(data)).toEqual(before);
  });
});

/** The bytes of the 10k files below: "folder F file I\n" for F, I in 0..99. */
function result10kBytes(): number {
  let bytes = 0;
  for (let folder = 0; folder < 100; folder += 1) for (let index = 0; index < 100; index += 1) bytes += `folder ${folder} file ${index}\n`.length;
  return bytes;
}

describe('many files', () => {
  it('backs up, verifies and restores 10k small files', async () => {
    for (let folder = 0; folder < 100; folder += 1) {
      await mkdir(join(data, 'csar', `f${folder}`), { recursive: true });
      await Promise.all(
        Array.from({ length: 100 }, (_, index) => writeFile(join(data, 'csar', `f${folder}`, `file-${index}.yml`), `folder ${folder} file ${index}\n`)),
      );
    }
    const events: ProgressEvent[] = [];
    const expected = { files: 10_000, bytes: result10kBytes() };
    const started = Date.now();
    const result = await backupFileTree({
      sourceRoot: data,
      parts: ['csar'],
      destinationRoot: backup,
      expected,
      progress: createProgressReporter('backup', (event) => events.push(event)),
    });
    const backedUp = Date.now();
    expect(result.files).toHaveLength(10_000);
    expect(result.bytes).toBe(expected.bytes);
    // Every event knows the totals a preflight measured: a bar can show how far the copy is.
    expect(events.filter((event) => event.kind !== 'warning').map((event) => [event.kind, event.total, event.totalBytes])).toEqual(
      events.filter((event) => event.kind !== 'warning').map((event) => [event.kind, 10_000, expected.bytes]),
    );
    expect(events[0]?.kind).toBe('start');
    expect((await verifyFileTree({ root: backup, files: result.files })).ok).toBe(true);
    const verified = Date.now();
    await rm(join(data, 'csar/f7'), { recursive: true });
    await restoreFileTree({ backupRoot: backup, files: result.files, targetRoot: data, parts: ['csar'] });
    const restored = Date.now();
    expect((await verifyFileTree({ root: data, files: result.files, parts: ['csar'] })).ok).toBe(true);
    console.info(`10k files: backup ${backedUp - started} ms, verify ${verified - backedUp} ms, restore ${restored - verified} ms`);
  });
});

describe('large file', () => {
  // A file thousands of times the copy buffer: 256 MiB by default, 1 GiB in the full tier
  // (A4C_TRIALS=full), whose copy costs ~10 s more on a busy machine for the same class.
  const LARGE_BYTES = process.env.A4C_TRIALS === 'full' ? 1024 ** 3 : 256 * 1024 ** 2;
  const LARGE_LABEL = LARGE_BYTES === 1024 ** 3 ? '1 GiB' : '256 MiB';

  async function sparseGiB(bytes = 1024 ** 3): Promise<string> {
    await mkdir(join(data, 'artifacts'), { recursive: true });
    const big = join(data, 'artifacts/big.bin');
    await writeFile(big, 'head');
    await truncate(big, bytes); // sparse: costs no disk at the source
    return big;
  }

  // The copy is real bytes on disk (a sparse source gives a dense copy).
  it(`backs up and verifies a ${LARGE_LABEL} file, hash equal to sha256sum`, async () => {
    const big = await sparseGiB(LARGE_BYTES);
    const started = Date.now();
    const result = await backupFileTree({ sourceRoot: data, parts: ['artifacts'], destinationRoot: backup });
    const backedUp = Date.now();
    expect(result.bytes).toBe(LARGE_BYTES);
    expect(result.files[0]?.sha256).toBe(await sha256OfFile(big));
    expect((await verifyFileTree({ root: backup, files: result.files })).ok).toBe(true);
    console.info(`${LARGE_LABEL}: backup ${backedUp - started} ms, verify ${Date.now() - backedUp} ms`);
  }, 300_000);

  // Another ~10 s (copy + fsync + re-verify of the staged copy): only with A4C_TEST_LARGE=1.
  it.skipIf(process.env.A4C_TEST_LARGE !== '1')(
    'restores a 1 GiB file (A4C_TEST_LARGE=1)',
    async () => {
      const big = await sparseGiB();
      const result = await backupFileTree({ sourceRoot: data, parts: ['artifacts'], destinationRoot: backup });
      await writeFile(big, 'replaced');
      const started = Date.now();
      await restoreFileTree({ backupRoot: backup, files: result.files, targetRoot: data, parts: ['artifacts'] });
      console.info(`1 GiB: restore (copy + fsync + verify + swap) ${Date.now() - started} ms`);
      expect(await sha256OfFile(big)).toBe(result.files[0]?.sha256);
    },
    300_000,
  );
});

async function sha256OfFile(path: string): Promise<string> {
  return execFileSync('sha256sum', [path], { encoding: 'utf8' }).split(' ')[0] as string;
}
