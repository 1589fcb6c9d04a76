// The one way out of the CLI: every byte written to stdout or stderr (results, errors,
// JSON, progress lines and bars, warnings, commander's own messages) passes through a
// stream that knows the run's secrets and replaces them with "***". Redaction is the
// default of every printer rather than a step each command has to remember.
import { redactSecrets } from '@a4c-admin/core';
import type { OutputStream } from './output-style.js';

/** The secrets of one run, learnt as they appear: environment first, then the config file, then the loaded config. */
export interface SecretBook {
  add(secrets: Iterable<string>): void;
  redact(text: string): string;
}

export function createSecretBook(): SecretBook {
  const secrets = new Set<string>();
  return {
    add(values) {
      for (const value of values) if (value) secrets.add(value);
    },
    // redactSecrets also hides the password of any URL, known or not.
    redact: (text) => redactSecrets(text, [...secrets]),
  };
}

/**
 * `stream` with every write redacted; everything else (isTTY, columns, cursor moves that
 * progress bars use) is the stream's own, so the renderers cannot tell the difference.
 */
export function redactingStream<Stream extends OutputStream>(stream: Stream, book: SecretBook): Stream {
  return new Proxy(stream, {
    get(target, property, receiver) {
      if (property === 'write') {
        return (chunk: unknown, ...rest: unknown[]) => {
          const text =
            typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : String(chunk);
          return (target.write as (...args: unknown[]) => unknown).call(target, book.redact(text), ...rest);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      void receiver;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
