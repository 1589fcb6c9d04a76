// Crash test of the file restore: a child process runs restoreFileTree and is killed with
// SIGKILL at a random moment; recovery must then leave exactly the old tree or exactly
// the new one, and a re-run must complete. Seeds are printed so a failure can be replayed
// with A4C_CRASH_SEED=<seed> (and A4C_CRASH_TRIALS=<n> for more trials).
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backupFileTree, type FileEntry, RESTORE_JOURNAL_FILE, recoverFileTree, restoreFileTree } from '@a4c-admin/core/internal';
import { seededRandom, trialCount } from '@a4c-admin/test-support';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildCoreForChildProcesses } from './child-process-build.test-support.js';

const PARTS = ['csar', 'plugins', 'work/plugins'];

let root: string;
let oldTemplate: string;
let backup: string;
let files: FileEntry[];
let childScript: string;
let moduleUrl: string;

beforeAll(async () => {
  // The child runs the same sources, built to plain JS.
  moduleUrl = buildCoreForChildProcesses('crash', 'internal');
  root = await mkdtemp(join(tmpdir(), 'a4c-crash-'));
  oldTemplate = join(root, 'old');
  const newTree = join(root, 'new');
  for (const [tree, label, count] of [
    [oldTemplate, 'old', 80],
    [newTree, 'new', 120],
  ] as const) {
    for (const part of PARTS) {
      for (let index = 0; index < count; index += 1) {
        const folder = join(tree, part, `group-${index % 10}`);
        await mkdir(folder, { recursive: true });
        await writeFile(join(folder, `${label}-${index}.txt`), `${label} ${part} ${index}\n`.repeat(1 + (index % 50)), {
          mode: index % 3 === 0 ? 0o600 : 0o644,
        });
      }
    }
  }
  await mkdir(join(oldTemplate, 'work/other'), { recursive: true });
  await writeFile(join(oldTemplate, 'work/other/untouched.txt'), 'not restored');
  backup = join(root, 'backup');
  files = (await backupFileTree({ sourceRoot: newTree, parts: PARTS, destinationRoot: backup })).files;
  await writeFile(join(root, 'files.json'), JSON.stringify(files));
  childScript = join(root, 'restore-child.mjs');
  await writeFile(
    childScript,
    `import { readFileSync } from 'node:fs';
const [moduleUrl, backupRoot, targetRoot, filesPath] = process.argv.slice(2);
const { restoreFileTree, createProgressReporter } = await import(moduleUrl);
// Phase markers let the parent aim some kills at the short swap window.
const progress = createProgressReporter('restore', (event) => {
  if (event.kind === 'start' || event.kind === 'end') process.stdout.write(event.phase + ':' + event.kind + '\\n');
});
const files = JSON.parse(readFileSync(filesPath, 'utf8'));
process.stdout.write('ready\\n');
const started = Date.now();
await restoreFileTree({ backupRoot, files, targetRoot, parts: ${JSON.stringify(PARTS)}, progress });
process.stdout.write('done ' + (Date.now() - started) + '\\n');
`,
  );
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Hash of a whole tree: every folder, and every file's path, mode and content (hidden leftovers included). */
async function treeHash(folder: string): Promise<string> {
  const hash = createHash('sha256');
  for (const name of (await readdir(folder, { recursive: true })).sort()) {
    const info = await stat(join(folder, name));
    if (info.isDirectory()) hash.update(`d ${name}\n`);
    else
      hash.update(
        `f ${name} ${(info.mode & 0o7777).toString(8)} ${createHash('sha256')
          .update(await readFile(join(folder, name)))
          .digest('hex')}\n`,
      );
  }
  return hash.digest('hex');
}

/** Runs the child restore; kills it `killAfterMs` after it prints `anchor` ('ready', 'swap:start', ...); never when undefined. */
function runChild(target: string, killAfterMs: number | undefined, anchor = 'ready'): Promise<{ killed: boolean; durationMs?: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childScript, moduleUrl, backup, target, join(root, 'files.json')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const before = output;
      output += chunk.toString();
      if (!before.includes(anchor) && output.includes(anchor) && killAfterMs !== undefined) {
        setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') return resolve({ killed: true });
      if (code !== 0) return reject(new Error(`restore child failed (${code}): ${errors}`));
      const match = /done (\d+)/.exec(output);
      resolve({ killed: false, durationMs: match ? Number(match[1]) : undefined });
    });
  });
}

async function freshTarget(name: string): Promise<string> {
  const target = join(root, name);
  await rm(target, { recursive: true, force: true });
  execFileSync('cp', ['-a', oldTemplate, target]);
  return target;
}

/** Where a trial's kill is timed from: the child's start, the start of the swap, the start of the final verify. */
const ANCHORS = ['ready', 'swap:start', 'verify:start'] as const;

it('after a SIGKILL at a random moment, recovery leaves exactly the old or the new tree, and a re-run completes', async () => {
  const oldHash = await treeHash(oldTemplate);
  // Calibration: one full run gives the new tree's hash and how long a restore takes here.
  const calibration = await freshTarget('calibration');
  const { durationMs } = await runChild(calibration, undefined);
  const newHash = await treeHash(calibration);
  expect(newHash).not.toBe(oldHash);
  const window = Math.max(20, durationMs ?? 500);

  // The default tier kills once near each anchor; the full tier (A4C_TRIALS=full) 12 times.
  const trials = Number(process.env.A4C_CRASH_TRIALS ?? trialCount(ANCHORS.length, 12));
  const baseSeed = Number(process.env.A4C_CRASH_SEED ?? Date.now() % 1_000_000);
  const outcomes: string[] = [];
  for (let trial = 0; trial < trials; trial += 1) {
    const seed = baseSeed + trial;
    const random = seededRandom(seed);
    // Half the kills anywhere in the run; the others within a few ms of the start of the
    // swap (renames) or of the final verify, short windows that a uniform pick rarely hits.
    // The first trials take each anchor once, so that even a short run tries all three.
    const pick = random();
    const anchor = trial < ANCHORS.length ? ANCHORS[trial]! : pick < 0.5 ? 'ready' : pick < 0.8 ? 'swap:start' : 'verify:start';
    const killAfterMs = Math.round(anchor === 'ready' ? random() * window : random() * (anchor === 'swap:start' ? 3 : 40));
    const target = await freshTarget(`trial-${trial}`);
    const { killed } = await runChild(target, killAfterMs, anchor);
    const journal = await readFile(join(target, RESTORE_JOURNAL_FILE), 'utf8').then(
      (text) => (JSON.parse(text) as { state: string }).state,
      () => 'no journal',
    );
    const recovery = await recoverFileTree(target);
    const afterRecovery = await treeHash(target);
    const state = afterRecovery === oldHash ? 'old' : afterRecovery === newHash ? 'new' : 'MIXED';
    outcomes.push(
      `seed ${seed}: kill ${killAfterMs} ms after ${anchor}${killed ? '' : ' (finished first)'}, ${journal} -> ${recovery.action} -> ${state} tree`,
    );
    expect(state, outcomes.at(-1)).not.toBe('MIXED');
    await restoreFileTree({ backupRoot: backup, files, targetRoot: target, parts: PARTS });
    expect(await treeHash(target), `re-run after seed ${seed}`).toBe(newHash);
    await rm(target, { recursive: true, force: true });
  }
  console.info(`crash trials (restore takes ~${window} ms here; A4C_CRASH_SEED=${baseSeed}):\n  ${outcomes.join('\n  ')}`);
}, 240_000);
