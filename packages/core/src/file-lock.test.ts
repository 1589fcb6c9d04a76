import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type A4cAdminError, createFileLock } from '@a4c-admin/core';
import { LOCK_FILE } from '@a4c-admin/core/internal';
import { rejectionOf } from '@a4c-admin/test-support';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildCoreForChildProcesses } from './child-process-build.test-support.js';

let folder: string;
let moduleUrl: string;
beforeAll(() => {
  moduleUrl = buildCoreForChildProcesses('lock');
}, 60_000);
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'a4c-lock-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

const failure = (promise: Promise<unknown>) => rejectionOf<A4cAdminError>(promise);

/** A child process that takes the lock, says so, then waits (or exits when asked to). */
async function childHolding(exitAfterAcquire: boolean) {
  const script = `const { createFileLock } = await import(${JSON.stringify(moduleUrl)});
await createFileLock(${JSON.stringify(folder)}).acquire('backup');
process.stdout.write('locked\\n');
${exitAfterAcquire ? 'process.exit(0);' : 'setInterval(() => {}, 1000);'}`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`child exited ${code}`))));
  });
  return child;
}

describe('createFileLock', () => {
  it('lets one acquirer in; the second gets LOCKED with the holder; release is idempotent', async () => {
    const first = await createFileLock(folder, { owner: 'alice' }).acquire('backup');
    expect(first.info).toMatchObject({ owner: 'alice', operation: 'backup', pid: process.pid, host: hostname() });
    expect((await stat(join(folder, LOCK_FILE))).mode & 0o777).toBe(0o600);

    const second = createFileLock(folder, { owner: 'bob' });
    const error = await failure(second.acquire('restore'));
    expect(error.code).toBe('LOCKED');
    expect(error.message).toContain(`pid ${process.pid} on ${hostname()}`);
    expect(error.message).toContain('"backup"');
    expect(error.message).toContain(first.info.startedAt);
    expect(error.hint).toMatch(/Wait for that operation/);
    expect(await second.inspect()).toMatchObject({ owner: 'alice', stale: false });

    await first.release();
    await first.release();
    const third = await second.acquire('restore');
    expect(third.info.owner).toBe('bob');
    // Releasing the old handle again must not delete the new holder's lock.
    await first.release();
    expect(await second.inspect()).toMatchObject({ owner: 'bob' });
    await third.release();
    expect(await second.inspect()).toBeUndefined();
  });

  it('takes over the lock of a process killed with SIGKILL (dead pid on this host)', async () => {
    const child = await childHolding(false);
    const lock = createFileLock(folder);
    expect((await failure(lock.acquire('restore'))).message).toContain(`pid ${child.pid}`);
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(await lock.inspect()).toMatchObject({ pid: child.pid, stale: true });
    const handle = await lock.acquire('restore');
    expect(handle.info.pid).toBe(process.pid);
    await handle.release();
  });

  it('is released on a normal process exit without release()', async () => {
    const child = await childHolding(true);
    if (child.exitCode === null) await once(child, 'exit');
    await expect(stat(join(folder, LOCK_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a lock of another host is stale only when its heartbeat is old; the holder keeps its heartbeat fresh', async () => {
    const foreign = (heartbeatAt: string) =>
      JSON.stringify({ owner: 'x', operation: 'backup', host: 'other-host', pid: 1, startedAt: heartbeatAt, heartbeatAt, token: 't' });
    await writeFile(join(folder, LOCK_FILE), foreign(new Date().toISOString()));
    const lock = createFileLock(folder, { staleAfterMs: 400 });
    expect((await failure(lock.acquire('backup'))).message).toContain('other-host');
    await writeFile(join(folder, LOCK_FILE), foreign(new Date(Date.now() - 5_000).toISOString()));
    const handle = await lock.acquire('backup');
    const first = JSON.parse(await readFile(join(folder, LOCK_FILE), 'utf8')).heartbeatAt;
    await new Promise((resolve) => setTimeout(resolve, 700));
    const later = JSON.parse(await readFile(join(folder, LOCK_FILE), 'utf8')).heartbeatAt;
    expect(Date.parse(later)).toBeGreaterThan(Date.parse(first));
    // Thanks to the heartbeat, the lock is not stale although staleAfterMs has passed.
    expect(await lock.inspect()).toMatchObject({ stale: false });
    await handle.release();
  });

  it('never takes over the lock of a live process on this host, however old its heartbeat', async () => {
    const child = await childHolding(false);
    try {
      const lockPath = join(folder, LOCK_FILE);
      for (const ageMs of [120_000, 86_400_000]) {
        // The holder looks frozen: its heartbeat is long past (the file is rewritten as it would be).
        const held = JSON.parse(await readFile(lockPath, 'utf8'));
        const old = new Date(Date.now() - ageMs).toISOString();
        await writeFile(lockPath, JSON.stringify({ ...held, heartbeatAt: old, startedAt: old }));
        const lock = createFileLock(folder, { staleAfterMs: 1_000 });
        expect(await lock.inspect()).toMatchObject({ pid: child.pid, stale: false });
        const error = await failure(lock.acquire('restore'));
        expect(error.code).toBe('LOCKED');
        expect(error.message).toContain(`pid ${child.pid}`);
        expect(JSON.parse(await readFile(lockPath, 'utf8')).pid).toBe(child.pid);
      }
    } finally {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  });

  it('a heartbeat from another host too far in the future counts as none: the lock expires', async () => {
    const foreign = (heartbeatAt: string) =>
      JSON.stringify({ owner: 'x', operation: 'migrate', host: 'skewed-host', pid: 1, startedAt: heartbeatAt, heartbeatAt, token: 't' });
    const lock = createFileLock(folder, { staleAfterMs: 2_000 });
    // A little ahead (clock skew within the bound): still held.
    await writeFile(join(folder, LOCK_FILE), foreign(new Date(Date.now() + 1_000).toISOString()));
    expect((await failure(lock.acquire('backup'))).code).toBe('LOCKED');
    for (const ahead of [60_000, 10 * 365 * 86_400_000]) {
      await writeFile(join(folder, LOCK_FILE), foreign(new Date(Date.now() + ahead).toISOString()));
      expect(await lock.inspect()).toMatchObject({ host: 'skewed-host', stale: true });
      const handle = await lock.acquire('backup');
      expect(handle.info.pid).toBe(process.pid);
      await handle.release();
    }
  });

  it('exactly one of several contenders takes over a stale lock', async () => {
    const stale = new Date(Date.now() - 120_000).toISOString();
    await writeFile(
      join(folder, LOCK_FILE),
      JSON.stringify({ owner: 'x', operation: 'backup', host: 'gone', pid: 1, startedAt: stale, heartbeatAt: stale, token: 't' }),
    );
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, index) => createFileLock(folder, { owner: `c${index}` }).acquire('backup')));
    const winners = results.filter((result) => result.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    for (const result of results) if (result.status === 'rejected') expect((result.reason as A4cAdminError).code).toBe('LOCKED');
    await (winners[0] as PromiseFulfilledResult<{ release(): Promise<void> }>).value.release();
  });
});
