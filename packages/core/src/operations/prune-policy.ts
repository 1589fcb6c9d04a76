// Which backups a prune keeps: the keep-last / keep-daily / keep-weekly / keep-monthly /
// keep-within rules as restic applies them, computed as a pure function so it can be
// tested on dates. Days, weeks and months are those of UTC, whatever the host's time
// zone, so the same backups prune the same way on every host.

import { parseRetentionDuration, subtractDuration } from './retention-duration.js';

export interface PrunePolicy {
  /** Keep the N newest backups. */
  keepLast?: number;
  /** Keep the newest backup of each of the N newest days (UTC) that have backups. */
  keepDaily?: number;
  /** Keep the newest backup of each of the N newest ISO weeks (UTC) that have backups. */
  keepWeekly?: number;
  /** Keep the newest backup of each of the N newest calendar months (UTC) that have backups. */
  keepMonthly?: number;
  /**
   * Keep every backup taken within this duration (`1y2m3d4h`, `30d`, `6m`, `36h`) before the
   * newest backup (not before now: backups that stopped coming are not all deleted).
   */
  keepWithin?: string;
}

export interface PruneCandidate {
  name: string;
  startedAt: string;
}

export interface PruneDecision<T extends PruneCandidate> {
  keep: Array<T & { reasons: string[] }>;
  remove: T[];
}

/** ISO-8601 week key (`2026-W48`), in UTC. */
function isoWeek(date: Date): string {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = new Date(Date.UTC(day.getUTCFullYear(), 0, 1));
  const week = Math.ceil(((day.getTime() - yearStart.getTime()) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

const utcDay = (date: Date) => date.toISOString().slice(0, 10);
const utcMonth = (date: Date) => date.toISOString().slice(0, 7);

/** True when the policy names at least one rule that keeps something. */
export function policyKeepsAnything(policy: PrunePolicy): boolean {
  return Boolean(policy.keepLast || policy.keepDaily || policy.keepWeekly || policy.keepMonthly || policy.keepWithin);
}

/**
 * Splits backups into those to keep (with the rules that keep each) and those to remove.
 * A policy that keeps nothing is refused by the caller, never here: an empty policy keeps all.
 * As in restic, a day/week/month rule that finds fewer periods than it may keep also keeps
 * the oldest backup, so that a young installation's history is not cut short.
 */
export function decidePrune<T extends PruneCandidate>(backups: T[], policy: PrunePolicy): PruneDecision<T> {
  const within = policy.keepWithin === undefined ? undefined : parseRetentionDuration(policy.keepWithin);
  // Newest first by instant, not by text: "…+02:00" and "…Z" stamps sort by what they mean.
  const newestFirst = [...backups].sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt) || b.name.localeCompare(a.name));
  const reasons = new Map<string, string[]>();
  const mark = (backup: T, reason: string) => reasons.set(backup.name, [...(reasons.get(backup.name) ?? []), reason]);
  const noRule = [policy.keepLast, policy.keepDaily, policy.keepWeekly, policy.keepMonthly, policy.keepWithin].every((rule) => rule === undefined);

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
    const oldest = newestFirst.at(-1);
    if (seen.size < limit && oldest !== undefined && !reasons.get(oldest.name)?.some((given) => given.startsWith(`${reason} `))) {
      mark(oldest, `oldest (${reason}: ${seen.size} of ${limit})`);
    }
  };
  byBucket(policy.keepDaily, utcDay, 'daily');
  byBucket(policy.keepWeekly, isoWeek, 'weekly');
  byBucket(policy.keepMonthly, utcMonth, 'monthly');
  const newest = newestFirst[0];
  if (within !== undefined && newest !== undefined) {
    const cutoff = subtractDuration(new Date(newest.startedAt), within).getTime();
    for (const backup of newestFirst) if (Date.parse(backup.startedAt) > cutoff) mark(backup, `within ${policy.keepWithin}`);
  }

  return {
    keep: newestFirst.filter((backup) => reasons.has(backup.name)).map((backup) => ({ ...backup, reasons: reasons.get(backup.name)! })),
    remove: newestFirst.filter((backup) => !reasons.has(backup.name)),
  };
}
