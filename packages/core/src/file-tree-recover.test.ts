// White-box cases of recoverFileTree that a random kill rarely produces: a journal whose
// staged copy has vanished (cannot go forward: must go back), and leftovers without journal.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { A4cAdminError } from '@a4c-admin/core';
import { backupFileTree, RESTORE_JOURNAL_FILE, recoverFileTree, restoreFileTree } from '@a4c-admin/core/internal';
import { afterEach, beforeEach, expect, it } from 'vitest';

let target: string;
beforeEach(async () => {
  target = await mkdtemp(join(tmpdir(), 'a4c-recover-'));
});
afterEach(async () => {
  await rm(target, { recursive: true, force: true });
});

it('rolls back a swap whose staged copy is gone: the old parts come back, the new half is removed', async () => {
  const id = 'test-1';
  // State after "csar" was swapped (old one aside in previous) and before "plugins" was, with
  // the staged plugins deleted by someone: going forward is impossible.
  await mkdir(join(target, `.a4c-admin-previous-${id}/csar`), { recursive: true });
  await writeFile(join(target, `.a4c-admin-previous-${id}/csar/old.yml`), 'old csar');
  await mkdir(join(target, 'csar'));
  await writeFile(join(target, 'csar/new.yml'), 'new csar');
  await mkdir(join(target, `.a4c-admin-staging-${id}`));
  const journal = {
    version: 1,
    id,
    state: 'swapping',
    parts: [
      { part: 'csar', existed: true },
      { part: 'plugins', existed: false },
    ],
  };
  await writeFile(join(target, RESTORE_JOURNAL_FILE), JSON.stringify(journal));

  expect(await recoverFileTree(target)).toEqual({ action: 'rolled-back', restoreId: id });
  expect(await readdir(target)).toEqual(['csar']);
  expect(await readdir(join(target, 'csar'))).toEqual(['old.yml']);
});

it('removes staging leftovers without a journal and refuses an unreadable journal', async () => {
  await mkdir(join(target, '.a4c-admin-staging-x/csar'), { recursive: true });
  await writeFile(join(target, `.${RESTORE_JOURNAL_FILE}.123.abcd.tmp`), '{"half":');
  await mkdir(join(target, 'csar'));
  expect(await recoverFileTree(target)).toEqual({ action: 'none' });
  expect(await readdir(target)).toEqual(['csar']);

  await writeFile(join(target, RESTORE_JOURNAL_FILE), '{"version":1,"id":"../x","state":"swapping","parts":[]}');
  const error = await recoverFileTree(target).catch((caught: A4cAdminError) => caught);
  expect((error as A4cAdminError).code).toBe('FILESYSTEM');
  expect((error as A4cAdminError).message).toContain('not a restore journal');
});

it('a cancelled restore leaves the target as it was', async () => {
  const source = join(target, 'source');
  await mkdir(join(source, 'csar'), { recursive: true });
  await writeFile(join(source, 'csar/a.yml'), 'backed up');
  const backup = join(target, 'backup');
  const { files } = await backupFileTree({ sourceRoot: source, parts: ['csar'], destinationRoot: backup });
  const data = join(target, 'data');
  await mkdir(join(data, 'csar'), { recursive: true });
  await writeFile(join(data, 'csar/a.yml'), 'current');
  const controller = new AbortController();
  controller.abort();
  const error = await restoreFileTree({ backupRoot: backup, files, targetRoot: data, parts: ['csar'], signal: controller.signal }).catch(
    (caught: A4cAdminError) => caught,
  );
  expect((error as A4cAdminError).code).toBe('CANCELLED');
  expect(await readdir(data)).toEqual(['csar']);
  expect(await readFile(join(data, 'csar/a.yml'), 'utf8')).toBe('current');
});
