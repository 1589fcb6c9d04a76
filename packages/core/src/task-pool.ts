// The one concurrency limiter of a4c-admin: at most N tasks in flight, the first failure wins
// and stops new tasks, and the producer waits for a free slot (backpressure keeps memory flat).
// `createTaskPool` is for a producer that streams its tasks (a walk of the data folder);
// `mapConcurrently` is the same pool over a list whose results are wanted in order.
import { cancelledError } from './cancellation.js';

export interface TaskPool {
  /** Waits for a free slot, then starts the task. Throws the first failure of any task. */
  run(task: () => Promise<void>): Promise<void>;
  /** Waits for every running task; throws the first failure. */
  drain(): Promise<void>;
}

export function createTaskPool(concurrency: number): TaskPool {
  const limit = Math.max(1, Math.floor(concurrency));
  const running = new Set<Promise<void>>();
  let failed = false;
  let failure: unknown;
  const check = () => {
    if (failed) throw failure;
  };
  return {
    async run(task) {
      while (running.size >= limit) await Promise.race(running);
      check();
      const promise: Promise<void> = task()
        .catch((error: unknown) => {
          if (!failed) {
            failed = true;
            failure = error;
          }
        })
        .finally(() => running.delete(promise));
      running.add(promise);
    },
    async drain() {
      await Promise.all(running);
      check();
    },
  };
}

export interface MapConcurrentlyOptions {
  /** Checked before each task starts: once aborted, no task starts and CANCELLED is thrown when those in flight end. */
  signal?: AbortSignal;
  /** The hint of that CANCELLED error. */
  cancelHint?: string;
}

/**
 * `work` over `items` with at most `limit` in flight; the results in the order of `items`.
 * The first failure stops new tasks and is thrown once the tasks in flight have settled.
 */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
  options: MapConcurrentlyOptions = {},
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  const pool = createTaskPool(limit);
  let started = 0;
  try {
    for (const [index, item] of items.entries()) {
      if (options.signal?.aborted) {
        await pool.drain();
        throw cancelledError(
          `Cancelled: ${started} of ${items.length} task(s) were started and have ended, the others were not started.`,
          options.cancelHint ?? 'Run the operation again.',
          options.signal.reason,
        );
      }
      await pool.run(async () => {
        results[index] = await work(item, index);
      });
      started += 1;
    }
    await pool.drain();
  } catch (error) {
    // The tasks in flight are let finish before the failure is reported: nothing runs behind the caller's back.
    await pool.drain().catch(() => undefined);
    throw error;
  }
  return results;
}
