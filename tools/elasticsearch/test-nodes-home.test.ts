import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ramBackedNodesHome } from './test-nodes-home.mjs';

describe('ramBackedNodesHome', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'a4c-nodes-home-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('names a folder under a writable shared-memory folder with room to spare', () => {
    expect(ramBackedNodesHome(folder)).toBe(join(folder, 'a4c-admin-es-nodes'));
  });

  it('falls back to the disk (undefined) when there is no such folder to write into', async () => {
    expect(ramBackedNodesHome(join(folder, 'no-such-folder'))).toBeUndefined();
    const file = join(folder, 'a-file');
    await writeFile(file, '', { mode: 0o600 });
    expect(ramBackedNodesHome(file)).toBeUndefined();
  });
});
