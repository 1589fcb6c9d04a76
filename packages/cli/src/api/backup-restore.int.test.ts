// backup / restore / verify / list / delete end to end, on a real node and on the real
// 3-node cluster, with nine indices of the sample A4C installation (FEW_SAMPLE_INDICES): what comes back equals what was saved,
// and every refusal leaves the cluster and the data folder exactly as they were.

import { appendFile, copyFile, rm, unlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { isA4cAdminError, parseConfig } from '@a4c-admin/core';
import { createElasticsearchClient } from '@a4c-admin/es-snapshot';
import { testElasticsearch, uniqueName } from '@a4c-admin/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup, list, migrate, remove, restore, verify } from './api.js';
import { createInstallation, documentFingerprints, FEW_SAMPLE_INDICES, type TestInstallation, treeFingerprint } from './installation.test-support.js';

async function expectRefusal(promise: Promise<unknown>, code: string, message: RegExp) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isA4cAdminError(error), `expected an a4c-admin error, got ${String(error)}`).toBe(true);
  expect((error as { code: string }).code).toBe(code);
  expect((error as Error).message).toMatch(message);
  expect((error as { hint?: string }).hint).toBeTruthy();
}

for (const shape of ['single node', '3-node cluster'] as const) {
  const urls = shape === 'single node' ? [testElasticsearch().url] : testElasticsearch().clusterUrls;
  describe.skipIf(urls.length === 0)(`backup and restore on a ${shape}`, () => {
    let installation: TestInstallation;
    let names: string[];
    let bystander: string;

    beforeAll(async () => {
      const es = testElasticsearch();
      installation = await createInstallation({
        urls,
        repoPath: shape === 'single node' ? es.repoPath || '/var/tmp/a4c-admin-es/nodes/test/repo' : es.clusterRepoPath,
        replicas: shape === 'single node' ? 0 : 1,
        indices: FEW_SAMPLE_INDICES,
      });
      names = Object.keys(installation.indices).map((index) => (index.startsWith(installation.prefix) ? index : `${installation.prefix}${index}`));
      // Fingerprints of absent indices would compare equal: make sure every one holds documents.
      const present = Object.entries(await documentFingerprints(installation.config, names)).filter(([, hash]) => hash !== 'absent');
      expect(present.map(([index]) => index).sort()).toEqual([...names].sort());
      // An index that is not A4C's: backups and restores must never touch it.
      bystander = uniqueName('bystander');
      const client = createElasticsearchClient(installation.config.elasticsearch);
      await client.index({ index: bystander, id: 'x', document: { keep: 'me' }, refresh: true });
      await client.close();
    });

    afterAll(async () => {
      if (!installation) return;
      const client = createElasticsearchClient(installation.config.elasticsearch);
      await client.indices.delete({ index: bystander }, { ignore: [404] });
      await client.close();
      await installation.cleanup();
    });

    it('restores every document and every file after indices and files were lost', async () => {
      const { config, dataDir } = installation;
      const documentsBefore = await documentFingerprints(config, names);
      const filesBefore = await treeFingerprint(dataDir);
      const result = await backup(config, { version: '1.1.0', name: 'backup110' });
      expect(result.indices.length).toBe(names.length);
      expect(result.files).toBeGreaterThan(10);
      expect(result.countsExact).toBe(true);

      const listed = await list(config);
      expect(listed.map((entry) => [entry.name, entry.state])).toEqual([['backup110', 'complete']]);
      expect((await verify(config, { name: 'backup110' })).ok).toBe(true);

      // Damage: delete two indices, empty a third, change, delete and add files.
      const client = createElasticsearchClient(config.elasticsearch);
      await client.indices.delete({ index: [`${installation.prefix}application`, `${installation.prefix}topology`] });
      const users = await client.search({ index: `${installation.prefix}user`, size: 100 });
      for (const hit of users.hits.hits) await client.delete({ index: `${installation.prefix}user`, id: hit._id!, refresh: true });
      await client.close();
      const someFile = Object.keys(filesBefore).find((path) => path.startsWith('artifacts/'))!;
      await appendFile(join(dataDir, someFile), 'tampered');
      await unlink(join(dataDir, Object.keys(filesBefore).find((path) => path.startsWith('images/'))!));
      await writeFile(join(dataDir, 'csar', 'stray.txt'), 'not in the backup');

      const dryRun = await restore(config, { name: 'backup110', version: '1.1.0', dryRun: true });
      const restored = await restore(config, { name: 'backup110', version: '1.1.0' });
      expect(restored.plan).toEqual(dryRun.plan);
      expect(Object.keys(restored.counts).sort()).toEqual(dryRun.plan.indices.map((index) => index.name).sort());

      expect(await documentFingerprints(config, names)).toEqual(documentsBefore);
      const filesAfter = await treeFingerprint(dataDir);
      // upload/ and elasticsearch/ are never backed up nor replaced; everything else is back exactly.
      expect(filesAfter).toEqual(filesBefore);
      const bystanderCount = await createElasticsearchClient(config.elasticsearch).count({ index: bystander });
      expect(bystanderCount.count).toBe(1);
    });

    it.skipIf(shape !== 'single node')('backs up in the portable export format and restores chosen indices and parts only', async () => {
      const { config, dataDir, prefix } = installation;
      const documentsBefore = await documentFingerprints(config, names);
      const filesBefore = await treeFingerprint(dataDir);
      const result = await backup(config, { version: '1.1.0', name: 'portable', format: 'export' });
      expect(result.format).toBe('export');
      expect(result.snapshot).toBeUndefined();
      expect((await verify(config, { name: 'portable' })).ok).toBe(true);

      const client = createElasticsearchClient(config.elasticsearch);
      await client.indices.delete({ index: [`${prefix}csar`, `${prefix}plugin`] });
      await client.close();
      const image = Object.keys(filesBefore).find((path) => path.startsWith('images/'))!;
      const artifact = Object.keys(filesBefore).find((path) => path.startsWith('artifacts/'))!;
      await unlink(join(dataDir, image));
      await unlink(join(dataDir, artifact));

      const restored = await restore(config, { name: 'portable', version: '1.1.0', indices: ['csar', 'plugin'], parts: ['images'], configFiles: false });
      expect(restored.plan.indices.map((index) => index.name)).toEqual([`${prefix}csar`, `${prefix}plugin`]);
      expect(await documentFingerprints(config, names)).toEqual(documentsBefore);
      // Only images/ was restored: the artifact stays missing.
      const filesAfter = await treeFingerprint(dataDir);
      expect(filesAfter[image]).toBe(filesBefore[image]);
      expect(filesAfter[artifact]).toBeUndefined();
      await copyFile(join(installation.backupDir, 'portable', 'files', artifact), join(dataDir, artifact));
      await remove(config, { name: 'portable' });
    });

    it.skipIf(shape !== 'single node')('restores a 1.1.0 backup over a migrated cluster exactly, and the migration can run again', async () => {
      const { config, prefix } = installation;
      const documentsBefore = await documentFingerprints(config, names);
      await backup(config, { version: '1.1.0', name: 'before-migration' });
      const migrated = await migrate(config, { from: '1.1.0', skipBackup: 'before-migration' });
      expect(migrated.status).toBe('migrated');

      const dryRun = await restore(config, { name: 'before-migration', version: '1.1.0', dryRun: true });
      expect(dryRun.plan.strays).toContain(`${prefix}suggestionentry-v1.2.0`);
      await restore(config, { name: 'before-migration', version: '1.1.0' });
      expect(await documentFingerprints(config, names)).toEqual(documentsBefore);
      // Nothing of the migration is left: no versioned index, no 1.2.0-only name, marker at 1.1.0.
      const client = createElasticsearchClient(config.elasticsearch);
      const left = await client.cat.indices({ index: `${prefix}*`, format: 'json', h: 'index' });
      await client.close();
      const indices = left
        .map((row) => row.index!)
        .filter((index) => !index.endsWith('a4c-admin-data-version'))
        .sort();
      expect(indices).toEqual([...names].sort());
      expect((await migrate(config, { from: '1.1.0', skipBackup: 'before-migration' })).status).toBe('migrated');
      await restore(config, { name: 'before-migration', version: '1.1.0' });
      await remove(config, { name: 'before-migration' });
    });

    it('refuses to restore, changing nothing, when the restore cannot be trusted', async () => {
      const { config, dataDir } = installation;
      const documentsBefore = await documentFingerprints(config, names);
      const filesBefore = await treeFingerprint(dataDir);
      const folder = join(installation.backupDir, 'backup110');

      await expectRefusal(restore(config, { name: 'nosuchbackup', version: '1.1.0' }), 'BACKUP_NOT_FOUND', /no backup folder/);
      await expectRefusal(restore(config, { name: 'backup110', version: '1.2.0' }), 'VERSION_MISMATCH', /holds A4C 1.1.0 data, not 1.2.0/);

      // A4C answers at its URL.
      const a4c = createServer((_request, response) => response.end('alien4cloud'));
      await new Promise<void>((resolve) => a4c.listen(0, '127.0.0.1', resolve));
      const running = parseConfig({ ...config, alien4cloud: { ...config.alien4cloud, url: `http://127.0.0.1:${(a4c.address() as AddressInfo).port}/` } });
      await expectRefusal(restore(running, { name: 'backup110', version: '1.1.0' }), 'A4C_RUNNING', /Alien4Cloud is running/);
      a4c.close();

      // A file of the backup altered.
      const stored = Object.keys(await treeFingerprint(join(folder, 'files')))[0]!;
      await appendFile(join(folder, 'files', stored), 'x');
      await expectRefusal(restore(config, { name: 'backup110', version: '1.1.0' }), 'CHECKSUM_MISMATCH', /changed since the backup/);
      // The backup folder cut short: its manifest gone.
      await rm(join(folder, 'manifest.json'));
      await expectRefusal(restore(config, { name: 'backup110', version: '1.1.0' }), 'BACKUP_INVALID', /not a complete backup/);
      expect((await list(config)).map((entry) => entry.state)).toEqual(['broken']);

      // A fresh backup whose snapshot is then deleted behind our back.
      await backup(config, { version: '1.1.0', name: 'backup2' });
      const client = createElasticsearchClient(config.elasticsearch);
      await client.snapshot.delete({ repository: config.elasticsearch.repository.name, snapshot: 'backup2' });
      await client.close();
      await expectRefusal(restore(config, { name: 'backup2', version: '1.1.0' }), 'SNAPSHOT_NOT_FOUND', /not in repository/);

      expect(await documentFingerprints(config, names)).toEqual(documentsBefore);
      expect(await treeFingerprint(dataDir)).toEqual(filesBefore);

      // delete takes the folder (and a snapshot when there is one) away.
      await remove(config, { name: 'backup2' });
      await remove(config, { name: 'backup110' });
      expect(await list(config)).toEqual([]);
    });
  });
}
