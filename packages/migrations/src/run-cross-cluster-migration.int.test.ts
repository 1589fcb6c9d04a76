// A migration from one cluster into another, on real nodes: the source holds the shared 1.1.0
// samples in today's layout (plain indices, 1.1.0 mappings), the target gets exactly the
// expected 1.2.0 documents; the source is never changed (every document, mapping, block, alias
// and the marker hashed before and after); a run killed with SIGKILL part-way never leaves a
// target that answers as 1.2.0 while incomplete, and the re-run finishes; a target holding A4C
// data is refused; a dry run writes nothing to the target.
// The target is A4C_TEST_ES_TARGET_URL when set (a second node), else the test node under
// another prefix. The SIGKILL child runs the built packages: `pnpm build` first.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canonicalJson } from '@a4c-admin/core/internal';
import { createElasticsearchClient, createIndexReader, createIndexWriter, createMappingValidator, createMigrationStateStore } from '@a4c-admin/es-snapshot';
import { FULL_TRIALS, testElasticsearch, uniqueName } from '@a4c-admin/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dryRunMigration } from './dry-run-migration.js';
import { loadNdjsonFolder } from './fixtures.test-support.js';
import { loadPlainIndices } from './load-indices.test-support.js';
import { createMigrator } from './migrator.js';
import { runCrossClusterMigration } from './run-cross-cluster-migration.js';
import { expectedWithPluginRule, readView, sortedDocuments as sorted } from './views.test-support.js';

const elasticsearch = testElasticsearch();
const targetUrl = process.env.A4C_TEST_ES_TARGET_URL ?? elasticsearch.url;
const samples = loadNdjsonFolder('samples-1.1.0');
const expected = expectedWithPluginRule();
const child = fileURLToPath(new URL('../test-fixtures/processes/cross-migrate-child.mjs', import.meta.url));

describe('a migration into another cluster', () => {
  const sourceClient = createElasticsearchClient({ addresses: [elasticsearch.url] });
  const targetClient = createElasticsearchClient({ addresses: [targetUrl] });
  const sourcePrefix = `${uniqueName('a4c-xsrc')}-`;
  const sourceReader = createIndexReader(sourceClient, { pageSize: 7 });
  const source = { reader: sourceReader, indexPrefix: sourcePrefix };
  const targetReader = createIndexReader(targetClient);
  const targetWriter = createIndexWriter(targetClient);
  const prefixes: string[] = [];
  const folders: string[] = [];

  /** The target's ports under a prefix of its own. */
  function target(label: string) {
    const prefix = `${uniqueName(`a4c-x${label}`)}-`;
    prefixes.push(prefix);
    return { reader: targetReader, writer: targetWriter, state: createMigrationStateStore(targetClient, { prefix }), indexPrefix: prefix };
  }

  /** Everything of the source that a migration could change, hashed: documents, mappings, settings (blocks), aliases, marker. */
  async function sourceFingerprint(): Promise<Record<string, unknown>> {
    const indices = await createMigrationStateStore(sourceClient, { prefix: sourcePrefix }).listIndices(`${sourcePrefix}*`);
    const fingerprint: Record<string, unknown> = {};
    for (const index of indices) {
      const hash = createHash('sha256');
      const documents = [];
      for await (const page of sourceReader.read(index)) documents.push(...page);
      documents.sort((a, b) => (a.id < b.id ? -1 : 1));
      for (const document of documents) hash.update(`${document.id}\n${canonicalJson(document.source)}\n`);
      const definition = await sourceReader.definition(index);
      const aliases = await sourceClient.indices.getAlias({ index });
      fingerprint[index] = { documents: documents.length, sha256: hash.digest('hex'), definition: canonicalJson(definition), aliases: aliases[index]?.aliases };
    }
    fingerprint.marker = (await createMigrationStateStore(sourceClient, { prefix: sourcePrefix }).readMarker()) ?? null;
    return fingerprint;
  }

  let before: Record<string, unknown>;
  beforeAll(async () => {
    await loadPlainIndices(createIndexWriter(sourceClient), sourcePrefix, '1.1.0', samples);
    before = await sourceFingerprint();
  });

  afterAll(async () => {
    await sourceClient.indices.delete({ index: `${sourcePrefix}*`, ignore_unavailable: true, allow_no_indices: true }).catch(() => undefined);
    for (const prefix of prefixes) {
      await targetClient.indices.delete({ index: `${prefix}*`, ignore_unavailable: true, allow_no_indices: true }).catch(() => undefined);
    }
    for (const folder of folders) await rm(folder, { recursive: true, force: true });
    await Promise.all([sourceClient.close(), targetClient.close()]);
  });

  it('writes exactly the expected 1.2.0 documents into the target, index by index, and leaves the source unchanged', async () => {
    const ports = target('run');
    const result = await createMigrator({ ...ports, source }).run({ from: '1.1.0', to: '1.2.0' });
    expect(result).toMatchObject({ status: 'migrated', from: '1.1.0', to: '1.2.0', backup: undefined, marker: { version: '1.2.0' } });
    expect(result.steps[0]!.indices.topology).toMatchObject({ source: `${sourcePrefix}topology`, read: 2, written: 2 });
    expect(await readView(targetReader, ports.indexPrefix, Object.keys(expected))).toEqual(sorted(expected));
    // Every A4C name of 1.2.0 is an alias on its versioned index; the new indices are there, empty.
    const aliases = await ports.state.resolve(Object.keys(result.steps[0]!.indices).map((name) => `${ports.indexPrefix}${name}`));
    for (const [alias, indices] of Object.entries(aliases)) expect(indices).toEqual([`${alias}-v1.2.0`]);
    expect(await sourceFingerprint()).toEqual(before);

    // Run again: a finished 1.2.0 target is refused before anything is written.
    await expect(createMigrator({ ...ports, source }).run({ from: '1.1.0', to: '1.2.0' })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: expect.stringContaining('finished A4C 1.2.0 installation'),
    });
  });

  it('finishes a run that died between the alias swap and the marker: only the marker is written', async () => {
    const ports = target('swap');
    await runCrossClusterMigration({ ...ports, from: '1.1.0', source });
    // As if the process had died right after the swap: the aliases are there, the marker is not.
    await targetClient.indices.delete({ index: `${ports.indexPrefix}a4c-admin-data-version` });
    const result = await runCrossClusterMigration({ ...ports, from: '1.1.0', source });
    expect(result.steps[0]).toMatchObject({ resumedAfterSwap: true });
    expect((await ports.state.readMarker())?.version).toBe('1.2.0');
    expect(await readView(targetReader, ports.indexPrefix, Object.keys(expected))).toEqual(sorted(expected));
  });

  it('dry run: reads the source, checks against the target mappings, writes only the report', async () => {
    const ports = target('dry');
    const reportFolder = await mkdtemp(join(tmpdir(), 'a4c-xdry-'));
    folders.push(reportFolder);
    const report = await dryRunMigration({ ...ports, from: '1.1.0', to: '1.2.0', source, validator: createMappingValidator(targetClient), reportFolder });
    expect(report.status).toBe('ok');
    expect(report.steps[0]!.indices.indexednodetype).toMatchObject({ read: 3, wouldWrite: 3, failed: 0 });
    expect(await ports.state.listIndices(`${ports.indexPrefix}*`)).toEqual([]);
    expect(await sourceFingerprint()).toEqual(before);
  });

  it('refuses a target holding A4C data, or indices of its own under the names it would write, before writing anything', async () => {
    const installed = target('busy');
    await loadPlainIndices(targetWriter, installed.indexPrefix, '1.1.0', { user: samples.user! });
    await expect(runCrossClusterMigration({ ...installed, from: '1.1.0', source })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: expect.stringContaining(`${installed.indexPrefix}user`),
    });
    expect(await installed.state.listIndices(`${installed.indexPrefix}*`)).toEqual([`${installed.indexPrefix}user`]);

    const foreign = target('foreign');
    await targetWriter.create(`${foreign.indexPrefix}user-v1.2.0`, { mappings: { properties: { note: { type: 'keyword' } } } });
    await expect(runCrossClusterMigration({ ...foreign, from: '1.1.0', source })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      details: { indices: [`${foreign.indexPrefix}user-v1.2.0`] },
    });
    expect(await foreign.state.listIndices(`${foreign.indexPrefix}*`)).toEqual([`${foreign.indexPrefix}user-v1.2.0`]);
    expect(await sourceFingerprint()).toEqual(before);
  });

  it('killed with SIGKILL part-way, never answers as 1.2.0 while incomplete; the re-run finishes', async () => {
    expect(existsSync(fileURLToPath(new URL('../dist/index.js', import.meta.url))), 'run pnpm build first').toBe(true);
    const ports = target('kill');
    const names = Object.keys(expected);
    let seed = 20260114;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const outcomes: string[] = [];
    for (let trial = 0; trial < Number(process.env.A4C_TEST_CROSS_KILLS ?? (FULL_TRIALS ? 3 : 1)); trial += 1) {
      const killAfterMs = Math.round(1_000 + random() * 6_000);
      const run = await runChild(ports.indexPrefix, killAfterMs);
      if (!run.killed && run.code !== 0) throw new Error(`the child failed on its own:\n${run.output}`);
      const marker = await ports.state.readMarker();
      const aliases = Object.values(await ports.state.resolve(names.map((name) => `${ports.indexPrefix}${name}`)));
      const answering = aliases.filter((indices) => indices.length > 0).length;
      if (marker || answering > 0) {
        // Past the swap: every name answers, with exactly the 1.2.0 documents.
        expect(answering, `trial ${trial}`).toBe(names.length);
        expect(await readView(targetReader, ports.indexPrefix, names), `trial ${trial}`).toEqual(sorted(expected));
        outcomes.push(`${killAfterMs}ms: swapped, marker ${marker?.version ?? 'absent'}`);
        if (marker) break;
      } else {
        outcomes.push(`${killAfterMs}ms: no A4C name answers (${run.output.trim().split('\n').at(-1) ?? ''})`);
      }
    }
    const last = await runChild(ports.indexPrefix, undefined);
    expect((await ports.state.readMarker())?.version, last.output).toBe('1.2.0');
    expect(await readView(targetReader, ports.indexPrefix, names)).toEqual(sorted(expected));
    expect(await sourceFingerprint()).toEqual(before);
    console.info(`cross-cluster SIGKILL trials:\n${outcomes.join('\n')}`);
  });

  /** Runs the child migration; kills it after `killAfterMs` unless it ended first. */
  function runChild(prefix: string, killAfterMs: number | undefined): Promise<{ killed: boolean; output: string; code: number | null }> {
    return new Promise((resolve) => {
      const process_ = spawn(process.execPath, [child], {
        env: {
          ...process.env,
          CROSS_CHILD_SOURCE_URL: elasticsearch.url,
          CROSS_CHILD_SOURCE_PREFIX: sourcePrefix,
          CROSS_CHILD_TARGET_URL: targetUrl,
          CROSS_CHILD_TARGET_PREFIX: prefix,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      let killed = false;
      process_.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      process_.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const timer = killAfterMs === undefined ? undefined : setTimeout(() => (killed = process_.kill('SIGKILL')), killAfterMs);
      process_.on('exit', (code) => {
        if (timer) clearTimeout(timer);
        resolve({ killed, output, code });
      });
    });
  }
});
