import { createByteBudget } from '@a4c-admin/core/internal';
import { describe, expect, it } from 'vitest';

const tick = (milliseconds = 5) => new Promise((resolve) => setTimeout(resolve, milliseconds));

describe('createByteBudget (bytes held at once by concurrent uploads)', () => {
  it('never lets concurrent holders exceed the budget, whatever their sizes', async () => {
    const budget = createByteBudget(100);
    let most = 0;
    const sizes = [40, 30, 70, 10, 90, 5, 60, 25, 50, 100];
    await Promise.all(
      sizes.map(async (size, index) => {
        const release = await budget.reserve(size);
        most = Math.max(most, budget.held);
        await tick(1 + (index % 3));
        release();
      }),
    );
    expect(most).toBeLessThanOrEqual(100);
    expect(most).toBeGreaterThan(90);
    expect(budget.held).toBe(0);
  });

  it('grants a reservation larger than the whole budget once nothing else is held, alone', async () => {
    const budget = createByteBudget(100);
    const small = await budget.reserve(10);
    let bigGranted = false;
    const big = budget.reserve(250).then((release) => {
      bigGranted = true;
      expect(budget.held).toBe(250);
      return release;
    });
    await tick();
    expect(bigGranted).toBe(false);
    small();
    (await big)();
    expect(bigGranted).toBe(true);
    expect(budget.held).toBe(0);
  });

  it('serves waiters in order: a large one is not overtaken by the small ones that come after it', async () => {
    const budget = createByteBudget(100);
    const first = await budget.reserve(60);
    const order: string[] = [];
    const large = budget.reserve(80).then((release) => {
      order.push('large');
      return release;
    });
    const small = budget.reserve(10).then((release) => {
      order.push('small');
      return release;
    });
    await tick();
    expect(order).toEqual([]);
    first();
    const releaseLarge = await large;
    const releaseSmall = await small;
    expect(order).toEqual(['large', 'small']);
    releaseLarge();
    releaseSmall();
  });

  it('gives bytes back once, however often release is called', async () => {
    const budget = createByteBudget(100);
    const release = await budget.reserve(30);
    await budget.reserve(20);
    release();
    release();
    expect(budget.held).toBe(20);
  });
});
