// scripts/test-projects.sh, the part of `npm test` (and CI) that prints "N passed, N failed":
// a run where a beforeAll hook failed, or a file failed to load, must say so in that line and
// exit non-zero. (A 3-node cluster's timed-out beforeAll once printed "0 failed" in a red run.)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const config = fileURLToPath(new URL('./test-projects-fixture/vitest.config.mjs', import.meta.url));

function runProjects(...projects: string[]) {
  const run = spawnSync('bash', ['scripts/test-projects.sh', ...projects], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, VITEST_CONFIG: config, NO_COLOR: '1' },
  });
  const lines = run.stdout.split('\n').filter((line) => /^[\w-]+: \d+ passed, \d+ failed/.test(line));
  return { status: run.status, lines, output: `${run.stdout}\n${run.stderr}` };
}

describe('scripts/test-projects.sh', () => {
  // One run of three projects (each vitest start costs seconds): a failed one must not stop the others.
  it('counts a failed beforeAll and a file that failed to load as failures, reports every project, exits non-zero', () => {
    const run = runProjects('failing-hook', 'failing-load', 'passing');
    // vitest itself reports the hook's tests as skipped ("1 passed | 2 skipped"): the line must not.
    expect(run.lines, run.output).toEqual([
      'failing-hook: 1 passed, 1 failed, 2 skipped',
      'failing-load: 1 passed, 1 failed, 0 skipped',
      'passing: 1 passed, 0 failed, 0 skipped',
    ]);
    expect(run.status, run.output).not.toBe(0);
  });

  it('exits 0 when every project passed', () => {
    const run = runProjects('passing');
    expect(run.lines, run.output).toEqual(['passing: 1 passed, 0 failed, 0 skipped']);
    expect(run.status, run.output).toBe(0);
  });

  it('counts a run that left no report (killed, out of memory) as failed', () => {
    const run = spawnSync('node', ['scripts/summarize-vitest-report.mjs', '/nonexistent/report.json', 'integration', '137'], { cwd: root, encoding: 'utf8' });
    expect(run.stdout).toMatch(/^integration: 0 passed, 1 failed/m);
  });
});
