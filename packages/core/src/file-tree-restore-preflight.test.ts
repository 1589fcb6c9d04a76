// The file-tree restore preflight on real temp folders: what it refuses, and that it changes nothing.
import { chmod, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { A4cAdminError } from '@a4c-admin/core';
import { backupFileTree, type FileEntry, preflightFileTreeRestore, RESTORE_JOURNAL_FILE } from '@a4c-admin/core/internal';
import { rejectionOf } from '@a4c-admin/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

let root: string;
let data: string;
let backup: string;
let files: FileEntry[];
const PARTS = ['csar', 'work/plugins'];
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'a4c-preflight-'));
  data = join(root, 'data');
  backup = join(root, 'backup');
  await mkdir(join(data, 'csar', 'app'), { recursive: true });
  await mkdir(join(data, 'work', 'plugins', 'p1'), { recursive: true });
  await writeFile(join(data, 'csar', 'app', 'app.yml'), 'app');
  await writeFile(join(data, 'work', 'plugins', 'p1', 'ui.js'), 'ui');
  files = (await backupFileTree({ sourceRoot: data, parts: PARTS, destinationRoot: backup })).files;
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const refusal = (targetRoot = data) => rejectionOf<A4cAdminError>(preflightFileTreeRestore({ backupRoot: backup, files, targetRoot, parts: PARTS }));

describe('preflightFileTreeRestore', () => {
  it('passes on a sound data folder (and on a missing one whose parent is writable), measuring the staged copy', async () => {
    expect(await preflightFileTreeRestore({ backupRoot: backup, files, targetRoot: data, parts: PARTS })).toMatchObject({ files: 2, bytes: 5 });
    expect(await preflightFileTreeRestore({ backupRoot: backup, files, targetRoot: join(root, 'new', 'data'), parts: PARTS })).toMatchObject({ files: 2 });
    expect(await readdir(root)).toEqual(['backup', 'data']);
  });

  it('refuses a part that is a symbolic link, and a folder on the way to a part that is one', async () => {
    await rm(join(data, 'csar'), { recursive: true });
    await mkdir(join(root, 'elsewhere'));
    await symlink(join(root, 'elsewhere'), join(data, 'csar'));
    expect(await refusal()).toMatchObject({ code: 'UNSAFE_PATH', message: expect.stringMatching(/csar is a symbolic link/) });
    await rm(join(data, 'csar'));
    await mkdir(join(data, 'csar'));
    await rm(join(data, 'work'), { recursive: true });
    await symlink(join(root, 'elsewhere'), join(data, 'work'));
    expect(await refusal()).toMatchObject({ code: 'UNSAFE_PATH', message: expect.stringMatching(/work is a symbolic link.*go through/) });
  });

  it('refuses a part that is a file, and a backup file that is missing or of another size', async () => {
    await rm(join(data, 'csar'), { recursive: true });
    await writeFile(join(data, 'csar'), 'x');
    expect(await refusal()).toMatchObject({ code: 'UNSAFE_PATH', message: expect.stringMatching(/csar is a file/) });
    await rm(join(data, 'csar'));
    await writeFile(join(backup, 'csar', 'app', 'app.yml'), 'longer now');
    expect(await refusal()).toMatchObject({ code: 'CHECKSUM_MISMATCH', message: expect.stringMatching(/app\.yml is 10 bytes, not 3/) });
    await rm(join(backup, 'csar', 'app', 'app.yml'));
    expect(await refusal()).toMatchObject({ code: 'CHECKSUM_MISMATCH', message: expect.stringMatching(/app\.yml is missing/) });
  });

  it('refuses a journal it cannot read (left by an interrupted restore, then damaged)', async () => {
    await writeFile(join(data, RESTORE_JOURNAL_FILE), '{ not json');
    expect(await refusal()).toMatchObject({ code: 'PRECONDITION_FAILED', message: expect.stringMatching(/journal of an interrupted restore/) });
  });

  it.skipIf(process.getuid?.() === 0)('refuses a parent folder it cannot write (as a non-root user)', async () => {
    await chmod(join(data, 'work'), 0o555);
    try {
      expect(await refusal()).toMatchObject({ code: 'PRECONDITION_FAILED', message: expect.stringMatching(/Cannot write in .*work/) });
    } finally {
      await chmod(join(data, 'work'), 0o755);
    }
  });
});
