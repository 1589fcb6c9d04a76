// A budget of bytes held in memory at once, shared by tasks that run concurrently (the uploads
// of a push): a task reserves what it will hold before it reads anything, and waits while the
// others hold too much. A count of tasks alone bounds nothing when one task holds 40 KiB and
// another three 16 MiB parts. A reservation larger than the whole budget is still granted, alone,
// so that one big task cannot wait forever.

export interface ByteBudget {
  /** Waits until `bytes` fit, reserves them, and returns the function that gives them back (once). */
  reserve(bytes: number): Promise<() => void>;
  /** Bytes reserved now. */
  readonly held: number;
}

export function createByteBudget(limit: number): ByteBudget {
  if (!(limit > 0)) throw new RangeError(`a byte budget must be positive, not ${limit}`);
  let held = 0;
  // First come, first served: a large reservation is not overtaken forever by small ones.
  const waiting: { bytes: number; grant: () => void }[] = [];
  const fits = (bytes: number) => held === 0 || held + bytes <= limit;
  const grantWaiting = () => {
    while (waiting.length > 0 && fits(waiting[0]!.bytes)) waiting.shift()!.grant();
  };
  const take = (bytes: number) => {
    held += bytes;
    let given = false;
    return () => {
      if (given) return;
      given = true;
      held -= bytes;
      grantWaiting();
    };
  };
  return {
    get held() {
      return held;
    },
    reserve(bytes) {
      const size = Math.max(0, bytes);
      if (waiting.length === 0 && fits(size)) return Promise.resolve(take(size));
      return new Promise((resolve) => waiting.push({ bytes: size, grant: () => resolve(take(size)) }));
    },
  };
}
