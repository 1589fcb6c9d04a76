// Node streams over the sealer and the opener: pipe a file through `encrypting` on its way
// to the store and through `decrypting` on its way back. Memory stays at about one chunk
// plus the streams' own buffers whatever the object's size; back-pressure passes through.
import { Transform, type TransformCallback } from 'node:stream';
import type { EncryptionKey } from './encryption-key.js';
import { ObjectOpener, type OpenOptions } from './object-opener.js';
import { ObjectSealer, type SealOptions } from './object-sealer.js';

interface ChunkMachine {
  write(bytes: Buffer): Buffer[];
  end(): Buffer[];
}

function transformThrough(machine: ChunkMachine): Transform {
  const run = (stream: Transform, step: () => Buffer[], done: TransformCallback) => {
    try {
      for (const bytes of step()) stream.push(bytes);
      done();
    } catch (error) {
      done(error as Error);
    }
  };
  return new Transform({
    transform(bytes: Buffer, _encoding, done) {
      run(this, () => machine.write(bytes), done);
    },
    flush(done) {
      run(this, () => machine.end(), done);
    },
  });
}

/**
 * A stream that seals what is written to it (the format of docs/security.md, "Encryption").
 *
 * @example
 * ```ts
 * await pipeline(createReadStream(file), encrypting(key, { name: 'nightly-1/files/csar.tar' }), upload);
 * ```
 */
export function encrypting(key: EncryptionKey, options: SealOptions): Transform {
  return transformThrough(new ObjectSealer(key, options));
}

/**
 * A stream that opens a sealed object and fails (DECRYPTION_FAILED, ENCRYPTION_KEY_WRONG)
 * on anything that does not check out. Its output is only whole and genuine when the stream
 * ends without error: write it to a temporary file and rename it afterwards.
 */
export function decrypting(key: EncryptionKey, options: OpenOptions): Transform {
  return transformThrough(new ObjectOpener(key, options));
}
