// The command users run, measured beside its peers: `a4c-admin backup --format export` of a whole
// A4C installation (the sample installation, its topology index enlarged with ~1.1 KB documents
// and given 2 shards) and the CLI restore of that export, against the library under it, the raw
// curl ceilings (scroll loop over every index, _bulk of pre-built bodies) and elasticdump
// (default `--limit 100` and `--limit 5000`, on the large index only: the rest is 432 documents),
// on loopback and through latency-proxy.mjs (2.7 ms and 11 ms round trips). A large multi-shard
// index is also read in slices and in one stream (the library) beside one raw scroll stream.
// Usage: node tools/bench-es/bench-installation.mjs [--url http://127.0.0.1:9411] [--docs 200000]
//          [--rounds 2] [--rtts 0,2.7,11] [--elasticdump <bin> | --no-elasticdump] [--elasticdump-rtts 11]
//          [--restore-rtts 0,11 | --restore-rtts none] [--restore-only] [--baseline <another checkout, built>]
// --baseline: also runs that checkout's CLI restore and library import in every restore round,
// beside this one's (a before/after in the same conditions).
// --restore-only: one CLI export (the restore's source, not timed against anything), then only
// the restore rows (CLI restore, library import, raw _bulk, raw PUT + _bulk).
// Every round runs the contenders one after the other (interleaved), so the load of the shared
// machine hits them alike; ratios use each contender's best round.

import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { createElasticsearchClient, createIndexReader, createIndexWriter, readExportManifest } from '@a4c-admin/es-snapshot';
import { topology } from '../bench-migrate/documents.mjs';
import { setUpSampleInstallation, writeSampleConfigs } from '../sample-data/dist/index.js';
import { exitWithUsageOnHelp } from '../usage-on-help.mjs';
import {
  argument,
  bulkBodyWriter,
  deleteIndices,
  rawBulkCommand,
  rawCreateScript,
  rawScrollScript,
  rawSlicedScrollScript,
  roundRecorder,
  timed,
} from './bench-tools.mjs';

exitWithUsageOnHelp(import.meta.url);

const url = argument('url', 'http://127.0.0.1:9411');
const documents = Number(argument('docs', '200000'));
const rounds = Number(argument('rounds', '2'));
const rtts = argument('rtts', '0,2.7,11').split(',').map(Number);
// `--restore-rtts none`: exports only.
const restoreRtts = argument('restore-rtts', '0,11') === 'none' ? [] : argument('restore-rtts', '0,11').split(',').map(Number);
const elasticdumpRtts = argument('elasticdump-rtts', String(Math.max(...rtts)))
  .split(',')
  .map(Number);
const restoreOnly = process.argv.includes('--restore-only');
const baseline = argument('baseline', undefined);
const withElasticdump = !restoreOnly && !process.argv.includes('--no-elasticdump');
const elasticdumpBin = argument('elasticdump', undefined);
const elasticdump = elasticdumpBin ? ['node', [elasticdumpBin]] : ['npx', ['-y', 'elasticdump@6']];
const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '../../packages/cli/dist/bin.js');
const stamp = Date.now().toString(36);
const prefix = `bi${stamp}-`;
const work = mkdtempSync(join(tmpdir(), 'a4c-bench-installation-'));
const client = createElasticsearchClient({ addresses: [url], request_timeout_ms: 300_000 });
const children = [];
const extraIndices = [];
const installedIndices = [];

/** Starts a helper proxy in its own process; resolves with the URL it prints. */
async function startChild(script, args) {
  const child = spawn(process.execPath, [join(here, script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const line = await new Promise((resolve, reject) => {
    child.stdout.once('data', (data) => resolve(String(data)));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return JSON.parse(line.trim()).url;
}
const hostPort = (address) => new URL(address).host;

const { rows, record } = roundRecorder(() => total);
let total = 0;
const label = (rtt) => (rtt === 0 ? 'loopback' : `${rtt} ms`);

try {
  console.log(`uptime at start: ${execFileSync('uptime', { encoding: 'utf8' }).trim()}`);
  const clusterName = (await client.cluster.health()).cluster_name;
  const repositoryPath = (await client.nodes.info({ metric: 'settings' })).nodes;
  const repoPath = Object.values(repositoryPath)[0]?.settings?.path?.repo;
  const installation = await setUpSampleInstallation({
    node: url,
    folder: join(work, 'installation'),
    prefix,
    repositoryPath: Array.isArray(repoPath) ? repoPath[0] : repoPath,
  });
  const indices = Object.keys(installation.indices).sort();
  installedIndices.push(...indices, ...['-lib0', '-lib2.7', '-lib11'].flatMap((suffix) => indices.map((index) => `${index}${suffix}`)));
  // The topology index, enlarged and given 2 shards (a large multi-shard index: read in slices).
  const big = `${prefix}topology`;
  const reader = createIndexReader(client);
  const kept = [];
  for await (const page of reader.read(big)) kept.push(...page);
  const definition = await reader.definition(big);
  const writer = createIndexWriter(client);
  await writer.remove(big);
  await writer.create(big, { mappings: definition.mappings, settings: { index: { number_of_shards: 2, number_of_replicas: 0 } } });
  async function* pages() {
    yield kept;
    for (let start = 0; start < documents; start += 5000)
      yield Array.from({ length: Math.min(5000, documents - start) }, (_, offset) => topology(start + offset));
  }
  await writer.write(big, pages());
  await client.indices.refresh({ index: indices.join(',') });
  await client.indices.forcemerge({ index: big, max_num_segments: 1 }).catch(() => undefined);
  const counts = Object.fromEntries(await Promise.all(indices.map(async (index) => [index, (await client.count({ index })).count])));
  total = Object.values(counts).reduce((sum, count) => sum + count, 0);
  console.log(
    `installation: ${indices.length} indices, ${total} documents (${counts[big]} in ${big}, 2 shards); data folder ${installation.dataFolder.files ?? '?'} files`,
  );

  // Latency proxies (one to the node, one to es-root-proxy for elasticdump, which needs GET /), and a config each.
  const rootProxy = withElasticdump ? await startChild('es-root-proxy.mjs', [url]) : undefined;
  const endpoints = {};
  for (const rtt of new Set([...rtts, ...restoreRtts])) {
    const node = rtt === 0 ? url : await startChild('latency-proxy.mjs', [hostPort(url), String(rtt)]);
    const dump = rootProxy ? (rtt === 0 ? rootProxy : await startChild('latency-proxy.mjs', [hostPort(rootProxy), String(rtt)])) : undefined;
    const { configFile } = await writeSampleConfigs({
      folder: join(work, `config-${rtt}`),
      node,
      dataDir: installation.dataDir,
      backupDir: join(work, 'backups'),
      exportDir: join(work, 'export'),
      indexPrefix: prefix,
      clusterName,
      ...(Array.isArray(repoPath) ? { repositoryPath: repoPath[0] } : repoPath ? { repositoryPath: repoPath } : {}),
    });
    endpoints[rtt] = { node, dump, configFile };
  }
  const a4c = (rtt, args) => timed('node', [cli, '--config', endpoints[rtt].configFile, '--json', ...args]);
  const backupFolder = (name) => join(work, 'backups', name);

  // --- export of the whole installation, interleaved rounds, at each RTT ---
  let restoreSource;
  for (let round = 1; round <= (restoreOnly ? 1 : rounds); round += 1) {
    for (const rtt of restoreOnly ? [0] : rtts) {
      const { node, dump } = endpoints[rtt];
      console.log(`export round ${round}/${rounds}, ${label(rtt)}`);
      const name = `bench-${rtt}-${round}`;
      record(`CLI backup --format export (${label(rtt)})`, a4c(rtt, ['backup', '1.1.0', '--format', 'export', '-n', name]), round);
      const manifest = await readExportManifest(join(backupFolder(name), 'export'));
      const exported = manifest.indices.reduce((sum, entry) => sum + entry.count, 0);
      if (exported !== total) throw new Error(`the CLI exported ${exported} documents, ${total} expected`);
      if (rtt === 0 && !restoreSource) restoreSource = name;
      else rmSync(backupFolder(name), { recursive: true, force: true });
      if (restoreOnly) continue;
      const library = join(work, 'library');
      rmSync(library, { recursive: true, force: true });
      record(`library exportIndices (${label(rtt)})`, timed('node', [join(here, 'run-ours.mjs'), 'export-all', node, library, 'auto', ...indices]), round);
      const raw = timed('bash', ['-c', rawScrollScript(node, indices)]);
      record(`raw curl scroll, every index (${label(rtt)})`, raw, round);
      if (withElasticdump && round === 1 && elasticdumpRtts.includes(rtt)) {
        const [command, commandPrefix] = elasticdump;
        const dumped = join(work, 'elasticdump.json');
        for (const limit of [100, 5000]) {
          rmSync(dumped, { force: true });
          const run = timed(command, [...commandPrefix, `--input=${dump}/${big}`, `--output=${dumped}`, '--type=data', `--limit=${limit}`]);
          const lines = Number(execFileSync('wc', ['-l', dumped], { encoding: 'utf8' }).trim().split(/\s+/)[0]);
          if (lines !== counts[big]) throw new Error(`elasticdump --limit ${limit} wrote ${lines} lines`);
          // Scaled to the whole installation's documents (it dumped the large index only: 99.8 % of them).
          record(
            `elasticdump --limit ${limit}${limit === 100 ? ' (default)' : ''}, large index only (${label(rtt)})`,
            { ...run, seconds: run.seconds * (total / counts[big]) },
            round,
          );
        }
        rmSync(dumped, { force: true });
      }
      if (rtt === 0) {
        // One large multi-shard index: in slices (one a shard) and in one stream, beside one raw scroll stream.
        for (const slices of ['auto', '1']) {
          rmSync(library, { recursive: true, force: true });
          const run = timed('node', [join(here, 'run-ours.mjs'), 'export-all', node, library, slices, big]);
          record(
            `library export of ${counts[big]} docs, 2 shards, ${slices === 'auto' ? 'sliced (2 slices)' : 'one stream'}`,
            { ...run, seconds: run.seconds * (total / counts[big]) },
            round,
          );
        }
        const one = timed('bash', ['-c', rawScrollScript(node, [big])]);
        record(`raw curl scroll of ${counts[big]} docs, 2 shards, one stream`, { ...one, seconds: one.seconds * (total / counts[big]) }, round);
        // The ceiling of slicing on this machine: two raw sliced scroll streams at once.
        const sliced = timed('bash', ['-c', rawSlicedScrollScript(node, big, 2)]);
        record(
          `raw curl sliced scroll of ${counts[big]} docs, 2 shards, 2 slices in parallel`,
          { ...sliced, seconds: sliced.seconds * (total / counts[big]) },
          round,
        );
      }
    }
  }

  // --- restore of that export: the CLI, the library, raw _bulk of the same bytes ---
  const exportFolder = join(backupFolder(restoreSource), 'export');
  const manifest = await readExportManifest(exportFolder);
  const bodies = join(work, 'bodies');
  mkdirSync(bodies);
  const rawBodies = bulkBodyWriter(bodies);
  const rawName = (index) => `${index}-raw`;
  for (const entry of manifest.indices) {
    for (const chunk of entry.chunks) {
      const lines = gunzipSync(readFileSync(join(exportFolder, chunk.file)))
        .toString('utf8')
        .split('\n')
        .filter(Boolean);
      for (let line = 0; line < lines.length; line += 2)
        rawBodies.add(lines[line].replace(`"_index":"${entry.index}"`, `"_index":"${rawName(entry.index)}"`), lines[line + 1]);
    }
  }
  rawBodies.finish();
  // Each raw target's creation request (the exported definition, refresh and replicas off, as our import makes it).
  const definitionFiles = join(work, 'raw-definitions');
  mkdirSync(definitionFiles, { recursive: true });
  for (const entry of manifest.indices) {
    const settings = { index: { ...entry.definition.settings?.index, refresh_interval: '-1', number_of_replicas: 0 } };
    writeFileSync(join(definitionFiles, `${rawName(entry.index)}.json`), JSON.stringify({ mappings: entry.definition.mappings, settings }));
  }
  for (let round = 1; round <= rounds; round += 1) {
    for (const rtt of restoreRtts) {
      const { node } = endpoints[rtt];
      console.log(`restore round ${round}/${rounds}, ${label(rtt)}`);
      // The backup's config files came from the loopback config's folder: each restore puts them
      // into its own config's folder (the move-host flag), so that every round does the same work.
      const configFolder = join(work, `config-${rtt}`);
      record(
        `CLI restore of the export (${label(rtt)})`,
        a4c(rtt, ['restore', '1.1.0', '-n', restoreSource, '--yes', '--config-files-to', configFolder]),
        round,
      );
      const restored = (await Promise.all(indices.map(async (index) => (await client.count({ index })).count))).reduce((sum, count) => sum + count, 0);
      if (restored !== total) throw new Error(`the CLI restored ${restored} documents, ${total} expected`);
      const suffix = `-lib${rtt}`;
      const libraryRun = timed('node', [join(here, 'run-ours.mjs'), 'import-all', node, exportFolder, suffix]);
      record(`library importIndices (${label(rtt)})`, libraryRun, round);
      await client.indices.delete({ index: indices.map((index) => `${index}${suffix}`).join(','), ignore_unavailable: true });
      if (baseline) {
        const baselineCli = join(baseline, 'packages/cli/dist/bin.js');
        record(
          `baseline CLI restore of the export (${label(rtt)})`,
          timed('node', [
            baselineCli,
            '--config',
            endpoints[rtt].configFile,
            '--json',
            'restore',
            '1.1.0',
            '-n',
            restoreSource,
            '--yes',
            '--config-files-to',
            configFolder,
          ]),
          round,
        );
        const again = (await Promise.all(indices.map(async (index) => (await client.count({ index })).count))).reduce((sum, count) => sum + count, 0);
        if (again !== total) throw new Error(`the baseline CLI restored ${again} documents, ${total} expected`);
        record(
          `baseline library importIndices (${label(rtt)})`,
          timed('node', [join(baseline, 'tools/bench-es/run-ours.mjs'), 'import-all', node, exportFolder, suffix]),
          round,
        );
        await client.indices.delete({ index: indices.map((index) => `${index}${suffix}`).join(','), ignore_unavailable: true });
      }
      // The raw targets made beforehand with the exported definitions and refresh off, as our import makes them.
      for (const entry of manifest.indices) {
        const settings = { index: { ...entry.definition.settings?.index, refresh_interval: '-1', number_of_replicas: 0 } };
        await writer.create(rawName(entry.index), { mappings: entry.definition.mappings, settings });
      }
      extraIndices.push(...manifest.indices.map((entry) => rawName(entry.index)));
      record(
        `raw curl _bulk, 8 MB bodies, 3 in flight (${label(rtt)})`,
        timed('bash', [
          '-c',
          rawBulkCommand(
            node,
            bodies,
            manifest.indices.map((entry) => rawName(entry.index)),
          ),
        ]),
        round,
      );
      const raw = (await client.count({ index: manifest.indices.map((entry) => rawName(entry.index)).join(',') })).count;
      if (raw !== total) throw new Error(`raw _bulk loaded ${raw} documents`);
      await client.indices.delete({ index: manifest.indices.map((entry) => rawName(entry.index)).join(','), ignore_unavailable: true });
      // The honest ceiling of a restore, which must create its indices: the same bulks, with a
      // curl PUT of each index (its exported definition, refresh and replicas off) inside the timing.
      record(
        `raw curl PUT of each index + _bulk, 8 MB bodies, 3 in flight (${label(rtt)})`,
        timed('bash', [
          '-c',
          `${rawCreateScript(node, definitionFiles)} && ${rawBulkCommand(
            node,
            bodies,
            manifest.indices.map((entry) => rawName(entry.index)),
          )}`,
        ]),
        round,
      );
      const rawCreated = (await client.count({ index: manifest.indices.map((entry) => rawName(entry.index)).join(',') })).count;
      if (rawCreated !== total) throw new Error(`raw PUT + _bulk loaded ${rawCreated} documents`);
      await client.indices.delete({ index: manifest.indices.map((entry) => rawName(entry.index)).join(','), ignore_unavailable: true });
    }
  }

  // --- best rounds and ratios ---
  const best = {};
  for (const row of rows) if (!best[row.name] || row.seconds < best[row.name].seconds) best[row.name] = row;
  console.log(`\n${total} documents in ${indices.length} indices, ${rounds} round(s), best shown`);
  console.log(`uptime at end: ${execFileSync('uptime', { encoding: 'utf8' }).trim()}\n`);
  console.log('| run | seconds | docs/s | peak RSS MB | load (1 min) |');
  console.log('|---|---:|---:|---:|---:|');
  for (const row of Object.values(best))
    console.log(`| ${row.name} | ${row.seconds.toFixed(1)} | ${Math.round(row.docsPerSecond)} | ${Math.round(row.maxRssMb)} | ${row.load.toFixed(1)} |`);
  const ratio = (a, b) => (best[a] && best[b] ? `${(best[b].seconds / best[a].seconds).toFixed(2)}x` : 'n/a');
  console.log('');
  for (const rtt of rtts) {
    const cliRow = `CLI backup --format export (${label(rtt)})`;
    console.log(
      `${label(rtt)}: CLI export / raw scroll = ${ratio(cliRow, `raw curl scroll, every index (${label(rtt)})`)}, library / raw scroll = ${ratio(`library exportIndices (${label(rtt)})`, `raw curl scroll, every index (${label(rtt)})`)}, CLI / elasticdump default = ${ratio(cliRow, `elasticdump --limit 100 (default), large index only (${label(rtt)})`)}, CLI / elasticdump --limit 5000 = ${ratio(cliRow, `elasticdump --limit 5000, large index only (${label(rtt)})`)}`,
    );
  }
  for (const rtt of restoreRtts)
    console.log(
      `${label(rtt)}: CLI restore / raw _bulk = ${ratio(`CLI restore of the export (${label(rtt)})`, `raw curl _bulk, 8 MB bodies, 3 in flight (${label(rtt)})`)}, library import / raw _bulk = ${ratio(`library importIndices (${label(rtt)})`, `raw curl _bulk, 8 MB bodies, 3 in flight (${label(rtt)})`)} (indices created beforehand, untimed); CLI restore / raw PUT + _bulk = ${ratio(`CLI restore of the export (${label(rtt)})`, `raw curl PUT of each index + _bulk, 8 MB bodies, 3 in flight (${label(rtt)})`)}, library import / raw PUT + _bulk = ${ratio(`library importIndices (${label(rtt)})`, `raw curl PUT of each index + _bulk, 8 MB bodies, 3 in flight (${label(rtt)})`)} (creations timed)`,
    );
  if (baseline)
    for (const rtt of restoreRtts)
      console.log(
        `${label(rtt)}: baseline CLI restore / raw _bulk = ${ratio(`baseline CLI restore of the export (${label(rtt)})`, `raw curl _bulk, 8 MB bodies, 3 in flight (${label(rtt)})`)}, baseline library import / raw _bulk = ${ratio(`baseline library importIndices (${label(rtt)})`, `raw curl _bulk, 8 MB bodies, 3 in flight (${label(rtt)})`)}; CLI restore / baseline = ${ratio(`CLI restore of the export (${label(rtt)})`, `baseline CLI restore of the export (${label(rtt)})`)}, library import / baseline = ${ratio(`library importIndices (${label(rtt)})`, `baseline library importIndices (${label(rtt)})`)}`,
      );
  const sliceName = (what) => Object.keys(best).find((name) => name.includes(what));
  console.log(
    `large index: sliced / one raw scroll stream = ${ratio(sliceName('sliced (2 slices)'), sliceName('raw curl scroll of'))}, sliced / one library stream = ${ratio(sliceName('sliced (2 slices)'), sliceName('2 shards, one stream'))}, raw sliced (2 in parallel) / one raw scroll stream = ${ratio(sliceName('raw curl sliced scroll'), sliceName('raw curl scroll of'))} (the ceiling of slicing here)`,
  );
  console.log('\nall rounds:');
  for (const row of rows)
    console.log(`  round ${row.round} ${row.name}: ${row.seconds.toFixed(1)} s, ${Math.round(row.maxRssMb)} MB, load ${row.load.toFixed(1)}`);
} finally {
  for (const child of children) child.kill('SIGTERM');
  // By name: 8.x refuses wildcard deletes (action.destructive_requires_name).
  await deleteIndices(client, [...installedIndices, ...extraIndices]);
  await client.close();
  rmSync(work, { recursive: true, force: true });
}
