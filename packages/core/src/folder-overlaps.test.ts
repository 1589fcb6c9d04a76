import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type A4cAdminError, parseConfig } from '@a4c-admin/core';
import { checkFolderOverlaps } from '@a4c-admin/core/internal';
import { rejectionOf } from '@a4c-admin/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Each of the four folders a config names, apart: the base every case changes one key of.
const KEYS = ['backup.files_dir', 'exporter.dir', 'alien4cloud.dir', 'elasticsearch.repository.location'] as const;
type Key = (typeof KEYS)[number];

function configWith(root: string, paths: Partial<Record<Key, string>> = {}) {
  const path = (key: Key, fallback: string) => paths[key] ?? join(root, fallback);
  return {
    elasticsearch: { addresses: ['http://127.0.0.1:9200'], repository: { location: path('elasticsearch.repository.location', 'repo') } },
    exporter: { dir: path('exporter.dir', 'export') },
    backup: { files_dir: path('backup.files_dir', 'backups') },
    alien4cloud: { dir: path('alien4cloud.dir', 'a4c/data') },
  };
}

const refusal = (call: () => unknown) => {
  try {
    call();
  } catch (error) {
    return error as A4cAdminError;
  }
  throw new Error('expected a refusal');
};

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'a4c-overlap-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('folders of the config that overlap', () => {
  it('accepts four folders apart, and a relative repository location (under path.repo, unknown here)', async () => {
    expect(() => parseConfig(configWith(root))).not.toThrow();
    const relative = configWith(root, { 'elasticsearch.repository.location': 'a4c-admin' });
    await expect(checkFolderOverlaps(parseConfig(relative))).resolves.toBeUndefined();
  });

  for (const [first, firstIndex] of KEYS.map((key, index) => [key, index] as const)) {
    for (const second of KEYS.slice(firstIndex + 1)) {
      // Compared as written (parseConfig touches no disk): a fixed root is enough.
      const base = '/srv/a4c';
      const cases: Array<[string, Partial<Record<Key, string>>]> = [
        ['equal', { [first]: `${base}/shared`, [second]: `${base}/shared/` }],
        [`${first} inside ${second}`, { [first]: `${base}/outer/inner`, [second]: `${base}/outer` }],
        [`${second} inside ${first}`, { [first]: `${base}/outer`, [second]: `${base}/outer/x/../inner` }],
      ];
      for (const [title, paths] of cases) {
        it(`refuses ${first} and ${second}: ${title} (CONFIG_INVALID naming both)`, () => {
          const error = refusal(() => parseConfig(configWith(base, paths)));
          expect(error.code).toBe('CONFIG_INVALID');
          expect(error.message).toContain(first);
          expect(error.message).toContain(second);
          expect(error.hint).toMatch(/folders of their own/);
        });
      }
    }
  }

  it('does not take a sibling with a common prefix for a nested folder (/x/data and /x/data-backups)', () => {
    expect(() => parseConfig(configWith(root, { 'alien4cloud.dir': join(root, 'data'), 'backup.files_dir': join(root, 'data-backups') }))).not.toThrow();
  });

  it('refuses folders that overlap through a symbolic link, in both directions', async () => {
    const real = join(root, 'real-data');
    await mkdir(join(real, 'backups'), { recursive: true });
    await symlink(real, join(root, 'link-to-data'));
    // backup.files_dir reaches inside alien4cloud.dir through the link.
    const inside = parseConfig(configWith(root, { 'alien4cloud.dir': real, 'backup.files_dir': join(root, 'link-to-data/backups') }));
    const error = await rejectionOf<A4cAdminError>(checkFolderOverlaps(inside));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(/backup\.files_dir.*is inside alien4cloud\.dir.*symbolic links/);
    // The other way round, and a folder that does not exist yet under the link.
    const containing = parseConfig(configWith(root, { 'exporter.dir': join(root, 'link-to-data'), 'alien4cloud.dir': join(real, 'not-yet/data') }));
    expect((await rejectionOf<A4cAdminError>(checkFolderOverlaps(containing))).message).toMatch(/alien4cloud\.dir.*is inside exporter\.dir/);
  });
});
