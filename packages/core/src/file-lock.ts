// One operation at a time per folder: a lock file created with O_EXCL that records who
// holds it, kept alive by a heartbeat, taken over when its holder is provably gone.
//
// "Provably gone": on this host, only a dead pid (a live holder keeps its lock however old its
// heartbeat, since a busy or suspended process is not a dead one); from another host, where the
// pid cannot be checked, a heartbeat older than staleAfterMs, or one more than staleAfterMs in
// the future (a skewed clock or a damaged file must not hold the lock forever).
import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { mkdir, open, stat, unlink } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { A4cAdminError } from './errors.js';
import type { Lock, LockHandle, LockInfo } from './ports.js';
import { readRegularFileSync, readRegularTextFile } from './read-regular-file.js';

/** Name of the lock file inside the locked folder. */
export const LOCK_FILE = '.a4c-admin.lock';

export interface FileLockOptions {
  /** A lock whose heartbeat is older than this is stale (default 60 s). */
  staleAfterMs?: number;
  /** Who holds the lock, for messages (default user@host). */
  owner?: string;
}

interface LockFileContent extends LockInfo {
  /** Tells our lock from a successor's, so that we never refresh or delete someone else's. */
  token: string;
}

/** How long a takeover marker may live before it is itself considered abandoned. */
const TAKEOVER_STALE_MS = 10_000;

/**
 * A {@link Lock} backed by `folder/.a4c-admin.lock`. The lock is stale when its pid is dead
 * on this host or its heartbeat is older than `staleAfterMs`; a stale lock is taken over
 * (one contender wins). The heartbeat timer is unref'd; the lock is removed on release and,
 * synchronously, on process 'exit' (a CLI should turn SIGINT/SIGTERM into process.exit).
 */
export function createFileLock(folder: string, options: FileLockOptions = {}): Lock {
  const staleAfterMs = options.staleAfterMs ?? 60_000;
  const owner = options.owner ?? `${safeUser()}@${hostname()}`;
  const lockPath = join(folder, LOCK_FILE);

  const isStale = (info: LockInfo): boolean => {
    if (info.host === hostname()) return !isProcessAlive(info.pid);
    const heartbeat = Date.parse(info.heartbeatAt);
    if (!Number.isFinite(heartbeat)) return true;
    const age = Date.now() - heartbeat;
    return age > staleAfterMs || age < -staleAfterMs;
  };

  return {
    async acquire(operation) {
      await mkdir(folder, { recursive: true });
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const now = new Date().toISOString();
        const content: LockFileContent = {
          owner,
          operation,
          host: hostname(),
          pid: process.pid,
          startedAt: now,
          heartbeatAt: now,
          token: randomBytes(8).toString('hex'),
        };
        if (await createExclusive(lockPath, content)) return holdLock(lockPath, content, staleAfterMs);
        const current = await readLock(lockPath);
        if (current === 'absent') continue; // released between our two calls: try again
        if (current !== 'unreadable' && !isStale(current)) throw lockedError(lockPath, current, staleAfterMs);
        if (current === 'unreadable' && !(await olderThan(lockPath, staleAfterMs))) {
          // Being written by its creator right now (or damaged recently): give it a moment.
          await delay(50);
          continue;
        }
        await takeOver(lockPath, current, (info) => info === 'unreadable' || isStale(info));
      }
      const current = await readLock(lockPath);
      throw typeof current === 'object'
        ? lockedError(lockPath, current, staleAfterMs)
        : new A4cAdminError('LOCKED', `Could not take the lock ${lockPath}: other processes keep competing for it.`, {
            hint: 'Another a4c-admin is starting on the same folder; wait for it and run again.',
          });
    },
    async inspect() {
      const current = await readLock(lockPath);
      if (typeof current !== 'object') return undefined;
      const { token: _token, ...info } = current;
      return { ...info, stale: isStale(current) };
    },
  };
}

function holdLock(lockPath: string, content: LockFileContent, staleAfterMs: number): LockHandle {
  let released = false;
  const stillOurs = (): boolean => {
    try {
      return (JSON.parse(readRegularFileSync(lockPath, { noFollow: true, maxBytes: 64 * 1024 }).toString('utf8')) as LockFileContent).token === content.token;
    } catch {
      return false;
    }
  };
  const onExit = () => {
    if (!released && stillOurs()) {
      try {
        unlinkSync(lockPath);
      } catch {
        // Exiting anyway: a leftover lock is detected as stale by pid.
      }
    }
  };
  process.on('exit', onExit);
  // Awaited by release(): a heartbeat written after the release would leave its temp file behind.
  let writing: Promise<unknown> = Promise.resolve();
  const heartbeat = setInterval(
    () => {
      if (released || !stillOurs()) return;
      content.heartbeatAt = new Date().toISOString();
      writing = writeFileAtomic(lockPath, `${JSON.stringify(content)}\n`).catch(() => undefined);
    },
    Math.max(50, Math.floor(staleAfterMs / 4)),
  );
  heartbeat.unref();
  const { token: _token, ...info } = content;
  return {
    info,
    async release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      await writing;
      process.off('exit', onExit);
      if (stillOurs()) await unlink(lockPath).catch(() => undefined);
    },
  };
}

/** Creates the lock file only if none exists (O_EXCL): the atomic step that makes one winner. */
async function createExclusive(lockPath: string, content: LockFileContent): Promise<boolean> {
  let handle;
  try {
    handle = await open(lockPath, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new A4cAdminError('FILESYSTEM', `Cannot create the lock file ${lockPath}: ${(error as Error).message}`, {
      hint: 'Check that the folder exists and that the user running a4c-admin may write there.',
      cause: error,
    });
  }
  try {
    await handle.writeFile(`${JSON.stringify(content)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}

/**
 * Removes a stale lock so that the caller can retry the O_EXCL create. A takeover marker
 * (itself O_EXCL) makes sure two contenders never both remove the lock, and the lock is
 * re-read under the marker so a fresh lock created meanwhile is never removed.
 */
async function takeOver(
  lockPath: string,
  judged: LockFileContent | 'unreadable',
  stillStale: (info: LockFileContent | 'unreadable') => boolean,
): Promise<void> {
  const marker = `${lockPath}.takeover`;
  let handle;
  try {
    handle = await open(marker, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Someone else is taking over; an abandoned marker (its process died) is cleared after a while.
    if (await olderThan(marker, TAKEOVER_STALE_MS)) await unlink(marker).catch(() => undefined);
    else await delay(20);
    return;
  }
  try {
    await handle.close();
    const current = await readLock(lockPath);
    const same = typeof current === 'object' && typeof judged === 'object' ? current.token === judged.token : current === judged;
    if (current !== 'absent' && same && stillStale(current)) await unlink(lockPath).catch(() => undefined);
  } finally {
    await unlink(marker).catch(() => undefined);
  }
}

async function readLock(lockPath: string): Promise<LockFileContent | 'absent' | 'unreadable'> {
  let text: string;
  try {
    // A fifo as the lock file must not block (and so hold up) whoever checks the lock.
    text = await readRegularTextFile(lockPath, { noFollow: true, what: 'The lock file' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as LockFileContent;
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string' && typeof parsed.heartbeatAt === 'string') return parsed;
  } catch {
    // fall through
  }
  return 'unreadable';
}

function lockedError(lockPath: string, holder: LockInfo, staleAfterMs: number): A4cAdminError {
  return new A4cAdminError(
    'LOCKED',
    `${lockPath} is held by "${holder.operation}" (pid ${holder.pid} on ${holder.host}, ${holder.owner}), started ${holder.startedAt}, last heartbeat ${holder.heartbeatAt}.`,
    {
      hint: `Wait for that operation to finish. The lock is taken over automatically once its holder is gone: at once on the same host when its pid is dead (a live process keeps it), after ${Math.round(staleAfterMs / 1000)} s without heartbeat from another host.`,
      details: {
        lockPath,
        owner: holder.owner,
        operation: holder.operation,
        pid: holder.pid,
        host: holder.host,
        startedAt: holder.startedAt,
        heartbeatAt: holder.heartbeatAt,
      },
    },
  );
}

/** True when a process with this pid exists (EPERM: it exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function olderThan(path: string, ms: number): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  return info !== undefined && Date.now() - info.mtimeMs > ms;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
