import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type A4cAdminError, MANIFEST_FILE, type ManifestContent, readManifest, TOOL_VERSION } from '@a4c-admin/core';
import { canonicalHash, writeManifest } from '@a4c-admin/core/internal';
import { rejectionOf } from '@a4c-admin/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const HASH = 'a'.repeat(64);
function sample(): ManifestContent {
  return {
    formatVersion: 1,
    tool: { name: 'a4c-admin', version: TOOL_VERSION },
    name: 'nightly-1',
    a4cDataVersion: '1.1.0',
    elasticsearch: { version: '8.19.0', clusterName: 'alien4cloud', clusterUuid: 'u-1' },
    snapshot: { repository: 'a4c-admin', name: 'nightly-1', uuid: 's-1', state: 'SUCCESS' },
    indices: [{ name: 'application', docCount: 12, mappingHash: canonicalHash({ properties: { name: { type: 'keyword' } } }) }],
    files: [{ path: 'csar/app/1.0/app.yml', size: 10, mode: 0o644, sha256: HASH }],
    configFiles: [{ path: '/etc/a4c/alien4cloud-config.yml', stored: 'config/alien4cloud-config.yml', size: 5, mode: 0o600, sha256: HASH }],
    options: { parts: ['csar'] },
    startedAt: '2024-01-01T00:00:00.000Z',
    endedAt: '2024-01-01T00:01:00.000Z',
  };
}

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'a4c-manifest-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

const failure = (promise: Promise<unknown>) => rejectionOf<A4cAdminError>(promise);

describe('manifest', () => {
  it('round-trips, mode 0600, no temp file left, hash independent of key order', async () => {
    const written = await writeManifest(folder, sample());
    expect(written.manifestSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await readManifest(folder)).toEqual(written);
    expect((await stat(join(folder, MANIFEST_FILE))).mode & 0o777).toBe(0o600);
    expect(await readdir(folder)).toEqual([MANIFEST_FILE]);
    const reordered = Object.fromEntries(Object.entries(sample()).reverse()) as unknown as ManifestContent;
    expect((await writeManifest(folder, reordered)).manifestSha256).toBe(written.manifestSha256);
  });

  it('accepts an export-format backup instead of a snapshot', async () => {
    const { snapshot: _snapshot, ...rest } = sample();
    const content = {
      ...rest,
      export: { folder: 'export', chunks: [{ index: 'application', file: 'export/application-0.ndjson.gz', documents: 12, bytes: 300, sha256: HASH }] },
    };
    expect((await writeManifest(folder, content)).export?.chunks).toHaveLength(1);
  });

  it('refuses to write a manifest with neither snapshot nor export', async () => {
    const { snapshot: _snapshot, ...rest } = sample();
    const error = await failure(writeManifest(folder, rest));
    expect(error.code).toBe('INTERNAL');
    expect(await readdir(folder)).toEqual([]);
  });

  it('a missing manifest makes the folder an incomplete backup; a missing folder is not found', async () => {
    const missing = await failure(readManifest(folder));
    expect(missing.code).toBe('BACKUP_INVALID');
    expect(missing.message).toContain('not a complete backup');
    expect(missing.hint).toMatch(/run the backup again/);
    expect((await failure(readManifest(join(folder, 'nope')))).code).toBe('BACKUP_NOT_FOUND');
  });

  it('detects a manifest edited by hand', async () => {
    await writeManifest(folder, sample());
    const file = join(folder, MANIFEST_FILE);
    await writeFile(file, (await readFile(file, 'utf8')).replace('"docCount": 12', '"docCount": 13'));
    const error = await failure(readManifest(folder));
    expect(error.code).toBe('BACKUP_INVALID');
    expect(error.message).toContain('manifestSha256 does not match');
    expect(error.hint).toMatch(/Do not edit manifest.json/);
  });

  it('detects broken JSON and schema violations', async () => {
    const file = join(folder, MANIFEST_FILE);
    await writeFile(file, '{"formatVersion": 1,');
    expect((await failure(readManifest(folder))).message).toContain('not valid JSON');
    const written = await writeManifest(folder, sample());
    await writeFile(file, JSON.stringify({ ...written, files: [{ path: '../etc/passwd', size: 1, mode: 0o644, sha256: HASH }] }));
    const error = await failure(readManifest(folder));
    expect(error.code).toBe('BACKUP_INVALID');
    expect(error.message).toMatch(/files\.0\.path: must be a relative posix path/);
  });

  it('refuses a manifest from a newer major version of the tool', async () => {
    const written = await writeManifest(folder, sample());
    const major = Number.parseInt(TOOL_VERSION, 10) + 1;
    await writeFile(join(folder, MANIFEST_FILE), JSON.stringify({ ...written, tool: { name: 'a4c-admin', version: `${major}.0.0` }, someNewField: 1 }));
    const error = await failure(readManifest(folder));
    expect(error.code).toBe('VERSION_MISMATCH');
    expect(error.hint).toContain(`${major}.x`);
  });
});
