// The seed's workflow on the Elasticsearch A4C 1.x embedded: the built binary against a real
// 1.7.6 node holding a sample A4C 1.1.0 installation in A4C's own multi-type layout
// (toscaelement holding indexednodetype, ...). backup, verify, list, damage, restore (dry run,
// whole, partial), the refusals of 8.x, and the portable export keeping `_type`. The tests run
// in order and share the installation, as an operator's session would.
import { mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { a4cIndexNamesIn, parseConfig } from '@a4c-admin/core';
import { connectElasticsearch, type ElasticsearchConnection } from '@a4c-admin/es-snapshot';
import { type Es1SampleInstallation, setUpEs1SampleInstallation } from '@a4c-admin/sample-data';
import { testElasticsearch, testLegacyElasticsearch, uniqueName } from '@a4c-admin/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentFingerprints, treeFingerprint } from '../api/installation.test-support.js';
import { assertBuilt, type BinaryRun, describeRun, parseJsonResult, runBinary } from './binary.test-support.js';

const legacy = testLegacyElasticsearch();
const VERSION = '1.1.0';

function expectExit(run: BinaryRun, code: number): void {
  expect(run.code, describeRun(run)).toBe(code);
}

describe.skipIf(!legacy)('the a4c-admin binary on Elasticsearch 1.7.6 with A4C 1.1.0 data', () => {
  const prefix = `${uniqueName('es1e2e')}-`;
  const repositoryName = prefix.slice(0, -1);
  let folder: string;
  let configFile: string;
  let sample: Es1SampleInstallation;
  let connection: ElasticsearchConnection;
  /** The ES 1.x indices of 1.1.0 with the prefix: what a backup holds on this cluster. */
  let names: string[];
  const run = (args: readonly string[]) => runBinary(['-c', configFile, ...args]);
  const index = (name: string) => `${prefix}${name}`;
  const fingerprints = async () => documentFingerprints(parseConfig(JSON.parse(await readFile(configFile, 'utf8'))), names);

  beforeAll(async () => {
    assertBuilt();
    folder = await mkdtemp(join(tmpdir(), 'a4c-es1-e2e-'));
    sample = await setUpEs1SampleInstallation({ url: legacy!.url, folder, prefix, seed: prefix, repositoryPath: legacy!.repoPath });
    configFile = join(folder, 'a4c-admin.json');
    await writeFile(
      configFile,
      `${JSON.stringify({
        elasticsearch: {
          addresses: [legacy!.url],
          index_prefix: prefix,
          cluster_name: legacy!.clusterName,
          repository: { name: repositoryName, location: repositoryName },
        },
        exporter: { dir: join(folder, 'export') },
        backup: { files_dir: sample.backupDir, config_files: [sample.alien4cloudConfigFile, sample.elasticsearchConfigFile] },
        alien4cloud: { dir: sample.dataDir },
      })}\n`,
    );
    connection = await connectElasticsearch({ addresses: [legacy!.url] });
    names = a4cIndexNamesIn('es1', VERSION, prefix).filter((name) => sample.indices[name] !== undefined);
  }, 120_000);

  afterAll(async () => {
    if (connection) {
      await connection.client.indices.delete({ index: `${prefix}*` }, { ignore: [404] }).catch(() => undefined);
      const snapshots = (await connection.client.snapshot.get({ repository: repositoryName, snapshot: '_all' }, { ignore: [404] }).catch(() => ({}))) as {
        snapshots?: { snapshot: string }[];
      };
      for (const snapshot of snapshots.snapshots ?? [])
        await connection.client.snapshot.delete({ repository: repositoryName, snapshot: snapshot.snapshot }, { ignore: [404] }).catch(() => undefined);
      await connection.client.snapshot.deleteRepository({ name: repositoryName }, { ignore: [404] }).catch(() => undefined);
      await connection.client.close();
    }
    if (legacy?.repoPath) await rm(join(legacy.repoPath, repositoryName), { recursive: true, force: true });
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('runs doctor: the 1.7.6 cluster, its repository and its ES 1.x indices', async () => {
    const doctor = parseJsonResult<{ ok: boolean; checks: Array<{ name: string; status: string; detail: string }> }>(await run(['doctor', '--json']));
    const checks = Object.fromEntries(doctor.result.checks.map((check) => [check.name, check]));
    expect(checks.cluster).toMatchObject({ status: 'ok', detail: expect.stringContaining('Elasticsearch 1.7.6') });
    expect(checks['snapshot repository']).toMatchObject({ status: 'ok' });
    expect(checks['data version']?.detail).toBe(`no data-version marker; ${names.length} A4C indices found`);
  }, 60_000);

  it('backs up the ES 1.x indices with the seed spelling, verifies and lists the backup', async () => {
    expect(names).toContain(index('toscaelement'));
    const backup = await run(['-backup', VERSION, '-n', 'backup110']);
    expectExit(backup, 0);
    expect(backup.stdout).toMatch(new RegExp(`${names.length} indices, \\d+ documents in snapshot backup110`));
    const manifest = JSON.parse(await readFile(join(sample.backupDir, 'backup110', 'manifest.json'), 'utf8')) as {
      indices: { name: string; docCount: number }[];
      elasticsearch: { version: string; clusterUuid: string };
    };
    expect(manifest.indices.map((entry) => entry.name).sort()).toEqual([...names].sort());
    expect(manifest.elasticsearch).toMatchObject({ version: '1.7.6', clusterUuid: '_na_' });
    const toscaelement = Object.values(sample.indices[index('toscaelement')]!).reduce((sum, count) => sum + count, 0);
    expect(manifest.indices.find((entry) => entry.name === index('toscaelement'))?.docCount).toBe(toscaelement);

    const verify = await run(['verify', 'backup110']);
    expectExit(verify, 0);
    expect(verify.stdout).toMatch(/backup "backup110" is whole: .*snapshot backup110 SUCCESS/);
    const listed = parseJsonResult<{ backups: Array<{ name: string; state: string; version: string }> }>(await run(['list', '--json']));
    expect(listed.result.backups.map((entry) => `${entry.name}:${entry.state}:${entry.version}`)).toEqual([`backup110:complete:${VERSION}`]);
  }, 120_000);

  it('plans with --dry-run, then restores a damaged installation: every document (type, id, source) and the data folder equal', async () => {
    const documents = await fingerprints();
    const files = await treeFingerprint(sample.dataDir);
    // Damage: an index gone, a document changed, data-folder files removed.
    await connection.client.indices.delete({ index: index('toscaelement') });
    const [someApplication] = (
      (await connection.client.transport.request({ method: 'GET', path: `/${index('application')}/_search`, querystring: { size: 1 } })) as {
        hits: { hits: { _type: string; _id: string }[] };
      }
    ).hits.hits;
    await connection.client.transport.request({
      method: 'PUT',
      path: `/${index('application')}/${someApplication!._type}/${encodeURIComponent(someApplication!._id)}`,
      querystring: { refresh: 'true' },
      body: { name: 'changed' },
    });
    const removed = Object.keys(files)
      .filter((path) => path.startsWith('images/') || path.startsWith('csar/'))
      .slice(0, 3);
    for (const path of removed) await unlink(join(sample.dataDir, path));
    const damaged = await fingerprints();
    expect(damaged[index('toscaelement')]).toBe('absent');
    expect(damaged[index('application')]).not.toBe(documents[index('application')]);

    const dryRun = await run(['restore', VERSION, '-n', 'backup110', '--dry-run', '--json', '--yes']);
    expectExit(dryRun, 0);
    const plan = parseJsonResult<{ plan: { indices: Array<{ name: string; action: string }> } }>(dryRun).result.plan;
    expect(plan.indices.map((entry) => entry.name).sort()).toEqual([...names].sort());
    expect(plan.indices.find((entry) => entry.name === index('toscaelement'))?.action).toBe('create');
    expect(await fingerprints()).toEqual(damaged);

    const restored = await run(['-restore', VERSION, '-n', 'backup110', '--yes']);
    expectExit(restored, 0);
    expect(restored.stdout).toMatch(/restored "backup110" \(A4C 1\.1\.0\)/);
    expect(await fingerprints()).toEqual(documents);
    expect(await treeFingerprint(sample.dataDir)).toEqual(files);
  }, 180_000);

  it('restores only the chosen --indices and --parts', async () => {
    const documents = await fingerprints();
    const files = await treeFingerprint(sample.dataDir);
    await connection.client.indices.delete({ index: [index('application'), index('user')] });
    const run1 = await run(['restore', VERSION, '-n', 'backup110', '--indices', 'application', '--parts', 'images', '--json', '--yes']);
    expectExit(run1, 0);
    const after = await fingerprints();
    expect(after[index('application')]).toBe(documents[index('application')]);
    expect(after[index('user')]).toBe('absent');
    expectExit(await run(['restore', VERSION, '-n', 'backup110', '--indices', 'user', '--yes']), 0);
    expect(await fingerprints()).toEqual(documents);
    expect(await treeFingerprint(sample.dataDir)).toEqual(files);
  }, 120_000);

  it('refuses as on 8.x: an unknown backup, another data version, an altered file (verify and restore)', async () => {
    const unknown = await run(['restore', VERSION, '-n', 'nosuchbackup', '--yes']);
    expectExit(unknown, 5);
    expect(unknown.stderr).toMatch(/^error: .*nosuchbackup/m);
    expect(parseJsonResult(await run(['restore', '1.2.0', '-n', 'backup110', '--json', '--yes'])).error).toMatchObject({
      code: 'VERSION_MISMATCH',
      exitCode: 5,
    });
    expect(parseJsonResult(await run(['backup', VERSION, '-n', 'backup110', '--json'])).error).toMatchObject({ code: 'BACKUP_EXISTS', exitCode: 5 });

    const manifest = JSON.parse(await readFile(join(sample.backupDir, 'backup110', 'manifest.json'), 'utf8')) as { files: Array<{ path: string }> };
    const stored = join(sample.backupDir, 'backup110', 'files', manifest.files[0]!.path);
    const original = await readFile(stored);
    await writeFile(stored, Buffer.concat([original, Buffer.from('tampered')]));
    const before = await fingerprints();
    const tampered = await run(['verify', 'backup110', '--json']);
    expectExit(tampered, 6);
    expect(parseJsonResult(tampered).error).toMatchObject({ code: 'CHECKSUM_MISMATCH', exitCode: 6 });
    const refused = await run(['restore', VERSION, '-n', 'backup110', '--json', '--yes']);
    expectExit(refused, 6);
    expect(await fingerprints()).toEqual(before);
    await writeFile(stored, original);
    expectExit(await run(['verify', 'backup110']), 0);
  }, 120_000);

  it('backs up in the portable export format with _type on every line, and restores every document with its type', async () => {
    const documents = await fingerprints();
    const backup = await run(['backup', VERSION, '-n', 'export110', '--format', 'export']);
    expectExit(backup, 0);
    const exportFolder = join(sample.backupDir, 'export110', 'export');
    const exportManifest = JSON.parse(await readFile(join(exportFolder, 'export-manifest.json'), 'utf8')) as {
      indices: { index: string; chunks: { file: string }[] }[];
    };
    const toscaelement = exportManifest.indices.find((entry) => entry.index === index('toscaelement'))!;
    const lines = gunzipSync(await readFile(join(exportFolder, toscaelement.chunks[0]!.file)))
      .toString('utf8')
      .split('\n')
      .filter((line) => line !== '');
    const actions = lines.filter((_, position) => position % 2 === 0).map((line) => JSON.parse(line) as { index: { _type?: string } });
    expect(actions.length).toBeGreaterThan(0);
    expect(new Set(actions.map((action) => action.index._type))).toEqual(new Set(Object.keys(sample.indices[index('toscaelement')]!)));

    expectExit(await run(['verify', 'export110']), 0);
    await connection.client.indices.delete({ index: [index('toscaelement'), index('application')] });
    const restored = await run(['restore', VERSION, '-n', 'export110', '--yes']);
    expectExit(restored, 0);
    expect(await fingerprints()).toEqual(documents);
    const listed = parseJsonResult<{ backups: Array<{ name: string; state: string; format: string }> }>(await run(['list', '--json']));
    expect(listed.result.backups.map((entry) => `${entry.name}:${entry.state}:${entry.format}`).sort()).toEqual([
      'backup110:complete:snapshot',
      'export110:complete:export',
    ]);
  }, 180_000);

  it('tells its own snapshot left by a killed backup (removed) from anyone else’s (refused), as on 8.x', async () => {
    // A backup killed after its snapshot and before its folder was committed leaves the snapshot alone.
    expectExit(await run(['backup', VERSION, '-n', 'killed']), 0);
    await rm(join(sample.backupDir, 'killed'), { recursive: true, force: true });
    const again = await run(['backup', VERSION, '-n', 'killed', '--json']);
    expectExit(again, 0);
    expect(again.stderr).toContain('removing snapshot killed left by an interrupted backup');
    expectExit(await run(['verify', 'killed']), 0);

    await connection.client.transport.request({
      method: 'PUT',
      path: `/_snapshot/${repositoryName}/foreign`,
      querystring: { wait_for_completion: 'true' },
      body: { indices: index('user'), include_global_state: false },
    });
    const refused = await run(['backup', VERSION, '-n', 'foreign', '--json']);
    expectExit(refused, 5);
    expect(parseJsonResult(refused).error).toMatchObject({ code: 'BACKUP_EXISTS' });
    expect(parseJsonResult(refused).error?.message).toMatch(/that a4c-admin did not take/);
  }, 120_000);

  it('carries the installation into Elasticsearch 8.19 (migrate --target), reading each ES 1.x type, the 1.7 source unchanged', async () => {
    const target = await connectElasticsearch({ addresses: [testElasticsearch().url] });
    const targetPrefix = `${uniqueName('es1e2e-target')}-`;
    const config = JSON.parse(await readFile(configFile, 'utf8')) as Record<string, unknown>;
    await writeFile(configFile, JSON.stringify({ ...config, target: { addresses: [testElasticsearch().url], index_prefix: targetPrefix } }));
    try {
      const before = await fingerprints();
      const migrated = await run(['migrate', VERSION, '--yes', '--json']);
      expectExit(migrated, 0);
      expect(await fingerprints()).toEqual(before);
      const marker = (await target.client.get({ index: `${targetPrefix}a4c-admin-data-version`, id: 'data-version' }))._source as { version: string };
      expect(marker.version).toBe('1.2.0');
      // Every type of toscaelement became its own index, as many documents as the type held.
      for (const [type, documents] of Object.entries(sample.indices[index('toscaelement')]!)) {
        expect((await target.client.count({ index: `${targetPrefix}${type}` })).count, type).toBe(documents);
      }
    } finally {
      await writeFile(configFile, JSON.stringify(config));
      await target.client.indices.delete({ index: `${targetPrefix}*`, expand_wildcards: 'all' }, { ignore: [404] }).catch(() => undefined);
      await target.client.close();
    }
  }, 180_000);
});
