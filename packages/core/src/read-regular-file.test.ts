import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type A4cAdminError, createFileLock, loadConfig, readManifest } from '@a4c-admin/core';
import { readRegularFile, readRegularFileSync } from '@a4c-admin/core/internal';
import { rejectionOf } from '@a4c-admin/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'a4c-regular-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const fifo = (path: string) => execFileSync('mkfifo', [path]);
/** A read that blocks would never settle: race it against a short timer. */
const promptly = <T>(promise: Promise<T>) =>
  Promise.race([promise, new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error('still waiting after 3 s: it blocked')), 3000))]);

describe('readRegularFile', () => {
  it('reads a regular file, and one through a link unless noFollow', async () => {
    await writeFile(join(root, 'a.txt'), 'hello');
    await symlink(join(root, 'a.txt'), join(root, 'link.txt'));
    expect((await readRegularFile(join(root, 'a.txt'))).toString()).toBe('hello');
    expect((await readRegularFile(join(root, 'link.txt'))).toString()).toBe('hello');
    expect(readRegularFileSync(join(root, 'a.txt')).toString()).toBe('hello');
    const refused = await rejectionOf<A4cAdminError>(readRegularFile(join(root, 'link.txt'), { noFollow: true }));
    expect(refused).toMatchObject({ code: 'UNSAFE_PATH', message: expect.stringMatching(/link\.txt is a symbolic link/) });
  });

  it('refuses a fifo at once, async and sync, naming it; and a link to a fifo', async () => {
    fifo(join(root, 'pipe'));
    await symlink(join(root, 'pipe'), join(root, 'to-pipe'));
    for (const path of [join(root, 'pipe'), join(root, 'to-pipe')]) {
      const refused = await promptly(rejectionOf<A4cAdminError>(readRegularFile(path, { what: 'The thing', code: 'CONFIG_INVALID' })));
      expect(refused).toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringMatching(/^The thing .* is a named pipe \(fifo\), not a regular file/) });
    }
    expect(() => readRegularFileSync(join(root, 'pipe'))).toThrow(/is a named pipe/);
  });

  it('refuses a socket and a folder; a missing file keeps its ENOENT', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(join(root, 'sock'), resolve));
    try {
      expect(await promptly(rejectionOf<A4cAdminError>(readRegularFile(join(root, 'sock'))))).toMatchObject({
        code: 'UNSAFE_PATH',
        message: expect.stringMatching(/is a socket/),
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    await mkdir(join(root, 'folder'));
    expect(await rejectionOf<A4cAdminError>(readRegularFile(join(root, 'folder')))).toMatchObject({
      code: 'UNSAFE_PATH',
      message: expect.stringMatching(/is a folder/),
    });
    expect(await rejectionOf<NodeJS.ErrnoException>(readRegularFile(join(root, 'missing')))).toMatchObject({ code: 'ENOENT' });
  });
});

describe('callers never block on a fifo', () => {
  it('the config file (and, variation, a CA file named by it)', async () => {
    fifo(join(root, 'admin.yml'));
    expect(await promptly(rejectionOf<A4cAdminError>(loadConfig({ file: join(root, 'admin.yml'), env: {} })))).toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringMatching(/admin\.yml is a named pipe/),
    });
    fifo(join(root, 'ca.pem'));
    await writeFile(
      join(root, 'ok.yml'),
      `elasticsearch:\n  addresses: [https://127.0.0.1:9200]\n  tls:\n    ca_file: ${join(root, 'ca.pem')}\nbackup:\n  files_dir: ${join(root, 'b')}\nalien4cloud:\n  dir: ${join(root, 'd')}\n`,
    );
    const caRefused = await promptly(rejectionOf<A4cAdminError>(loadConfig({ file: join(root, 'ok.yml'), env: {} })));
    expect(caRefused.code).toBe('CONFIG_INVALID');
    expect(caRefused.message).toMatch(/ca\.pem cannot be read \(a named pipe/);
  });

  it('a manifest.json that is a fifo: BACKUP_INVALID naming it', async () => {
    await mkdir(join(root, 'backup'));
    fifo(join(root, 'backup', 'manifest.json'));
    expect(await promptly(rejectionOf<A4cAdminError>(readManifest(join(root, 'backup'))))).toMatchObject({
      code: 'BACKUP_INVALID',
      message: expect.stringMatching(/manifest\.json is a named pipe/),
    });
  });

  it('a lock file that is a fifo: the lock refuses at once instead of waiting on it', async () => {
    fifo(join(root, '.a4c-admin.lock'));
    const refused = await promptly(rejectionOf<A4cAdminError>(createFileLock(root).acquire('test')));
    expect(refused.message).toMatch(/lock.* is a named pipe/);
  });
});
