// A port whose implementation is built on first use: openBackends connects to the cluster (and
// asks its version) only when an operation first needs it, so that what runs before (verifying
// an export backup's files, refusing an unknown backup name) works, and fails, as without a
// cluster.

/** `T` with the named methods forwarded to the port `build` resolves to; `streams` are async generators. */
export function deferredPort<T extends object>(
  build: () => Promise<T>,
  methods: readonly (keyof T & string)[],
  streams: readonly (keyof T & string)[] = [],
): T {
  const port: Record<string, unknown> = {};
  for (const name of methods) {
    port[name] = async (...args: unknown[]) => {
      const target = (await build()) as Record<string, (...values: unknown[]) => unknown>;
      return target[name]!(...args);
    };
  }
  for (const name of streams) {
    port[name] = async function* (...args: unknown[]) {
      const target = (await build()) as Record<string, (...values: unknown[]) => AsyncIterable<unknown>>;
      yield* target[name]!(...args);
    };
  }
  return port as T;
}
