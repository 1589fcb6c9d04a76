import type { IndexReader, IndexWriter, Lock, LockInfo, MigrationStateStore } from '@a4c-admin/core';
import { describe, expect, it } from 'vitest';
import { runMigration } from './run-migration.js';

// These check the runner's own bookkeeping before it reaches Elasticsearch; everything the
// runner does to indices is tested against the real nodes in run-migration.int.test.ts.
const unreachable = () => Promise.reject(new Error('the runner must not get this far'));
const reader = { count: unreachable, definition: unreachable, read: unreachable } as unknown as IndexReader;
const writer = { create: unreachable, write: unreachable, remove: unreachable, setWriteBlock: unreachable } as unknown as IndexWriter;
const noMarker: MigrationStateStore = {
  readMarker: async () => undefined,
  writeMarker: unreachable,
  resolve: unreachable,
  updateAliases: unreachable,
  listIndices: unreachable,
  storageLayout: unreachable,
  ownership: unreachable,
};

function recordingLock(events: string[]): Lock {
  const info: LockInfo = { owner: 'test', operation: 'migrate', host: 'here', pid: 1, startedAt: '', heartbeatAt: '' };
  return {
    async acquire(operation) {
      events.push(`acquire ${operation}`);
      return { info, release: async () => void events.push('release') };
    },
    inspect: async () => undefined,
  };
}

describe('runMigration bookkeeping', () => {
  it('holds the lock for the whole run and releases it when the run fails', async () => {
    const events: string[] = [];
    await expect(runMigration({ to: '1.2.0', reader, writer, state: noMarker, lock: recordingLock(events), skipBackup: 'b' })).rejects.toMatchObject({
      code: 'USAGE',
    });
    expect(events).toEqual(['acquire migrate', 'release']);
  });

  it('refuses an unknown path before anything else', async () => {
    await expect(runMigration({ from: '1.0.0', to: '1.2.0', reader, writer, state: noMarker, skipBackup: 'b' })).rejects.toMatchObject({
      code: 'MIGRATION_PATH',
    });
  });
});
