// Export/import benchmark: ours vs the raw Elasticsearch ceiling (curl scroll loop, curl
// _bulk of pre-built bodies) vs elasticdump, measured in one run on one index.
// Usage: node tools/bench-es/bench.mjs [--docs 100000] [--url http://127.0.0.1:9270] [--rounds 2]
//          [--elasticdump /path/to/elasticdump/bin/elasticdump | --no-elasticdump] [--elasticdump-import-default]
//          [--profile <folder>]
// Every comparison is interleaved: each round runs ours, the raw ceiling and (first round) elasticdump
// one after the other, so that the load of the shared machine hits all of them alike; the ratios
// use each run's best round. elasticdump goes through es-root-proxy.mjs (see there why).

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { createElasticsearchClient, createIndexWriter } from '@a4c-admin/es-snapshot';
import { exitWithUsageOnHelp } from '../usage-on-help.mjs';
import { argument, bulkBodyWriter, rawBulkCommand, rawScrollScript, timed } from './bench-tools.mjs';

exitWithUsageOnHelp(import.meta.url);

const documents = Number(argument('docs', '100000'));
const url = argument('url', 'http://127.0.0.1:9270');
const rounds = Number(argument('rounds', '2'));
const withElasticdump = !process.argv.includes('--no-elasticdump');
/** elasticdump's own bin (installed outside the repo), or npx. */
const elasticdumpBin = argument('elasticdump', undefined);
const elasticdump = elasticdumpBin ? ['node', [elasticdumpBin]] : ['npx', ['-y', 'elasticdump@6']];
/** elasticdump's import at its default --limit 100 too (slow: off unless asked). */
const elasticdumpImportDefault = process.argv.includes('--elasticdump-import-default');
const profileFolder = argument('profile', undefined);
const here = dirname(fileURLToPath(import.meta.url));
const stamp = Date.now().toString(36);
const source = `bench-es-source-${stamp}`;
const work = mkdtempSync(join(tmpdir(), 'a4c-bench-es-'));
const client = createElasticsearchClient({ addresses: [url], request_timeout_ms: 300_000 });
const created = [source];

function makeDocument(index) {
  return {
    id: `topology:${index}`,
    routing: index % 7 === 0 ? `r${index % 5}` : undefined,
    source: {
      id: `topology:${index}`,
      archiveName: `archive-${index % 500}`,
      archiveVersion: `1.${index % 9}.0-SNAPSHOT`,
      workspace: index % 2 ? 'ALIEN_GLOBAL_WORKSPACE' : 'app:demo',
      description: `Topology ${index}: a web tier, a database and the network between them, deployed on the default location.`,
      creationDate: 1_600_000_000_000 + index * 1000,
      lastUpdateDate: 1_600_000_500_000 + index * 1000,
      nodeTemplates: Array.from({ length: 4 }, (_, node) => ({
        name: `Compute_${node}`,
        type: 'tosca.nodes.Compute',
        properties: { num_cpus: node + 1, mem_size: `${(node + 1) * 512} MB`, os_type: 'linux' },
      })),
      tags: [
        { name: 'owner', value: `user${index % 37}` },
        { name: 'env', value: index % 3 ? 'dev' : 'prod' },
      ],
    },
  };
}

async function* generated() {
  for (let start = 0; start < documents; start += 5000) {
    yield Array.from({ length: Math.min(5000, documents - start) }, (_, offset) => makeDocument(start + offset));
  }
}

const count = async (index) => (await client.count({ index })).count;
const rows = [];
function record(name, run, docs, bytes) {
  rows.push({
    name,
    docsPerSecond: docs / run.seconds,
    megabytesPerSecond: bytes / run.seconds / 1e6,
    seconds: run.seconds,
    maxRssMb: run.maxRssKb / 1024,
    docs,
    load: run.load,
  });
  const row = rows.at(-1);
  console.log(
    `  ${name}: ${Math.round(row.docsPerSecond)} docs/s, ${row.seconds.toFixed(1)} s, ${Math.round(row.maxRssMb)} MB RSS (load ${row.load.toFixed(1)})`,
  );
}

const MAPPINGS = { properties: { id: { type: 'keyword' }, creationDate: { type: 'date' }, nodeTemplates: { type: 'object', enabled: false } } };
const createTarget = (index, refreshOff) =>
  client.indices.create({
    index,
    mappings: MAPPINGS,
    settings: { index: { number_of_shards: 2, number_of_replicas: 0, ...(refreshOff ? { refresh_interval: '-1' } : {}) } },
  });
const dropIndex = (index) => client.indices.delete({ index, ignore_unavailable: true });

/** Starts es-root-proxy.mjs in its own process (spawnSync below blocks this one). */
async function startProxy() {
  const child = spawn(process.execPath, [join(here, 'es-root-proxy.mjs'), url], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    child.stdout.once('data', (data) => resolve(String(data)));
    child.once('exit', (code) => reject(new Error(`es-root-proxy exited with ${code}`)));
  });
  return { child, url: JSON.parse(line.trim()).url };
}

function rawScroll(name, base) {
  const run = timed('bash', ['-c', rawScrollScript(base, [source])]);
  const pages = Number(run.stdout.trim());
  if (pages !== Math.ceil(documents / 5000)) throw new Error(`raw scroll read ${pages} pages, ${Math.ceil(documents / 5000)} expected`);
  record(name, run, documents, ndjsonBytes);
}

const lineCount = (file) => Number(execFileSync('wc', ['-l', file], { encoding: 'utf8' }).trim().split(/\s+/)[0]);
let ndjsonBytes = 0;
let proxy;

try {
  console.log(`uptime at start: ${execFileSync('uptime', { encoding: 'utf8' }).trim()}`);
  const writer = createIndexWriter(client);
  await writer.create(source, { mappings: MAPPINGS, settings: { index: { number_of_shards: 2, number_of_replicas: 0 } } });
  await writer.write(source, generated());
  await client.indices.forcemerge({ index: source, max_num_segments: 1 }).catch(() => undefined);
  const sourceBytes = Number((await client.indices.stats({ index: source, metric: 'store' }))._all.primaries.store.size_in_bytes);
  console.log(`loaded ${await count(source)} documents into ${source} (${(sourceBytes / 1e6).toFixed(1)} MB on disk)`);
  if (withElasticdump) {
    proxy = await startProxy();
    console.log(`elasticdump goes through ${proxy.url} (GET / answered there, the rest forwarded to ${url})`);
  }

  // --- export, interleaved rounds ---
  const ours = join(work, 'ours');
  const dumped = join(work, 'elasticdump.json');
  for (let round = 1; round <= rounds; round += 1) {
    console.log(`export round ${round}/${rounds}`);
    rmSync(ours, { recursive: true, force: true });
    const oursRun = timed('node', [join(here, 'run-ours.mjs'), 'export', url, source, ours]);
    const oursResult = JSON.parse(oursRun.stdout.trim().split('\n').at(-1));
    if (oursResult.documents !== documents) throw new Error(`ours exported ${oursResult.documents} documents`);
    if (!ndjsonBytes)
      ndjsonBytes = readdirSync(ours)
        .filter((file) => file.endsWith('.gz'))
        .reduce((sum, file) => sum + gunzipSync(readFileSync(join(ours, file))).length, 0);
    record('ours export (PIT + search_after, gzip 1)', oursRun, documents, ndjsonBytes);
    rawScroll('raw scroll (curl, size=5000, filter_path)', url);
    if (withElasticdump && round === 1) {
      rawScroll('raw scroll through es-root-proxy (proxy cost)', proxy.url);
      const [command, prefix] = elasticdump;
      for (const limit of [100, 5000]) {
        rmSync(dumped, { force: true });
        const run = timed(command, [...prefix, `--input=${proxy.url}/${source}`, `--output=${dumped}`, '--type=data', `--limit=${limit}`]);
        if (lineCount(dumped) !== documents) throw new Error(`elasticdump --limit ${limit} wrote ${lineCount(dumped)} lines`);
        record(`elasticdump export (limit ${limit}${limit === 100 ? ', default' : ', tuned'})`, run, documents, ndjsonBytes);
      }
    }
  }

  // Raw ceiling bodies: the same NDJSON, cut into ~8 MB bodies beforehand (not timed).
  const rawTarget = `bench-es-raw-${stamp}`;
  const bodies = join(work, 'bodies');
  mkdirSync(bodies);
  const rawBodies = bulkBodyWriter(bodies);
  for (const file of readdirSync(ours)
    .filter((name) => name.endsWith('.gz'))
    .sort()) {
    const lines = gunzipSync(readFileSync(join(ours, file)))
      .toString('utf8')
      .split('\n')
      .filter(Boolean);
    for (let line = 0; line < lines.length; line += 2) rawBodies.add(lines[line].replace(`"_index":"${source}"`, `"_index":"${rawTarget}"`), lines[line + 1]);
  }
  rawBodies.finish();
  // What our import does around the load (refresh off during it, refresh at the end), in curl.
  const bulk = rawBulkCommand(url, bodies, [rawTarget]);

  // --- import, interleaved rounds; each target is deleted once counted ---
  for (let round = 1; round <= rounds; round += 1) {
    console.log(`import round ${round}/${rounds}`);
    const oursTarget = `bench-es-ours-${stamp}`;
    created.push(oursTarget);
    const importRun = timed('node', [join(here, 'run-ours.mjs'), 'import', url, ours, oursTarget]);
    if ((await count(oursTarget)) !== documents) throw new Error(`ours imported ${await count(oursTarget)} documents`);
    record('ours import (8 MB bulks, 3 in flight)', importRun, documents, ndjsonBytes);
    await dropIndex(oursTarget);

    created.push(rawTarget);
    await createTarget(rawTarget, true);
    record('raw _bulk (curl, 8 MB bodies, 3 in flight)', timed('bash', ['-c', bulk]), documents, ndjsonBytes);
    if ((await count(rawTarget)) !== documents) throw new Error(`raw bulk loaded ${await count(rawTarget)} documents`);
    await dropIndex(rawTarget);

    if (withElasticdump && round === 1) {
      const [command, prefix] = elasticdump;
      for (const limit of elasticdumpImportDefault ? [5000, 100] : [5000]) {
        const dumpTarget = `bench-es-elasticdump-${stamp}`;
        created.push(dumpTarget);
        // As an operator would: the index made beforehand with the mappings, replicas 0.
        await createTarget(dumpTarget, false);
        const run = timed(command, [...prefix, `--input=${dumped}`, `--output=${proxy.url}/${dumpTarget}`, '--type=data', `--limit=${limit}`]);
        await client.indices.refresh({ index: dumpTarget });
        if ((await count(dumpTarget)) !== documents) throw new Error(`elasticdump imported ${await count(dumpTarget)} documents`);
        record(`elasticdump import (limit ${limit}${limit === 100 ? ', default' : ', tuned'})`, run, documents, ndjsonBytes);
        await dropIndex(dumpTarget);
      }
    }
  }

  // --- optional CPU profiles of ours (not timed) ---
  if (profileFolder) {
    for (const operation of ['export', 'import']) {
      const folder = join(profileFolder, operation);
      rmSync(folder, { recursive: true, force: true });
      const target = `bench-es-profiled-${stamp}`;
      if (operation === 'import') created.push(target);
      const args = operation === 'export' ? [source, join(work, 'profiled')] : [ours, target];
      const run = spawnSync('node', ['--cpu-prof', `--cpu-prof-dir=${folder}`, join(here, 'run-ours.mjs'), operation, url, ...args], { encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`profiled ${operation} failed: ${run.stderr}`);
      console.log(`\nCPU profile of ours ${operation} (${folder}):`);
      console.log(execFileSync('node', [join(here, 'cpu-profile-top.mjs'), folder], { encoding: 'utf8' }));
    }
  }

  const gzipped = readdirSync(ours)
    .filter((f) => f.endsWith('.gz'))
    .reduce((s, f) => s + statSync(join(ours, f)).size, 0);
  const best = {};
  for (const row of rows) if (!best[row.name] || row.docsPerSecond > best[row.name].docsPerSecond) best[row.name] = row;
  console.log(
    `\n${documents} documents, ${(ndjsonBytes / 1e6).toFixed(1)} MB of NDJSON (${(gzipped / 1e6).toFixed(1)} MB gzipped), ${rounds} round(s), best round shown`,
  );
  console.log(`uptime at end: ${execFileSync('uptime', { encoding: 'utf8' }).trim()}\n`);
  console.log('| run | docs/s | MB/s | seconds | peak RSS MB | load (1 min) |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const row of Object.values(best))
    console.log(
      `| ${row.name} | ${Math.round(row.docsPerSecond)} | ${row.megabytesPerSecond.toFixed(1)} | ${row.seconds.toFixed(1)} | ${Math.round(row.maxRssMb)} | ${row.load.toFixed(1)} |`,
    );
  const ratio = (a, b) => (best[a] && best[b] ? (best[a].docsPerSecond / best[b].docsPerSecond).toFixed(2) : 'n/a');
  const oursExport = 'ours export (PIT + search_after, gzip 1)';
  const oursImport = 'ours import (8 MB bulks, 3 in flight)';
  console.log(
    `\nexport: ours / raw scroll = ${ratio(oursExport, 'raw scroll (curl, size=5000, filter_path)')}, ours / elasticdump default = ${ratio(oursExport, 'elasticdump export (limit 100, default)')}, ours / elasticdump tuned = ${ratio(oursExport, 'elasticdump export (limit 5000, tuned)')}`,
  );
  console.log(
    `import: ours / raw _bulk = ${ratio(oursImport, 'raw _bulk (curl, 8 MB bodies, 3 in flight)')}, ours / elasticdump tuned = ${ratio(oursImport, 'elasticdump import (limit 5000, tuned)')}, ours / elasticdump default = ${ratio(oursImport, 'elasticdump import (limit 100, default)')}`,
  );
  console.log(
    `proxy cost: raw scroll direct / through the proxy = ${ratio('raw scroll (curl, size=5000, filter_path)', 'raw scroll through es-root-proxy (proxy cost)')}`,
  );
  console.log('\nall rounds:');
  for (const row of rows) console.log(`  ${row.name}: ${Math.round(row.docsPerSecond)} docs/s, ${Math.round(row.maxRssMb)} MB, load ${row.load.toFixed(1)}`);
} finally {
  proxy?.child.kill('SIGTERM');
  await client.indices.delete({ index: created.join(','), ignore_unavailable: true }).catch(() => undefined);
  await client.close();
  rmSync(work, { recursive: true, force: true });
}
