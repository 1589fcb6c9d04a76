// A tiny concurrency limiter: at most N tasks in flight, the first failure wins and stops
// new tasks, and the producer waits for a free slot (backpressure keeps memory flat).

export interface TaskPool {
  /** Waits for a free slot, then starts the task. Throws the first failure of any task. */
  run(task: () => Promise<void>): Promise<void>;
  /** Waits for every running task; throws the first failure. */
  drain(): Promise<void>;
}

export function createTaskPool(concurrency: number): TaskPool {
  const running = new Set<Promise<void>>();
  let failed = false;
  let failure: unknown;
  const check = () => {
    if (failed) throw failure;
  };
  return {
    async run(task) {
      while (running.size >= concurrency) await Promise.race(running);
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
