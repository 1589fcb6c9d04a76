// A fixed number of requests in flight shared by several loads: a migration copies several
// indices at once through one writer, and each load's own limit (3 bulks of 8 MB) times 4
// loads went past Elasticsearch's indexing-pressure budget (10 % of the heap: 53 MB on a
// 512 MB node), which answered whole bulk requests with 429 until the retries ran out.

export interface RequestSlots {
  /** Waits for a free slot; the returned function gives it back. */
  take(): Promise<() => void>;
}

export function createRequestSlots(count: number): RequestSlots {
  let free = Math.max(1, Math.floor(count));
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else free += 1;
  };
  return {
    async take() {
      if (free > 0) free -= 1;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      let released = false;
      return () => {
        if (released) return;
        released = true;
        release();
      };
    },
  };
}
