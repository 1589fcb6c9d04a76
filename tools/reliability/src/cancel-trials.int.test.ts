// SIGINT and SIGTERM at seeded random moments of backup (snapshot and export), restore (both),
// migrate, verify and prune, through the built binary on the real node. Every signalled run
// must exit 130 within 2 s of the signal and leave what docs/exit-codes.md ("Ctrl-C") and
// docs/reliability.md promise for that moment:
// - backup: nothing that looks like a backup, and no snapshot of ours under its name;
// - restore: exactly the state its CANCELLED message describes (nothing changed; indices
//   replaced but the data folder untouched; or both), and a re-run restores everything;
// - migrate: the A4C names serve one whole version, and a re-run completes;
// - verify: nothing changed; prune: only whole deletions (every backup left is complete,
//   every snapshot left belongs to one).
// The random-moment trials are in the full tier (A4C_TRIALS=full: 10 of each; A4C_TRIALS_COUNT=2
// for one SIGINT and one SIGTERM each); the default run keeps the two signals aimed at the
// restore's file phase, the moment where issue 12's restore went on regardless.
// A4C_TRIALS_SEED=<seed> replays the moments of a printed seed.
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { testElasticsearch } from '@a4c-admin/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentFingerprints, treeState } from './installation-state.js';
import { assertBinaryBuilt, describeRun, runToolPatiently, type ToolRun } from './run-tool.js';
import { runAndSignal, type SignalledRun } from './signalled-run.js';
import { createTestInstallation, type TestInstallation } from './test-installation.js';
import { baseSeed, FULL_TRIALS, seededRandom, trialCount } from './trial-settings.js';

const TRIALS = trialCount(1, 10);
/** The random-moment trials run in the full tier, or when a trial count is forced. */
const RANDOM_TRIALS = FULL_TRIALS || process.env.A4C_TRIALS_COUNT !== undefined;
/** The promise of issue 12: the process is gone within 2 s of the signal. */
const EXIT_WITHIN_MS = 2_000;
const INDICES = ['indexednodetype', 'indexeddatatype', 'topology', 'orchestrator', 'orchestratorconfiguration', 'plugin', 'application', 'auditconfiguration'];
/** The trials run without a terminal: the commands that ask for confirmation need --yes. */
const CONSENT = ['--yes'];

type Backups = Array<{ name: string; state: string }>;

describe(`SIGINT and SIGTERM at random moments (${TRIALS} trials of each operation)`, () => {
  let installation: TestInstallation;
  let names: string[];
  let documents110: Record<string, string>;
  let files: Record<string, string>;
  let pruneConfig: string;
  const calibration: Record<string, number> = {};
  const seed = baseSeed();
  const random = seededRandom(seed);
  const outcomes: string[] = [];

  const tool = (args: string[], config = installation.configFile) => runToolPatiently(['--json', '-c', config, ...args]);
  /**
   * Trial k of n is signalled in the k-th slice of the calibrated duration (0.9 of it: the
   * calibration run is the first, on a cold cache), so that even 2 trials hit early and late.
   */
  const moment = (kind: string, trial: number) => Math.round(((trial - 1 + random()) / TRIALS) * 0.9 * calibration[kind]!);
  /** One SIGINT and one SIGTERM in the quick run; seeded beyond. */
  const signalOf = (trial: number): NodeJS.Signals => (trial <= 2 ? (trial === 1 ? 'SIGINT' : 'SIGTERM') : random() < 0.5 ? 'SIGINT' : 'SIGTERM');
  const signalled = (args: string[], signal: NodeJS.Signals, moment: number | RegExp, config = installation.configFile) =>
    runAndSignal(['--json', '-c', config, ...args], signal, moment);
  const listed = async (config = installation.configFile): Promise<Backups> => {
    const run = await tool(['list'], config);
    expect(run.status, describeRun(run)).toBe(0);
    return (run.json!.result as { backups: Backups }).backups;
  };
  const snapshots = async (): Promise<string[]> =>
    ((await installation.client.snapshot.get({ repository: installation.repository.name, snapshot: '_all' })).snapshots ?? [])
      .map((entry) => entry.snapshot)
      .sort();
  /** A snapshot whose deletion the tool started may be listed for a moment more: wait (30 s at most) for `expected`. */
  const snapshotsOnceSettled = async (expected: string[]): Promise<string[]> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const now = await snapshots();
      if (JSON.stringify(now) === JSON.stringify(expected) || Date.now() > deadline) return now;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
  const hidden = async (folder: string) => (await readdir(folder).catch(() => [] as string[])).filter((entry) => entry.startsWith('.'));

  /**
   * Exit 130 within 2 s of the signal, with a CANCELLED error, unless the tool was still
   * loading (it leaves at once, having done nothing) or its grace timer had to end it.
   */
  function expectCancelled(run: SignalledRun, label: string): void {
    const context = `${label} (seed ${seed})\n${describeRun(run)}`;
    if (bootKilled(run)) return;
    expect(run.status, context).toBe(130);
    expect(run.exitAfterSignalMs, context).toBeLessThanOrEqual(EXIT_WITHIN_MS);
    if (!run.forced && !run.beforeStart) expect(run.json?.error?.code, context).toBe('CANCELLED');
  }

  /** The tool ended before the signal, or took a signal that came as it was leaving for what it was: its result stands (exit 0), and it still left at once. */
  function expectEndedFirst(run: SignalledRun): void {
    expect(run.status, describeRun(run)).toBe(0);
    if (run.lateSignal) expect(run.exitAfterSignalMs, describeRun(run)).toBeLessThanOrEqual(EXIT_WITHIN_MS);
  }

  /**
   * The signal came while Node itself was starting, before the first line of a4c-admin ran:
   * the default action ends the process (a shell reports 130 for SIGINT, 143 for SIGTERM).
   * Nothing of ours ran, so nothing was done; the state checks still apply.
   */
  function bootKilled(run: SignalledRun): boolean {
    return run.status === null && run.signal === run.sent && run.stdout === '' && run.stderr === '';
  }

  function record(label: string, afterMs: number, run: SignalledRun, state: string): void {
    const how = run.sent
      ? `${run.sent} at ${afterMs} ms -> exit ${run.status} ${run.exitAfterSignalMs} ms later${run.forced ? ' (grace timer)' : run.beforeStart ? ' (still loading)' : bootKilled(run) ? ' (Node still starting: killed by the signal)' : ''}`
      : `ended first (exit ${run.status}${run.lateSignal ? `; ${run.lateSignal} came as it was leaving, ${run.exitAfterSignalMs} ms before its exit` : ''})`;
    // Where a run the grace timer had to end was: the operation to make more responsive.
    const lastEvents = run.forced
      ? ` [last events: ${run.stderr
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .slice(-2)
          .join(' ')}]`
      : '';
    outcomes.push(`${label}: ${how}; ${state}${lastEvents}`);
    console.log(`[cancel] ${outcomes.at(-1)}`);
  }

  const timed = async (args: string[], config?: string): Promise<ToolRun> => {
    const run = await tool(args, config);
    expect(run.status, describeRun(run)).toBe(0);
    return run;
  };

  beforeAll(async () => {
    assertBinaryBuilt();
    const es = testElasticsearch();
    installation = await createTestInstallation({
      urls: [es.url],
      repoPath: es.repoPath || '/var/tmp/a4c-admin-es/nodes/test/repo',
      indices: INDICES,
      label: 'rel-cancel',
    });
    names = Object.keys(installation.indices);
    documents110 = await documentFingerprints(installation.client, names);
    files = await treeState(installation.dataDir);
    calibration.snapshot = (await timed(['backup', '1.1.0', '-n', 'base'])).durationMs;
    calibration.export = (await timed(['backup', '1.1.0', '-n', 'base-export', '--format', 'export'])).durationMs;
    // Prune gets a backup folder of its own (same repository), so that it never touches the bases.
    const config = JSON.parse(await readFile(installation.configFile, 'utf8')) as { backup: { files_dir: string } };
    config.backup.files_dir = join(installation.root, 'prune-backups');
    pruneConfig = join(installation.root, 'config', 'prune-config.yml');
    await writeFile(pruneConfig, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
    console.log(`[cancel] seed ${seed} (replay with A4C_TRIALS_SEED=${seed})`);
  }, 240_000);

  afterAll(async () => {
    if (outcomes.length > 0) console.log(`[cancel] ${outcomes.length} trials:\n${outcomes.join('\n')}`);
    await installation?.cleanup();
  });

  for (const format of ['snapshot', 'export'] as const) {
    it.runIf(RANDOM_TRIALS)(
      `backup (${format}): nothing that looks like a backup, no snapshot of ours left`,
      async () => {
        for (let trial = 1; trial <= TRIALS; trial++) {
          const name = `cancelled-${format}-${trial}`;
          const signal = signalOf(trial);
          const afterMs = moment(format, trial);
          const run = await signalled(['backup', '1.1.0', '-n', name, '--format', format], signal, afterMs);
          const entry = existsSync(join(installation.backupDir, name)) ? (await listed()).find((backup) => backup.name === name) : undefined;
          const label = `backup ${format} trial ${trial}`;
          if (!run.sent) {
            expectEndedFirst(run);
          } else {
            expectCancelled(run, label);
            if (entry !== undefined) {
              // Only a backup past its commit point may exist, and then the message says it was all done.
              expect(run.json?.error?.message, `${label}: ${JSON.stringify(entry)}`).toMatch(/had already finished everything/);
            }
          }
          if (entry !== undefined) {
            expect(entry.state, label).toBe('complete');
            expect((await tool(['verify', name])).status, label).toBe(0);
            expect((await tool(['delete', name, ...CONSENT])).status, label).toBe(0);
          }
          expect(await snapshotsOnceSettled(['base']), `${label}: no snapshot of ours under ${name}`).toEqual(['base']);
          if (!run.forced) expect(await hidden(installation.backupDir), `${label}: no partial folder, no lock`).toEqual([]);
          else {
            expect((await tool(['backup', '1.1.0', '-n', name, '--format', format])).status, `${label}: the next backup recovers`).toBe(0);
            await tool(['delete', name, ...CONSENT]);
          }
          record(label, afterMs, run, entry ? 'finished before the stop: kept, whole' : 'nothing kept');
        }
      },
      180_000 + TRIALS * 60_000,
    );
  }

  for (const [format, backup] of [
    ['snapshot', 'base'],
    ['export', 'base-export'],
  ] as const) {
    it.runIf(RANDOM_TRIALS)(
      `restore (${format}): the state its message describes, and a re-run restores everything`,
      async () => {
        calibration[`restore-${format}`] = (await timed(['restore', '1.1.0', '-n', backup, ...CONSENT])).durationMs;
        for (let trial = 1; trial <= TRIALS; trial++) {
          // Damage first, so that the restore has indices and files to put back.
          await installation.client.indices.delete({ index: `${installation.prefix}topology` }, { ignore: [404] });
          await rm(join(installation.dataDir, 'images'), { recursive: true, force: true });
          await writeFile(join(installation.dataDir, 'csar', 'stray.txt'), 'not in the backup');
          const damagedDocuments = await documentFingerprints(installation.client, names);
          const damagedFiles = await treeState(installation.dataDir);
          const signal = signalOf(trial);
          const afterMs = moment(`restore-${format}`, trial);
          const run = await signalled(['restore', '1.1.0', '-n', backup, ...CONSENT], signal, afterMs);
          const label = `restore ${format} trial ${trial}`;
          let state = 'ended first';
          if (run.sent) {
            expectCancelled(run, label);
            const message = run.json?.error?.message ?? '';
            if (run.forced) state = 'left by the grace timer (as after a crash)';
            else if (run.beforeStart || bootKilled(run) || /before it changed anything|before it started; nothing was changed/.test(message)) {
              state = 'nothing changed';
              expect(await documentFingerprints(installation.client, names), `${label}: ${message}`).toEqual(damagedDocuments);
              expect(await treeState(installation.dataDir), `${label}: ${message}`).toEqual(damagedFiles);
            } else if (/the data folder and the config files were not changed/i.test(message)) {
              state = /while the indices were being replaced/.test(message)
                ? 'indices being replaced, data folder untouched'
                : 'indices replaced, data folder untouched';
              expect(await treeState(installation.dataDir), `${label}: ${message}`).toEqual(damagedFiles);
            } else if (/swapping in the data-folder parts/.test(message)) {
              state = 'indices and data folder replaced, config files not yet';
              expect(await treeState(installation.dataDir), `${label}: ${message}`).toEqual(files);
            } else if (/had already finished everything/.test(message)) {
              state = 'finished before the stop';
              expect(await documentFingerprints(installation.client, names), label).toEqual(documents110);
              expect(await treeState(installation.dataDir), label).toEqual(files);
            } else {
              throw new Error(`${label}: a CANCELLED message that does not say what was left: ${message}`);
            }
          } else {
            expectEndedFirst(run);
          }
          const again = await tool(['restore', '1.1.0', '-n', backup, ...CONSENT]);
          expect(again.status, `${label}: the re-run\n${describeRun(again)}`).toBe(0);
          expect(await documentFingerprints(installation.client, names), `${label}: documents after the re-run`).toEqual(documents110);
          expect(await treeState(installation.dataDir), `${label}: files after the re-run`).toEqual(files);
          record(label, afterMs, run, state);
        }
      },
      180_000 + TRIALS * 90_000,
    );
  }

  // The random moments rarely hit the short gap between the index restore and the file swap,
  // where issue 12's restore went on and swapped the data folder: these two aim at it.
  for (const [format, backup, signal] of [
    ['snapshot', 'base', 'SIGTERM'],
    ['export', 'base-export', 'SIGINT'],
  ] as const) {
    it(`restore (${format}): ${signal} when the file phase starts leaves the data folder as it was, indices replaced`, async () => {
      await installation.client.indices.delete({ index: `${installation.prefix}topology` }, { ignore: [404] });
      await rm(join(installation.dataDir, 'images'), { recursive: true, force: true });
      await writeFile(join(installation.dataDir, 'csar', `stray-${format}.txt`), 'not in the backup');
      const damagedFiles = await treeState(installation.dataDir);
      const run = await signalled(
        ['restore', '1.1.0', '-n', backup, ...CONSENT],
        signal,
        /"operation":"restore","elapsedMs":\d+,"phase":"files","kind":"start"/,
      );
      const label = `restore ${format}, ${signal} at the file phase`;
      expect(run.sent, describeRun(run)).toBe(signal);
      expectCancelled(run, label);
      expect(run.json?.error?.message, label).toMatch(/after replacing the indices \(.+\); the data folder and the config files were not changed/);
      // (treeState lists hidden entries too: no staging folder and no journal are left either.)
      expect(await treeState(installation.dataDir), `${label}: the data folder as it was`).toEqual(damagedFiles);
      expect(await documentFingerprints(installation.client, names), `${label}: the indices replaced`).toEqual(documents110);
      const again = await tool(['restore', '1.1.0', '-n', backup, ...CONSENT]);
      expect(again.status, describeRun(again)).toBe(0);
      expect(await treeState(installation.dataDir)).toEqual(files);
      record(label, 0, run, 'indices replaced, data folder untouched');
    }, 240_000);
  }

  it.runIf(RANDOM_TRIALS)(
    'verify: nothing changed',
    async () => {
      calibration.verify = (await timed(['verify', 'base'])).durationMs;
      const before = { backups: await treeState(installation.backupDir), snapshots: await snapshots() };
      for (let trial = 1; trial <= TRIALS; trial++) {
        const afterMs = moment('verify', trial);
        const run = await signalled(['verify', 'base'], signalOf(trial), afterMs);
        const label = `verify trial ${trial}`;
        if (run.sent) expectCancelled(run, label);
        else expectEndedFirst(run);
        expect({ backups: await treeState(installation.backupDir), snapshots: await snapshots() }, label).toEqual(before);
        record(label, afterMs, run, 'nothing changed');
      }
    },
    120_000 + TRIALS * 30_000,
  );

  it.runIf(RANDOM_TRIALS)(
    'prune: only whole deletions, every backup left is complete',
    async () => {
      let made = 0;
      const fill = async () => {
        // Three backups, so that --keep-last 1 deletes two: a stop can fall between them.
        const folder = join(installation.root, 'prune-backups');
        const count = async () => (await readdir(folder).catch(() => [] as string[])).filter((entry) => !entry.startsWith('.')).length;
        while ((await count()) < 3) await timed(['backup', '1.1.0', '-n', `to-prune-${++made}`], pruneConfig);
      };
      await fill();
      calibration.prune = (await timed(['prune', '--keep-last', '1', ...CONSENT], pruneConfig)).durationMs;
      for (let trial = 1; trial <= TRIALS; trial++) {
        await fill();
        const afterMs = moment('prune', trial);
        const run = await signalled(['prune', '--keep-last', '1', ...CONSENT], signalOf(trial), afterMs, pruneConfig);
        const label = `prune trial ${trial}`;
        if (run.sent) expectCancelled(run, label);
        else expectEndedFirst(run);
        const left = await listed(pruneConfig);
        expect(
          left.filter((backup) => backup.state !== 'complete'),
          label,
        ).toEqual([]);
        // Each backup's snapshot goes with it: the snapshots left are exactly those of the backups left.
        const expected = ['base', ...left.map((backup) => backup.name)].sort();
        expect(await snapshotsOnceSettled(expected), label).toEqual(expected);
        if (!run.forced) expect(await hidden(join(installation.root, 'prune-backups')), label).toEqual([]);
        record(label, afterMs, run, `${left.length} backups left, all complete`);
      }
    },
    180_000 + TRIALS * 90_000,
  );

  it.runIf(RANDOM_TRIALS)(
    'migrate: the names serve one whole version, and a re-run completes',
    async () => {
      // From the backup's state, whatever an earlier test left.
      await timed(['restore', '1.1.0', '-n', 'base', ...CONSENT]);
      calibration.migrate = (await timed(['migrate', '1.1.0', '--skip-backup', 'base'])).durationMs;
      const documents120 = await documentFingerprints(installation.client, names);
      for (let trial = 1; trial <= TRIALS; trial++) {
        await timed(['migrate', '1.1.0', '--rollback', ...CONSENT]);
        expect(await documentFingerprints(installation.client, names)).toEqual(documents110);
        const afterMs = moment('migrate', trial);
        const run = await signalled(['migrate', '1.1.0', '--skip-backup', 'base'], signalOf(trial), afterMs);
        const label = `migrate trial ${trial}`;
        if (run.sent) expectCancelled(run, label);
        else expectEndedFirst(run);
        const served = JSON.stringify(await documentFingerprints(installation.client, names));
        const view = served === JSON.stringify(documents110) ? '1.1.0' : served === JSON.stringify(documents120) ? '1.2.0' : 'a mix';
        expect(view, `${label}: the A4C names serve one whole version\n${describeRun(run)}`).not.toBe('a mix');
        const again = await tool(['migrate', '1.1.0', '--skip-backup', 'base']);
        expect(again.status, `${label}: the re-run\n${describeRun(again)}`).toBe(0);
        expect(await documentFingerprints(installation.client, names), label).toEqual(documents120);
        record(label, afterMs, run, `served ${view}`);
      }
    },
    180_000 + TRIALS * 90_000,
  );
});
