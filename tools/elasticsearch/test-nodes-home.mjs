// @ts-check
// Where the integration run keeps its nodes' folders. Elasticsearch syncs to disk on every
// bulk request (its translog) and on every cluster-state change (each index created, deleted,
// blocked or aliased: the tests make thousands); on this kind of virtual disk a sync costs
// milliseconds and, under the run's own I/O, far more. A RAM-backed folder makes them free, so
// the run measures the tool, not the disk. Benchmarks and the demo keep the disk (the launcher's
// default): they show what an operator's node does.
import { accessSync, constants, statfsSync } from 'node:fs';
import { join } from 'node:path';

/** The RAM-backed folder Linux offers every process. */
const SHARED_MEMORY = '/dev/shm';

/** What the run's nodes may hold at most (snapshots and data included), with room to spare. */
const REQUIRED_FREE_BYTES = 2 * 1024 ** 3;

/**
 * A folder under /dev/shm for the test nodes, or undefined (then the launcher's default on
 * disk) when there is no writable tmpfs there with 2 GiB free.
 * @param {string} [sharedMemory]
 * @returns {string | undefined}
 */
export function ramBackedNodesHome(sharedMemory = SHARED_MEMORY) {
  try {
    accessSync(sharedMemory, constants.W_OK | constants.X_OK);
    const { bavail, bsize } = statfsSync(sharedMemory);
    if (bavail * bsize < REQUIRED_FREE_BYTES) return undefined;
  } catch {
    return undefined;
  }
  return join(sharedMemory, 'a4c-admin-es-nodes');
}
