// Seals one object chunk by chunk: bytes in, sealed bytes out, holding at most one chunk.
// The last chunk is only known at the end, so a full chunk is held back until more bytes
// arrive (or the end does, and it is sealed as the last).
import { randomBytes } from 'node:crypto';
import { ByteQueue } from './byte-queue.js';
import type { EncryptionKey } from './encryption-key.js';
import {
  DEFAULT_CHUNK_BYTES,
  encodeHeader,
  MAX_CHUNK_BYTES,
  MIN_CHUNK_BYTES,
  NONCE_PREFIX_BYTES_LENGTH,
  type SealingContext,
  sealChunk,
  sealChunkInto,
  sealedSize,
  sealingContext,
} from './sealed-format.js';

export interface SealOptions {
  /** The object's name where it is stored (e.g. `<backup>/manifest.json`): opening it under another name fails. */
  name: string;
  /** Plaintext bytes per chunk (64 KiB by default). */
  chunkBytes?: number;
}

export class ObjectSealer {
  private readonly context: SealingContext;
  private readonly pending = new ByteQueue();
  private headerWritten = false;
  private chunkNumber = 0;

  constructor(key: EncryptionKey, options: SealOptions) {
    const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    if (!Number.isInteger(chunkBytes) || chunkBytes < MIN_CHUNK_BYTES || chunkBytes > MAX_CHUNK_BYTES) {
      throw new RangeError(`chunkBytes must be an integer from ${MIN_CHUNK_BYTES} to ${MAX_CHUNK_BYTES}, not ${chunkBytes}`);
    }
    this.context = sealingContext(key, options.name, encodeHeader(key, randomBytes(NONCE_PREFIX_BYTES_LENGTH), chunkBytes));
  }

  /** Sealed bytes for `plaintext`: the header first, then every chunk that is surely not the last. */
  write(plaintext: Buffer): Buffer[] {
    const out = this.headerOnce();
    this.pending.push(plaintext);
    while (this.pending.length > this.context.chunkBytes)
      out.push(sealChunk(this.context, this.chunkNumber++, this.pending.take(this.context.chunkBytes), false));
    return out;
  }

  /** The last chunk (empty for an empty object: its tag still proves the end). */
  end(): Buffer[] {
    const out = this.headerOnce();
    out.push(sealChunk(this.context, this.chunkNumber++, this.pending.takeAll(), true));
    return out;
  }

  /**
   * The whole sealed object of `plaintext`, in one buffer (the same bytes as `write` then
   * `end`); only on a sealer nothing was written to yet.
   */
  sealWhole(plaintext: Buffer): Buffer {
    const sealed = Buffer.allocUnsafe(sealedSize(plaintext.length, this.context.chunkBytes));
    this.sealWholeInto(plaintext, sealed);
    return sealed;
  }

  /**
   * `sealWhole` written at the start of `target` (room for `sealedSize` bytes), for a caller that
   * reuses one buffer for many objects; returns the sealed length.
   */
  sealWholeInto(plaintext: Buffer, target: Buffer): number {
    if (this.headerWritten) throw new Error('sealWhole on a sealer that already wrote');
    const { chunkBytes, header } = this.context;
    const size = sealedSize(plaintext.length, chunkBytes);
    if (target.length < size) throw new RangeError(`a sealed object of ${size} bytes does not fit in ${target.length}`);
    this.headerWritten = true;
    const chunks = Math.max(1, Math.ceil(plaintext.length / chunkBytes));
    let offset = header.copy(target, 0);
    for (let chunk = 0; chunk < chunks; chunk += 1) {
      const piece = plaintext.subarray(chunk * chunkBytes, Math.min(plaintext.length, (chunk + 1) * chunkBytes));
      offset += sealChunkInto(this.context, this.chunkNumber++, piece, chunk === chunks - 1, target, offset);
    }
    return offset;
  }

  private headerOnce(): Buffer[] {
    if (this.headerWritten) return [];
    this.headerWritten = true;
    return [this.context.header];
  }
}
