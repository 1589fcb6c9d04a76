// `list` tells a damaged backup from a whole one by a cheap check (each file's size against
// the manifest, the manifest's own hash), without reading the backup's bytes; `verify` stays
// the full read. Two real backups of a small installation, one truncated, one with its
// manifest altered.
import { readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEW_SAMPLE_INDICES } from '../api/installation.test-support.js';
import { createE2eInstallation, describeRun, type E2eInstallation, parseJsonResult } from './binary.test-support.js';

interface Listed {
  name: string;
  state: string;
  problem?: string;
}

describe('list shows a damaged backup as damaged', () => {
  let installation: E2eInstallation;

  beforeAll(async () => {
    installation = await createE2eInstallation({ scale: 1, indices: FEW_SAMPLE_INDICES });
    // --full-files: each backup has copies of its own (a later backup otherwise hard-links the
    // unchanged files of the previous one, and damage to a shared file shows in both).
    for (const name of ['whole', 'truncated', 'altered']) {
      const run = await installation.run(['backup', '1.1.0', '-n', name, '--full-files']);
      expect(run.code, describeRun(run)).toBe(0);
    }
  });

  afterAll(async () => {
    await installation?.cleanup();
  });

  it('from the sizes of its files and the hash of its manifest; verify reads it all', async () => {
    const folder = (name: string) => join(installation.backupDir, name);
    const manifest = JSON.parse(await readFile(join(folder('truncated'), 'manifest.json'), 'utf8')) as { files: Array<{ path: string; size: number }> };
    const largest = [...manifest.files].sort((first, second) => second.size - first.size)[0]!;
    await truncate(join(folder('truncated'), 'files', largest.path), Math.floor(largest.size / 2));
    const altered = join(folder('altered'), 'manifest.json');
    await writeFile(altered, (await readFile(altered, 'utf8')).replace('"1.1.0"', '"1.2.0"'));

    const listed = await installation.run(['list', '--json']);
    expect(listed.code, describeRun(listed)).toBe(0);
    const backups = parseJsonResult<{ backups: Listed[] }>(listed).result.backups;
    const byName = new Map(backups.map((backup) => [backup.name, backup]));
    expect(byName.get('whole')).toMatchObject({ state: 'complete' });
    expect(byName.get('truncated')).toMatchObject({ state: 'broken' });
    expect(byName.get('truncated')!.problem).toContain(`files/${largest.path} has ${Math.floor(largest.size / 2)} bytes, the manifest says ${largest.size}`);
    expect(byName.get('truncated')!.problem).toContain('a4c-admin verify truncated');
    expect(byName.get('altered')).toMatchObject({ state: 'broken' });
    expect(byName.get('altered')!.problem).toMatch(/hash|manifest/i);

    const text = await installation.run(['list']);
    expect(text.stdout).toMatch(/^truncated +broken/m);
    expect(text.stdout).toMatch(/^whole +complete/m);

    // A change of the same size passes the cheap check: only verify's full read finds it.
    const sameSize = join(folder('whole'), 'files', largest.path);
    const bytes = await readFile(sameSize);
    bytes[0] = bytes[0]! ^ 0xff;
    await writeFile(sameSize, bytes);
    const relisted = parseJsonResult<{ backups: Listed[] }>(await installation.run(['list', '--json'])).result.backups;
    expect(relisted.find((backup) => backup.name === 'whole')).toMatchObject({ state: 'complete' });
    const verified = await installation.run(['verify', 'whole']);
    expect(verified.code, describeRun(verified)).toBe(6);
    expect(verified.stderr).toContain(`file changed since the backup: files/${largest.path}`);
  });
});
