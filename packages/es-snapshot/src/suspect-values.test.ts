import { describe, expect, it } from 'vitest';
import { hasSuspectValue } from './suspect-values.js';

const mappings = {
  dynamic: false,
  properties: {
    alienScore: { type: 'long' },
    importDate: { type: 'date', format: 'epoch_millis' },
    enabled: { type: 'boolean' },
    name: { type: 'keyword' },
    free: { type: 'object', enabled: false },
    properties: { type: 'object', properties: { key: { type: 'text' }, value: { type: 'object', properties: { required: { type: 'boolean' } } } } },
  },
};

describe('hasSuspectValue', () => {
  it('lets plainly valid documents through without asking Elasticsearch', () => {
    expect(
      hasSuspectValue(mappings, { alienScore: 3, importDate: 1_700_000_000_000, enabled: true, name: 'x', unmapped: { any: 'thing' }, free: { a: [1, 'b'] } }),
    ).toBe(false);
    expect(hasSuspectValue(mappings, { properties: [{ key: 'size', value: { required: false } }], alienScore: null })).toBe(false);
  });

  it('flags every value a field type might refuse', () => {
    expect(hasSuspectValue(mappings, { importDate: 'last tuesday' })).toBe(true);
    expect(hasSuspectValue(mappings, { alienScore: 'very high' })).toBe(true);
    expect(hasSuspectValue(mappings, { enabled: 'perhaps' })).toBe(true);
    expect(hasSuspectValue(mappings, { name: { nested: 'object' } })).toBe(true);
    expect(hasSuspectValue(mappings, { properties: [{ key: 'size', value: { required: 'perhaps' } }] })).toBe(true);
    expect(hasSuspectValue(mappings, { properties: 'not an object' })).toBe(true);
  });

  it('flags unmapped fields only under dynamic strict, inherited by inner objects', () => {
    const strict = { dynamic: 'strict', properties: { inner: { properties: { a: { type: 'keyword' } } } } };
    expect(hasSuspectValue(strict, { other: 1 })).toBe(true);
    expect(hasSuspectValue(strict, { inner: { b: 1 } })).toBe(true);
    expect(hasSuspectValue(strict, { inner: { a: 'x' } })).toBe(false);
  });
});
