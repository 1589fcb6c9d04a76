// How much of each suite runs: a quick subset on every CI run, the full trials when
// A4C_TRIALS=full (documented in docs/reliability.md). Seeds make a failing trial replayable.

/** True when the full trials were asked for (A4C_TRIALS=full). */
export const FULL_TRIALS = process.env.A4C_TRIALS === 'full';

/** The number of trials: A4C_TRIALS_COUNT when set, else `quick` by default or `full` with A4C_TRIALS=full. */
export function trialCount(quick: number, full: number): number {
  const forced = Number(process.env.A4C_TRIALS_COUNT);
  if (Number.isInteger(forced) && forced > 0) return forced;
  return FULL_TRIALS ? full : quick;
}

/** The base seed of a suite: A4C_TRIALS_SEED replays a printed one, otherwise the clock's. */
export function baseSeed(): number {
  const given = Number(process.env.A4C_TRIALS_SEED);
  return Number.isInteger(given) && given > 0 ? given : Date.now() % 1_000_000_007;
}

/** mulberry32: a small, well-spread PRNG, so a seed always gives the same kill moments. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}
