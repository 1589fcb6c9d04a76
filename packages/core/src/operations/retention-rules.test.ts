// keep-monthly and keep-within (restic's rules; days, weeks and months of UTC), on dates
// chosen for their edges: month ends, leap years, offsets in the timestamps.
import { describe, expect, it } from 'vitest';
import { decidePrune } from './prune-policy.js';
import { parseRetentionDuration, subtractDuration } from './retention-duration.js';

const at = (startedAt: string) => ({ name: startedAt, startedAt });
const names = (list: Array<{ name: string }>) => list.map((backup) => backup.name);

/** One backup a day at `hour` UTC, from `first` for `days` days, newest first. */
function daily(first: string, days: number, hour = 2): Array<{ name: string; startedAt: string }> {
  const start = Date.parse(`${first}T00:00:00Z`);
  return Array.from({ length: days }, (_, index) => at(new Date(start + index * 86_400_000 + hour * 3_600_000).toISOString())).reverse();
}

describe('keep-monthly', () => {
  it('keeps the newest backup of each of the N newest months, the last day of each month', () => {
    // 2027-11-01 .. 2028-03-31: a leap February (29 days).
    const decision = decidePrune(daily('2027-11-01', 152), { keepMonthly: 4 });
    expect(names(decision.keep)).toEqual(['2028-03-31T02:00:00.000Z', '2028-02-29T02:00:00.000Z', '2028-01-31T02:00:00.000Z', '2027-12-31T02:00:00.000Z']);
    expect(decision.keep.map((backup) => backup.reasons[0])).toEqual(['monthly 2028-03', 'monthly 2028-02', 'monthly 2028-01', 'monthly 2027-12']);
  });

  it('skips months without backups rather than counting them', () => {
    const backups = ['2026-01-15T10:00:00Z', '2026-03-02T10:00:00Z', '2026-03-20T10:00:00Z', '2026-07-01T00:00:00Z'].map(at);
    expect(names(decidePrune(backups, { keepMonthly: 3 }).keep)).toEqual(['2026-07-01T00:00:00Z', '2026-03-20T10:00:00Z', '2026-01-15T10:00:00Z']);
  });

  it('buckets by UTC: 00:30 in Paris on the 1st is the previous month; offsets sort by instant', () => {
    const backups = [at('2026-12-01T00:30:00+01:00'), at('2026-11-30T22:00:00Z'), at('2026-12-01T10:00:00Z')];
    const decision = decidePrune(backups, { keepMonthly: 2 });
    // 2026-12-01T00:30+01:00 is 2026-11-30T23:30Z: November's newest, newer than 22:00Z.
    expect(decision.keep.map((backup) => [backup.name, backup.reasons])).toEqual([
      ['2026-12-01T10:00:00Z', ['monthly 2026-12']],
      ['2026-12-01T00:30:00+01:00', ['monthly 2026-11']],
    ]);
    expect(names(decision.remove)).toEqual(['2026-11-30T22:00:00Z']);
  });

  it('keeps the oldest backup too when there are fewer months than asked (restic)', () => {
    const backups = daily('2026-10-20', 30);
    const decision = decidePrune(backups, { keepMonthly: 12 });
    expect(names(decision.keep)).toEqual(['2026-11-18T02:00:00.000Z', '2026-10-31T02:00:00.000Z', '2026-10-20T02:00:00.000Z']);
    expect(decision.keep.at(-1)!.reasons).toEqual(['oldest (monthly: 2 of 12)']);
  });

  it('combines with keep-daily and keep-weekly; each backup is kept once with every reason', () => {
    const backups = daily('2026-01-01', 365);
    const decision = decidePrune(backups, { keepDaily: 7, keepWeekly: 4, keepMonthly: 12 });
    expect(decision.keep[0]!.reasons).toEqual(['daily 2026-12-31', 'weekly 2026-W53', 'monthly 2026-12']);
    // Dec 25-31; weeks 53 and 52 end inside those days, so weekly adds Sundays Dec 20 and 13;
    // monthly adds the 11 month ends before December's.
    expect(decision.keep).toHaveLength(7 + 2 + 11);
    expect(decision.keep.length + decision.remove.length).toBe(365);
  });
});

describe('keep-within', () => {
  it('parses restic durations and refuses anything else', () => {
    expect(parseRetentionDuration('1y2m3d4h')).toEqual({ years: 1, months: 2, days: 3, hours: 4 });
    expect(parseRetentionDuration('36h')).toEqual({ years: 0, months: 0, days: 0, hours: 36 });
    for (const bad of ['', '0d', '3w', '1d2y', '1.5d', '-1d', 'd', '10', '1y 2m'])
      expect(() => parseRetentionDuration(bad), bad).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });

  it('subtracts calendar months and years, clamping to the month end', () => {
    const cases: Array<[string, string, string]> = [
      ['2026-03-31T12:00:00Z', '1m', '2026-02-28T12:00:00.000Z'],
      ['2028-03-31T12:00:00Z', '1m', '2028-02-29T12:00:00.000Z'],
      ['2028-02-29T00:00:00Z', '1y', '2027-02-28T00:00:00.000Z'],
      ['2026-01-31T05:00:00Z', '2m', '2025-11-30T05:00:00.000Z'],
      ['2026-01-15T00:00:00Z', '1y2m3d4h', '2024-11-11T20:00:00.000Z'],
      ['2026-03-29T12:00:00Z', '1d', '2026-03-28T12:00:00.000Z'],
    ];
    for (const [from, duration, expected] of cases)
      expect(subtractDuration(new Date(from), parseRetentionDuration(duration)).toISOString(), `${from} - ${duration}`).toBe(expected);
  });

  it('keeps every backup strictly newer than the newest minus the duration, not now minus it', () => {
    const backups = daily('2026-01-01', 60);
    const decision = decidePrune(backups, { keepWithin: '10d' });
    // The newest is 2026-03-01T02:00Z; the cutoff 2026-02-19T02:00Z is itself not kept.
    expect(decision.keep).toHaveLength(10);
    expect(decision.keep.at(-1)!.name).toBe('2026-02-20T02:00:00.000Z');
    expect(decision.keep[0]!.reasons).toEqual(['within 10d']);
  });

  it('keeps a month back across a month end, and hours count', () => {
    const backups = ['2026-03-31T06:00:00Z', '2026-03-01T00:00:00Z', '2026-02-28T06:00:01Z', '2026-02-28T06:00:00Z', '2026-02-27T23:00:00Z'].map(at);
    expect(names(decidePrune(backups, { keepWithin: '1m' }).keep)).toEqual(['2026-03-31T06:00:00Z', '2026-03-01T00:00:00Z', '2026-02-28T06:00:01Z']);
    // 1m7h reaches back to 2026-02-27T23:00Z exactly, which is not strictly newer; 1m8h takes it.
    expect(names(decidePrune(backups, { keepWithin: '1m7h' }).keep)).toHaveLength(4);
    expect(names(decidePrune(backups, { keepWithin: '1m8h' }).keep)).toHaveLength(5);
  });

  it('with keep-monthly: the last 30 days whole, then one a month for a year (the scheduling recipe)', () => {
    const backups = daily('2025-06-01', 500);
    const decision = decidePrune(backups, { keepWithin: '30d', keepMonthly: 12 });
    const within = decision.keep.filter((backup) => backup.reasons.includes('within 30d'));
    expect(within).toHaveLength(30);
    // The newest is 2026-10-13: October's and September's newest are within 30 days already.
    expect(decision.keep).toHaveLength(30 + 10);
    expect(names(decision.keep).at(-1)).toBe('2025-11-30T02:00:00.000Z');
  });

  it('on an empty list keeps nothing and removes nothing', () => {
    expect(decidePrune([], { keepWithin: '1y', keepMonthly: 3 })).toEqual({ keep: [], remove: [] });
  });
});

describe('the host time zone', () => {
  it('changes nothing: days, weeks and months are UTC ones', () => {
    const backups = daily('2026-10-20', 60, 23);
    const previous = process.env.TZ;
    const decide = (zone: string) => {
      process.env.TZ = zone;
      return decidePrune(backups, { keepDaily: 3, keepWeekly: 2, keepMonthly: 3, keepWithin: '1m' });
    };
    try {
      const utc = decide('UTC');
      expect(decide('Pacific/Kiritimati')).toEqual(utc);
      expect(decide('America/Los_Angeles')).toEqual(utc);
    } finally {
      process.env.TZ = previous;
      if (previous === undefined) delete process.env.TZ;
    }
  });
});
