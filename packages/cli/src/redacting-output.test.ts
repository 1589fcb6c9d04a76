import { describe, expect, it } from 'vitest';
import { canAsk, isYes } from './confirm.js';
import { createSecretBook, redactingStream } from './redacting-output.js';

describe('the redacting output layer', () => {
  it('redacts every write, whatever the printer, and keeps the stream\u2019s own properties', () => {
    const written: string[] = [];
    const stream = { isTTY: true, columns: 123, write: (chunk: string) => written.push(chunk) };
    const book = createSecretBook();
    const out = redactingStream(stream, book);
    out.write('before: pw-one-secret\n');
    book.add(['pw-one-secret', 'key-two-secret']);
    out.write(JSON.stringify({ error: 'auth pw-one-secret failed', key: 'key-two-secret', url: 'http://u:unknown-pass@es:9200' }));
    expect(out.isTTY).toBe(true);
    expect(out.columns).toBe(123);
    expect(written[0]).toContain('pw-one-secret');
    expect(written[1]).not.toMatch(/pw-one-secret|key-two-secret|unknown-pass/);
    expect(written[1]).toContain('http://u:***@es:9200');
  });
});

describe('confirmation answers', () => {
  it('takes only y or yes as yes', () => {
    for (const answer of ['y', 'Y', 'yes', ' YES ']) expect(isYes(answer)).toBe(true);
    for (const answer of ['', 'n', 'no', 'yep', 'sure', 'y y']) expect(isYes(answer)).toBe(false);
  });

  it('asks only when stdin and stderr are terminals and the output is not --json', () => {
    const tty = { isTTY: true } as NodeJS.ReadableStream & { isTTY?: boolean };
    const pipe = { isTTY: false } as NodeJS.ReadableStream & { isTTY?: boolean };
    const terminal = { isTTY: true, write: () => true };
    expect(canAsk(tty, terminal, false)).toBe(true);
    expect(canAsk(tty, terminal, true)).toBe(false);
    expect(canAsk(pipe, terminal, false)).toBe(false);
    expect(canAsk(undefined, terminal, false)).toBe(false);
    expect(canAsk(tty, { isTTY: false, write: () => true }, false)).toBe(false);
  });
});
