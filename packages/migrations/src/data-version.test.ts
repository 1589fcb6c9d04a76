import { type DataVersionMarker, isA4cAdminError, type MigrationStateStore } from '@a4c-admin/core';
import { describe, expect, it } from 'vitest';
import { currentDataVersion, markerAfterRollback, markerAfterStep } from './data-version.js';

// Only readMarker matters to this decision logic; the Elasticsearch store is exercised by the runner's integration tests.
function storeWith(marker: DataVersionMarker | undefined): MigrationStateStore {
  const refuse = () => Promise.reject(new Error('not used by this test'));
  return {
    readMarker: async () => marker,
    writeMarker: refuse,
    resolve: refuse,
    updateAliases: refuse,
    listIndices: refuse,
    storageLayout: refuse,
    ownership: refuse,
  };
}

const step = { from: '1.1.0', to: '1.2.0', checksum: 'abc', startedAt: '2026-01-01T00:00:00.000Z', endedAt: '2026-01-01T00:01:00.000Z', counts: { user: 2 } };

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (isA4cAdminError(error)) return error.code;
    throw error;
  }
  return undefined;
}

describe('the data-version marker', () => {
  it('requires the operator to say the version when there is no marker', async () => {
    expect(await codeOf(currentDataVersion(storeWith(undefined)))).toBe('USAGE');
    expect(await currentDataVersion(storeWith(undefined), '1.1.0')).toEqual({ version: '1.1.0', marker: undefined });
  });

  it('trusts the marker and refuses a contradicting from', async () => {
    const marker = markerAfterStep(undefined, step);
    expect((await currentDataVersion(storeWith(marker))).version).toBe('1.2.0');
    expect((await currentDataVersion(storeWith(marker), '1.2.0')).version).toBe('1.2.0');
    expect(await codeOf(currentDataVersion(storeWith(marker), '1.1.0'))).toBe('VERSION_MISMATCH');
  });

  it('records steps in the history and takes the last one out on rollback', () => {
    const marker = markerAfterStep(undefined, step, new Date('2026-01-01T00:02:00Z'));
    expect(marker).toEqual({ version: '1.2.0', history: [step], updatedAt: '2026-01-01T00:02:00.000Z' });
    expect(markerAfterRollback(marker, new Date('2026-01-02T00:00:00Z'))).toEqual({ version: '1.1.0', history: [], updatedAt: '2026-01-02T00:00:00.000Z' });
    expect(() => markerAfterRollback({ version: '1.1.0', history: [], updatedAt: '' })).toThrow(/no migration to roll back/);
  });
});
