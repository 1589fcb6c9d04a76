// How a long operation honours its AbortSignal (Ctrl-C, SIGTERM): it stops at the next safe
// point and throws CANCELLED (exit 130) with a message that says what was done and what state
// is left, so that the operator knows whether to re-run, and what the re-run will do.
import { setMaxListeners } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { A4cAdminError } from './errors.js';

/** The CANCELLED error of an operation: `state` says what was done and what is left. */
export function cancelledError(state: string, hint: string, cause?: unknown): A4cAdminError {
  return new A4cAdminError('CANCELLED', state, { hint, ...(cause === undefined ? {} : { cause }) });
}

/**
 * A safe point: throws CANCELLED when the signal was aborted. `state` is computed only then,
 * so it can describe the progress made so far.
 */
export function throwIfCancelled(signal: AbortSignal | undefined, state: () => string, hint: string): void {
  if (signal?.aborted) throw cancelledError(state(), hint, signal.reason);
}

/** Waits `milliseconds`, or less when the signal is aborted (then throws the abort's reason). */
export async function pause(milliseconds: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(milliseconds, undefined, { signal });
  } catch (error) {
    throw signal?.aborted ? signal.reason : error;
  }
}

/**
 * Listeners one operation's signal may hold before Node warns of a leak. A whole-installation
 * operation legitimately listens many times on one signal at once (a dozen index copies, each
 * with its reads, bulk requests and retry pauses): Node's default of 10 printed a
 * MaxListenersExceededWarning into the operator's terminal. A real leak still shows above this.
 */
const LISTENERS_OF_CONCURRENT_WORK = 256;

/** Raises `signal`'s listener warning threshold for concurrent work (no effect on behaviour). */
export function allowConcurrentListeners(signal: AbortSignal | undefined): void {
  if (signal) setMaxListeners(LISTENERS_OF_CONCURRENT_WORK, signal);
}
