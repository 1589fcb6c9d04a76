// A queue of bytes that hands them out in slices of a chosen size without concatenating
// everything it holds: the encrypting and decrypting streams keep at most one chunk and
// one incoming write in it, whatever the object's size.

export class ByteQueue {
  private readonly pieces: Buffer[] = [];
  private queued = 0;

  get length(): number {
    return this.queued;
  }

  push(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.pieces.push(bytes);
    this.queued += bytes.length;
  }

  /** The first `count` bytes (count <= length), removed from the queue. */
  take(count: number): Buffer {
    const taken: Buffer[] = [];
    let missing = count;
    while (missing > 0) {
      const head = this.pieces[0]!;
      if (head.length <= missing) {
        taken.push(head);
        this.pieces.shift();
        missing -= head.length;
      } else {
        taken.push(head.subarray(0, missing));
        this.pieces[0] = head.subarray(missing);
        missing = 0;
      }
    }
    this.queued -= count;
    return taken.length === 1 ? taken[0]! : Buffer.concat(taken, count);
  }

  takeAll(): Buffer {
    return this.take(this.queued);
  }
}
