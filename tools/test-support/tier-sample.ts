// The rows of a large table-driven suite that the default tier runs: a few of each group,
// picked by a seed that changes from run to run (printed, and replayed with A4C_TRIALS_SEED),
// so that successive CI runs cover the whole table while each stays short. The full tier
// (A4C_TRIALS=full) runs every row.
import { seededRandom } from './seeded-random.js';
import { baseSeed, FULL_TRIALS } from './trial-settings.js';

export interface TierSample<T> {
  rows: T[];
  /** Says which rows ran and how to replay them, or that all did. */
  description: string;
}

/** `perGroup` rows of each group (by `groupOf`) in the default tier; every row in the full tier. */
export function tierSample<T>(rows: readonly T[], groupOf: (row: T) => string, perGroup: number): TierSample<T> {
  if (FULL_TRIALS) return { rows: [...rows], description: `all ${rows.length} rows (A4C_TRIALS=full)` };
  const seed = baseSeed();
  const random = seededRandom(seed);
  const groups = new Map<string, T[]>();
  for (const row of rows) groups.set(groupOf(row), [...(groups.get(groupOf(row)) ?? []), row]);
  const chosen = new Set<T>();
  for (const members of groups.values()) {
    const pool = [...members];
    for (let picked = 0; picked < perGroup && pool.length > 0; picked += 1) chosen.add(pool.splice(Math.floor(random() * pool.length), 1)[0]!);
  }
  return {
    rows: rows.filter((row) => chosen.has(row)),
    description: `${chosen.size} of ${rows.length} rows (${perGroup} per group, seed ${seed}: A4C_TRIALS_SEED=${seed} replays them, A4C_TRIALS=full runs all)`,
  };
}
