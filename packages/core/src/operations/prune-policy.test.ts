import { describe, expect, it } from 'vitest';
import { decidePrune } from './prune-policy.js';

// Backups every 6 hours over 20 days, newest first: 2026-11-20T18:00Z back to 2026-11-01T00:00Z.
const backups = Array.from({ length: 80 }, (_, index) => {
  const startedAt = new Date(Date.UTC(2026, 10, 20, 18) - index * 6 * 3_600_000).toISOString();
  return { name: `b-${startedAt.slice(0, 13)}`, startedAt };
});
const names = (list: Array<{ name: string }>) => list.map((backup) => backup.name);

describe('decidePrune', () => {
  it('keeps exactly the N newest with keep-last', () => {
    const decision = decidePrune(backups, { keepLast: 3 });
    expect(names(decision.keep)).toEqual(['b-2026-11-20T18', 'b-2026-11-20T12', 'b-2026-11-20T06']);
    expect(decision.remove).toHaveLength(77);
  });

  it('keeps the newest backup of each of the N newest days with keep-daily', () => {
    const decision = decidePrune(backups, { keepDaily: 4 });
    expect(names(decision.keep)).toEqual(['b-2026-11-20T18', 'b-2026-11-19T18', 'b-2026-11-18T18', 'b-2026-11-17T18']);
  });

  it('keeps the newest backup of each ISO week with keep-weekly', () => {
    // 2026-11-20 is a Friday of week 47; week 46 ends Sunday 15th, week 45 on the 8th, week 44 on the 1st.
    const decision = decidePrune(backups, { keepWeekly: 4 });
    expect(names(decision.keep)).toEqual(['b-2026-11-20T18', 'b-2026-11-15T18', 'b-2026-11-08T18', 'b-2026-11-01T18']);
    expect(decision.keep.map((backup) => backup.reasons)).toEqual([['weekly 2026-W47'], ['weekly 2026-W46'], ['weekly 2026-W45'], ['weekly 2026-W44']]);
  });

  it('combines rules: a backup kept by several rules is kept once, with every reason', () => {
    const decision = decidePrune(backups, { keepLast: 2, keepDaily: 2, keepWeekly: 2 });
    expect(names(decision.keep)).toEqual(['b-2026-11-20T18', 'b-2026-11-20T12', 'b-2026-11-19T18', 'b-2026-11-15T18']);
    expect(decision.keep[0]!.reasons).toEqual(['last', 'daily 2026-11-20', 'weekly 2026-W47']);
    expect(decision.keep.length + decision.remove.length).toBe(backups.length);
  });

  it('keeps everything when no rule is given, whatever the input order', () => {
    const shuffled = [...backups].reverse();
    const decision = decidePrune(shuffled, {});
    expect(decision.remove).toEqual([]);
    expect(decision.keep[0]!.name).toBe('b-2026-11-20T18');
  });
});
