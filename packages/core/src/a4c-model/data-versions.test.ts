import { describe, expect, it } from 'vitest';
import { isA4cAdminError } from '../errors.js';
import { compareVersions, isKnownDataVersion, KNOWN_DATA_VERSIONS, LATEST_DATA_VERSION, OLDEST_DATA_VERSION, parseVersion } from './data-versions.js';

describe('the A4C data versions', () => {
  it('lists the known versions oldest first, the latest last', () => {
    expect(KNOWN_DATA_VERSIONS).toEqual([...KNOWN_DATA_VERSIONS].sort(compareVersions));
    expect(OLDEST_DATA_VERSION).toBe(KNOWN_DATA_VERSIONS[0]);
    expect(LATEST_DATA_VERSION).toBe(KNOWN_DATA_VERSIONS[KNOWN_DATA_VERSIONS.length - 1]);
    expect(isKnownDataVersion(LATEST_DATA_VERSION)).toBe(true);
    expect(isKnownDataVersion('9.9.9')).toBe(false);
  });

  it('parses and orders versions, refusing what is not three numbers', () => {
    expect(parseVersion(' 1.10.2 ')).toEqual([1, 10, 2]);
    expect(compareVersions('1.2.0', '1.10.0')).toBeLessThan(0);
    expect(compareVersions('1.2.0', '1.2.0')).toBe(0);
    let refused: unknown;
    try {
      parseVersion('1.2');
    } catch (error) {
      refused = error;
    }
    expect(isA4cAdminError(refused) && refused.code).toBe('USAGE');
  });
});
