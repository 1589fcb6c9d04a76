// @ts-check
// Benchmark: `a4c-admin push` (the built CLI, encrypted, as users run it) of a 1 GiB / 20k-file
// backup against an `aws s3 sync`-like raw upload of the same files (raw-upload.mjs: same SDK,
// part size, checksum and concurrency, no hashing or encryption), rounds interleaved, each into
// a fresh SeaweedFS, under /usr/bin/time for peak RSS; prints the ratios. --upload-all-peer adds
// a third run per round: the raw upload with lib-storage's Upload for every file (the peer of
// the first measurement).
// The backup is built once (cached under --dir): sample indices on the node of --es, a data folder
// of the sample plus --files files of --gib GiB in all, and `a4c-admin backup --format export`.
// Usage (run under the bench lock): flock /tmp/a4c-bench.lock node tools/s3/bench-push.mjs
//   [--es http://127.0.0.1:9301] [--dir /var/tmp/a4c-bench-s3] [--files 20000] [--gib 1] [--rounds 2]
//   [--port 18370] [--concurrency 8] [--part-size-mb 16] [--rebuild] [--upload-all-peer]
// The workspace must be built first (pnpm build).

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateDataFolder, loadSampleIndices, writeSampleConfigs } from '../sample-data/dist/index.js';
import { exitWithUsageOnHelp } from '../usage-on-help.mjs';
import { startS3Server, stopS3Server } from './server.mjs';

exitWithUsageOnHelp(import.meta.url);

const { values } = parseArgs({
  options: {
    es: { type: 'string', default: 'http://127.0.0.1:9301' },
    dir: { type: 'string', default: '/var/tmp/a4c-bench-s3' },
    files: { type: 'string', default: '20000' },
    gib: { type: 'string', default: '1' },
    rounds: { type: 'string', default: '2' },
    port: { type: 'string', default: '18370' },
    concurrency: { type: 'string', default: '8' },
    'part-size-mb': { type: 'string', default: '16' },
    rebuild: { type: 'boolean', default: false },
    'upload-all-peer': { type: 'boolean', default: false },
  },
});
const here = fileURLToPath(new URL('.', import.meta.url));
const cli = join(here, '../../packages/cli/dist/bin.js');
const dir = values.dir;
const backupDir = join(dir, 'backups');
const name = 'bench-1';
const configFile = join(dir, 'config', 'admin-tool-config.yml');
const server = 'bench-push-s3';
const bucket = 'bench';

await buildOnce();
const results = { ours: /** @type {Run[]} */ ([]), raw: /** @type {Run[]} */ ([]), 'upload-all': /** @type {Run[]} */ ([]) };
for (let round = 1; round <= Number(values.rounds); round += 1) {
  // Alternate who goes first, so that neither always gets the cooler machine.
  const order = round % 2 === 1 ? ['raw', 'ours'] : ['ours', 'raw'];
  if (values['upload-all-peer']) order.splice(1, 0, 'upload-all');
  for (const who of order) {
    const state = await startS3Server({ name: server, port: Number(values.port), buckets: [bucket], fresh: true, log: () => undefined });
    const env = { A4C_ADMIN_S3_ACCESS_KEY_ID: state.accessKeyId, A4C_ADMIN_S3_SECRET_ACCESS_KEY: state.secretAccessKey };
    const run =
      who === 'ours'
        ? await timed('node', [cli, '--config', configFile, '--json', 'push', name], env)
        : await timed(
            'node',
            [
              join(here, 'raw-upload.mjs'),
              join(backupDir, name),
              state.endpoint,
              bucket,
              'raw/',
              values.concurrency,
              values['part-size-mb'],
              ...(who === 'upload-all' ? ['--upload-all'] : []),
            ],
            env,
          );
    if (run.code !== 0) throw new Error(`${who} failed (exit ${run.code}): ${run.stderr.slice(-2000)}`);
    console.log(
      `round ${round} ${who.padEnd(10)} load ${loadavg()[0]?.toFixed(1)} ${(run.ms / 1000).toFixed(2)} s, peak RSS ${(run.maxRssKb / 1024).toFixed(0)} MB  ${run.stdout.trim().slice(0, 300)}`,
    );
    results[/** @type {'ours' | 'raw' | 'upload-all'} */ (who)].push(run);
    await stopS3Server(server, { removeData: true });
  }
}
const best = (/** @type {Run[]} */ runs) => Math.min(...runs.map((run) => run.ms));
const sum = (/** @type {Run[]} */ runs) => runs.reduce((total, run) => total + run.ms, 0);
console.log('\nsummary:');
console.log(
  `  backup: ${join(backupDir, name)} (${values.files} files + the sample's, ${values.gib} GiB); concurrency ${values.concurrency}, parts ${values['part-size-mb']} MiB`,
);
console.log(
  `  load average at the end: ${loadavg()
    .map((load) => load.toFixed(2))
    .join(' ')}`,
);
console.log(`  raw upload (best): ${(best(results.raw) / 1000).toFixed(2)} s   a4c-admin push, encrypted (best): ${(best(results.ours) / 1000).toFixed(2)} s`);
for (const [index, run] of results.raw.entries())
  console.log(`  round ${index + 1} ratio (raw time / push time): ${(run.ms / results.ours[index].ms).toFixed(2)}x`);
console.log(
  `  ratio best/best: ${(best(results.raw) / best(results.ours)).toFixed(2)}x   ratio of totals: ${(sum(results.raw) / sum(results.ours)).toFixed(2)}x   target >= 0.8x`,
);
for (const [index, run] of results['upload-all'].entries())
  console.log(`  round ${index + 1} ratio (raw time with Upload for every file / push time): ${(run.ms / results.ours[index].ms).toFixed(2)}x`);
console.log(
  `  peak RSS: push ${(Math.max(...results.ours.map((run) => run.maxRssKb)) / 1024).toFixed(0)} MB (target <= 256 MB), raw ${(Math.max(...results.raw.map((run) => run.maxRssKb)) / 1024).toFixed(0)} MB`,
);

/** @typedef {{ ms: number, maxRssKb: number, code: number | null, stdout: string, stderr: string }} Run */

/** Runs a command under /usr/bin/time; its wall time and peak RSS. @returns {Promise<Run>} */
function timed(/** @type {string} */ command, /** @type {string[]} */ args, /** @type {Record<string, string>} */ env) {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '__maxrss_kb=%M', command, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const maxRssKb = Number(/__maxrss_kb=(\d+)/.exec(stderr)?.[1] ?? 0);
      resolve({ ms, maxRssKb, code, stdout, stderr });
    });
  });
}

/** The installation and its backup, made once: indices on --es, a data folder of --files files, an export backup. */
async function buildOnce() {
  if (!values.rebuild && existsSync(join(backupDir, name, 'manifest.json'))) return;
  await rm(dir, { recursive: true, force: true });
  const dataDir = join(dir, 'alien4cloud');
  const prefix = 'bench-s3-';
  console.log(`building the installation under ${dir} (once)...`);
  await loadSampleIndices({ node: values.es, prefix, replace: true });
  await generateDataFolder({ root: dataDir, seed: 'bench-s3' });
  // 16 large artifacts (multipart uploads) hold half the bytes; the rest are small files.
  const fileCount = Number(values.files);
  const total = Number(values.gib) * 1024 ** 3;
  const large = 16;
  const largeBytes = Math.floor(total / 2 / large);
  const smallBytes = Math.floor(total / 2 / (fileCount - large));
  for (let file = 0; file < fileCount; file += 1) {
    const folder = join(dataDir, 'artifacts', 'bench', String(file % 200).padStart(3, '0'));
    if (file < 200) await mkdir(folder, { recursive: true });
    const size = file < large ? largeBytes : Math.max(1, Math.round(smallBytes * (0.25 + (1.5 * ((file * 7919) % 1000)) / 1000)));
    await writeFile(join(folder, `f${String(file).padStart(5, '0')}.bin`), randomBytes(size));
  }
  await writeSampleConfigs({ folder: join(dir, 'config'), node: values.es, dataDir, backupDir, exportDir: join(dir, 'export'), indexPrefix: prefix });
  const keyFile = join(dir, 'config', 'backup.key');
  await writeFile(keyFile, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  await appendFile(
    configFile,
    [
      'remote:',
      `  endpoint: http://127.0.0.1:${values.port}`,
      `  bucket: ${bucket}`,
      '  prefix: site/',
      '  path_style: true',
      `  concurrency: ${values.concurrency}`,
      `  part_size_mb: ${values['part-size-mb']}`,
      'encryption:',
      `  key_file: ${keyFile}`,
      '',
    ].join('\n'),
  );
  const made = await timed('node', [cli, '--config', configFile, '--json', 'backup', '1.1.0', '--format', 'export', '-n', name], {});
  if (made.code !== 0) throw new Error(`the backup failed (exit ${made.code}): ${made.stderr.slice(-2000)}`);
  console.log(`backup ${name} made in ${(made.ms / 1000).toFixed(1)} s`);
}
