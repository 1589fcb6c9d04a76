// What a backup holds (every A4C document, users included, and config files with passwords)
// is for the operator only: folders 0700, files 0600, in both formats. A config file holding
// a password that other users can read gets a warning on stderr (never the password itself).
import { chmod, lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { testElasticsearch } from '@a4c-admin/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBinaryBuilt, describeRun, runToolPatiently } from './run-tool.js';
import { createTestInstallation, type TestInstallation } from './test-installation.js';

/** Path -> mode (octal) of the folder and everything under it. */
async function modes(folder: string): Promise<Record<string, string>> {
  const result: Record<string, string> = { '.': ((await lstat(folder)).mode & 0o777).toString(8) };
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    result[path.slice(folder.length + 1)] = `${entry.isDirectory() ? 'dir' : 'file'} ${((await lstat(path)).mode & 0o777).toString(8)}`;
  }
  return result;
}

describe('permissions of backups and config files', () => {
  let installation: TestInstallation;

  beforeAll(async () => {
    assertBinaryBuilt();
    const es = testElasticsearch();
    installation = await createTestInstallation({
      urls: [es.url],
      repoPath: es.repoPath || '/var/tmp/a4c-admin-es/nodes/test/repo',
      indices: ['application', 'user', 'plugin'],
      label: 'rel-perm',
    });
  });

  afterAll(async () => {
    await installation?.cleanup();
  });

  for (const format of ['snapshot', 'export'] as const) {
    it(`a ${format} backup: folders 0700, files 0600 (data-folder copies 0400), whatever the sources' modes`, async () => {
      // Sources readable by everyone, as A4C leaves them: the copies must not inherit that.
      await chmod(installation.configFiles[0]!, 0o644);
      const run = await runToolPatiently(['--json', '-c', installation.configFile, 'backup', '1.1.0', '-n', `perm-${format}`, '--format', format]);
      expect(run.status, describeRun(run)).toBe(0);
      const found = await modes(join(installation.backupDir, `perm-${format}`));
      expect(Object.keys(found).length).toBeGreaterThan(10);
      // The data-folder copies are read-only: a later backup hard-links the unchanged ones.
      const expected = (path: string, mode: string) => mode === 'dir 700' || mode === 'file 600' || (path.startsWith('files/') && mode === 'file 400');
      const wrong = Object.entries(found).filter(([path, mode]) => (path === '.' ? mode !== '700' : !expected(path, mode)));
      expect(wrong).toEqual([]);
      expect(((await lstat(installation.backupDir)).mode & 0o777).toString(8)).toBe('700');
    });
  }

  it('warns on stderr when a config file holding a password is readable by others, without showing it', async () => {
    const password = 'Perm-check-5ecret-value';
    const file = await installation.writeConfig({ auth: { username: 'elastic', password } }, join(installation.root, 'config', 'with-password.yml'));
    await chmod(file, 0o644);
    const shared = await runToolPatiently(['-c', file, 'list']);
    expect(shared.stderr, describeRun(shared)).toMatch(/warning:.*other users can read it \(mode 644\)/);
    expect(shared.stderr + shared.stdout).not.toContain(password);
    await chmod(file, 0o600);
    const private_ = await runToolPatiently(['-c', file, 'list']);
    expect(private_.stderr, describeRun(private_)).not.toMatch(/other users can read/);
  });
});
