// Opens one sealed object chunk by chunk: sealed bytes in, checked plaintext out. The key id
// in the header is compared with the configured key's before any chunk is opened, so a
// wrong key is reported as such (ENCRYPTION_KEY_WRONG), not as damage. A chunk's plaintext
// is released only once its tag is checked; the end of the object is only known to be
// genuine when `end()` returns, so a caller keeps what it wrote aside until then.

import { ByteQueue } from './byte-queue.js';
import type { EncryptionKey } from './encryption-key.js';
import { assertKeyMatches, openChunk, parseSealedHeader, SEALED_HEADER_BYTES, type SealingContext, sealingContext, TAG_BYTES } from './sealed-format.js';

export interface OpenOptions {
  /** The name the object was sealed under: another name fails (objects cannot be swapped). */
  name: string;
}

export class ObjectOpener {
  private context: SealingContext | undefined;
  private readonly pending = new ByteQueue();
  private chunkNumber = 0;

  constructor(
    private readonly key: EncryptionKey,
    private readonly options: OpenOptions,
  ) {}

  write(sealed: Buffer): Buffer[] {
    this.pending.push(sealed);
    const context = this.context ?? this.readHeader();
    if (context === undefined) return [];
    const out: Buffer[] = [];
    const sealedChunkBytes = context.chunkBytes + TAG_BYTES;
    // More than one sealed chunk's worth queued: the first is surely not the last.
    while (this.pending.length > sealedChunkBytes) out.push(openChunk(context, this.chunkNumber++, this.pending.take(sealedChunkBytes), false));
    return out;
  }

  end(): Buffer[] {
    const context = this.context ?? this.readHeader(true);
    return [openChunk(context!, this.chunkNumber++, this.pending.takeAll(), true)];
  }

  private readHeader(atEnd = false): SealingContext | undefined {
    if (this.pending.length < SEALED_HEADER_BYTES && !atEnd) return undefined;
    const header = this.pending.take(Math.min(SEALED_HEADER_BYTES, this.pending.length));
    const facts = parseSealedHeader(header, this.options.name);
    assertKeyMatches(this.key, facts.keyId, `Object "${this.options.name}"`);
    this.context = sealingContext(this.key, this.options.name, header);
    return this.context;
  }
}
