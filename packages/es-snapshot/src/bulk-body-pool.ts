// The buffers bulk request bodies are written into, reused from one request to the next. A body
// built from a Buffer a document (then concatenated into one more) made two copies of every
// request and ~8 MB of garbage a request that only a full collection frees: a migration peaked
// at 357 MB RSS at 200k documents, 120-150 MB of it such buffers. A loader writes its documents
// straight into a pooled buffer and gives it back once the request has ended.
//
// The pool never holds more than its budget allows: a buffer is taken only under a reservation
// of the bulk bytes budget (bulk-bytes-budget.ts) and kept for reuse only while the free ones
// stay within `keepBytes`.

export class BulkBodyPool {
  private readonly free: Buffer[] = [];
  private freeBytes = 0;

  constructor(private readonly keepBytes: number) {}

  /** A buffer of at least `size` bytes, with unspecified contents: only what is written into it is sent. */
  take(size: number): Buffer {
    for (let index = this.free.length - 1; index >= 0; index--) {
      const buffer = this.free[index]!;
      if (buffer.length < size) continue;
      this.free.splice(index, 1);
      this.freeBytes -= buffer.length;
      return buffer;
    }
    // Outside Node's small-buffer slab: a body is megabytes, and slab slices would pin slabs.
    return Buffer.allocUnsafeSlow(size);
  }

  /** Takes back a buffer no request uses any more (none may still be reading or sending it). */
  give(buffer: Buffer): void {
    if (this.freeBytes + buffer.length > this.keepBytes) return;
    this.free.push(buffer);
    this.freeBytes += buffer.length;
  }
}
