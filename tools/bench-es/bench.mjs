// Export/import benchmark: ours vs the raw Elasticsearch ceiling (curl scroll loop, curl
// _bulk of pre-built bodies) vs elasticdump, measured in one run on one index.
// Usage: node tools/bench-es/bench.mjs [--docs 100000] [--url http://127.0.0.1:9200] [--no-elasticdump]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { createElasticsearchClient, createIndexWriter } from '@a4c-admin/es-snapshot';

const argument = (name, fallback) => {
  const position = process.argv.indexOf(`--${name}`);
  return position > 0 ? process.argv[position + 1] : fallback;
};
const documents = Number(argument('docs', '100000'));
const url = argument('url', 'http://127.0.0.1:9200');
const withElasticdump = !process.argv.includes('--no-elasticdump');
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
      nodeTemplates: Array.from({ length: 4 }, (_, node) => ({ name: `Compute_${node}`, type: 'tosca.nodes.Compute', properties: { num_cpus: node + 1, mem_size: `${(node + 1) * 512} MB`, os_type: 'linux' } })),
      tags: [{ name: 'owner', value: `user${index % 37}` }, { name: 'env', value: index % 3 ? 'dev' : 'prod' }],
    },
  };
}

async function* generated() {
  for (let start = 0; start < documents; start += 5000) {
    yield Array.from({ length: Math.min(5000, documents - start) }, (_, offset) => makeDocument(start + offset));
  }
}

/** Runs a command under /usr/bin/time; returns seconds and peak RSS (KB) of the whole run. */
function timed(command, args, options = {}) {
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, ...options });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr.slice(-2000)}`);
  const lines = result.stderr.trim().split('\n');
  return { seconds, maxRssKb: Number(lines.at(-1)), stdout: result.stdout };
}

const count = async (index) => (await client.count({ index })).count;
const rows = [];
const skipped = [];
/** elasticdump asks GET / for the version, which some distributions do not serve: report, do not abort. */
function attempt(name, run) {
  try {
    run();
  } catch (error) {
    skipped.push(`${name}: ${String(error.message).split('\n').find((line) => /Error|error/.test(line)) ?? error.message}`);
  }
}
function record(name, run, docs, bytes) {
  rows.push({ name, docsPerSecond: docs / run.seconds, megabytesPerSecond: bytes / run.seconds / 1e6, seconds: run.seconds, maxRssMb: run.maxRssKb / 1024, docs });
}

try {
  const writer = createIndexWriter(client);
  await writer.create(source, { mappings: { properties: { id: { type: 'keyword' }, creationDate: { type: 'date' }, nodeTemplates: { type: 'object', enabled: false } } }, settings: { index: { number_of_shards: 2, number_of_replicas: 0 } } });
  await writer.write(source, generated());
  await client.indices.forcemerge({ index: source, max_num_segments: 1 }).catch(() => undefined);
  const sourceBytes = Number((await client.indices.stats({ index: source, metric: 'store' }))._all.primaries.store.size_in_bytes);
  console.log(`loaded ${await count(source)} documents into ${source} (${(sourceBytes / 1e6).toFixed(1)} MB on disk)`);

  // --- export ---
  const ours = join(work, 'ours');
  const oursRun = timed('node', [join(here, 'run-ours.mjs'), 'export', url, source, ours]);
  const oursResult = JSON.parse(oursRun.stdout.trim().split('\n').at(-1));
  const ndjsonBytes = readdirSync(ours).filter((file) => file.endsWith('.gz')).reduce((sum, file) => sum + gunzipSync(readFileSync(join(ours, file))).length, 0);
  record('ours export (gzip 1)', oursRun, oursResult.documents, ndjsonBytes);

  const scroll = `
    set -e
    answer=$(curl -s -H 'content-type: application/json' "${url}/${source}/_search?scroll=2m&size=5000&filter_path=_scroll_id,hits.hits._id,hits.hits._source" -d '{"sort":["_doc"]}' -o ${work}/page.json -w '%{http_code}')
    id=$(jq -r ._scroll_id ${work}/page.json)
    while true; do
      curl -s -H 'content-type: application/json' "${url}/_search/scroll?filter_path=_scroll_id,hits.hits._id,hits.hits._source" -d "{\\"scroll\\":\\"2m\\",\\"scroll_id\\":\\"$id\\"}" -o ${work}/page.json
      [ "$(jq '.hits.hits | length' ${work}/page.json)" -gt 0 ] 2>/dev/null || break
    done
    curl -s -XDELETE -H 'content-type: application/json' "${url}/_search/scroll" -d "{\\"scroll_id\\":\\"$id\\"}" > /dev/null`;
  record('raw scroll (curl, size=5000, filter_path)', timed('bash', ['-c', scroll]), documents, ndjsonBytes);

  if (withElasticdump) {
    const dumped = join(work, 'elasticdump.json');
    attempt('elasticdump export', () => record('elasticdump export (limit 100, default)', timed('npx', ['-y', 'elasticdump@6', `--input=${url}/${source}`, `--output=${dumped}`, '--type=data', '--limit=100']), documents, ndjsonBytes));
    if (!skipped.length) record('elasticdump export (limit 5000, tuned)', timed('npx', ['-y', 'elasticdump@6', `--input=${url}/${source}`, `--output=${dumped}`, '--type=data', '--limit=5000']), documents, ndjsonBytes);
  }

  // --- import ---
  const oursTarget = `bench-es-ours-${stamp}`;
  created.push(oursTarget);
  const importRun = timed('node', [join(here, 'run-ours.mjs'), 'import', url, ours, oursTarget]);
  record('ours import', importRun, await count(oursTarget), ndjsonBytes);

  // Raw ceiling: the same NDJSON, cut into ~8 MB bodies beforehand, 3 curls in flight.
  const rawTarget = `bench-es-raw-${stamp}`;
  created.push(rawTarget);
  await client.indices.create({ index: rawTarget, mappings: { properties: { id: { type: 'keyword' }, creationDate: { type: 'date' }, nodeTemplates: { type: 'object', enabled: false } } }, settings: { index: { number_of_shards: 2, number_of_replicas: 0, refresh_interval: '-1' } } });
  const bodies = join(work, 'bodies');
  mkdirSync(bodies);
  let body = [];
  let size = 0;
  let part = 0;
  const flush = () => {
    if (body.length) writeFileSync(join(bodies, `${String(part++).padStart(5, '0')}.ndjson`), `${body.join('\n')}\n`);
    body = [];
    size = 0;
  };
  for (const file of readdirSync(ours).filter((name) => name.endsWith('.gz')).sort()) {
    const lines = gunzipSync(readFileSync(join(ours, file))).toString('utf8').split('\n').filter(Boolean);
    for (let line = 0; line < lines.length; line += 2) {
      const action = lines[line].replace(`"_index":"${source}"`, `"_index":"${rawTarget}"`);
      body.push(action, lines[line + 1]);
      size += action.length + lines[line + 1].length + 2;
      if (size >= 8 * 1024 * 1024) flush();
    }
  }
  flush();
  const bulk = `ls ${bodies}/*.ndjson | xargs -P 3 -I{} curl -s -o /dev/null -H 'content-type: application/x-ndjson' --data-binary @{} '${url}/_bulk' && curl -s -o /dev/null -XPOST '${url}/${rawTarget}/_refresh'`;
  record('raw _bulk (curl, 8 MB bodies, 3 in flight)', timed('bash', ['-c', bulk]), documents, ndjsonBytes);
  if ((await count(rawTarget)) !== documents) throw new Error(`raw bulk loaded ${await count(rawTarget)} documents`);

  if (withElasticdump) {
    const dumpTarget = `bench-es-elasticdump-${stamp}`;
    created.push(dumpTarget);
    await client.indices.create({ index: dumpTarget, mappings: { properties: { id: { type: 'keyword' }, creationDate: { type: 'date' }, nodeTemplates: { type: 'object', enabled: false } } }, settings: { index: { number_of_shards: 2, number_of_replicas: 0 } } });
    const dumped = join(work, 'elasticdump.json');
    if (!skipped.length) attempt('elasticdump import', () => record('elasticdump import (limit 5000, tuned)', timed('npx', ['-y', 'elasticdump@6', `--input=${dumped}`, `--output=${url}/${dumpTarget}`, '--type=data', '--limit=5000']), documents, ndjsonBytes));
  }

  for (const line of skipped) console.log(`skipped ${line}`);
  const byName = Object.fromEntries(rows.map((row) => [row.name, row]));
  console.log(`\n${documents} documents, ${(ndjsonBytes / 1e6).toFixed(1)} MB of NDJSON (${(statSync(ours).size && readdirSync(ours).filter((f) => f.endsWith('.gz')).reduce((s, f) => s + statSync(join(ours, f)).size, 0) / 1e6).toFixed(1)} MB gzipped)\n`);
  console.log('| run | docs/s | MB/s | seconds | peak RSS MB |');
  console.log('|---|---:|---:|---:|---:|');
  for (const row of rows) console.log(`| ${row.name} | ${Math.round(row.docsPerSecond)} | ${row.megabytesPerSecond.toFixed(1)} | ${row.seconds.toFixed(1)} | ${Math.round(row.maxRssMb)} |`);
  const ratio = (a, b) => (byName[a] && byName[b] ? (byName[a].docsPerSecond / byName[b].docsPerSecond).toFixed(2) : 'n/a');
  console.log(`\nexport: ours / raw scroll = ${ratio('ours export (gzip 1)', 'raw scroll (curl, size=5000, filter_path)')}, ours / elasticdump default = ${ratio('ours export (gzip 1)', 'elasticdump export (limit 100, default)')}, ours / elasticdump tuned = ${ratio('ours export (gzip 1)', 'elasticdump export (limit 5000, tuned)')}`);
  console.log(`import: ours / raw _bulk = ${ratio('ours import', 'raw _bulk (curl, 8 MB bodies, 3 in flight)')}, ours / elasticdump tuned = ${ratio('ours import', 'elasticdump import (limit 5000, tuned)')}`);
} finally {
  await client.indices.delete({ index: created.join(','), ignore_unavailable: true }).catch(() => undefined);
  await client.close();
  rmSync(work, { recursive: true, force: true });
}
