// The SIMD skipper on its own: values at every alignment against the 16-byte blocks, strings and
// backslash runs across block edges, line feeds before and after the value's end.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simdJsonSkipperFor } from './json-skip-simd.js';

/** Strings that put quotes and backslash runs anywhere, block edges included. */
const edgyString = fc.oneof(
  fc.string({ unit: fc.constantFrom('"', '\\', '{', '}', '[', ']', '\n', 'a', 'é'), maxLength: 40 }),
  fc.nat({ max: 40 }).map((count) => '\\'.repeat(count)),
);

const value: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    edgyString,
    fc.integer(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(edgyString, tie('value'), { maxKeys: 5 }),
  ),
})).value;

/** JSON text with `space` between tokens (line feeds included). */
function render(node: unknown, space: () => string): string {
  if (Array.isArray(node)) return `[${space()}${node.map((element) => render(element, space)).join(`${space()},${space()}`)}${space()}]`;
  if (node && typeof node === 'object') {
    const members = Object.entries(node).map(([key, entry]) => `${JSON.stringify(key)}${space()}:${space()}${render(entry, space)}`);
    return `{${space()}${members.join(`,${space()}`)}${space()}}`;
  }
  return JSON.stringify(node);
}

describe('simdJsonSkipperFor', () => {
  it('runs on the Node versions a4c-admin supports (else exports fall back to the byte loop)', () => {
    expect(simdJsonSkipperFor(Buffer.from('{}'))).toBeDefined();
  });

  it('finds the end of any object or array, at any offset, and whether it held a line feed', () => {
    const container = fc.oneof(fc.array(value, { maxLength: 6 }), fc.dictionary(edgyString, value, { maxKeys: 6 }));
    fc.assert(
      fc.property(
        container,
        fc.array(fc.constantFrom('', ' ', '\n', '\t\r\n '), { maxLength: 8 }),
        fc.nat({ max: 31 }),
        fc.constantFrom('', ',"sort":[1]}', '\n}\n', ']"\\'),
        (node, spaces, padding, after) => {
          let turn = 0;
          const text = render(node, () => (spaces.length === 0 ? '' : spaces[turn++ % spaces.length]!));
          const bytes = Buffer.from(`${'x'.repeat(padding)}${text}${after}`);
          const skipper = simdJsonSkipperFor(bytes)!;
          expect(skipper.skip(padding)).toBe(padding + Buffer.byteLength(text));
          // JSON.stringify escapes line feeds in strings: any in the text is whitespace.
          expect(skipper.lineBreak).toBe(text.includes('\n'));
        },
      ),
      { seed: 20261201, numRuns: 500 },
    );
  });

  it('counts line feeds outside strings only, as the byte loop does', () => {
    // Not JSON (a raw line feed in a string), but the skip must not call it whitespace either way.
    const text = `{"a":"${'z'.repeat(20)}\n"}`;
    const skipper = simdJsonSkipperFor(Buffer.from(`${text}\n`))!;
    expect(skipper.skip(0)).toBe(text.length);
    expect(skipper.lineBreak).toBe(false);
  });

  it('says when the bytes end before the value does, whatever was loaded before', () => {
    simdJsonSkipperFor(Buffer.from(`{"a":[1,2,3],"b":"${'y'.repeat(40)}"}`));
    for (const truncated of ['{', '{"a":"}', '{"a":"\\"}', '[[]', '{"a":"\\\\"', '["x\\']) {
      expect(simdJsonSkipperFor(Buffer.from(truncated))!.skip(0), truncated).toBe(-1);
    }
  });
});
