// The budget of a test or hook that starts its own node set. The launcher waits for
// readiness (up to 15 minutes while the nodes run, at once when one dies) and stops what it
// started when it gives up; a shorter vitest budget would abandon the start half-way, and
// its nodes would run on after the run (the 240 s hook of a secured 3-node set at load 20).

/** Longer than the launcher's own readiness wait, so that the start fails first and cleans up. */
export const NODE_SET_START_MS = 20 * 60_000;
