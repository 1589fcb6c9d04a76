// Incremental data-folder backups through the API on a real node: the second backup of an
// unchanged installation hard-links its files from the first; deleting the first leaves the
// second whole (it verifies and restores every file, equal by SHA-256); `fullFiles` links none.
import { createHash } from 'node:crypto';
import { appendFile, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { testElasticsearch } from '@a4c-admin/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup, remove, restore, verify } from './api.js';
import { createInstallation, FEW_SAMPLE_INDICES, type TestInstallation } from './installation.test-support.js';

const sha256 = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

describe.skipIf(!testElasticsearch().url)('incremental data-folder backups', () => {
  let installation: TestInstallation;

  beforeAll(async () => {
    const es = testElasticsearch();
    installation = await createInstallation({ urls: [es.url], repoPath: es.repoPath || '/var/tmp/a4c-admin-es/nodes/test/repo', indices: FEW_SAMPLE_INDICES });
  });
  afterAll(async () => {
    await installation?.cleanup();
  });

  it('links unchanged files from the previous backup; with the first deleted, the second verifies and restores every file', async () => {
    const { config, dataDir, backupDir } = installation;
    const first = await backup(config, { version: '1.1.0', name: 'first' });
    expect(first.linked).toEqual({ files: 0, bytes: 0 });
    const changed = first.manifest.files.find((file) => file.path.startsWith('artifacts/'))!.path;
    await appendFile(join(dataDir, changed), 'changed since the first backup');

    const second = await backup(config, { version: '1.1.0', name: 'second' });
    expect(second.linked).toMatchObject({ from: 'first', files: second.files - 1 });
    expect(second.manifest.options).toMatchObject({ filesLinkedFrom: 'first', linkedFiles: second.files - 1 });
    const unchanged = second.manifest.files.find((file) => file.path !== changed)!.path;
    const inode = async (backupName: string, path: string) => (await stat(join(backupDir, backupName, 'files', path))).ino;
    expect(await inode('second', unchanged)).toBe(await inode('first', unchanged));
    expect(await inode('second', changed)).not.toBe(await inode('first', changed));

    // --full-files: every file copied again, none linked.
    const full = await backup(config, { version: '1.1.0', name: 'full', fullFiles: true });
    expect(full.linked).toEqual({ files: 0, bytes: 0 });
    expect(full.manifest.options).toMatchObject({ fullFiles: true });
    await remove(config, { name: 'full' });

    await remove(config, { name: 'first' });
    expect((await verify(config, { name: 'second' })).ok).toBe(true);
    await rm(join(dataDir, 'artifacts'), { recursive: true, force: true });
    await restore(config, { name: 'second', version: '1.1.0' });
    for (const file of second.manifest.files) expect(await sha256(join(dataDir, file.path)), file.path).toBe(file.sha256);
  });
});
