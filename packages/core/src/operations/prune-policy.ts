// Which backups a prune keeps: the classic keep-last / keep-daily / keep-weekly rules
// (as restic and borg apply them), computed as a pure function so it can be tested on dates.

export interface PrunePolicy {
  /** Keep the N newest backups. */
  keepLast?: number;
  /** Keep the newest backup of each of the N newest days that have backups. */
  keepDaily?: number;
  /** Keep the newest backup of each of the N newest ISO weeks that have backups. */
  keepWeekly?: number;
}

export interface PruneCandidate {
  name: string;
  startedAt: string;
}

export interface PruneDecision<T extends PruneCandidate> {
  keep: Array<T & { reasons: string[] }>;
  remove: T[];
}

/** ISO-8601 week key (`2026-W48`), in UTC, so the same backups prune the same way anywhere. */
function isoWeek(date: Date): string {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = new Date(Date.UTC(day.getUTCFullYear(), 0, 1));
  const week = Math.ceil(((day.getTime() - yearStart.getTime()) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/**
 * Splits backups into those to keep (with the rules that keep each) and those to remove.
 * A policy that keeps nothing is refused by the caller, never here: an empty policy keeps all.
 */
export function decidePrune<T extends PruneCandidate>(backups: T[], policy: PrunePolicy): PruneDecision<T> {
  const newestFirst = [...backups].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  const reasons = new Map<string, string[]>();
  const mark = (backup: T, reason: string) => reasons.set(backup.name, [...(reasons.get(backup.name) ?? []), reason]);
  const noRule = policy.keepLast === undefined && policy.keepDaily === undefined && policy.keepWeekly === undefined;

  for (const backup of newestFirst.slice(0, noRule ? newestFirst.length : (policy.keepLast ?? 0))) mark(backup, noRule ? 'no rule given' : 'last');
  const byBucket = (limit: number | undefined, bucket: (date: Date) => string, reason: string) => {
    if (!limit) return;
    const seen = new Set<string>();
    for (const backup of newestFirst) {
      const key = bucket(new Date(backup.startedAt));
      if (seen.has(key)) continue;
      if (seen.size >= limit) break;
      seen.add(key);
      mark(backup, `${reason} ${key}`);
    }
  };
  byBucket(policy.keepDaily, (date) => date.toISOString().slice(0, 10), 'daily');
  byBucket(policy.keepWeekly, isoWeek, 'weekly');

  return {
    keep: newestFirst.filter((backup) => reasons.has(backup.name)).map((backup) => ({ ...backup, reasons: reasons.get(backup.name)! })),
    remove: newestFirst.filter((backup) => !reasons.has(backup.name)),
  };
}
