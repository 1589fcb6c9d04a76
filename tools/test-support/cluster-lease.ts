// The 3-node test cluster is shared by the test workers (each has its own single node and
// legacy node): a file that uses it holds it alone, so that no other file's snapshot, restore or
// migration runs on it at the same time (a backup refuses to start beside a running snapshot;
// fingerprints of the cluster would see the other file's indices). The lease is a file holding
// the holder's pid; it is taken on the file's first look at the cluster and given back when that
// test process exits (vitest runs each file in a process of its own), or found stale when its
// holder died without giving it back.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const POLL_MS = 250;
const held = new Set<string>();

/** Waits until this process holds the lease named after `clusterUrl` (synchronously: it is taken from a getter). */
export function holdClusterLease(clusterUrl: string): void {
  const path = leasePath(clusterUrl);
  if (held.has(path)) return;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      const handle = openSync(path, 'wx');
      writeSync(handle, String(process.pid));
      closeSync(handle);
      held.add(path);
      process.once('exit', () => releaseClusterLease(clusterUrl));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (!holderAlive(path)) {
      rmSync(path, { force: true });
      continue;
    }
    Atomics.wait(pause, 0, 0, POLL_MS);
  }
}

/** Gives the lease back (when this process holds it). */
export function releaseClusterLease(clusterUrl: string): void {
  const path = leasePath(clusterUrl);
  if (held.delete(path)) rmSync(path, { force: true });
}

function leasePath(clusterUrl: string): string {
  return join(tmpdir(), `a4c-admin-test-cluster-${new URL(clusterUrl).port}.lease`);
}

function holderAlive(path: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(path, 'utf8'));
  } catch {
    return false;
  }
  // A lease written but not yet filled in (pid 0 or NaN) belongs to a process writing it now.
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
