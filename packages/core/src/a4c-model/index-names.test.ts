import { describe, expect, it } from 'vitest';
import { KNOWN_DATA_VERSIONS } from './data-versions.js';
import { a4cIndexNames, baseIndexName } from './index-names.js';

describe('the A4C index set', () => {
  it('names one index per former mapping type, with the prefix', () => {
    const v110 = a4cIndexNames('1.1.0', 'prod-');
    expect(v110).toHaveLength(34);
    expect(v110).toContain('prod-application');
    expect(v110).toContain('prod-deployedtopologies');
    expect(v110).not.toContain('prod-suggestionentry');
  });

  it('adds the 1.2.0 indices', () => {
    const added = a4cIndexNames('1.2.0').filter((name) => !a4cIndexNames('1.1.0').includes(name));
    expect(added).toEqual(['paasdeploymentlog', 'primitiveindexeddatatype', 'simplesuggestionentry', 'suggestionentry']);
    expect(KNOWN_DATA_VERSIONS).toEqual(['1.1.0', '1.2.0']);
  });

  it('refuses an unknown version and strips prefixes', () => {
    expect(() => a4cIndexNames('1.0.0')).toThrow(/Unknown A4C data version "1.0.0"/);
    expect(baseIndexName('prod-application', 'prod-')).toBe('application');
    expect(baseIndexName('application')).toBe('application');
  });
});
