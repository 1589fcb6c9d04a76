// The buffers that the parts of multipart uploads are filled in: a fixed number, allocated once
// and reused for every large object of the store's life. A part buffer allocated per part (as
// lib-storage's Upload does, by concatenating the stream's chunks) lives until a full garbage
// collection finds its wrapper dead, and malloc keeps the freed 16 MiB blocks in its heap: a
// push held about twice its parts in flight that way. Here the bytes in flight are the pool.

export interface PartBufferPool {
  /** Bytes of each buffer (the part size). */
  readonly bufferBytes: number;
  /** A buffer, waiting while all are taken; rejects with `signal`'s reason when it aborts first. */
  acquire(signal?: AbortSignal): Promise<Buffer>;
  /** A buffer when one is free now (or may still be allocated), else undefined. */
  tryAcquire(): Buffer | undefined;
  /** Gives a buffer back; the caller must not touch it afterwards. */
  release(buffer: Buffer): void;
}

export function createPartBufferPool(count: number, bufferBytes: number): PartBufferPool {
  if (!(count >= 1) || !(bufferBytes >= 1))
    throw new RangeError(`a part buffer pool needs at least one buffer of at least one byte (${count} x ${bufferBytes})`);
  const free: Buffer[] = [];
  let allocated = 0;
  const waiting: { grant: (buffer: Buffer) => void }[] = [];
  const tryAcquire = (): Buffer | undefined => {
    const buffer = free.pop();
    if (buffer) return buffer;
    if (allocated >= count) return undefined;
    allocated += 1;
    // Outside Node's small-buffer slab, and never freed: one mapping per buffer for the process's life.
    return Buffer.allocUnsafeSlow(bufferBytes);
  };
  return {
    bufferBytes,
    tryAcquire,
    acquire(signal) {
      const buffer = waiting.length === 0 ? tryAcquire() : undefined;
      if (buffer) return Promise.resolve(buffer);
      if (signal?.aborted) return Promise.reject(signal.reason);
      return new Promise((resolve, reject) => {
        const waiter = {
          grant: (granted: Buffer) => {
            signal?.removeEventListener('abort', onAbort);
            resolve(granted);
          },
        };
        const onAbort = () => {
          const index = waiting.indexOf(waiter);
          if (index >= 0) waiting.splice(index, 1);
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        waiting.push(waiter);
      });
    },
    release(buffer) {
      const waiter = waiting.shift();
      if (waiter) waiter.grant(buffer);
      else free.push(buffer);
    },
  };
}
