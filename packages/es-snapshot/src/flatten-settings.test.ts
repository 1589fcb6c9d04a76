import { describe, expect, it } from 'vitest';
import { flattenSettings } from './flatten-settings.js';

describe('flattenSettings', () => {
  it('reads nested settings (what 5.x answers without flat_settings) by their dotted names', () => {
    expect(flattenSettings({ index: { blocks: { write: 'true', read_only: 'false' }, refresh_interval: '1s' } })).toEqual({
      'index.blocks.write': 'true',
      'index.blocks.read_only': 'false',
      'index.refresh_interval': '1s',
    });
  });

  it('keeps keys that are already flat, and arrays and nulls as values', () => {
    expect(flattenSettings({ 'index.blocks.write': 'true', index: { routing: { allocation: { include: null } }, tags: ['a', 'b'] } })).toEqual({
      'index.blocks.write': 'true',
      'index.routing.allocation.include': null,
      'index.tags': ['a', 'b'],
    });
  });
});
