import { describe, expect, it } from 'vitest';
import { count, plural } from './plural.js';

describe('plural', () => {
  it('says the singular for exactly one, the plural otherwise', () => {
    expect(count(1, 'config file')).toBe('1 config file');
    expect(count(2, 'config file')).toBe('2 config files');
    expect(count(0, 'document')).toBe('0 documents');
    expect(count(1, 'index')).toBe('1 index');
    expect(count(34, 'index')).toBe('34 indices');
    expect(count(3, 'empty index')).toBe('3 empty indices');
    expect(plural(2, 'data-folder part')).toBe('data-folder parts');
    expect(plural(2, 'match')).toBe('matches');
  });
});
