// Benchmark: backupFileTree (copy + SHA-256 per file) against `cp -a` on the same tree,
// alternately, twice each, in the same run; prints throughput, the ratio and our peak RSS.
// Each round also takes a second backup of the unchanged tree right after the first (files
// hard-linked from it): its time beside the first's and cp -a's, and the bytes it adds on
// disk, counted by `du` over both backups together (hard-linked blocks counted once).
// Usage: node bench.mjs [--files 100000] [--gib 3] [--dir /var/tmp/a4c-bench-files] [--concurrency 8] [--rounds 2]
// The core package must be built first (pnpm --filter @a4c-admin/core build).

import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { exitWithUsageOnHelp } from '../usage-on-help.mjs';

exitWithUsageOnHelp(import.meta.url);

const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '100000' },
    gib: { type: 'string', default: '3' },
    dir: { type: 'string', default: '/var/tmp/a4c-bench-files' },
    concurrency: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '2' },
    keep: { type: 'boolean', default: false },
  },
});
const fileCount = Number(values.files);
const totalBytes = Math.round(Number(values.gib) * 1024 ** 3);
const source = join(values.dir, 'source');
// Copies left by an interrupted run would make cp -a copy into them.
for (const name of existsSync(values.dir) ? await readdir(values.dir) : []) {
  if (name.startsWith('copy-')) await rm(join(values.dir, name), { recursive: true, force: true });
}
const runner = fileURLToPath(new URL('./run-backup.mjs', import.meta.url));

const totalBytesOnDisk = await generateTree();
const results = { cp: [], ours: [], second: [], cpLink: [] };
for (let round = 1; round <= Number(values.rounds); round += 1) {
  results.cp.push(await timeCp(round));
  results.ours.push(await timeOurs(round));
  results.second.push(await timeSecond(round));
  results.cpLink.push(await timeCpLink(round));
}
const best = (runs) => Math.min(...runs.map((run) => run.ms));
const sum = (runs) => runs.reduce((total, run) => total + run.ms, 0);
const mib = totalBytesOnDisk / 1024 ** 2;
const cpMs = best(results.cp);
const oursMs = best(results.ours);
const peakRssMb = Math.max(...results.ours.map((run) => run.maxRssKb)) / 1024;
const line = (label, ms) => `${label}${(ms / 1000).toFixed(2)} s  ${(mib / (ms / 1000)).toFixed(0)} MiB/s  ${(fileCount / (ms / 1000)).toFixed(0)} files/s`;
console.log('\nsummary:');
console.log(`  tree: ${fileCount} files, ${mib.toFixed(0)} MiB in ${source}; load average at the end: ${loadAverage()}`);
console.log(line('  cp -a (best):          ', cpMs));
console.log(`${line('  backupFileTree (best): ', oursMs)} (with SHA-256, concurrency ${values.concurrency})`);
for (const [index, run] of results.cp.entries())
  console.log(`  round ${index + 1} ratio (cp -a time / ours): ${(run.ms / results.ours[index].ms).toFixed(2)}x`);
console.log(`  ratio best/best: ${(cpMs / oursMs).toFixed(2)}x   ratio of totals: ${(sum(results.cp) / sum(results.ours)).toFixed(2)}x   target >= 0.8x`);
console.log(`  peak RSS of our process: ${peakRssMb.toFixed(0)} MB   target <= 256 MB`);
console.log('  second backup of the unchanged tree (incremental: unchanged files hard-linked from the first):');
for (const [index, run] of results.second.entries()) {
  const first = results.ours[index];
  console.log(
    `  round ${index + 1}: ${(run.ms / 1000).toFixed(2)} s = ${((100 * run.ms) / first.ms).toFixed(1)} % of the first backup's time (${(first.ms / 1000).toFixed(2)} s), ${((100 * run.ms) / results.cp[index].ms).toFixed(1)} % of cp -a's;` +
      ` adds ${formatMib(run.addedBytes)} on disk = ${((100 * run.addedBytes) / first.diskBytes).toFixed(3)} % of the first's ${formatMib(first.diskBytes)}; ${run.linkedFiles}/${run.files} files linked;` +
      ` cp -al of the first backup (the hard-link ceiling) ${(results.cpLink[index].ms / 1000).toFixed(2)} s`,
  );
}
console.log("  targets: second backup <= 10 % of the first's time and < 1 % of its bytes on disk");
const copies = (await readdir(values.dir)).filter((name) => name.startsWith('copy-'));
for (const name of copies) await rm(join(values.dir, name), { recursive: true, force: true });
if (!values.keep) await rm(values.dir, { recursive: true, force: true });

function formatMib(bytes) {
  return `${(bytes / 1024 ** 2).toFixed(2)} MiB`;
}

/** Bytes on disk under the given folders together, each hard-linked block counted once (du does so across its arguments). */
function diskBytes(...folders) {
  return Number(
    execFileSync('du', ['-s', '-B1', '-c', ...folders], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .at(-1)
      .split('\t')[0],
  );
}

function loadAverage() {
  try {
    return execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).split(' ').slice(0, 3).join(' ');
  } catch {
    return 'n/a';
  }
}

/** 99.9% small files (1-16 KiB) in 2-level folders, and a few big ones carrying the rest of the bytes. */
async function generateTree() {
  const marker = join(values.dir, `generated-${fileCount}-${totalBytes}`);
  const bigCount = Math.max(1, Math.round(fileCount / 1000));
  const smallCount = fileCount - bigCount;
  const smallBytes = smallCount * 8704;
  const bigSize = Math.max(1, Math.floor((totalBytes - smallBytes) / bigCount));
  if (existsSync(marker)) {
    console.log(`reusing the tree in ${source}`);
    return Number(await readFile(marker, 'utf8'));
  }
  await rm(values.dir, { recursive: true, force: true });
  console.log(`generating ${fileCount} files, ${((smallBytes + bigSize * bigCount) / 1024 ** 3).toFixed(2)} GiB in ${source} ...`);
  const started = Date.now();
  const pool = randomBytes(32 * 1024 * 1024);
  let written = 0;
  const pending = [];
  for (let index = 0; index < smallCount; index += 1) {
    const folder = join(source, 'csar', `a${index % 100}`, `b${Math.floor(index / 100) % 50}`);
    if (index < 5000) await mkdir(folder, { recursive: true });
    // Sizes 1..16 KiB (mean 8.5 KiB), content taken from a random pool so it does not compress.
    const size = 1024 * (1 + (index % 16));
    const offset = (index * 7919) % (pool.length - size);
    pending.push(writeFile(join(folder, `file-${index}.yml`), pool.subarray(offset, offset + size)));
    written += size;
    if (pending.length >= 64) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending.splice(0));
  await mkdir(join(source, 'artifacts'), { recursive: true });
  for (let index = 0; index < bigCount; index += 1) {
    const chunks = [];
    for (let left = bigSize; left > 0; left -= pool.length) chunks.push(pool.subarray(0, Math.min(left, pool.length)));
    // Rotate the first byte so that big files differ.
    const first = Buffer.from(chunks[0]);
    first[0] = index % 256;
    chunks[0] = first;
    await writeFile(join(source, 'artifacts', `blob-${index}.bin`), Buffer.concat(chunks));
    written += bigSize;
  }
  execFileSync('sync');
  await writeFile(marker, String(written));
  console.log(`generated in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return written;
}

// Each run writes to its own folder and nothing is deleted until the end: deleting a 3 GiB
// tree (ext4 with discard) keeps the disk busy for a while and would slow the next run.
async function timeCp(round) {
  const destination = join(values.dir, `copy-cp-${round}`);
  execFileSync('sync');
  const started = process.hrtime.bigint();
  execFileSync('cp', ['-a', source, destination]);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(`round ${round}: cp -a          ${(ms / 1000).toFixed(2)} s  (load ${loadAverage()})`);
  return { ms };
}

async function timeOurs(round) {
  const destination = join(values.dir, `copy-ours-${round}`);
  execFileSync('sync');
  const run = runBackup(destination);
  run.diskBytes = diskBytes(destination);
  console.log(`round ${round}: backupFileTree ${(run.ms / 1000).toFixed(2)} s  (peak RSS ${(run.maxRssKb / 1024).toFixed(0)} MB, load ${loadAverage()})`);
  return run;
}

async function timeSecond(round) {
  const first = join(values.dir, `copy-ours-${round}`);
  const destination = join(values.dir, `copy-second-${round}`);
  execFileSync('sync');
  const run = runBackup(destination, first);
  run.addedBytes = diskBytes(first, destination) - diskBytes(first);
  console.log(
    `round ${round}: second backup  ${(run.ms / 1000).toFixed(2)} s  (${run.linkedFiles} files linked, +${formatMib(run.addedBytes)} on disk, load ${loadAverage()})`,
  );
  return run;
}

/** The ceiling of a hard-linked copy: `cp -al` of the first backup (links every file, reads none, stats no source). */
async function timeCpLink(round) {
  const destination = join(values.dir, `copy-cpl-${round}`);
  execFileSync('sync');
  const started = process.hrtime.bigint();
  execFileSync('cp', ['-al', join(values.dir, `copy-ours-${round}`), destination]);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(`round ${round}: cp -al (links) ${(ms / 1000).toFixed(2)} s  (load ${loadAverage()})`);
  return { ms };
}

/** One backupFileTree run in a child process (linking from `previous` when given). */
function runBackup(destination, previous) {
  const child = spawnSync(process.execPath, [runner, source, destination, values.concurrency, ...(previous ? [previous] : [])], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`backup run failed: ${child.stderr}`);
  const run = JSON.parse(child.stdout.trim().split('\n').at(-1));
  if (run.files !== fileCount) throw new Error(`expected ${fileCount} files, backed up ${run.files}`);
  return run;
}
