// Extra JVM options for the nodes a set starts, on top of each version's own (heap, GC...).
// The test suite and the demo run short-lived nodes that do many small operations: on a 2-core
// machine their JIT compilation alone was a large share of the run's CPU (a fresh 8.19 node:
// 25 s of CPU to start with the default tiered compilation, 12 s with C1 only; the CLI e2e suite
// on it: 109 s of node CPU with C2, 66 s with C1 only). Benchmarks keep the default JIT: a
// long-running node's speed is what they compare.

/** Stops the JIT at its first tier (C1): cheap to compile, good enough for short-lived test nodes. */
export const SHORT_LIVED_NODE_JAVA_OPTIONS = Object.freeze(['-XX:TieredStopAtLevel=1']);

/**
 * The options a start uses: `given` when the caller passes them, else those of the
 * A4C_ES_JAVA_OPTS environment variable (space-separated), else none.
 * @param {readonly string[] | undefined} given
 * @returns {string[]}
 */
export function javaOptionsFor(given) {
  if (given) return [...given];
  return (process.env.A4C_ES_JAVA_OPTS ?? '').split(/\s+/).filter(Boolean);
}

/**
 * `environment` (KEY=value entries for `env`) with `options` appended to its ES_JAVA_OPTS entry,
 * or one added: every version's start script, 1.x included, passes ES_JAVA_OPTS to the JVM.
 * @param {string[]} environment @param {readonly string[]} options
 * @returns {string[]}
 */
export function withJavaOptions(environment, options) {
  if (options.length === 0) return environment;
  const extra = options.join(' ');
  const position = environment.findIndex((entry) => entry.startsWith('ES_JAVA_OPTS='));
  if (position < 0) return [...environment, `ES_JAVA_OPTS=${extra}`];
  return environment.map((entry, index) => (index === position ? `${entry} ${extra}` : entry));
}
