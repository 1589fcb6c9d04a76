// The file system failing under a backup: the snapshot repository turned read-only after
// preflight, the backup disk too small (preflight), and the backup disk filling up while the
// files are copied (a small tmpfs mounted by the test). Each: a clear error, no backup listed,
// no half backup left, and a backup that succeeds once the fault is gone.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, statfs, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { testElasticsearch } from '@a4c-admin/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBinaryBuilt, describeRun, type runTool, runToolPatiently, type ToolRun } from './run-tool.js';
import { createTestInstallation, type TestInstallation } from './test-installation.js';

const INDICES = ['application', 'csar', 'topology', 'plugin'];
/** The backup's own end of preflight (repository verified, free space checked), not a sub-step's. */
const PREFLIGHT_DONE = /"phase":"preflight","kind":"end","message":"data folder/;

/** Mounts a tmpfs of `size` at `folder`; false when this machine does not let the test mount. */
function mountSmallDisk(folder: string, size: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', folder], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('file-system faults under a backup', () => {
  let installation: TestInstallation;
  const mounts: string[] = [];
  const list = async () =>
    ((await runToolPatiently(['--json', '-c', installation.configFile, 'list'])).json!.result as { backups: Array<{ name: string }> }).backups.map(
      (entry) => entry.name,
    );

  beforeAll(async () => {
    assertBinaryBuilt();
    const es = testElasticsearch();
    installation = await createTestInstallation({
      urls: [es.url],
      repoPath: es.repoPath || '/var/tmp/a4c-admin-es/nodes/test/repo',
      indices: INDICES,
      label: 'rel-fs',
    });
  });

  afterAll(async () => {
    for (const folder of mounts) execFileSync('umount', [folder], { stdio: 'ignore' });
    if (installation) execFileSync('chmod', ['-R', 'u+w', installation.repository.location], { stdio: 'ignore' });
    await installation?.cleanup();
  });

  it('the repository folder made read-only after preflight: SNAPSHOT_FAILED, no backup listed, then a backup succeeds', async () => {
    // Registers and verifies the repository (its folder appears), so that the fault hits the snapshot itself.
    const first = await runToolPatiently(['--json', '-c', installation.configFile, 'backup', '1.1.0', '-n', 'before-fault']);
    expect(first.status, describeRun(first)).toBe(0);
    let turnedReadOnly = false;
    const run = await runToolPatiently(['--json', '-c', installation.configFile, 'backup', '1.1.0', '-n', 'read-only-repo'], {
      onStderr: (stderr) => {
        if (!turnedReadOnly && PREFLIGHT_DONE.test(stderr)) {
          turnedReadOnly = true;
          execFileSync('chmod', ['-R', 'a-w', installation.repository.location]);
        }
      },
    });
    execFileSync('chmod', ['-R', 'u+w', installation.repository.location]);
    expect(turnedReadOnly).toBe(true);
    expect({ status: run.status, code: run.json?.error?.code }, describeRun(run)).toEqual({ status: 8, code: 'SNAPSHOT_FAILED' });
    expect(run.json?.error?.message).toMatch(/read-only-repo/);
    expect(run.json?.error?.hint).toMatch(/\w{3,}/);
    expect(await list()).toEqual(['before-fault']);
    expect((await readdir(installation.backupDir)).filter((name) => name.includes('read-only-repo'))).toEqual([]);
    const again = await runToolPatiently(['--json', '-c', installation.configFile, 'backup', '1.1.0', '-n', 'read-only-repo']);
    expect(again.status, describeRun(again)).toBe(0);
  });

  it('a 2 MB backup disk: DISK_FULL from preflight, nothing written there', async (context) => {
    const disk = join(installation.root, 'small-disk');
    await mkdir(disk, { recursive: true });
    if (!mountSmallDisk(disk, '2m')) return context.skip('mount -t tmpfs is not permitted here');
    mounts.push(disk);
    const config = await installation.writeConfig(undefined, join(installation.root, 'config', 'small-disk.yml'));
    const run = await runWithBackupDir(config, disk, ['backup', '1.1.0', '-n', 'too-big']);
    expect({ status: run.status, code: run.json?.error?.code }, describeRun(run)).toEqual({ status: 5, code: 'DISK_FULL' });
    expect(run.json?.error?.message).toMatch(/bytes free/);
    expect(run.json?.error?.hint).toMatch(/prune|larger disk/);
    expect(await readdir(disk)).toEqual([]);
  });

  it('the backup disk filling up while files are copied: DISK_FULL (ENOSPC), no half backup, then a backup succeeds', async (context) => {
    const disk = join(installation.root, 'filling-disk');
    await mkdir(disk, { recursive: true });
    if (!mountSmallDisk(disk, '24m')) return context.skip('mount -t tmpfs is not permitted here');
    mounts.push(disk);
    // 6 MB that do not compress: preflight sees room for it (with its 16 MB margin), then the disk fills.
    await writeFile(join(installation.dataDir, 'artifacts', 'big-artifact.bin'), randomBytes(6 * 1024 * 1024));
    const config = await installation.writeConfig(undefined, join(installation.root, 'config', 'filling-disk.yml'));
    let filled = false;
    const run = await runWithBackupDir(config, disk, ['backup', '1.1.0', '-n', 'disk-fills'], {
      onStderr: (stderr) => {
        if (!filled && PREFLIGHT_DONE.test(stderr)) {
          filled = true;
          // Leave 1 MB: the 6 MB artifact cannot fit.
          execFileSync('fallocate', ['-l', `${22 * 1024 * 1024}`, join(disk, 'filler')]);
        }
      },
    });
    expect(filled).toBe(true);
    expect({ status: run.status, code: run.json?.error?.code }, describeRun(run)).toEqual({ status: 5, code: 'DISK_FULL' });
    expect(run.json?.error?.message).toMatch(/ENOSPC/);
    expect(await list()).not.toContain('disk-fills');
    expect(run.json?.error?.hint).toMatch(/\w{3,}/);
    expect((await readdir(disk)).filter((name) => name !== 'filler' && !name.startsWith('.a4c-admin'))).toEqual([]);
    await rm(join(disk, 'filler'));
    const again = await runWithBackupDir(config, disk, ['backup', '1.1.0', '-n', 'disk-fills']);
    expect(again.status, describeRun(again)).toBe(0);
    const stats = await statfs(disk);
    expect(stats.bavail * stats.bsize).toBeLessThan(24 * 1024 * 1024 - 6 * 1024 * 1024);
    await rm(join(installation.dataDir, 'artifacts', 'big-artifact.bin'));
  });
});

function runWithBackupDir(configFile: string, backupDir: string, args: string[], options: Parameters<typeof runTool>[1] = {}): Promise<ToolRun> {
  return runToolPatiently(['--json', '-c', configFile, ...args], { ...options, env: { A4C_ADMIN_BACKUP_DIR: backupDir } });
}
