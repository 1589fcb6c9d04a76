// Migration benchmark: runMigration 1.1.0 -> 1.2.0 through the es-snapshot ports on N generated
// ~1 KB documents (node types, topologies, deployment topologies: see documents.mjs) plus the
// A4C 1.1.0 sample documents in every other index, against the raw ceiling of the same work
// measured in the same run: a curl scroll loop over the source indices + curl _bulk of pre-built
// bodies of the same documents (the export + import a migration cannot do without).
// Our own exportIndices + importIndices of the same indices is measured too, for reference.
//
// The headline is the first migration of a plain 1.1.0 installation (what an operator runs: the
// A4C names are plain indices, adopted under aliases first); each round puts the installation
// back to plain indices before migrating (rollback, then each 1.1.0 index cloned back under its
// name). --aliased starts from `<prefix><name>-v1.1.0` behind the alias `<prefix><name>` instead
// (the layout after an adoption). The ceiling is the raw export of the 1.1.0 documents + the raw
// _bulk of their 1.2.0 form (transformed before the clock starts) into the 1.2.0 mappings.
//
// Usage: node tools/bench-migrate/bench.mjs [--docs 1000000] [--url http://127.0.0.1:9270] [--rounds 1]
//          [--profile <folder>] [--aliased] [--skip-ours-export]
// Needs the built packages (pnpm build). Deletes everything it creates.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createElasticsearchClient, createIndexWriter } from '../../packages/es-snapshot/dist/index.js';
import { mappingsForVersion, STEP_1_2_0, transformDocument } from '../../packages/migrations/dist/index.js';
import { argument, bulkBodyWriter, printBestRounds, rawScrollScript, roundRecorder, timed } from '../bench-es/bench-tools.mjs';
import { readSampleDocuments } from '../sample-data/dist/index.js';
import { exitWithUsageOnHelp } from '../usage-on-help.mjs';
import { SHARES } from './documents.mjs';
import { timedRawImport } from './raw-import.mjs';

exitWithUsageOnHelp(import.meta.url);

const documents = Number(argument('docs', '1000000'));
const url = argument('url', 'http://127.0.0.1:9270');
const rounds = Number(argument('rounds', '1'));
const profileFolder = argument('profile', undefined);
const plain = !process.argv.includes('--aliased');
const skipOursExport = process.argv.includes('--skip-ours-export');
const here = dirname(fileURLToPath(import.meta.url));
const stamp = Date.now().toString(36);
const prefix = `bench-mig-${stamp}-`;
const work = mkdtempSync(join(tmpdir(), 'a4c-bench-migrate-'));
const client = createElasticsearchClient({ addresses: [url], request_timeout_ms: 600_000 });
const writer = createIndexWriter(client);
const mappings110 = mappingsForVersion('1.1.0');
const big = SHARES.map(([name]) => name);
const sizes = Object.fromEntries(SHARES.map(([name, share]) => [name, Math.round(documents * share)]));
/** Documents of the three big indices: the generated ones and the few samples they also hold. */
let total = 0;
const counts = {};
const sourceIndex = (name) => (plain ? `${prefix}${name}` : `${prefix}${name}-v1.1.0`);

async function* pages(make, count) {
  for (let start = 0; start < count; start += 5000) yield Array.from({ length: Math.min(5000, count - start) }, (_, offset) => make(start + offset));
}

/**
 * After a rollback (aliases on the write-blocked... now writable `-v1.1.0` indices): each 1.1.0
 * index cloned back under its plain name, the versioned indices deleted, so that the next round
 * migrates a plain installation again. Not timed.
 */
async function backToPlainIndices(names) {
  await client.indices.delete({ index: `${prefix}*-v1.2.0`, ignore_unavailable: true, allow_no_indices: true });
  for (const name of names) {
    const versioned = `${prefix}${name}-v1.1.0`;
    await client.indices.deleteAlias({ index: versioned, name: `${prefix}${name}` }).catch(() => undefined);
    await client.indices.putSettings({ index: versioned, settings: { 'index.blocks.write': true } });
    await client.indices.clone({ index: versioned, target: `${prefix}${name}`, settings: { 'index.blocks.write': null, 'index.number_of_replicas': 0 } });
    await client.indices.delete({ index: versioned });
  }
  await client.cluster.health({ index: `${prefix}*`, wait_for_status: 'green', timeout: '300s' });
}

const lastJson = (run) => JSON.parse(run.stdout.trim().split('\n').at(-1));
const { rows, record } = roundRecorder(() => total);
const count = async (index) => (await client.count({ index })).count;

try {
  console.log(`uptime at start: ${execFileSync('uptime', { encoding: 'utf8' }).trim()}`);
  // --- the 1.1.0 installation ---
  const names = Object.keys(mappings110);
  for (let start = 0; start < names.length; start += 8) {
    await Promise.all(
      names.slice(start, start + 8).map((name) =>
        client.indices.create({
          index: sourceIndex(name),
          mappings: mappings110[name].mappings,
          settings: { index: { number_of_shards: 1, number_of_replicas: 0, ...(mappings110[name].settings?.index ?? mappings110[name].settings ?? {}) } },
          ...(plain ? {} : { aliases: { [`${prefix}${name}`]: {} } }),
        }),
      ),
    );
  }
  const samples = await readSampleDocuments();
  for (const name of names) {
    const own = samples.filter((document) => document.index === name).map((document) => ({ id: document.id, source: document.source }));
    if (own.length)
      await writer.write(
        sourceIndex(name),
        (async function* () {
          yield own;
        })(),
      );
  }
  let loaded = 0;
  for (const [name, , make] of SHARES) {
    await writer.write(sourceIndex(name), pages(make, sizes[name]));
    loaded += sizes[name];
  }
  for (const name of big) {
    await client.indices.refresh({ index: sourceIndex(name) });
    counts[name] = await count(sourceIndex(name));
    total += counts[name];
  }
  await client.indices.forcemerge({ index: big.map(sourceIndex).join(','), max_num_segments: 1 }).catch(() => undefined);
  const stats = await client.indices.stats({ index: big.map(sourceIndex).join(','), metric: 'store,docs' });
  console.log(
    `loaded ${loaded} generated documents (${big.map((name) => `${name} ${sizes[name]}`).join(', ')}) + ${samples.length} samples; ${(stats._all.primaries.store.size_in_bytes / 1e6).toFixed(1)} MB on disk`,
  );

  // --- raw _bulk bodies of the same documents in their 1.2.0 form, ~8 MB each (not timed) ---
  const bodies = join(work, 'bodies');
  mkdirSync(bodies);
  let sourceBytes = 0;
  const rawBodies = bulkBodyWriter(bodies);
  for (const [name, , make] of SHARES) {
    const own = samples.filter((document) => document.index === name);
    for (let i = 0; i < sizes[name] + own.length; i += 1) {
      const original = i < sizes[name] ? make(i) : own[i - sizes[name]];
      const document = transformDocument(STEP_1_2_0, name, { id: original.id, source: original.source }, {}).document;
      const source = JSON.stringify(document.source);
      rawBodies.add(`{"index":{"_index":"${prefix}raw-${name}","_id":${JSON.stringify(document.id)}}}`, source);
      sourceBytes += source.length;
    }
  }
  rawBodies.finish();
  const expectedPages = big.reduce((sum, name) => sum + Math.ceil(counts[name] / 5000), 0);

  for (let round = 1; round <= rounds; round += 1) {
    console.log(`round ${round}/${rounds}`);
    const scroll = timed('bash', ['-c', rawScrollScript(url, big.map(sourceIndex))]);
    if (Number(scroll.stdout.trim()) !== expectedPages) throw new Error(`raw scroll read ${scroll.stdout.trim()} pages, ${expectedPages} expected`);
    record('raw export: curl scroll loop (size=5000, filter_path)', scroll, round);

    const rawImport = await timedRawImport(client, url, bodies, prefix, counts, '1.2.0');
    record('raw import: curl _bulk of the 1.2.0 documents, pre-built 8 MB bodies, 3 in flight, 1.2.0 mappings', rawImport, round);

    // Round 1 only: after a migration the 1.1.0 indices carry a write block, and an export of a
    // write-blocked index records index.verified_read_only, which importIndices cannot set (400).
    if (round === 1 && !skipOursExport) {
      const folder = join(work, 'ours');
      rmSync(folder, { recursive: true, force: true });
      const exported = timed('node', [join(here, 'run-migrate.mjs'), 'export', url, folder, ...big.map(sourceIndex)]);
      if (lastJson(exported).documents !== total) throw new Error(`ours exported ${lastJson(exported).documents}`);
      record('ours exportIndices (gzip 1)', exported, round);
      const imported = timed('node', [join(here, 'run-migrate.mjs'), 'import', url, folder, '-ours-copy']);
      if (lastJson(imported).documents !== total) throw new Error(`ours imported ${lastJson(imported).documents}`);
      record('ours importIndices', imported, round);
      await client.indices.delete({ index: big.map((name) => `${sourceIndex(name)}-ours-copy`).join(',') });
      rmSync(folder, { recursive: true, force: true });
    }

    if (round > 1) {
      // Back to the 1.1.0 view: the next run rebuilds every 1.2.0 index from the 1.1.0 ones.
      timed('node', [join(here, 'run-migrate.mjs'), 'rollback', url, prefix]);
      if (plain) await backToPlainIndices(names);
    }
    const migrated = timed('node', [join(here, 'run-migrate.mjs'), 'migrate', url, prefix]);
    const result = lastJson(migrated);
    console.log(`  migration: read ${result.read}, written ${result.written}, rules ${JSON.stringify(result.rules)}`);
    for (const name of big)
      if ((await count(`${prefix}${name}`)) !== counts[name]) throw new Error(`migrated ${prefix}${name} holds ${await count(`${prefix}${name}`)}`);
    record(`runMigration 1.1.0 -> 1.2.0 (${plain ? 'first migration of plain indices: adoption + build' : 'aliased 1.1.0 indices'})`, migrated, round);
  }

  if (profileFolder) {
    rmSync(profileFolder, { recursive: true, force: true });
    timed('node', [join(here, 'run-migrate.mjs'), 'rollback', url, prefix]);
    const run = spawnSync('node', ['--cpu-prof', `--cpu-prof-dir=${profileFolder}`, join(here, 'run-migrate.mjs'), 'migrate', url, prefix], {
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`profiled migration failed: ${run.stderr}`);
    console.log(`\nCPU profile of runMigration (${profileFolder}):`);
    console.log(execFileSync('node', [join(here, '..', 'bench-es', 'cpu-profile-top.mjs'), profileFolder, '25'], { encoding: 'utf8' }));
  }

  const best = printBestRounds(rows, { total, sourceBytes, rounds, what: 'three big indices' });
  const seconds = (name) => Object.values(best).find((row) => row.name.startsWith(name))?.seconds;
  const ceiling = seconds('raw export') + seconds('raw import');
  const ours = seconds('ours exportIndices') + seconds('ours importIndices');
  const migration = seconds('runMigration');
  console.log(`\nraw export + import ceiling: ${ceiling.toFixed(1)} s; migration: ${migration.toFixed(1)} s`);
  console.log(`migration / raw ceiling = ${(migration / ceiling).toFixed(2)} (target <= 1.5)`);
  if (!skipOursExport) console.log(`ours export + import: ${ours.toFixed(1)} s; migration / ours export + import = ${(migration / ours).toFixed(2)}`);
  console.log('\nall rounds:');
  for (const row of rows)
    console.log(`  round ${row.round} ${row.name}: ${row.seconds.toFixed(1)} s, ${Math.round(row.maxRssMb)} MB, load ${row.load.toFixed(1)}`);
} finally {
  await client.indices
    .delete({ index: `${prefix}*`, ignore_unavailable: true, allow_no_indices: true, expand_wildcards: 'all' })
    .catch((error) => console.error(`cleanup: ${error.message}`));
  await client.close();
  rmSync(work, { recursive: true, force: true });
}
