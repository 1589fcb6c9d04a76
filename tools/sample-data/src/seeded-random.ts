// A small deterministic random source: the same seed gives the same data folder and the
// same multiplied documents on every machine, so tests can compare hashes.
import { createHash } from 'node:crypto';

export interface SeededRandom {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [minimum, maximum]. */
  integer(minimum: number, maximum: number): number;
  bytes(length: number): Buffer;
  /** A version-4 shaped UUID. */
  uuid(): string;
  pick<T>(values: readonly T[]): T;
}

/** mulberry32 seeded from a SHA-256 of the seed text: fast, and good enough for test data. */
export function createSeededRandom(seed: string | number): SeededRandom {
  let state = createHash('sha256').update(String(seed)).digest().readUInt32LE(0);
  const nextUint32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return (value ^ (value >>> 14)) >>> 0;
  };
  const random: SeededRandom = {
    next: () => nextUint32() / 4294967296,
    integer: (minimum, maximum) => minimum + Math.floor(random.next() * (maximum - minimum + 1)),
    bytes(length) {
      const buffer = Buffer.allocUnsafe(length);
      let position = 0;
      for (; position + 4 <= length; position += 4) buffer.writeUInt32LE(nextUint32(), position);
      for (; position < length; position += 1) buffer[position] = nextUint32() & 0xff;
      return buffer;
    },
    uuid() {
      const bytes = random.bytes(16);
      bytes[6] = (bytes[6]! & 0x0f) | 0x40;
      bytes[8] = (bytes[8]! & 0x3f) | 0x80;
      return formatUuid(bytes);
    },
    pick: (values) => values[Math.floor(random.next() * values.length)]!,
  };
  return random;
}

/** A UUID derived from a text: the same text always gives the same UUID. */
export function derivedUuid(text: string): string {
  const bytes = createHash('sha256').update(text).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return formatUuid(bytes);
}

function formatUuid(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
