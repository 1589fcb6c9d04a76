import { isA4cAdminError, KNOWN_DATA_VERSIONS, LATEST_DATA_VERSION, OLDEST_DATA_VERSION } from '@a4c-admin/core';
import { describe, expect, it } from 'vitest';
import { planMigration, supportedVersions } from './registry.js';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (isA4cAdminError(error)) {
      expect(error.hint).toBeTruthy();
      return error.code;
    }
    throw error;
  }
  return undefined;
}

describe('planMigration', () => {
  it('chains 1.1.0 -> 1.2.0', () => {
    expect(planMigration('1.1.0', '1.2.0').map((step) => `${step.from}->${step.to}`)).toEqual(['1.1.0->1.2.0']);
    expect(supportedVersions()).toEqual(['1.1.0', '1.2.0']);
  });

  it('has a step into every data version of the A4C model, so the default target is reachable', () => {
    expect(supportedVersions()).toEqual(KNOWN_DATA_VERSIONS);
    expect(planMigration(OLDEST_DATA_VERSION, LATEST_DATA_VERSION).at(-1)?.to).toBe(LATEST_DATA_VERSION);
  });

  it('refuses same, backwards, unknown and malformed versions', () => {
    expect(codeOf(() => planMigration('1.2.0', '1.2.0'))).toBe('MIGRATION_PATH');
    expect(codeOf(() => planMigration('1.2.0', '1.1.0'))).toBe('MIGRATION_PATH');
    expect(codeOf(() => planMigration('1.0.0', '1.2.0'))).toBe('MIGRATION_PATH');
    expect(codeOf(() => planMigration('1.1.0', '1.3.0'))).toBe('MIGRATION_PATH');
    expect(codeOf(() => planMigration('1.1', '1.2.0'))).toBe('USAGE');
  });
});
