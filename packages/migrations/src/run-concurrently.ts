// Runs async work over items with at most `limit` in flight: index copies spend most of their
// time waiting on Elasticsearch cluster-state updates, which the master batches.

/** Results in the order of `items`; the first failure rejects once the work in flight settles. */
export async function runConcurrently<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const position = next;
      next += 1;
      try {
        results[position] = await work(items[position]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure.error;
  return results;
}
