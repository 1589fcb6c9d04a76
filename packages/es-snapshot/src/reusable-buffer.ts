// The buffers a stream of search pages is read into, page after page. Each answer arrives in
// ~64 KB pieces; gathering them into a new 5 MB buffer a page made the garbage collector run a
// full collection every few pages (V8 counts those buffers against the heap's limit, and they
// are only freed by a collection). Reused buffers make no new memory once they have grown.
export class ReusableBuffer {
  private storage = Buffer.allocUnsafeSlow(0);
  private length = 0;

  /** Starts a new answer: the previous one's bytes will be overwritten. */
  reset(): void {
    this.length = 0;
  }

  append(part: Buffer): void {
    const needed = this.length + part.length;
    if (needed > this.storage.length) {
      // Room for a somewhat larger answer next time, so that pages of varying sizes settle at once.
      const grown = Buffer.allocUnsafeSlow(Math.max(needed + (needed >> 2), this.storage.length * 2));
      this.storage.copy(grown, 0, 0, this.length);
      this.storage = grown;
    }
    part.copy(this.storage, this.length);
    this.length = needed;
  }

  /** Bytes of the answer so far. */
  get byteLength(): number {
    return this.length;
  }

  /** The answer's bytes: a view, valid until the next reset. */
  bytes(): Buffer {
    return this.storage.subarray(0, this.length);
  }
}

/**
 * Two buffers taken in turn by a stream that fetches the next page while its caller works on the
 * current one: page n+1 is read into one buffer while page n lies in the other, and page n+2
 * reuses page n's once the caller asked for page n+1, so a page's bytes stay valid until then.
 */
export class AlternatingBuffers {
  private readonly buffers = [new ReusableBuffer(), new ReusableBuffer()] as const;
  private turn = 0;

  next(): ReusableBuffer {
    const buffer = this.buffers[this.turn]!;
    this.turn = 1 - this.turn;
    return buffer;
  }
}
