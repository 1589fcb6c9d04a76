// Which backup an incremental backup links from, on real folders: the newest complete backup
// of the same data folder; never a partial folder, a damaged backup, an edited manifest or
// a backup of another data folder.
import { mkdir, mkdtemp, readFile, rm, truncate, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { manifestTool, writeManifest } from '../manifest.js';
import { findPreviousBackup } from './previous-backup.js';

let filesDir: string;
const DATA = '/opt/alien4cloud/data';

beforeEach(async () => {
  filesDir = await mkdtemp(join(tmpdir(), 'a4c-previous-'));
});
afterEach(async () => {
  await rm(filesDir, { recursive: true, force: true });
});

/** A backup folder holding one 5-byte data file, its manifest dated `secondsAgo` seconds ago. */
async function backupFolder(folderName: string, secondsAgo: number, dataFolder = DATA): Promise<string> {
  const folder = join(filesDir, folderName);
  await mkdir(join(folder, 'files', 'csar'), { recursive: true });
  await writeFile(join(folder, 'files', 'csar', 'a.yml'), 'hello');
  await writeManifest(folder, {
    formatVersion: 1,
    tool: manifestTool(),
    name: folderName,
    elasticsearch: { version: '8.19.0', clusterName: 'c', clusterUuid: 'u' },
    snapshot: { repository: 'r', name: folderName, uuid: 'x', state: 'SUCCESS' },
    indices: [],
    files: [{ path: 'csar/a.yml', size: 5, mode: 0o644, mtimeMs: 1, sha256: 'a'.repeat(64) }],
    configFiles: [],
    options: { dataFolder },
    startedAt: new Date().toISOString(),
    endedAt: new Date().toISOString(),
  });
  const when = new Date(Date.now() - secondsAgo * 1000);
  await utimes(join(folder, 'manifest.json'), when, when);
  return folder;
}

it('takes the newest complete backup of the same data folder and passes over the others', async () => {
  await backupFolder('old', 400);
  const good = await backupFolder('good', 300);
  expect((await findPreviousBackup(filesDir, DATA))?.name).toBe('good');
  expect((await findPreviousBackup(filesDir, DATA))?.tree.root).toBe(join(good, 'files'));

  // Newer, but damaged (a file shorter than its manifest says): passed over.
  const damaged = await backupFolder('damaged', 200);
  await truncate(join(damaged, 'files', 'csar', 'a.yml'), 2);
  // Newer, but its manifest was edited (its own hash no longer matches).
  const edited = await backupFolder('edited', 150);
  const manifestText = await readFile(join(edited, 'manifest.json'), 'utf8');
  await writeFile(join(edited, 'manifest.json'), manifestText.replace('"mtimeMs": 1', '"mtimeMs": 2'));
  // Newer, but of another data folder; and an unfinished one, never a candidate.
  await backupFolder('other-installation', 100, '/srv/other/data');
  await backupFolder('.partial-running', 50);
  expect((await findPreviousBackup(filesDir, DATA))?.name).toBe('good');
});

it('finds none in an empty or missing backup folder', async () => {
  expect(await findPreviousBackup(filesDir, DATA)).toBeUndefined();
  expect(await findPreviousBackup(join(filesDir, 'absent'), DATA)).toBeUndefined();
});
