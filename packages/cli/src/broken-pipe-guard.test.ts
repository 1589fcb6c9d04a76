import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { guardAgainstBrokenPipe } from './broken-pipe-guard.js';

/** A stream whose reader is gone: every write fails as a closed pipe does. */
function closedPipe(): Writable & { attempts: number } {
  const stream = new Writable({
    write(_chunk, _encoding, callback) {
      stream.attempts += 1;
      callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    },
  }) as Writable & { attempts: number };
  stream.attempts = 0;
  return stream;
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('guardAgainstBrokenPipe', () => {
  it('takes the EPIPE instead of letting it crash the process, then drops later writes but still calls them back', async () => {
    for (const stream of [closedPipe(), closedPipe()]) {
      const guard = guardAgainstBrokenPipe(stream);
      stream.write('progress line\n');
      await settle();
      expect(guard.broken).toBe(true);
      let calledBack = false;
      expect(stream.write('result\n', () => (calledBack = true))).toBe(true);
      await settle();
      expect(calledBack).toBe(true);
      expect(stream.attempts).toBe(1);
    }
  });

  it('passes writes through while the reader is there', () => {
    const written: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        written.push(chunk.toString());
        callback();
      },
    });
    const guard = guardAgainstBrokenPipe(stream);
    stream.write('a');
    stream.write('b');
    expect(written).toEqual(['a', 'b']);
    expect(guard.broken).toBe(false);
  });
});
