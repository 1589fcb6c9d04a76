import { describe, expect, it } from 'vitest';
import { createBulkBytesBudget, DEFAULT_BULK_BYTES } from './bulk-bytes-budget.js';

const MB = 1024 * 1024;

describe('the bytes of bulk requests in flight', () => {
  it('lets requests go while they fit and holds the next until bytes come back', async () => {
    const budget = createBulkBytesBudget(24 * MB);
    await budget.acquire(8 * MB);
    await budget.acquire(8 * MB);
    await budget.acquire(8 * MB);
    let fourth = false;
    const waiting = budget.acquire(8 * MB).then(() => {
      fourth = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(fourth).toBe(false);
    budget.release(8 * MB);
    await waiting;
    expect(fourth).toBe(true);
  });

  it('lets a request larger than the whole budget go alone rather than never', async () => {
    const budget = createBulkBytesBudget(4 * MB);
    await budget.acquire(10 * MB);
    budget.release(10 * MB);
    await budget.acquire(4 * MB);
  });

  it('serves waiting requests in order: a large one is not starved by small ones', async () => {
    const budget = createBulkBytesBudget(10 * MB);
    await budget.acquire(8 * MB);
    const order: string[] = [];
    const large = budget.acquire(6 * MB).then(() => order.push('large'));
    const small = budget.acquire(1 * MB).then(() => order.push('small'));
    budget.release(8 * MB);
    await Promise.all([large, small]);
    expect(order).toEqual(['large', 'small']);
  });

  it('stops waiting when the load is cancelled, with the cancel reason', async () => {
    const budget = createBulkBytesBudget(8 * MB);
    await budget.acquire(8 * MB);
    const controller = new AbortController();
    const waiting = budget.acquire(8 * MB, controller.signal);
    const reason = new Error('cancelled');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
  });

  it('sizes requests so that six fit in the budget, never above what was asked', () => {
    expect(createBulkBytesBudget(64 * MB).requestBytes()).toBe(DEFAULT_BULK_BYTES);
    expect(createBulkBytesBudget(24 * MB).requestBytes()).toBe(4 * MB);
    expect(createBulkBytesBudget(64 * MB).requestBytes(2 * MB)).toBe(2 * MB);
  });
});
