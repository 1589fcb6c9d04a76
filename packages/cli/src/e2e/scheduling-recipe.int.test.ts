// The scheduling recipe of docs/scheduling.md, run as a timer would run it: the script
// docs/scheduling/a4c-admin-nightly.sh with the built binary against the real node. Its
// local steps (backup, prune with --keep-within / --keep-last) and its exit statuses are
// checked here; its off-host steps (`push`, `prune --remote`) need the object-store
// commands, so this file only checks that a failing push stops the script before any prune.
// A backup costs 20 s or more on a busy host: the default tier runs the refusal that takes
// no installation (Elasticsearch down), the full tier (A4C_TRIALS=full) the nights themselves.

import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FULL_TRIALS } from '@a4c-admin/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BINARY, type BinaryRun, createE2eInstallation, describeRun, type E2eInstallation, parseJsonResult, runExecutable } from './binary.test-support.js';

const SCRIPT = fileURLToPath(new URL('../../../../docs/scheduling/a4c-admin-nightly.sh', import.meta.url));

/** What a host has on its PATH: one executable named a4c-admin (here the built binary). */
async function toolIn(folder: string): Promise<string> {
  const tool = join(folder, 'a4c-admin');
  await writeFile(tool, `#!/bin/sh\nexec "${process.execPath}" "${BINARY}" "$@"\n`);
  await chmod(tool, 0o755);
  return tool;
}

describe('the nightly script of docs/scheduling.md', () => {
  let installation: E2eInstallation;
  let tool: string;

  const nightly = (env: Record<string, string>): Promise<BinaryRun> =>
    runExecutable('bash', [SCRIPT], {
      env: { A4C_ADMIN: tool, A4C_ADMIN_CONFIG: installation.configFile, A4C_NIGHTLY_PREFIX: 'sched', A4C_NIGHTLY_VERSION: '1.1.0', ...env },
    });
  const backups = async () =>
    parseJsonResult<{ backups: Array<{ name: string; state: string }> }>(await installation.run(['list', '--json']))
      .result.backups.map((backup) => backup.name)
      .sort();

  beforeAll(async () => {
    if (!FULL_TRIALS) return;
    installation = await createE2eInstallation();
    tool = await toolIn(installation.folder);
  });

  afterAll(async () => {
    await installation?.cleanup();
  });

  it.runIf(FULL_TRIALS)(
    'local steps: each night a backup, then the prune keeps what its rules say; exit 0',
    async () => {
      const local = { A4C_NIGHTLY_OFFHOST: '0', A4C_NIGHTLY_KEEP_LOCAL: '--keep-within 1h --keep-last 2' };
      for (let night = 1; night <= 3; night++) {
        const run = await nightly(local);
        expect(run.code, describeRun(run)).toBe(0);
        expect(run.stderr).toMatch(/a4c-admin-nightly: backup: .* backup 1.1.0 -n sched-\d{4}-\d{2}-\d{2}-\d{6}/);
        expect(run.stderr).toMatch(/a4c-admin-nightly: prune-local: .* prune --keep-within 1h --keep-last 2 --yes/);
        expect(run.stderr).not.toContain('push');
        // Names are to the second: two nights are never the same second.
        await new Promise((resolve) => setTimeout(resolve, 1100));
      }
      // All three are within the hour of the newest: keep-within keeps them.
      expect(await backups()).toHaveLength(3);

      // A rule that keeps less: the newest two stay, the oldest goes, in the same run as a new backup.
      const before = await backups();
      const pruning = await nightly({ ...local, A4C_NIGHTLY_KEEP_LOCAL: '--keep-last 2' });
      expect(pruning.code, describeRun(pruning)).toBe(0);
      const after = await backups();
      expect(after).toHaveLength(2);
      expect(after).toContain(before.at(-1));
      expect(after.some((name) => !before.includes(name))).toBe(true);
    },
    600_000,
  );

  it('stops at the first failing step with its exit status (Elasticsearch down: 4) and prunes nothing after it', async () => {
    // No installation needed: the backup is refused at its first request.
    const folder = await mkdtemp(join(tmpdir(), 'a4c-nightly-'));
    await Promise.all(['backups', 'data'].map((name) => mkdir(join(folder, name))));
    const configFile = join(folder, 'admin-tool-config.yml');
    const config = {
      elasticsearch: { addresses: ['http://127.0.0.1:9'], max_retries: 0, request_timeout_ms: 2000 },
      backup: { files_dir: join(folder, 'backups') },
      alien4cloud: { dir: join(folder, 'data') },
    };
    await writeFile(configFile, JSON.stringify(config));
    const script = await runExecutable('bash', [SCRIPT], {
      env: {
        A4C_ADMIN: await toolIn(folder),
        A4C_ADMIN_CONFIG: configFile,
        A4C_NIGHTLY_VERSION: '1.1.0',
        A4C_NIGHTLY_OFFHOST: '0',
        A4C_NIGHTLY_KEEP_LOCAL: '--keep-last 1',
      },
    });
    expect(script.code, describeRun(script)).toBe(4);
    expect(script.stderr).toContain('a4c-admin-nightly: backup failed with status 4; later steps skipped');
    expect(script.stderr).not.toContain('prune-local:');
    expect(await readdir(join(folder, 'backups'))).toEqual([]);
    await rm(folder, { recursive: true, force: true });
  }, 120_000);

  it.runIf(FULL_TRIALS)(
    'refuses a malformed retention duration with a usage error (2) after the backup, deleting nothing',
    async () => {
      const before = await backups();
      // A malformed retention duration is a usage error (2) before anything is deleted.
      const typo = await nightly({ A4C_NIGHTLY_OFFHOST: '0', A4C_NIGHTLY_KEEP_LOCAL: '--keep-within 30x' });
      expect(typo.code, describeRun(typo)).toBe(2);
      expect(typo.stderr).toContain('prune-local failed with status 2');
      expect((await backups()).length).toBe(before.length + 1);
    },
    600_000,
  );

  it.runIf(FULL_TRIALS)(
    'off-host on: a push that fails stops the script before the remote and the local prune',
    async () => {
      // Until the object-store commands are in this build, `push` is an unknown command (2); once
      // they are, a push to an unreachable store fails the same way, with its own status.
      const before = await backups();
      const run = await nightly({ A4C_NIGHTLY_KEEP_LOCAL: '--keep-last 1' });
      expect(run.code, describeRun(run)).not.toBe(0);
      expect(run.stderr).toMatch(/a4c-admin-nightly: push failed with status \d+; later steps skipped/);
      expect(run.stderr).not.toContain('prune-remote:');
      expect(run.stderr).not.toContain('prune-local:');
      // The new backup is there and nothing was pruned.
      expect((await backups()).length).toBe(before.length + 1);
    },
    600_000,
  );
});
