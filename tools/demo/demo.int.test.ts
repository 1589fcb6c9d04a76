// The README's first command, as CI runs it: the demo must end with its summary table and
// find every index identical after the restore. It runs on the built packages.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./main.mjs', import.meta.url));

describe('the demo', () => {
  it('backs up, migrates, verifies and restores the sample installation, then prints the summary', async () => {
    const output = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, [script], { timeout: 600_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
        error ? reject(new Error(`demo failed (${error.code}): ${stdout}\n${stderr}`)) : resolve(stdout),
      );
    });
    expect(output).toMatch(/^Summary$/m);
    for (const step of ['backup 1.1.0', 'migrate 1.1.0 -> 1.2.0', 'verify backup110', 'restore 1.1.0', 'list']) {
      expect(output).toMatch(new RegExp(`^${step.replace(/[.>]/g, '\\$&')}\\s+\\d+\\.\\d+s\\s+\\S`, 'm'));
    }
    expect(output).toMatch(/properties now a list of \d+ \{key, value\} entries/);
    expect(output).toMatch(/after restore: (\d+)\/\1 indices identical/);
    expect(output).toMatch(/node set "demo" stopped/);
  });
});
