import { isA4cAdminError } from '@a4c-admin/core';
import { createTaskPool, mapConcurrently } from '@a4c-admin/core/internal';
import { describe, expect, it } from 'vitest';

const tick = (milliseconds = 5) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** A task body that records how many run at once. */
function tracker() {
  let inFlight = 0;
  let most = 0;
  return {
    most: () => most,
    async run<R>(value: R, milliseconds = 5): Promise<R> {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await tick(milliseconds);
      inFlight -= 1;
      return value;
    },
  };
}

describe('mapConcurrently (the one concurrency limiter)', () => {
  it('never runs more than the limit at once', async () => {
    const track = tracker();
    await mapConcurrently(
      Array.from({ length: 20 }, (_, index) => index),
      3,
      (item) => track.run(item),
    );
    expect(track.most()).toBe(3);
  });

  it('gives the results in the order of the items, whatever order they end in', async () => {
    const results = await mapConcurrently([30, 1, 20, 2, 10], 5, async (milliseconds) => {
      await tick(milliseconds);
      return milliseconds * 2;
    });
    expect(results).toEqual([60, 2, 40, 4, 20]);
  });

  it('starts no new task after the first failure, and throws it once the tasks in flight end', async () => {
    const started: number[] = [];
    const ended: number[] = [];
    const failure = await mapConcurrently(
      Array.from({ length: 10 }, (_, index) => index),
      2,
      async (item) => {
        started.push(item);
        await tick(item === 0 ? 30 : 5);
        if (item === 1) throw new Error('first failure');
        ended.push(item);
        return item;
      },
    ).catch((error: unknown) => error);
    expect((failure as Error).message).toBe('first failure');
    // Item 1 failed while item 0 ran: its free slot started nothing.
    expect(started).toEqual([0, 1]);
    // The task in flight when the failure happened was let finish before the call returned.
    expect(ended).toEqual([0]);
  });

  it('starts no task once the signal is aborted, and throws CANCELLED after those in flight end', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    let running = 0;
    const failure = await mapConcurrently(
      Array.from({ length: 10 }, (_, index) => index),
      2,
      async (item) => {
        started.push(item);
        running += 1;
        if (item === 2) controller.abort();
        await tick(10);
        running -= 1;
        return item;
      },
      { signal: controller.signal },
    ).catch((error: unknown) => error);
    expect(isA4cAdminError(failure) && failure.code).toBe('CANCELLED');
    expect(started).toEqual([0, 1, 2]);
    expect(running).toBe(0);
  });

  it('starts nothing with a signal aborted before the call', async () => {
    let calls = 0;
    const failure = await mapConcurrently([1, 2, 3], 2, async () => (calls += 1), { signal: AbortSignal.abort() }).catch((error: unknown) => error);
    expect(isA4cAdminError(failure) && failure.code).toBe('CANCELLED');
    expect(calls).toBe(0);
  });

  it('returns an empty list for no items', async () => {
    expect(await mapConcurrently([], 4, async () => 1)).toEqual([]);
  });
});

describe('createTaskPool', () => {
  it('makes the producer wait for a free slot, and drain throws the first failure', async () => {
    const pool = createTaskPool(2);
    const track = tracker();
    for (let index = 0; index < 6; index++) await pool.run(async () => void (await track.run(index)));
    await pool.drain();
    expect(track.most()).toBe(2);

    const failing = createTaskPool(2);
    await failing.run(async () => {
      throw new Error('boom');
    });
    await expect(failing.drain()).rejects.toThrow('boom');
  });
});
