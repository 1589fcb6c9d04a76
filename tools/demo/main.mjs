#!/usr/bin/env node
// @ts-check
// The demo: starts a real Elasticsearch, installs a sample A4C 1.1.0 (indices + data folder
// + config files), then drives the real a4c-admin binary through backup -> migrate ->
// verify -> restore, printing what each step did and a summary table. It runs on the
// built packages (`pnpm build` first; `npm run demo` does it).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { startNodeSet, stopNodeSet } from '@a4c-admin/elasticsearch-launcher';
import { generateDataFolder, loadSampleIndices, writeSampleConfigs } from '@a4c-admin/sample-data';

const keep = process.argv.includes('--keep');
const folder = process.env.A4C_DEMO_DIR ?? '/var/tmp/a4c-admin-demo';
const binary = createRequire(import.meta.url)
  .resolve('a4c-admin/package.json')
  .replace(/package\.json$/, 'dist/bin.js');
const say = (/** @type {string} */ line) => console.log(line);

/**
 * Runs the CLI with --json and returns its parsed result; its progress goes to our stderr.
 * @param {string} label @param {string[]} args
 */
async function cli(label, args) {
  say(`\n$ a4c-admin ${args.join(' ')}`);
  const started = Date.now();
  const child = spawn(process.execPath, [binary, '--json', '-c', join(folder, 'admin-tool-config.yml'), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise((resolve) => child.on('exit', resolve));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (code !== 0) {
    // With --json the error is the JSON document on stdout; stderr holds NDJSON progress events.
    say(
      stdout ||
        stderr
          .split('\n')
          .filter((line) => !line.startsWith('{'))
          .join('\n'),
    );
    throw new Error(`step "${label}" failed with exit status ${code}`);
  }
  const result = JSON.parse(stdout);
  const events = stderr.split('\n').filter(Boolean).length;
  say(`  ok in ${seconds}s (${events} progress events)`);
  return { label, seconds, result };
}

const steps = [];
let started = false;
try {
  say('a4c-admin demo: a real Elasticsearch, a sample Alien4Cloud 1.1.0 installation, backup -> migrate -> verify -> restore\n');
  const node = await startNodeSet({ name: 'demo', httpPort: 9240, fresh: true, log: (line) => say(`[es] ${line}`) });
  started = true;
  const health = await (await fetch(`${node.url}/_cluster/health`)).json();
  say(`Elasticsearch ${node.version} at ${node.url}: ${health.status}, ${health.number_of_nodes} node(s)`);

  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  const { indices } = await loadSampleIndices({ node: node.url, multiply: 50 });
  const documents = Object.values(indices).reduce((sum, count) => sum + count, 0);
  const data = await generateDataFolder({ root: join(folder, 'data'), seed: 'demo' });
  await writeSampleConfigs({ folder, node: node.url, repositoryPath: node.repoPath });
  say(`sample A4C 1.1.0: ${Object.keys(indices).length} indices, ${documents} documents; data folder ${data.files} files, ${data.bytes} bytes`);

  const before = await fingerprint(node.url, Object.keys(indices));

  steps.push(await cli('backup 1.1.0', ['backup', '1.1.0', '-n', 'backup110']));
  steps.push(await cli('migrate 1.1.0 -> 1.2.0', ['migrate', '1.1.0', '--to', '1.2.0', '--skip-backup', 'backup110']));
  const nodeTypes = await (await fetch(`${node.url}/indexednodetype/_search?size=100`)).json();
  const withProperties = (nodeTypes.hits?.hits ?? []).find((/** @type {any} */ hit) => hit._source?.properties);
  if (withProperties) {
    const properties = withProperties._source.properties;
    say(
      `  node type ${withProperties._id}: properties ${Array.isArray(properties) ? `now a list of ${properties.length} {key, value} entries (the 1.2.0 form)` : 'still an object'}`,
    );
  }
  steps.push(await cli('verify backup110', ['verify', 'backup110']));
  steps.push(await cli('restore 1.1.0', ['restore', '1.1.0', '-n', 'backup110', '--yes']));
  steps.push(await cli('list', ['list']));
  const after = await fingerprint(node.url, Object.keys(indices));
  const identical = Object.keys(before).filter((index) => before[index] === after[index]);

  say('\nSummary');
  const rows = steps.map((step) => [step.label, `${step.seconds}s`, summarize(step.result)]);
  const widths = [0, 1].map((column) => Math.max(...rows.map((row) => row[column].length), 6));
  say(`${'step'.padEnd(widths[0])}  ${'time'.padEnd(widths[1])}  result`);
  for (const row of rows) say(`${row[0].padEnd(widths[0])}  ${row[1].padEnd(widths[1])}  ${row[2]}`);
  say(`\nafter restore: ${identical.length}/${Object.keys(before).length} indices identical to before the backup (SHA-256 of every document's id and source)`);
  if (identical.length !== Object.keys(before).length)
    throw new Error(
      `indices differ after restore: ${Object.keys(before)
        .filter((index) => !identical.includes(index))
        .join(', ')}`,
    );
} catch (error) {
  console.error(`\ndemo failed: ${/** @type {Error} */ (error).message}`);
  process.exitCode = 1;
} finally {
  if (started && !keep) await stopNodeSet('demo', { log: (line) => say(`[es] ${line}`) });
  if (keep) say(`\nElasticsearch left running (stop it with: node tools/elasticsearch/cli.mjs stop --name demo); files in ${folder}`);
}

/** One line per step for the table, from the CLI's JSON output. @param {any} output */
function summarize(output) {
  const result = output.result ?? output;
  if (result.summary) return [result.summary].flat().slice(0, 2).join('; ');
  if (result.backups)
    return result.backups
      .map((/** @type {any} */ backup) => `${backup.name} (${backup.state}, A4C ${backup.version}, ${backup.documents} documents, ${backup.files} files)`)
      .join(', ');
  return JSON.stringify(result).slice(0, 120);
}

/**
 * SHA-256 of every document (id + source) of each index, to show the restore is exact.
 * @param {string} url @param {string[]} indices @returns {Promise<Record<string, string>>}
 */
async function fingerprint(url, indices) {
  /** @type {Record<string, string>} */
  const result = {};
  for (const index of indices) {
    const body = await (await fetch(`${url}/${index}/_search?size=10000`)).json();
    const hits = (body.hits?.hits ?? []).map((/** @type {any} */ hit) => `${hit._id}\t${JSON.stringify(hit._source)}`).sort();
    result[index] = createHash('sha256').update(hits.join('\n')).digest('hex');
  }
  return result;
}
