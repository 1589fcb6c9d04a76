// What a person sees in a terminal window, 80 and 120 columns wide and 30 rows high: the
// built binary runs under a real pseudo-terminal (util-linux `script`, sized by stty) for a
// backup in both formats, a restore and a migration of a small installation on the real
// node, and its output is played into a terminal emulator. The final screen must hold each
// bar once, finished, under its own label, and no moment of the run may show a bar drawn
// over another line.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { commandExists, FULL_TRIALS } from '@a4c-admin/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { barLabels, replayOnTerminal, unfinishedBars } from '../terminal-screen.test-support.js';
import { BINARY, createE2eInstallation, type E2eInstallation } from './binary.test-support.js';

const execFileAsync = promisify(execFile);
const hasScript = commandExists('script');
const quote = (argument: string) => `'${argument.replaceAll("'", "'\\''")}'`;

describe.skipIf(!hasScript)('progress a person can read on a terminal (pseudo-terminal, terminal emulator)', () => {
  let installation: E2eInstallation;

  beforeAll(async () => {
    installation = await createE2eInstallation({ scale: 1 });
    // The state every width starts from: restoring it undoes the previous width's migration.
    const base = await installation.run(['backup', '1.1.0', '-n', 'base']);
    expect(base.code, base.stderr).toBe(0);
  });

  afterAll(async () => {
    await installation?.cleanup();
  });

  /** Runs `a4c-admin -c <config> <args>` in a pseudo-terminal `columns` wide and 30 rows high. */
  async function onTerminal(columns: number, args: readonly string[]) {
    const command = `stty cols ${columns} rows 30; ${[process.execPath, BINARY, '-c', installation.configFile, ...args].map(quote).join(' ')}`;
    // -q quiet, -f flush as written, -e exit with the command's status, -c the command; the
    // typescript file is /dev/null: what the terminal showed comes out on script's stdout.
    const { stdout, code } = await execFileAsync('script', ['-qfec', command, '/dev/null'], {
      env: { ...process.env, NO_COLOR: '1', TERM: 'xterm-256color' },
      maxBuffer: 16 * 1024 * 1024,
    }).then(
      ({ stdout }) => ({ stdout, code: 0 }),
      (error: { stdout?: string; code?: number }) => ({ stdout: error.stdout ?? '', code: error.code ?? -1 }),
    );
    return { code, ...(await replayOnTerminal(stdout, columns)) };
  }

  /** A person's reading of the run: each bar once, finished, under its own label, never drawn over another line. */
  function expectReadable(run: Awaited<ReturnType<typeof onTerminal>>, bar: RegExp, result: RegExp) {
    const screen = run.rows.join('\n');
    const labels = barLabels(run.rows);
    expect(run.code, screen).toBe(0);
    expect(run.problems, screen).toEqual([]);
    expect(
      labels.some((label) => bar.test(label)),
      screen,
    ).toBe(true);
    expect(new Set(labels).size, screen).toBe(labels.length);
    expect(
      labels.filter((label) => /\b(\w+) \1\b/.test(label)),
      screen,
    ).toEqual([]);
    expect(unfinishedBars(run.rows), screen).toEqual([]);
    expect(screen).toMatch(result);
  }

  // In order for each width: the restore brings back the state the previous width migrated.
  for (const columns of [80, 120]) {
    it(`restore at ${columns} columns`, async () => {
      expectReadable(await onTerminal(columns, ['restore', '1.1.0', '-n', 'base', '--yes', '--a4c-stopped']), /restore/, /^restored "base"/m);
    });

    it(`backup (snapshot) at ${columns} columns`, async () => {
      expectReadable(
        await onTerminal(columns, ['backup', '1.1.0', '-n', `snapshot-${columns}`]),
        /^backup snapshot$/,
        /^backup "snapshot-\d+" of A4C 1\.1\.0/m,
      );
    });

    it(`backup (export) at ${columns} columns`, async () => {
      expectReadable(
        await onTerminal(columns, ['backup', '1.1.0', '-n', `export-${columns}`, '--format', 'export']),
        /^export$/,
        /^backup "export-\d+" of A4C 1\.1\.0/m,
      );
    });

    // A migration is the long run of the four: at 80 columns by default, at both in the full tier.
    it.runIf(columns === 80 || FULL_TRIALS)(`migrate at ${columns} columns`, async () => {
      expectReadable(await onTerminal(columns, ['migrate', '1.1.0', '--yes', '--a4c-stopped']), /^migrate/, /^migrated 1\.1\.0 -> 1\.2\.0/m);
    });
  }
});
