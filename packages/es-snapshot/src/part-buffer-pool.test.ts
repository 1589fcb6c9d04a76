import { describe, expect, it } from 'vitest';
import { createPartBufferPool } from './part-buffer-pool.js';

describe('part buffer pool', () => {
  it('hands out at most its count of buffers, the same ones again once given back, first waiter first', async () => {
    const pool = createPartBufferPool(2, 1024);
    const first = await pool.acquire();
    const second = pool.tryAcquire();
    expect(second).toBeDefined();
    expect(first).not.toBe(second);
    expect(first.length).toBe(1024);
    expect(pool.tryAcquire()).toBeUndefined();
    const granted: Buffer[] = [];
    const waiters = [pool.acquire().then((buffer) => granted.push(buffer)), pool.acquire().then((buffer) => granted.push(buffer))];
    pool.release(first);
    pool.release(second!);
    await Promise.all(waiters);
    expect(granted).toEqual([first, second]);
    expect(granted[0]).toBe(first);
  });

  it('stops waiting when the signal aborts, and gives a later buffer to the next waiter', async () => {
    const pool = createPartBufferPool(1, 16);
    const only = await pool.acquire();
    const controller = new AbortController();
    const cancelled = pool.acquire(controller.signal);
    const next = pool.acquire();
    controller.abort(new Error('cancelled'));
    await expect(cancelled).rejects.toThrow('cancelled');
    pool.release(only);
    expect(await next).toBe(only);
    await expect(pool.acquire(AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
  });
});
