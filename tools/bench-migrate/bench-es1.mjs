// Cross-cluster migration benchmark: `a4c-admin migrate 1.1.0 --target <8.19>` from a real A4C
// 1.1.0 installation on Elasticsearch 1.7 (the multi-type layout: node types in
// toscaelement/indexednodetype, ...) against the raw ceiling of the same work, measured in the
// same run: a curl scan + scroll loop over the source types on 1.7 + curl _bulk of pre-built
// bodies of the same documents into fresh 8.19 indices. The tools take turns in each round, so
// that the load of the shared machine hits them alike; the ratio uses each one's best round.
//
// The source: the A4C 1.1.0 samples in the ES 1.x layout (tools/sample-data) plus N generated
// ~1.1 KB documents (documents.mjs: the same shares as bench.mjs) in the three types the 1.2.0
// step rewrites most. The migration runs in a child process through the CLI's library entry
// point (`migrate(config, { from: '1.1.0', target })`: the ports the CLI opens), timed under
// /usr/bin/time for its peak RSS; before each round the target's indices of the previous one are
// deleted (a migration refuses a target that already holds A4C data).
//
// Usage: node tools/bench-migrate/bench-es1.mjs [--docs 200000] [--source http://127.0.0.1:9471]
//          [--target http://127.0.0.1:9451] [--shards 5] [--rounds 2] [--profile <folder>]
//          [--keep-source] [--prefix <prefix>]
// --shards: primary shards of each ES 1.x index (an index A4C 1.1.0 created without settings got
// ES 1.x's default, 5). --keep-source leaves the source installation in place, and --prefix reuses
// one so left (same --docs and --shards), to measure a change again without loading it.
// Needs the built packages (pnpm build). Deletes everything else it creates.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createElasticsearchClient } from '../../packages/es-snapshot/dist/index.js';
import { argument, bulkBodyWriter, printBestRounds, rawBulkCommand, rawScanScript, roundRecorder, timed } from '../bench-es/bench-tools.mjs';
import { es1LocationOf, es1Request, loadEs1SampleIndices, readSampleDocuments } from '../sample-data/dist/index.js';
import { exitWithUsageOnHelp } from '../usage-on-help.mjs';
import { SHARES } from './documents.mjs';
import { timedRawImport } from './raw-import.mjs';

exitWithUsageOnHelp(import.meta.url);

const documents = Number(argument('docs', '200000'));
const sourceUrl = argument('source', 'http://127.0.0.1:9471');
const targetUrl = argument('target', 'http://127.0.0.1:9451');
const shards = Number(argument('shards', '5'));
const rounds = Number(argument('rounds', '2'));
const profileFolder = argument('profile', undefined);
const here = dirname(fileURLToPath(import.meta.url));
const keepSource = process.argv.includes('--keep-source');
const prefix = argument('prefix', `bench-x-${Date.now().toString(36)}-`);
const work = mkdtempSync(join(tmpdir(), 'a4c-bench-es1-'));
const target = createElasticsearchClient({ addresses: [targetUrl], request_timeout_ms: 600_000 });
const big = SHARES.map(([name]) => name);
const sizes = Object.fromEntries(SHARES.map(([name, share]) => [name, Math.round(documents * share)]));
/** Where each big index lives on ES 1.x: `<prefix><es1 index>/<es1 type>`. */
const es1Path = (name) => {
  const location = es1LocationOf(name);
  return `${prefix}${location.es1Index}/${location.es1Type}`;
};
/** The raw scan's page: about 5000 hits, as the raw scroll of bench-es (size counts per shard on 1.x). */
const scanSizePerShard = Math.ceil(5000 / shards);
const counts = {};
let total = 0;

const lastJson = (run) => JSON.parse(run.stdout.trim().split('\n').at(-1));
const { rows, record } = roundRecorder(() => total);
const targetCount = async (index) => (await target.count({ index })).count;
const deleteOnTarget = () => target.indices.delete({ index: `${prefix}*`, ignore_unavailable: true, allow_no_indices: true, expand_wildcards: 'all' });
const migrateAcross = (node = []) => timed('node', [...node, join(here, 'run-migrate.mjs'), 'across', sourceUrl, targetUrl, prefix, work]);

/** The best round of each run, the ratio against the target and every round, as docs/benchmarks.md shows them. */
function printSummary(sourceBytes) {
  const best = printBestRounds(rows, { total, sourceBytes, rounds, what: 'three big types' });
  const bestOf = (start) => Object.values(best).find((row) => row.name.startsWith(start));
  const ceiling = bestOf('raw export').seconds + bestOf('raw import').seconds;
  const ours = bestOf('ours');
  console.log(
    `\nraw ceiling (scan + _bulk): ${ceiling.toFixed(1)} s; ours: ${ours.seconds.toFixed(1)} s = ${(ceiling / ours.seconds).toFixed(2)}x of the ceiling (target >= 0.5x); peak RSS ${Math.round(ours.maxRssMb)} MB (target <= 256 MB)`,
  );
  console.log('\nall rounds:');
  for (const row of rows)
    console.log(`  round ${row.round} ${row.name}: ${row.seconds.toFixed(1)} s, ${Math.round(row.maxRssMb)} MB, load ${row.load.toFixed(1)}`);
}

try {
  console.log(`uptime at start: ${execFileSync('uptime', { encoding: 'utf8' }).trim()}`);
  // --- the 1.1.0 installation on ES 1.x: the samples, then the generated documents ---
  const loaded = Object.keys(await es1Request(sourceUrl, 'GET', '/_aliases')).some((index) => index.startsWith(prefix));
  if (!loaded) await loadEs1SampleIndices({ url: sourceUrl, prefix, shards });
  const samples = await readSampleDocuments();
  const load = join(work, 'es1-load');
  const bodies = join(work, 'bodies');
  mkdirSync(load);
  mkdirSync(bodies);
  const es1Bodies = bulkBodyWriter(load);
  const rawBodies = bulkBodyWriter(bodies);
  let sourceBytes = 0;
  for (const [name, , make] of SHARES) {
    const [index, type] = es1Path(name).split('/');
    const own = samples.filter((document) => document.index === name);
    for (let i = 0; i < sizes[name] + own.length; i += 1) {
      const document = i < sizes[name] ? make(i) : own[i - sizes[name]];
      const source = JSON.stringify(document.source);
      const id = JSON.stringify(document.id);
      // The samples are in the source already (loadEs1SampleIndices); the raw bodies hold them too.
      if (i < sizes[name]) es1Bodies.add(`{"index":{"_index":"${index}","_type":"${type}","_id":${id}}}`, source);
      rawBodies.add(`{"index":{"_index":"${prefix}raw-${name}","_id":${id}}}`, source);
      sourceBytes += source.length;
    }
  }
  es1Bodies.finish();
  rawBodies.finish();
  const es1Indices = [...new Set(big.map((name) => es1Path(name).split('/')[0]))];
  if (!loaded) timed('bash', ['-c', rawBulkCommand(sourceUrl, load, es1Indices)]);
  rmSync(load, { recursive: true, force: true });
  for (const name of big) {
    counts[name] = Number((await es1Request(sourceUrl, 'GET', `/${es1Path(name)}/_count`)).count);
    const own = samples.filter((document) => document.index === name).length;
    if (counts[name] !== sizes[name] + own) throw new Error(`${es1Path(name)} holds ${counts[name]} documents, ${sizes[name] + own} expected`);
    total += counts[name];
  }
  if (!loaded) await es1Request(sourceUrl, 'POST', `/${es1Indices.join(',')}/_optimize?max_num_segments=1`);
  const stats = await es1Request(sourceUrl, 'GET', `/${es1Indices.join(',')}/_stats/store`);
  console.log(
    `loaded ${documents} generated documents (${big.map((name) => `${es1Path(name)} ${sizes[name]}`).join(', ')}) + ${samples.length} samples on ES 1.x, ${shards} shard(s) an index; ${(stats._all.primaries.store.size_in_bytes / 1e6).toFixed(1)} MB on disk`,
  );

  const minimumPages = Math.ceil(total / (scanSizePerShard * shards));
  for (let round = 1; round <= rounds; round += 1) {
    console.log(`round ${round}/${rounds}`);
    const scan = timed('bash', ['-c', rawScanScript(sourceUrl, big.map(es1Path), scanSizePerShard)]);
    if (Number(scan.stdout.trim()) < minimumPages) throw new Error(`raw scan read ${scan.stdout.trim()} pages, at least ${minimumPages} expected`);
    record(`raw export: curl scan loop on 1.7 (size=${scanSizePerShard} a shard, filter_path)`, scan, round);

    const rawImport = await timedRawImport(target, targetUrl, bodies, prefix, counts);
    record('raw import: curl _bulk into 8.19 of pre-built 8 MB bodies, 3 in flight', rawImport, round);

    const migrated = migrateAcross();
    const result = lastJson(migrated);
    if (result.status !== 'migrated') throw new Error(`migration ended ${result.status}`);
    if (round === 1) console.log(`  migration: read ${result.read}, written ${result.written}, rules ${JSON.stringify(result.rules)}`);
    for (const name of big)
      if ((await targetCount(`${prefix}${name}`)) !== counts[name]) throw new Error(`migrated ${prefix}${name} holds ${await targetCount(`${prefix}${name}`)}`);
    record('ours: migrate 1.1.0 --target (1.7.6 -> 8.19)', migrated, round);
    await deleteOnTarget();
  }

  if (profileFolder) {
    rmSync(profileFolder, { recursive: true, force: true });
    migrateAcross(['--cpu-prof', `--cpu-prof-dir=${profileFolder}`]);
    await deleteOnTarget();
    console.log(`\nCPU profile of the migration (${profileFolder}):`);
    console.log(execFileSync('node', [join(here, '..', 'bench-es', 'cpu-profile-top.mjs'), profileFolder, '25'], { encoding: 'utf8' }));
  }

  if (rows.length > 0) printSummary(sourceBytes);
} finally {
  await deleteOnTarget().catch((error) => console.error(`cleanup of the target: ${error.message}`));
  if (keepSource) console.log(`source kept: --prefix ${prefix}`);
  else await es1Request(sourceUrl, 'DELETE', `/${prefix}*`).catch((error) => console.error(`cleanup of the source: ${error.message}`));
  await target.close();
  rmSync(work, { recursive: true, force: true });
}
