// Crash test of the incremental file backup: a child process backs a data folder up into a
// `.partial-second/` folder, linking unchanged files from a complete first backup, then
// "commits" (writes its entry list and renames the folder, as backup.ts does with the
// manifest) and is killed with SIGKILL at a random moment. Whatever the moment: the first
// backup is exactly as it was and verifies, no `second` exists unless the child finished,
// and a re-run completes. Seeds are printed (A4C_CRASH_SEED replays; A4C_TRIALS=full runs more).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backupFileTree, type FileEntry, verifyFileTree } from '@a4c-admin/core/internal';
import { seededRandom, trialCount } from '@a4c-admin/test-support';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildCoreForChildProcesses } from './child-process-build.test-support.js';

const PARTS = ['csar', 'artifacts'];

let root: string;
let data: string;
let firstRoot: string;
let firstFiles: FileEntry[];
let childScript: string;
let moduleUrl: string;

beforeAll(async () => {
  moduleUrl = buildCoreForChildProcesses('incremental-crash', 'internal');
  root = await mkdtemp(join(tmpdir(), 'a4c-incremental-crash-'));
  data = join(root, 'data');
  for (let index = 0; index < 1500; index += 1) {
    const folder = join(data, 'csar', `group-${index % 20}`);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, `file-${index}.yml`), `file ${index}\n`.repeat(1 + (index % 40)));
  }
  await mkdir(join(data, 'artifacts'), { recursive: true });
  for (let index = 0; index < 4; index += 1) await writeFile(join(data, 'artifacts', `blob-${index}.bin`), Buffer.alloc(2_000_000, index));
  firstRoot = join(root, 'first', 'files');
  firstFiles = (await backupFileTree({ sourceRoot: data, parts: PARTS, destinationRoot: firstRoot })).files;
  await writeFile(join(root, 'first', 'files.json'), JSON.stringify(firstFiles));
  // A tenth of the files change, so the second backup both links and copies.
  const later = new Date(Date.now() + 10_000);
  for (let index = 0; index < 1500; index += 10) {
    const path = join(data, 'csar', `group-${index % 20}`, `file-${index}.yml`);
    await writeFile(path, `changed ${index}\n`);
    await utimes(path, later, later);
  }
  childScript = join(root, 'incremental-child.mjs');
  await writeFile(
    childScript,
    `import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
const [moduleUrl, root, data] = process.argv.slice(2);
const { backupFileTree } = await import(moduleUrl);
const previous = { root: join(root, 'first', 'files'), files: JSON.parse(readFileSync(join(root, 'first', 'files.json'), 'utf8')) };
process.stdout.write('ready\\n');
const started = Date.now();
const result = await backupFileTree({ sourceRoot: data, parts: ${JSON.stringify(PARTS)}, destinationRoot: join(root, '.partial-second', 'files'), previous });
writeFileSync(join(root, '.partial-second', 'files.json'), JSON.stringify(result.files));
renameSync(join(root, '.partial-second'), join(root, 'second'));
process.stdout.write('done ' + (Date.now() - started) + ' ' + result.linked.files + '\\n');
`,
  );
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Every file of the first backup: path, mode, modification time and SHA-256 (a link adds none of these). */
async function firstBackupState(): Promise<string> {
  const hash = createHash('sha256');
  for (const name of (await readdir(firstRoot, { recursive: true })).sort()) {
    const info = await stat(join(firstRoot, name));
    if (info.isDirectory()) hash.update(`d ${name}\n`);
    else
      hash.update(
        `f ${name} ${(info.mode & 0o7777).toString(8)} ${info.mtimeMs} ${createHash('sha256')
          .update(await readFile(join(firstRoot, name)))
          .digest('hex')}\n`,
      );
  }
  return hash.digest('hex');
}

function runChild(killAfterMs: number | undefined): Promise<{ killed: boolean; durationMs?: number; linked?: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childScript, moduleUrl, root, data], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const before = output;
      output += chunk.toString();
      if (!before.includes('ready') && output.includes('ready') && killAfterMs !== undefined) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') return resolve({ killed: true });
      if (code !== 0) return reject(new Error(`backup child failed (${code}): ${errors}`));
      const match = /done (\d+) (\d+)/.exec(output);
      resolve({ killed: false, durationMs: Number(match?.[1]), linked: Number(match?.[2]) });
    });
  });
}

async function secondEntries(): Promise<FileEntry[] | undefined> {
  return readFile(join(root, 'second', 'files.json'), 'utf8').then(
    (text) => JSON.parse(text) as FileEntry[],
    () => undefined,
  );
}

it('a SIGKILL during an incremental backup leaves no second backup unless it is whole, and the first exactly as it was', async () => {
  const before = await firstBackupState();
  // Calibration: one full run says how long the incremental backup takes here.
  const calibration = await runChild(undefined);
  expect(calibration.linked).toBe(firstFiles.length - 150);
  const window = Math.max(20, calibration.durationMs ?? 500);
  await rm(join(root, 'second'), { recursive: true, force: true });

  const trials = trialCount(3, 12);
  const baseSeed = Number(process.env.A4C_CRASH_SEED ?? Date.now() % 1_000_000);
  const outcomes: string[] = [];
  for (let trial = 0; trial < trials; trial += 1) {
    const seed = baseSeed + trial;
    const killAfterMs = Math.round(seededRandom(seed)() * window);
    const { killed } = await runChild(killAfterMs);
    const second = await secondEntries();
    outcomes.push(`seed ${seed}: kill ${killAfterMs} ms after start${killed ? '' : ' (finished first)'} -> ${second ? 'second complete' : 'no second'}`);
    // A `second` exists only once whole (a kill after the rename finds it complete); else only the partial folder is left.
    if (second) expect((await verifyFileTree({ root: join(root, 'second', 'files'), files: second, parts: PARTS })).ok, outcomes.at(-1)).toBe(true);
    else if (!killed) throw new Error(`the child finished without a second backup: ${outcomes.at(-1)}`);
    expect(await firstBackupState(), outcomes.at(-1)).toBe(before);
    expect((await verifyFileTree({ root: firstRoot, files: firstFiles, parts: PARTS })).ok).toBe(true);
    // The next run starts clean, as backup.ts does with a leftover partial folder.
    await rm(join(root, '.partial-second'), { recursive: true, force: true });
    await rm(join(root, 'second'), { recursive: true, force: true });
  }
  const rerun = await runChild(undefined);
  expect(rerun.killed).toBe(false);
  const entries = (await secondEntries())!;
  expect((await verifyFileTree({ root: join(root, 'second', 'files'), files: entries, parts: PARTS })).ok).toBe(true);
  console.info(`incremental backup crash trials (a run takes ~${window} ms here; A4C_CRASH_SEED=${baseSeed}):\n  ${outcomes.join('\n  ')}`);
}, 240_000);
