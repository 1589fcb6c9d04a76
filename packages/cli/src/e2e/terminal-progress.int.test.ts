// On a terminal the long steps draw a progress bar that advances. The binary runs under a
// pseudo-terminal made by util-linux `script` (no native module to build), backing up a
// ~330 MB data folder; the captured screen output must hold several states of the files bar.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { commandExists, FULL_TRIALS } from '@a4c-admin/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BINARY, createE2eInstallation, type E2eInstallation } from './binary.test-support.js';

const execFileAsync = promisify(execFile);
const hasScript = commandExists('script');
// eslint-disable-next-line no-control-regex
const stripEscapes = (text: string) => text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '\n');
const quote = (argument: string) => `'${argument.replaceAll("'", "'\\''")}'`;

// In the full tier (A4C_TRIALS=full): terminal-screen.int.test.ts reads what a person sees at two
// widths in the default run; this one's ~330 MB backup shows the files bar advancing.
describe.skipIf(!hasScript || !FULL_TRIALS)('progress on a terminal (util-linux script)', () => {
  let installation: E2eInstallation;

  beforeAll(async () => {
    installation = await createE2eInstallation({ scale: 1000 });
  });

  afterAll(async () => {
    await installation?.cleanup();
  });

  it('draws a files bar that advances through several percentages during a backup', async () => {
    // The pseudo-terminal starts 80 columns wide whatever COLUMNS says, and a bar line is cut at
    // the terminal's width: size it first, as a real terminal window would be.
    const command = `stty cols 120 rows 40; ${[process.execPath, BINARY, '-c', installation.configFile, 'backup', '1.1.0', '-n', 'on-a-terminal'].map(quote).join(' ')}`;
    // -q quiet, -f flush as written, -e exit with the command's status, -c the command; the
    // typescript file is /dev/null: what the terminal showed comes out on script's stdout.
    const { stdout } = await execFileAsync('script', ['-qfec', command, '/dev/null'], {
      env: { ...process.env, NO_COLOR: '', COLUMNS: '120', LINES: '40', TERM: 'xterm-256color' },
      maxBuffer: 64 * 1024 * 1024,
    });
    // Bars are redrawn in place: escape sequences and carriage returns separate the frames.
    expect(stdout).toMatch(/\u001b\[/);
    const frames = stripEscapes(stdout)
      .split(/[\r\n]+/)
      .filter((line) => /^backup files +[█░]+ +\d+% \|/.test(line));
    const percents = frames.map((line) => Number(/(\d+)%/.exec(line)![1]));
    const distinct = [...new Set(percents)];
    expect(distinct.filter((percent) => percent > 0 && percent < 100).length, frames.join('\n')).toBeGreaterThanOrEqual(3);
    expect(percents).toEqual([...percents].sort((first, second) => first - second));
    expect(percents.at(-1)).toBe(100);
    expect(frames.at(-1)).toMatch(/100% \| (\d+\.\d) MiB\/\1 MiB \| done/);
    expect(frames.some((line) => /ETA +(\d+s|--)/.test(line))).toBe(true);
    // The result follows the bars, on the same terminal.
    expect(stdout).toContain('backup "on-a-terminal" of A4C 1.1.0');
  });
});
