import { afterEach, describe, expect, it } from 'vitest';
import { tierSample } from './tier-sample.js';

const rows = [
  ...['a1', 'a2', 'a3', 'a4', 'a5'].map((name) => ({ group: 'a', name })),
  { group: 'b', name: 'b1' },
  ...['c1', 'c2', 'c3'].map((name) => ({ group: 'c', name })),
];

describe('tierSample (default tier)', () => {
  const seed = process.env.A4C_TRIALS_SEED;
  afterEach(() => {
    if (seed === undefined) delete process.env.A4C_TRIALS_SEED;
    else process.env.A4C_TRIALS_SEED = seed;
  });

  it('takes up to perGroup rows of every group, in table order, and says how to replay them', () => {
    process.env.A4C_TRIALS_SEED = '4242';
    const sample = tierSample(rows, (row) => row.group, 2);
    expect(sample.rows.filter((row) => row.group === 'a')).toHaveLength(2);
    expect(sample.rows.filter((row) => row.group === 'b')).toEqual([{ group: 'b', name: 'b1' }]);
    expect(sample.rows.filter((row) => row.group === 'c')).toHaveLength(2);
    expect(sample.rows.map((row) => rows.indexOf(row))).toEqual([...sample.rows.map((row) => rows.indexOf(row))].sort((x, y) => x - y));
    expect(sample.description).toMatch(/5 of 9 rows .*A4C_TRIALS_SEED=4242/);
  });

  it('replays the same rows for the same seed, and other seeds cover other rows', () => {
    const pick = (value: string) => {
      process.env.A4C_TRIALS_SEED = value;
      return tierSample(rows, (row) => row.group, 1).rows.map((row) => row.name);
    };
    expect(pick('7')).toEqual(pick('7'));
    const seen = new Set(Array.from({ length: 40 }, (_, seed) => pick(String(seed + 1))).flat());
    expect(seen).toEqual(new Set(rows.map((row) => row.name)));
  });
});
