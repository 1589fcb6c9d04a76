import { describe, expect, it } from 'vitest';
import { wantsColor } from './output-style.js';

describe('wantsColor', () => {
  const terminal = { isTTY: true, write: () => true };
  it('colours a terminal unless NO_COLOR, --no-color or TERM=dumb says otherwise', () => {
    expect(wantsColor(terminal, {}, true)).toBe(true);
    expect(wantsColor(terminal, { NO_COLOR: '1' }, true)).toBe(false);
    expect(wantsColor(terminal, {}, false)).toBe(false);
    expect(wantsColor(terminal, { TERM: 'dumb' }, true)).toBe(false);
    // no-color.org: an empty NO_COLOR does not count.
    expect(wantsColor(terminal, { NO_COLOR: '' }, true)).toBe(true);
  });
  it('never colours a pipe or a file', () => {
    expect(wantsColor({ isTTY: false, write: () => true }, {}, true)).toBe(false);
  });
});
