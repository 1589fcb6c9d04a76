// The data folder under an operator's ordinary mistakes (issue 12, classes 5 and 9):
// - a restore refuses (exit 5) for anything about the data folder BEFORE it deletes the first
//   index: a part that is a link or a file, a folder on the way that is a link, a read-only
//   parent, a disk too small for the staged copy; the dry run refuses the same way;
// - a failure AFTER the first change is no refusal: exit 8, and the message says what was
//   changed (the indices restored) and how to finish;
// - a fifo where a file is expected (the config file, a manifest.json, an export manifest, a
//   file of backup.config_files, a file in the data folder) never hangs a command: each ends
//   promptly with a clear error, changing nothing.
// Every refusal is checked with before/after fingerprints of the folders and the cluster.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { chmod, cp, mkdir, readdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { testElasticsearch } from '@a4c-admin/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterState, documentFingerprints, treeState } from './installation-state.js';
import { assertBinaryBuilt, describeRun, type RunToolOptions, runTool, runToolPatiently, type ToolRun } from './run-tool.js';
import { createTestInstallation, type TestInstallation } from './test-installation.js';

const INDICES = ['application', 'csar', 'topology', 'plugin'];
/** A hang fails the test instead of stalling it: every run here must end well before this. */
const PROMPT_MS = 30_000;
/**
 * The restore's index phase starting: after every check, before the first index is deleted. A
 * fault injected then lands while Elasticsearch restores (seconds), so it is in place when the
 * files phase comes: the failure is met after the indices were replaced.
 */
const RESTORE_INDICES_START = /"operation":"restore","elapsedMs":\d+,"phase":"snapshot","kind":"start"/;

function mountTmpfs(folder: string, size: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', folder], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('the data folder side of restore, and special files', () => {
  let installation: TestInstallation;
  const mounts: string[] = [];
  const names = () => Object.keys(installation.indices);
  const tool = (args: string[], options: RunToolOptions = {}) =>
    runToolPatiently(['--json', '-c', installation.configFile, ...args], { timeoutMs: 180_000, ...options });
  /** Everything a refusal must leave as it was. */
  const everything = async (extraFolders: string[] = []) => ({
    data: await treeState(installation.dataDir),
    backups: await treeState(installation.backupDir),
    extra: await Promise.all(extraFolders.map((folder) => treeState(folder))),
    cluster: await clusterState(installation.client, installation.prefix, installation.repository.name),
    documents: await documentFingerprints(installation.client, names()),
    // The backup holds the same documents as the cluster: only the indices' identities tell
    // whether a restore deleted and restored them.
    uuids: await indexUuids(installation),
  });
  const expectRefused = (run: ToolRun, code: string, message: RegExp) => {
    expect({ status: run.status, code: run.json?.error?.code }, describeRun(run)).toEqual({ status: 5, code });
    expect(run.json?.error?.message, describeRun(run)).toMatch(message);
    expect(run.json?.error?.hint ?? '').toMatch(/\w{3,}/);
  };

  beforeAll(async () => {
    assertBinaryBuilt();
    const es = testElasticsearch();
    installation = await createTestInstallation({
      urls: [es.url],
      repoPath: es.repoPath || '/var/tmp/a4c-admin-es/nodes/test/repo',
      indices: INDICES,
      label: 'rel-datafolder',
    });
    for (const [name, format] of [
      ['good', 'snapshot'],
      ['good-export', 'export'],
    ] as const) {
      const run = await tool(['backup', '1.1.0', '-n', name, '--format', format]);
      expect(run.status, describeRun(run)).toBe(0);
    }
  });

  afterAll(async () => {
    for (const folder of mounts.reverse()) execFileSync('umount', ['-l', folder], { stdio: 'ignore' });
    await installation?.cleanup();
  });

  describe('class 5: a restore refuses before it deletes the first index', () => {
    it('a part that is a symbolic link to a folder elsewhere: UNSAFE_PATH, exit 5, nothing changed (and the dry run says the same)', async () => {
      const elsewhere = join(installation.root, 'elsewhere-csar');
      await rename(join(installation.dataDir, 'csar'), elsewhere);
      await symlink(elsewhere, join(installation.dataDir, 'csar'));
      try {
        const before = await everything([elsewhere]);
        const dry = await tool(['restore', '1.1.0', '-n', 'good', '--dry-run']);
        expectRefused(dry, 'UNSAFE_PATH', /csar is a symbolic link/);
        const run = await tool(['restore', '1.1.0', '-n', 'good', '--yes']);
        expectRefused(run, 'UNSAFE_PATH', /csar is a symbolic link/);
        expect(await everything([elsewhere])).toEqual(before);
      } finally {
        await rm(join(installation.dataDir, 'csar'));
        await rename(elsewhere, join(installation.dataDir, 'csar'));
      }
    });

    it('variation: a folder on the way to a nested part (work of work/plugins) is a link, on an export backup', async () => {
      const elsewhere = join(installation.root, 'elsewhere-work');
      await rename(join(installation.dataDir, 'work'), elsewhere);
      await symlink(elsewhere, join(installation.dataDir, 'work'));
      try {
        const before = await everything([elsewhere]);
        const run = await tool(['restore', '1.1.0', '-n', 'good-export', '--yes']);
        expectRefused(run, 'UNSAFE_PATH', /work is a symbolic link/);
        expect(await everything([elsewhere])).toEqual(before);
      } finally {
        await rm(join(installation.dataDir, 'work'));
        await rename(elsewhere, join(installation.dataDir, 'work'));
      }
    });

    it('a part that is a regular file: UNSAFE_PATH, exit 5, nothing changed', async () => {
      const aside = join(installation.root, 'images-aside');
      await rename(join(installation.dataDir, 'images'), aside);
      await writeFile(join(installation.dataDir, 'images'), 'not a folder\n');
      try {
        const before = await everything();
        const run = await tool(['restore', '1.1.0', '-n', 'good', '--yes']);
        expectRefused(run, 'UNSAFE_PATH', /images is a file/);
        expect(await everything()).toEqual(before);
      } finally {
        await rm(join(installation.dataDir, 'images'));
        await rename(aside, join(installation.dataDir, 'images'));
      }
    });

    it('a read-only parent of a part (work, mounted read-only): PRECONDITION_FAILED naming it, exit 5, nothing changed', async (context) => {
      const work = join(installation.dataDir, 'work');
      const saved = join(installation.root, 'work-saved');
      await cp(work, saved, { recursive: true });
      if (!mountTmpfs(work, '64m')) return context.skip('mount -t tmpfs is not permitted here');
      mounts.push(work);
      try {
        await cp(saved, work, { recursive: true });
        execFileSync('mount', ['-o', 'remount,ro', work]);
        // The tmpfs is another file system too: the first refusal met may be either; both name work.
        const before = await everything();
        const run = await tool(['restore', '1.1.0', '-n', 'good', '--parts', 'work/plugins', '--yes']);
        expect(run.status, describeRun(run)).toBe(5);
        expect(['PRECONDITION_FAILED', 'UNSAFE_PATH']).toContain(run.json?.error?.code);
        expect(run.json?.error?.message).toMatch(/work/);
        expect(await everything()).toEqual(before);
      } finally {
        execFileSync('umount', [work]);
        mounts.splice(mounts.indexOf(work), 1);
        await rm(saved, { recursive: true, force: true });
      }
    });

    it('a data disk too small for the staged copy: DISK_FULL, exit 5, nothing changed (indices untouched)', async (context) => {
      const disk = join(installation.root, 'small-data-disk');
      await mkdir(disk);
      // Room for the current files and a little more, not for the staged copy beside them.
      const dataBytes = Number(execFileSync('du', ['-sb', installation.dataDir]).toString().split('\t')[0]);
      if (!mountTmpfs(disk, `${Math.ceil(dataBytes / 1024) + 4096}k`)) return context.skip('mount -t tmpfs is not permitted here');
      mounts.push(disk);
      await cp(installation.dataDir, disk, { recursive: true });
      const before = { ...(await everything([disk])) };
      const run = await tool(['restore', '1.1.0', '-n', 'good', '--yes'], { env: { A4C_ADMIN_DATA_DIR: disk } });
      expectRefused(run, 'DISK_FULL', /bytes free/);
      expect(await everything([disk])).toEqual(before);
    });

    for (const fault of ['disk filled', 'remounted read-only'] as const) {
      it(`a failure after the index restore (data disk ${fault} after the checks, while the indices are restored): exit 8 naming the restored indices, and the re-run finishes`, async (context) => {
        const disk = join(installation.root, `data-disk-${fault.replace(/\W+/g, '-')}`);
        await mkdir(disk);
        if (!mountTmpfs(disk, '96m')) return context.skip('mount -t tmpfs is not permitted here');
        mounts.push(disk);
        await cp(installation.dataDir, disk, { recursive: true });
        // Something to restore beyond what the disk will have left.
        await writeFile(join(disk, 'artifacts', 'grown-since.bin'), randomBytes(1024));
        const documents = await documentFingerprints(installation.client, names());
        let injected = false;
        const run = await tool(['restore', '1.1.0', '-n', 'good', '--yes'], {
          env: { A4C_ADMIN_DATA_DIR: disk },
          onStderr: (stderr) => {
            if (injected || !RESTORE_INDICES_START.test(stderr)) return;
            injected = true;
            if (fault === 'disk filled') {
              const free = (({ bavail, bsize }) => bavail * bsize)(statfsSync(disk));
              execFileSync('fallocate', ['-l', String(Math.max(free - 4096, 4096)), join(disk, '.filler')]);
            } else execFileSync('mount', ['-o', 'remount,ro', disk]);
          },
        });
        expect(injected, describeRun(run)).toBe(true);
        expect(run.status, describeRun(run)).toBe(8);
        expect(run.json?.error?.category).toBe('partial');
        expect(run.json?.error?.message).toMatch(/What was changed: the indices .*application.* were replaced/);
        expect(run.json?.error?.message).toMatch(/data folder .* was not changed|swap was interrupted/);
        expect(run.json?.error?.hint).toMatch(/a4c-admin restore 1\.1\.0 -n good/);
        // The indices are the backup's already.
        expect(await documentFingerprints(installation.client, names())).toEqual(documents);
        // Finishing is what the hint says: fix the cause, run the same restore again.
        if (fault === 'disk filled') await rm(join(disk, '.filler'));
        else execFileSync('mount', ['-o', 'remount,rw', disk]);
        const again = await tool(['restore', '1.1.0', '-n', 'good', '--yes'], { env: { A4C_ADMIN_DATA_DIR: disk } });
        expect(again.status, describeRun(again)).toBe(0);
        expect(await readdir(join(disk, 'artifacts'))).not.toContain('grown-since.bin');
      });
    }
  });

  describe('class 9: a fifo where a file is expected never hangs a command', () => {
    const fifo = (path: string) => execFileSync('mkfifo', [path]);
    const prompt = (run: ToolRun) => {
      expect(run.killed, `hung (killed after ${PROMPT_MS} ms)\n${describeRun(run)}`).toBe(false);
      expect(run.durationMs).toBeLessThan(PROMPT_MS);
    };

    it('a fifo as the config file: CONFIG_INVALID (exit 3) naming it, at once', async () => {
      const path = join(installation.root, 'config', 'fifo-config.yml');
      fifo(path);
      try {
        for (const args of [
          ['-c', path, 'list'],
          ['-c', path, 'config', 'validate'],
        ]) {
          const run = await runTool(['--json', ...args], { timeoutMs: PROMPT_MS });
          prompt(run);
          expect({ status: run.status, code: run.json?.error?.code }, describeRun(run)).toEqual({ status: 3, code: 'CONFIG_INVALID' });
          expect(run.json?.error?.message).toMatch(/fifo-config\.yml is a named pipe/);
        }
        // The variable's way too.
        const viaVariable = await runTool(['--json', 'list'], { timeoutMs: PROMPT_MS, env: { A4C_ADMIN_CONFIG: path } });
        prompt(viaVariable);
        expect(viaVariable.status, describeRun(viaVariable)).not.toBe(0);
      } finally {
        await rm(path);
      }
    });

    it("a fifo as a backup's manifest.json: list shows it broken, verify and restore refuse, prune and delete end, all promptly, the lock released", async () => {
      const folder = join(installation.backupDir, 'fifo-manifest');
      await cp(join(installation.backupDir, 'good'), folder, { recursive: true });
      await rm(join(folder, 'manifest.json'));
      fifo(join(folder, 'manifest.json'));
      try {
        const before = await everything();
        const list = await tool(['list'], { timeoutMs: PROMPT_MS });
        prompt(list);
        expect(list.status, describeRun(list)).toBe(0);
        const entry = (list.json!.result as { backups: Array<{ name: string; state: string; problem?: string }> }).backups.find(
          (backup) => backup.name === 'fifo-manifest',
        );
        expect(entry).toMatchObject({ state: 'broken', problem: expect.stringMatching(/named pipe/) });
        for (const args of [
          ['verify', 'fifo-manifest'],
          ['restore', '1.1.0', '-n', 'fifo-manifest', '--yes'],
        ]) {
          const run = await tool(args, { timeoutMs: PROMPT_MS });
          prompt(run);
          expect({ status: run.status, code: run.json?.error?.code }, describeRun(run)).toEqual({ status: 6, code: 'BACKUP_INVALID' });
          expect(run.json?.error?.message).toMatch(/manifest\.json is a named pipe/);
        }
        const prune = await tool(['prune', '--keep-last', '100', '--yes'], { timeoutMs: PROMPT_MS });
        prompt(prune);
        expect(prune.status, describeRun(prune)).toBe(0);
        expect(await everything()).toEqual(before);
        const deleted = await tool(['delete', 'fifo-manifest', '--yes'], { timeoutMs: PROMPT_MS });
        prompt(deleted);
        // Whatever delete decides about such a folder, it ends, and leaves the lock free.
        expect(await readdir(installation.backupDir)).not.toContain('.a4c-admin.lock');
        const after = await tool(['list'], { timeoutMs: PROMPT_MS });
        expect(after.status, describeRun(after)).toBe(0);
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    });

    it('a fifo as the export manifest of an export backup: restore refuses before touching an index', async () => {
      const folder = join(installation.backupDir, 'fifo-export');
      await cp(join(installation.backupDir, 'good-export'), folder, { recursive: true });
      await rm(join(folder, 'export', 'export-manifest.json'));
      fifo(join(folder, 'export', 'export-manifest.json'));
      try {
        const before = await everything();
        const run = await tool(['restore', '1.1.0', '-n', 'fifo-export', '--yes'], { timeoutMs: PROMPT_MS });
        prompt(run);
        expect(run.status, describeRun(run)).not.toBe(0);
        expect(run.json?.error?.message).toMatch(/export-manifest\.json|named pipe/);
        expect(await everything()).toEqual(before);
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    });

    it('a fifo listed in backup.config_files: the backup refuses in preflight (exit 5), no snapshot, no folder', async () => {
      const path = join(installation.root, 'config', 'fifo.yml');
      fifo(path);
      const config = join(installation.root, 'config', 'with-fifo.yml');
      await writeFile(
        config,
        JSON.stringify({ ...configOf(installation), backup: { files_dir: installation.backupDir, config_files: [...installation.configFiles, path] } }),
      );
      try {
        const before = await everything();
        const run = await runTool(['--json', '-c', config, 'backup', '1.1.0', '-n', 'with-fifo'], { timeoutMs: PROMPT_MS });
        prompt(run);
        expectRefused(run, 'UNSAFE_PATH', /fifo\.yml is a named pipe/);
        expect(await everything()).toEqual(before);
      } finally {
        await rm(path);
      }
    });

    it('a fifo (and, variation, a unix socket) inside the data folder: the backup refuses in preflight naming it, nothing written', async () => {
      const path = join(installation.dataDir, 'plugins', 'a4c-pipe');
      fifo(path);
      try {
        const before = await everything();
        const run = await tool(['backup', '1.1.0', '-n', 'with-data-fifo'], { timeoutMs: PROMPT_MS });
        prompt(run);
        expectRefused(run, 'UNSAFE_PATH', /a4c-pipe is a named pipe/);
        expect(await everything()).toEqual(before);
      } finally {
        await rm(path);
      }
      const socketPath = join(installation.dataDir, 'csar', 'a4c.sock');
      const { createServer } = await import('node:net');
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(socketPath, resolve));
      try {
        const run = await tool(['backup', '1.1.0', '-n', 'with-data-socket'], { timeoutMs: PROMPT_MS });
        prompt(run);
        expectRefused(run, 'UNSAFE_PATH', /a4c\.sock is a socket/);
      } finally {
        await new Promise((resolve) => server.close(resolve));
        await rm(socketPath, { force: true });
      }
    });
  });

  describe('class 12: what a data-folder round trip keeps, and what a backup refuses up front', () => {
    for (const variation of [
      {
        format: 'snapshot',
        empty: 'csar/empty-folder',
        private: 'plugins/private',
        mode: 0o700,
        sparse: 'artifacts/sparse.img',
        backslash: 'csar/back\\slash.yml',
      },
      {
        format: 'export',
        empty: 'work/plugins/a/b/empty',
        private: 'images/shared',
        mode: 0o750,
        sparse: 'plugins/big/disk.raw',
        backslash: 'work/plugins/dir\\x/in\\side.txt',
      },
    ] as const) {
      it(`a ${variation.format} backup and restore through the binary keep an empty folder, a ${variation.mode.toString(8)} folder, a sparse file and a backslash name`, async () => {
        const data = installation.dataDir;
        const at = (path: string) => join(data, ...path.split('/'));
        await mkdir(at(variation.empty), { recursive: true });
        await mkdir(at(variation.private), { recursive: true });
        await writeFile(join(at(variation.private), 'secret.txt'), 'only for its owner');
        await chmod(at(variation.private), variation.mode);
        await mkdir(join(at(variation.sparse), '..'), { recursive: true });
        execFileSync('truncate', ['-s', '64M', at(variation.sparse)]);
        execFileSync('dd', ['if=/dev/urandom', `of=${at(variation.sparse)}`, 'bs=4096', 'count=2', 'seek=4096', 'conv=notrunc'], { stdio: 'ignore' });
        await mkdir(join(at(variation.backslash), '..'), { recursive: true });
        await writeFile(at(variation.backslash), 'a backslash is a legal Linux name');
        const before = await treeState(data);
        const sparseHash = createHash('sha256')
          .update(await readFile(at(variation.sparse)))
          .digest('hex');
        const name = `round-trip-${variation.format}`;
        const made = await tool(['backup', '1.1.0', '-n', name, '--format', variation.format]);
        expect(made.status, describeRun(made)).toBe(0);
        // The backup's copy is sparse too.
        expect(allocated(join(installation.backupDir, name, 'files', ...variation.sparse.split('/')))).toBeLessThan(1024 * 1024);
        // The operator's mess: all four gone or changed.
        await rm(at(variation.empty), { recursive: true });
        await chmod(at(variation.private), 0o755);
        await rm(at(variation.sparse));
        await rm(at(variation.backslash));
        const restored = await tool(['restore', '1.1.0', '-n', name, '--yes']);
        expect(restored.status, describeRun(restored)).toBe(0);
        expect(await treeState(data)).toEqual(before);
        expect((await stat(at(variation.empty))).isDirectory()).toBe(true);
        expect((await stat(at(variation.private))).mode & 0o777).toBe(variation.mode);
        expect((await stat(at(variation.sparse))).size).toBe(64 * 1024 * 1024);
        expect(allocated(at(variation.sparse)), 'the restored file is still sparse').toBeLessThan(1024 * 1024);
        expect(
          createHash('sha256')
            .update(await readFile(at(variation.sparse)))
            .digest('hex'),
        ).toBe(sparseHash);
        expect(await readFile(at(variation.backslash), 'utf8')).toBe('a backslash is a legal Linux name');
        for (const path of [variation.empty, variation.private, variation.sparse, variation.backslash]) await rm(at(path), { recursive: true });
      });
    }

    it('a file name that is not UTF-8: the backup refuses in preflight (no snapshot taken), naming it escaped', async () => {
      const folder = join(installation.dataDir, 'plugins');
      const raw = Buffer.concat([Buffer.from(`${folder}/na`), Buffer.from([0xef, 0xbb]), Buffer.from('ve.txt')]);
      await writeFile(raw, 'x');
      try {
        const before = await everything();
        const run = await tool(['backup', '1.1.0', '-n', 'bad-name']);
        expectRefused(run, 'UNSAFE_PATH', /"plugins\/na\\xef\\xbbve\.txt".*not valid UTF-8/);
        expect(run.json?.error?.hint).toMatch(/[Rr]ename/);
        expect(await everything()).toEqual(before);
      } finally {
        await rm(raw);
      }
    });

    it('a backup folder inside a part it copies: refused before anything is written, no folder copied into itself', async () => {
      const inside = join(installation.dataDir, 'artifacts', 'backups-here');
      await mkdir(inside);
      try {
        const before = await everything();
        const run = await tool(['backup', '1.1.0', '-n', 'self-copy'], { env: { A4C_ADMIN_BACKUP_DIR: inside }, timeoutMs: PROMPT_MS * 4 });
        expect([3, 5], describeRun(run)).toContain(run.status);
        expect(run.json?.error?.message).toContain(join(installation.dataDir, 'artifacts'));
        expect(await readdir(inside)).toEqual([]);
        expect(await everything()).toEqual(before);
      } finally {
        await rm(inside, { recursive: true, force: true });
      }
    });
  });
});

async function indexUuids(installation: TestInstallation): Promise<Record<string, string>> {
  const rows = await installation.client.cat.indices({ index: `${installation.prefix}*`, expand_wildcards: 'all', format: 'json', h: 'index,uuid' });
  return Object.fromEntries(rows.map((row) => [row.index!, row.uuid!]).sort(([a], [b]) => (a! < b! ? -1 : 1)));
}

/** Bytes a file really takes on disk. */
function allocated(path: string): number {
  return statSync(path).blocks * 512;
}

function statfsSync(path: string): { bavail: number; bsize: number } {
  const [bavail, bsize] = execFileSync('stat', ['-f', '-c', '%a %S', path]).toString().trim().split(' ').map(Number);
  return { bavail: bavail!, bsize: bsize! };
}

/** The installation's config as an object (the file is JSON). */
function configOf(installation: TestInstallation): Record<string, unknown> {
  return {
    elasticsearch: { addresses: [testElasticsearch().url], index_prefix: installation.prefix, repository: installation.repository },
    exporter: { dir: installation.exportDir },
    alien4cloud: { dir: installation.dataDir },
  };
}
