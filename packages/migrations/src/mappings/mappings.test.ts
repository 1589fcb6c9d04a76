import { a4cIndexNames, KNOWN_DATA_VERSIONS } from '@a4c-admin/core';
import { describe, expect, it } from 'vitest';
import { knownDataVersions, mappingsForVersion } from './index.js';

describe('the mappings of each data version', () => {
  it('ship for exactly the versions of the A4C model', () => {
    expect(knownDataVersions()).toEqual(KNOWN_DATA_VERSIONS);
  });

  it.each(KNOWN_DATA_VERSIONS)('of %s define exactly the A4C index names of the model for that version', (version) => {
    expect(Object.keys(mappingsForVersion(version)!).sort()).toEqual(a4cIndexNames(version));
  });
});
