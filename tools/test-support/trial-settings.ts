// How much of each trial suite runs: a quick subset on every CI run, the full tier when
// A4C_TRIALS=full (documented in docs/reliability.md): more trials, the random-moment signal
// trials and the secured 3-node cluster, which together would double the default run's time.
// Seeds make a failing trial replayable.

/** True when the full tier was asked for (A4C_TRIALS=full). */
export const FULL_TRIALS = process.env.A4C_TRIALS === 'full';

/** The number of trials: A4C_TRIALS_COUNT when set, else `quick` by default or `full` with A4C_TRIALS=full. */
export function trialCount(quick: number, full: number): number {
  const forced = Number(process.env.A4C_TRIALS_COUNT);
  if (Number.isInteger(forced) && forced > 0) return forced;
  return FULL_TRIALS ? full : quick;
}

/**
 * The base seed of a suite: A4C_TRIALS_SEED replays a printed one, otherwise `fixed` (a suite
 * that tries the same moments on every run) or the clock's.
 */
export function baseSeed(fixed?: number): number {
  const given = Number(process.env.A4C_TRIALS_SEED);
  return Number.isInteger(given) && given > 0 ? given : (fixed ?? Date.now() % 1_000_000_007);
}
