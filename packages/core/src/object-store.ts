// The object store a backup is pushed to (S3 or compatible), as a port: core decides what is
// stored under which key; es-snapshot's S3 implementation moves the bytes. Every object's bytes
// pass through one ObjectCodec on the way in and out (identity, or encryption when configured).
import type { Readable } from 'node:stream';

/** One object of a listing. */
export interface StoredObject {
  /** Key relative to the store's prefix. */
  key: string;
  size: number;
}

export interface PutObjectOptions {
  /** Write only when no object has this key yet (a conditional put): PRECONDITION_FAILED otherwise. */
  ifAbsent?: boolean;
  /** Bytes the body holds, when known (large bodies then go in parts of a known count). */
  size?: number;
  signal?: AbortSignal;
  /** Bytes sent so far, for progress and for the tests that count what a push uploads. */
  onBytes?: (bytes: number) => void;
}

/**
 * What the backup operations need from an object store. Keys are relative to the configured
 * prefix. Implementations check every byte in transit with the store's own checksums and
 * throw A4cAdminError (REMOTE_UNREACHABLE, REMOTE_AUTH_FAILED, REMOTE_NOT_FOUND, ...) with a hint.
 */
export interface ObjectStore {
  /** Where the objects go, for messages: `s3://bucket/prefix` at endpoint (never a credential). */
  readonly description: string;
  /**
   * Writes `body` into `key`, checksum verified by the store: a stream goes in parts when it is
   * larger than one part; a buffer (a small object, held whole) in one request.
   */
  put(key: string, body: Readable | Buffer, options?: PutObjectOptions): Promise<void>;
  /** The object's bytes as a stream; REMOTE_OBJECT_MISSING when it is not there. */
  get(key: string, options?: { signal?: AbortSignal }): Promise<Readable>;
  /** Every object whose key starts with `prefix`, page by page. */
  list(prefix: string, options?: { signal?: AbortSignal }): AsyncIterable<StoredObject>;
  /** Deletes the objects (absent ones are no error). */
  remove(keys: readonly string[]): Promise<void>;
  /** Fails with a clear error when the store cannot be reached, refuses the credentials or has no such bucket. */
  check(options?: { signal?: AbortSignal }): Promise<void>;
}

/**
 * The one place an object's bytes are transformed on their way to the store and back:
 * identity by default, authenticated encryption when configured.
 */
export interface ObjectCodec {
  /** Recorded in the remote manifest (e.g. `identity`, or the cipher and key id): a reader refuses a codec it cannot undo. */
  readonly id: string;
  /** The id of the key objects are sealed with (named in their keys), or undefined when objects are stored as they are. */
  readonly keyId: string | undefined;
  /** `name` is the object's key: an encrypting codec binds the bytes to it, so objects cannot be swapped. */
  encode(plain: Readable, name: string): Readable;
  /** encode for an object held whole in memory (a small file): the same bytes as the stream would give, without a stream per object. */
  encodeBytes(plain: Buffer, name: string): Buffer;
  /**
   * encodeBytes written at the start of `target`, which has room for `encodedSize(plain.length)`
   * bytes; returns the encoded length. For a caller that sends many small objects through one
   * reused buffer (a buffer per object, once the request holding it is promoted out of V8's young
   * generation, waits for a full collection to be freed).
   */
  encodeBytesInto(plain: Buffer, name: string, target: Buffer): number;
  /** The length of what encode gives for `plainBytes` bytes: how large a stored object of that content must be. */
  encodedSize(plainBytes: number): number;
  /** Undoes encode; a stream that fails (never yields forged bytes) when the object was altered or renamed. */
  decode(stored: Readable, name: string): Readable;
}

/** Stores the bytes as they are. */
export const identityCodec: ObjectCodec = {
  id: 'identity',
  keyId: undefined,
  encode: (plain) => plain,
  encodeBytes: (plain) => plain,
  encodeBytesInto: (plain, _name, target) => plain.copy(target, 0),
  encodedSize: (plainBytes) => plainBytes,
  decode: (stored) => stored,
};
