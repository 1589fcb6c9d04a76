#!/usr/bin/env node
// @ts-check
// The demo: the path a real operator takes. A sample A4C 1.1.0 installation as A4C left it, on
// Elasticsearch 1.7 in A4C's own multi-type layout (+ data folder + config files); the real
// a4c-admin binary backs it up and verifies the backup there, migrates it in place to 1.2.0 on
// the same Elasticsearch 1.7 as the seed did (the demo checks that the A4C names serve the 1.2.0
// documents), rolls that back (the 1.1.0 documents come back exactly), then carries the
// installation into Elasticsearch 8.19 in one command (migrate --target); the demo checks that
// the A4C names on 8.19 serve the 1.2.0 documents and that the 1.7 source is unchanged; then the
// new installation is backed up, damaged and restored on 8.19. It prints what each step did and a
// summary table. It runs on the built packages (`pnpm build` first; `npm run demo` does it).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { a4cIndexNames, DATA_VERSION_1_1_0, DATA_VERSION_1_2_0, ES1_STORAGE_LAYOUT } from '@a4c-admin/core';
import { A4C_1X_ELASTICSEARCH_VERSION, SHORT_LIVED_NODE_JAVA_OPTIONS, startNodeSet, stopNodeSet } from '@a4c-admin/elasticsearch-launcher';
import { setUpEs1SampleInstallation, writeSampleConfigs } from '@a4c-admin/sample-data';

const keep = process.argv.includes('--keep');
const folder = process.env.A4C_DEMO_DIR ?? '/var/tmp/a4c-admin-demo';
const binary = createRequire(import.meta.url)
  .resolve('a4c-admin/package.json')
  .replace(/package\.json$/, 'dist/bin.js');
const say = (/** @type {string} */ line) => console.log(line);
// The node sets the demo starts (a4c-admin itself never starts Elasticsearch).
const legacySet = { name: 'demo-es1', httpPort: 9250 };
const modernSet = { name: 'demo', httpPort: 9240 };
/** How many copies of the sample application: enough documents to show progress, a quick demo. */
const MULTIPLY = 50;

/**
 * Runs the CLI with --json against one config file and returns its parsed result; its progress goes
 * to our stderr.
 * @param {string} label @param {string} configFile @param {string[]} args
 */
async function cli(label, configFile, args) {
  // The config file says which cluster a step talks to: the 1.7 one, or the 8.19 one after the move.
  say(`\n$ a4c-admin -c ${relative(folder, configFile)} ${args.join(' ')}`);
  const started = Date.now();
  const child = spawn(process.execPath, [binary, '--json', '-c', configFile, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
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

/** @param {string} url @param {string} [path] @param {RequestInit} [init] */
async function http(url, path = '/', init) {
  const response = await fetch(`${url}${path}`, init);
  const body = await response.json();
  if (!response.ok) throw new Error(`Elasticsearch ${init?.method ?? 'GET'} ${path}: ${response.status} ${JSON.stringify(body).slice(0, 500)}`);
  return body;
}

const steps = [];
/** @type {string[]} */
const startedSets = [];
const demoStarted = Date.now();
try {
  say(
    `a4c-admin demo: Alien4Cloud 1.1.0 on its own Elasticsearch ${A4C_1X_ELASTICSEARCH_VERSION}, backed up and migrated in place there, then carried into Elasticsearch 8.19 as A4C 1.2.0\n`,
  );
  // Both nodes at once: the 8.19 one takes the longer to start.
  const log = (/** @type {string} */ line) => say(`[es] ${line}`);
  const starts = await Promise.allSettled([
    // Short-lived nodes: C1 only halves their start-up CPU (java-options.mjs of the launcher).
    startNodeSet({ ...legacySet, version: A4C_1X_ELASTICSEARCH_VERSION, fresh: true, log, javaOptions: SHORT_LIVED_NODE_JAVA_OPTIONS }),
    startNodeSet({ ...modernSet, fresh: true, log, javaOptions: SHORT_LIVED_NODE_JAVA_OPTIONS }),
  ]);
  for (const [position, start] of starts.entries()) if (start.status === 'fulfilled') startedSets.push([legacySet, modernSet][position].name);
  const failed = starts.find((start) => start.status === 'rejected');
  if (failed) throw /** @type {PromiseRejectedResult} */ (failed).reason;
  const [legacy, modern] = starts.map((start) => /** @type {PromiseFulfilledResult<any>} */ (start).value);
  for (const node of [legacy, modern]) {
    const health = await http(node.url, '/_cluster/health');
    say(`Elasticsearch ${node.version} at ${node.url}: cluster "${health.cluster_name}", ${health.status}, ${health.number_of_nodes} node(s)`);
  }

  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  const installation = await setUpEs1SampleInstallation({ url: legacy.url, folder, multiply: MULTIPLY, repositoryPath: legacy.repoPath });
  const es1Types = Object.values(installation.indices).flatMap((types) => Object.values(types));
  const es1Documents = es1Types.reduce((sum, count) => sum + count, 0);
  say(
    `sample A4C 1.1.0 on Elasticsearch ${legacy.version} (A4C's layout: ${Object.keys(installation.indices).length} indices, ${es1Types.length} mapping types, ` +
      `${es1Documents} documents); data folder ${installation.dataFolder.files} files, ${installation.dataFolder.bytes} bytes; config in ${installation.configFile}`,
  );
  const installed = await es1Fingerprint(legacy.url, Object.keys(installation.indices));

  // 1. On Elasticsearch 1.7, where A4C 1.1.0 keeps its data.
  steps.push(await cli('backup 1.1.0 (ES 1.7)', installation.configFile, ['backup', DATA_VERSION_1_1_0, '-n', 'backup110']));
  steps.push(await cli('verify backup110 (ES 1.7)', installation.configFile, ['verify', 'backup110']));

  // 2. In place, as the seed did: A4C 1.2.0 runs on the same Elasticsearch 1.7.
  steps.push(await cli('migrate 1.1.0 in place (ES 1.7)', installation.configFile, ['migrate', DATA_VERSION_1_1_0, '--skip-backup', 'backup110', '--yes']));
  const inPlace = await checkEs1InPlace(legacy.url, installation.indices);
  say(
    `  Elasticsearch ${legacy.version}: ${inPlace.indices} ES 1.x index names, each an alias of its ${DATA_VERSION_1_2_0} index; ` +
      `${inPlace.equal}/${inPlace.types} types hold as many documents as before (${inPlace.documents} documents); ` +
      `node type ${inPlace.nodeType.id}: properties ${inPlace.nodeType.list ? `now a list of ${inPlace.nodeType.entries} {key, value} entries (the 1.2.0 form)` : 'still an object'}`,
  );
  steps.push(await cli('migrate 1.1.0 --rollback (ES 1.7)', installation.configFile, ['migrate', DATA_VERSION_1_1_0, '--rollback', '--yes']));
  const sourceBefore = await es1Fingerprint(legacy.url, Object.keys(installation.indices));
  const restored = Object.keys(installed.hashes).filter((index) => installed.hashes[index] === sourceBefore.hashes[index]);
  say(`  after the rollback: ${restored.length}/${Object.keys(installed.hashes).length} ES 1.x indices serve exactly the 1.1.0 documents of the installation`);
  if (restored.length !== Object.keys(installed.hashes).length) throw new Error('the rollback did not give the 1.1.0 documents back exactly');
  say(`\nThe operator's other road: the same 1.1.0 installation carried into Elasticsearch ${modern.version}, in one command.`);

  // 3. Across: the 1.7 cluster is the source, only read; 8.19 the target.
  steps.push(await cli('migrate 1.1.0 --target (ES 1.7 -> 8.19)', installation.configFile, ['migrate', DATA_VERSION_1_1_0, '--target', modern.url, '--yes']));
  const counts = await checkTarget(modern.url, installation.indices);
  say(
    `  Elasticsearch ${modern.version}: ${counts.names} A4C names, each an alias of its ${DATA_VERSION_1_2_0} index; ${counts.equal}/${counts.names} hold as many documents as the ES 1.x source ` +
      `(${counts.documents} documents in all)`,
  );
  const nodeTypes = await http(modern.url, '/indexednodetype/_search?size=100');
  const withProperties = (nodeTypes.hits?.hits ?? []).find((/** @type {any} */ hit) => hit._source?.properties);
  if (withProperties) {
    const properties = withProperties._source.properties;
    say(
      `  node type ${withProperties._id}: properties ${Array.isArray(properties) ? `now a list of ${properties.length} {key, value} entries (the 1.2.0 form)` : 'still an object'}`,
    );
  }
  const sourceAfter = await es1Fingerprint(legacy.url, Object.keys(installation.indices));
  const unchanged = Object.keys(sourceBefore.hashes).filter((index) => sourceBefore.hashes[index] === sourceAfter.hashes[index]);
  say(
    `  Elasticsearch ${legacy.version} source after the migration: ${unchanged.length}/${Object.keys(sourceBefore.hashes).length} indices identical to before ` +
      `(${sourceAfter.documents} documents; SHA-256 of every document's type, id and source): it stays a complete rollback`,
  );
  if (unchanged.length !== Object.keys(sourceBefore.hashes).length) throw new Error('the ES 1.x source changed during the migration');

  // 4. On Elasticsearch 8.19: a4c-admin (and A4C 1.2.0) now point at the new cluster; same data
  // folder and backup folder, as on the same host.
  const modernConfig = await writeSampleConfigs({
    folder: join(folder, 'config-es8'),
    node: modern.url,
    dataDir: installation.dataDir,
    backupDir: installation.backupDir,
    exportDir: join(folder, 'export'),
    clusterName: modern.clusterName,
    repositoryPath: modern.repoPath,
  });
  const doctor = await cli('doctor (ES 8.19)', modernConfig.configFile, ['doctor']);
  steps.push(doctor);
  const dataVersion = doctor.result.result.checks.find((/** @type {any} */ check) => check.name === 'data version')?.detail ?? '';
  say(`  data version on ${modern.url}: ${dataVersion}`);
  if (!dataVersion.startsWith(DATA_VERSION_1_2_0)) throw new Error(`the target's data-version marker does not say ${DATA_VERSION_1_2_0}: ${dataVersion}`);
  // The portable form: NDJSON a person (or another cluster) can read.
  steps.push(
    await cli('backup 1.2.0 --format export (ES 8.19)', modernConfig.configFile, ['backup', DATA_VERSION_1_2_0, '-n', 'backup120', '--format', 'export']),
  );
  const names = a4cIndexNames(DATA_VERSION_1_2_0);
  const before = await fingerprint(modern.url, names);
  // An accident: an index deleted by hand. A partial restore brings it back.
  const [lost] = Object.keys(await http(modern.url, '/application'));
  await http(modern.url, `/${lost}`, { method: 'DELETE' });
  say(`\nan accident on Elasticsearch ${modern.version}: index ${lost} deleted`);
  steps.push(
    await cli('restore 1.2.0 --indices application (ES 8.19)', modernConfig.configFile, [
      'restore',
      DATA_VERSION_1_2_0,
      '-n',
      'backup120',
      '--indices',
      'application',
      '--yes',
    ]),
  );
  steps.push(await cli('list', installation.configFile, ['list']));
  const after = await fingerprint(modern.url, names);
  const identical = names.filter((index) => before[index] === after[index]);

  say('\nSummary');
  const rows = steps.map((step) => [step.label, `${step.seconds}s`, summarize(step.result)]);
  const widths = [0, 1].map((column) => Math.max(...rows.map((row) => row[column].length), 6));
  say(`${'step'.padEnd(widths[0])}  ${'time'.padEnd(widths[1])}  result`);
  for (const row of rows) say(`${row[0].padEnd(widths[0])}  ${row[1].padEnd(widths[1])}  ${row[2]}`);
  say(`\nafter restore: ${identical.length}/${names.length} indices identical to before the accident (SHA-256 of every document's id and source)`);
  if (identical.length !== names.length) throw new Error(`indices differ after restore: ${names.filter((index) => !identical.includes(index)).join(', ')}`);
  say(`demo done in ${((Date.now() - demoStarted) / 1000).toFixed(0)}s (Elasticsearch starts included)`);
} catch (error) {
  console.error(`\ndemo failed: ${/** @type {Error} */ (error).message}`);
  process.exitCode = 1;
} finally {
  if (!keep) for (const name of startedSets) await stopNodeSet(name, { log: (line) => say(`[es] ${line}`) });
  if (keep) {
    say(`\nElasticsearch left running (stop it with: node tools/elasticsearch/cli.mjs stop --name ${startedSets.join(' / --name ')}); files in ${folder}`);
  }
}

/** One line per step for the table, from the CLI's JSON output. @param {any} output */
function summarize(output) {
  const result = output.result ?? output;
  if (result.summary) return [result.summary].flat().slice(0, 2).join('; ');
  if (result.backups)
    return result.backups
      .map(
        (/** @type {any} */ backup) =>
          `${backup.name} (${backup.state}, A4C ${backup.version}, ${backup.format}, ${backup.documents} documents, ${backup.files} files)`,
      )
      .join(', ');
  if (result.checks) return result.checks.map((/** @type {any} */ check) => `${check.name}: ${check.status}`).join(', ');
  return JSON.stringify(result).slice(0, 120);
}

/**
 * The target after the migration: every A4C name of 1.2.0 is an alias of its versioned index, and
 * holds as many documents as the ES 1.x types that feed it (R8 keeps one audit configuration).
 * @param {string} url @param {Record<string, Record<string, number>>} es1Indices
 */
async function checkTarget(url, es1Indices) {
  /** @type {Record<string, number>} */
  const expected = {};
  for (const row of ES1_STORAGE_LAYOUT[DATA_VERSION_1_1_0]) expected[row.es8Index] = es1Indices[row.es1Index]?.[row.es1Type] ?? 0;
  const names = a4cIndexNames(DATA_VERSION_1_2_0);
  const aliases = await http(url, `/_alias/${names.join(',')}`);
  let equal = 0;
  let documents = 0;
  /** @type {string[]} */
  const problems = [];
  for (const name of names) {
    const concrete = Object.keys(aliases).find((index) => name in (aliases[index].aliases ?? {}));
    if (concrete !== `${name}-v${DATA_VERSION_1_2_0}`) problems.push(`${name} is served by ${concrete ?? 'nothing'}`);
    const count = (await http(url, `/${name}/_count`)).count;
    documents += count;
    // R8: the 1.1.0 audit configurations become the one 1.2.0 singleton.
    const wanted = name === 'auditconfiguration' ? Math.min(expected[name] ?? 0, 1) : (expected[name] ?? 0);
    if (count === wanted) equal += 1;
    else problems.push(`${name}: ${count} documents, the source has ${wanted}`);
  }
  if (problems.length > 0) throw new Error(`the target does not serve the migrated installation: ${problems.join('; ')}`);
  return { names: names.length, equal, documents };
}

/**
 * Elasticsearch 1.7 after the migration in place: every ES 1.x index name of 1.2.0 is an alias of
 * its versioned index, each 1.1.0 type holds as many documents as before (R8 keeps one audit
 * configuration), and a node type with properties has them in the 1.2.0 form.
 * @param {string} url @param {Record<string, Record<string, number>>} es1Indices
 */
async function checkEs1InPlace(url, es1Indices) {
  const names = [...new Set(ES1_STORAGE_LAYOUT[DATA_VERSION_1_2_0].map((row) => row.es1Index))];
  const aliases = await http(url, `/_alias/${names.join(',')}`);
  /** @type {string[]} */
  const problems = [];
  for (const name of names) {
    const concrete = Object.keys(aliases).find((index) => name in (aliases[index].aliases ?? {}));
    if (concrete !== `${name}-v${DATA_VERSION_1_2_0}`) problems.push(`${name} is served by ${concrete ?? 'nothing'}`);
  }
  let equal = 0;
  let types = 0;
  let documents = 0;
  for (const row of ES1_STORAGE_LAYOUT[DATA_VERSION_1_1_0]) {
    const before = es1Indices[row.es1Index]?.[row.es1Type] ?? 0;
    const wanted = row.es8Index === 'auditconfiguration' ? Math.min(before, 1) : before;
    const count = (await http(url, `/${row.es1Index}/${row.es1Type}/_count`)).count;
    types += 1;
    documents += count;
    if (count === wanted) equal += 1;
    else problems.push(`${row.es1Index}/${row.es1Type}: ${count} documents, ${wanted} expected`);
  }
  if (problems.length > 0) throw new Error(`Elasticsearch 1.7 does not serve the migrated installation: ${problems.join('; ')}`);
  const nodeTypes = await http(url, '/toscaelement/indexednodetype/_search?size=100');
  const withProperties = (nodeTypes.hits?.hits ?? []).find((/** @type {any} */ hit) => hit._source?.properties);
  const properties = withProperties?._source.properties;
  return {
    indices: names.length,
    types,
    equal,
    documents,
    nodeType: { id: withProperties?._id, list: Array.isArray(properties), entries: Array.isArray(properties) ? properties.length : 0 },
  };
}

/** @param {unknown} value @returns {string} JSON with sorted keys, so that equal documents hash the same. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(/** @type {Record<string, unknown>} */ (value)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/**
 * SHA-256 of every document (id + source) behind each A4C name, to show the restore is exact.
 * @param {string} url @param {string[]} indices @returns {Promise<Record<string, string>>}
 */
async function fingerprint(url, indices) {
  /** @type {Record<string, string>} */
  const result = {};
  for (const index of indices) {
    const body = await http(url, `/${index}/_search?size=10000`);
    const hits = (body.hits?.hits ?? []).map((/** @type {any} */ hit) => `${hit._id}\t${canonical(hit._source)}`).sort();
    result[index] = createHash('sha256').update(hits.join('\n')).digest('hex');
  }
  return result;
}

/**
 * SHA-256 of every document (type + id + source) of each ES 1.x index, and how many documents.
 * @param {string} url @param {string[]} indices
 */
async function es1Fingerprint(url, indices) {
  /** @type {Record<string, string>} */
  const hashes = {};
  let documents = 0;
  for (const index of indices) {
    const body = await http(url, `/${index}/_search?size=10000`);
    const hits = (body.hits?.hits ?? []).map((/** @type {any} */ hit) => `${hit._type}\t${hit._id}\t${canonical(hit._source)}`).sort();
    documents += hits.length;
    hashes[index] = createHash('sha256').update(hits.join('\n')).digest('hex');
  }
  return { hashes, documents };
}
