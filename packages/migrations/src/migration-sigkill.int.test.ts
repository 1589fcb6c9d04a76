// Kills a migration running in a child process (SIGKILL, no chance to clean up) at seeded random
// moments, on the real single node. After every kill the A4C names must serve a whole version:
// exactly the 1.1.0 documents, or exactly the 1.2.0 ones; never a lost document. The next child
// resumes from whatever the last one left. Minutes long: runs when A4C_TEST_SIGKILL_TRIALS is set
// (after `pnpm build`, since the child runs the built packages). Twice: plain indices copied for
// the rollback, and kept in a rollback snapshot (a repository configured); in the latter every
// completed migration is rolled back (restoring the snapshot) and the installation loaded plain
// again, so that each trial kills a first migration.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createElasticsearchClient, createIndexReader, createIndexWriter, createMigrationStateStore, createSnapshotStore } from '@a4c-admin/es-snapshot';
import { testElasticsearch, uniqueName } from '@a4c-admin/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { loadNdjsonFolder } from './fixtures.test-support.js';
import { loadPlainIndices } from './load-indices.test-support.js';
import { rollbackMigration } from './rollback-migration.js';
import { expectedWithPluginRule, readView as readViewOf, sortedDocuments as sorted } from './views.test-support.js';

const trials = Number(process.env.A4C_TEST_SIGKILL_TRIALS ?? 0);
const child = fileURLToPath(new URL('../test-fixtures/processes/migrate-child.mjs', import.meta.url));

describe.skipIf(trials === 0).each([
  { label: 'plain indices copied', repository: undefined },
  { label: 'plain indices kept in a rollback snapshot', repository: uniqueName('a4c-mig-kill-repo') },
])('a migration killed with SIGKILL ($label)', ({ repository }) => {
  const elasticsearch = testElasticsearch();
  const snapshots = repository
    ? createSnapshotStore(
        createElasticsearchClient({ addresses: [elasticsearch.url] }),
        { name: repository, location: repository, max_snapshot_bytes_per_sec: '1gb', max_restore_bytes_per_sec: '1gb' },
        { pollIntervalMs: 100 },
      )
    : undefined;
  const client = createElasticsearchClient({ addresses: [elasticsearch.url] });
  const reader = createIndexReader(client);
  const writer = createIndexWriter(client);
  const prefix = `${uniqueName('a4c-mig-kill')}-`;
  const state = createMigrationStateStore(client, { prefix });
  const samples = loadNdjsonFolder('samples-1.1.0');
  const expected = expectedWithPluginRule();

  afterAll(async () => {
    await client.indices.delete({ index: `${prefix}*`, ignore_unavailable: true, allow_no_indices: true, expand_wildcards: 'all' }).catch(() => undefined);
    if (repository) {
      await client.snapshot.delete({ repository, snapshot: '*' }).catch(() => undefined);
      await client.snapshot.deleteRepository({ name: repository }).catch(() => undefined);
      if (elasticsearch.repoPath) await rm(join(elasticsearch.repoPath, repository), { recursive: true, force: true });
    }
    await client.close();
  });

  const readView = (names: string[]) => readViewOf(reader, prefix, names);

  /** Runs the child; kills it after `killAfterMs` unless it ended first. */
  function runChild(killAfterMs: number | undefined): Promise<{ killed: boolean; output: string; code: number | null }> {
    return new Promise((resolve) => {
      const process_ = spawn(process.execPath, [child], {
        env: { ...process.env, MIGRATE_CHILD_ES_URL: elasticsearch.url, MIGRATE_CHILD_PREFIX: prefix, MIGRATE_CHILD_REPOSITORY: repository ?? '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      let killed = false;
      process_.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      process_.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const timer =
        killAfterMs === undefined
          ? undefined
          : setTimeout(() => {
              killed = process_.kill('SIGKILL');
            }, killAfterMs);
      process_.on('exit', (code) => {
        if (timer) clearTimeout(timer);
        resolve({ killed, output, code });
      });
    });
  }

  it(`leaves a whole version served after each of ${trials} kills, and a last run completes`, async () => {
    expect(existsSync(fileURLToPath(new URL('../dist/index.js', import.meta.url))), 'run pnpm build first').toBe(true);
    await loadPlainIndices(writer, prefix, '1.1.0', samples);
    // A seeded generator: the same kill moments on every run.
    let seed = 20160208;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const outcomes: string[] = [];
    for (let trial = 0; trial < trials; trial += 1) {
      // The first kills come early, inside the adoption of the plain 1.1.0 indices; later ones anywhere.
      const killAfterMs = Math.round(300 + random() * (trial < 3 ? 4_000 : 20_000));
      const run = await runChild(killAfterMs);
      const lastPhase = run.output.trim().split('\n').at(-1) ?? '';
      if (!run.killed && run.code !== 0) throw new Error(`the child failed on its own:\n${run.output}`);
      const marker = await state.readMarker();
      const aliases = await state.resolve(Object.keys(expected).map((name) => `${prefix}${name}`));
      const at120 = Object.values(aliases).every((indices) => indices.length === 1 && indices[0]!.endsWith('-v1.2.0'));
      if (at120) {
        expect(await readView(Object.keys(expected)), `trial ${trial}`).toEqual(sorted(expected));
        outcomes.push(`${killAfterMs}ms: 1.2.0 served, marker ${marker?.version ?? 'absent'} (${lastPhase})`);
        if (marker?.version === '1.2.0') {
          // Complete: go back to 1.1.0 so that the next trial has a migration to interrupt.
          await rollbackMigration({ writer, state, indexPrefix: prefix, snapshots });
          expect(await readView(Object.keys(samples))).toEqual(sorted(samples));
          if (repository) {
            // Plain again, for the next trial to kill a first migration that takes a snapshot.
            await client.indices.delete({ index: `${prefix}*`, expand_wildcards: 'all' });
            await loadPlainIndices(writer, prefix, '1.1.0', samples);
          }
        }
      } else {
        expect(await readView(Object.keys(samples)), `trial ${trial}`).toEqual(sorted(samples));
        expect(marker?.version ?? '1.1.0').toBe('1.1.0');
        outcomes.push(`${killAfterMs}ms: 1.1.0 intact (${lastPhase})`);
      }
    }
    const last = await runChild(undefined);
    expect(last.code, last.output).toBe(0);
    expect((await state.readMarker())?.version).toBe('1.2.0');
    expect(await readView(Object.keys(expected))).toEqual(sorted(expected));
    console.info(`SIGKILL trials:\n${outcomes.join('\n')}`);
  });
});
