import { describe, expect, it } from 'vitest';
import { pollWaits } from './poll-waits.js';

describe('waits between looks at a running snapshot or restore', () => {
  it('start at 50 ms and double up to the configured interval, then stay there', () => {
    const next = pollWaits(500);
    expect(Array.from({ length: 7 }, next)).toEqual([50, 100, 200, 400, 500, 500, 500]);
  });

  it('never exceed an interval shorter than the first wait', () => {
    const next = pollWaits(20);
    expect([next(), next()]).toEqual([20, 20]);
  });
});
