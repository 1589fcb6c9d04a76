// The CLI's ports are deferred (built on first use): a method missing from their lists is
// silently absent, and the migration falls back to one request an index. Nothing is sent here:
// the ports are built on a client that never connects.
import { Client } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import { createA4cIndexReader } from './a4c-index-reader.js';
import { createClusterInspector } from './describe-cluster.js';
import { dialectFor } from './dialect/server-dialect.js';
import { createIndexExporter } from './index-exporter.js';
import { createIndexReader } from './index-reader.js';
import { createIndexWriter } from './index-writer.js';
import { createMigrationStateStore } from './migration-state-store.js';
import { DEFERRED_METHODS } from './open-backends.js';
import { createSnapshotStore } from './snapshot-store.js';

const methodsOf = (port: object) =>
  Object.entries(port)
    .filter(([, value]) => typeof value === 'function')
    .map(([name]) => name)
    .sort();

describe('the deferred ports of openBackends', () => {
  const client = new Client({ node: 'http://127.0.0.1:1' });

  it('forward every method their implementations have, the batched ones included, on every server generation', () => {
    for (const version of ['1.7.6', '6.8.23', '8.19.0']) {
      const dialect = dialectFor(version);
      const reader = [...DEFERRED_METHODS.reader, 'read'].sort();
      expect(methodsOf(createIndexReader(client, { dialect })), version).toEqual(reader);
      expect(methodsOf(createA4cIndexReader(client, { dialect, prefix: 'p-' })), version).toEqual(reader);
      expect(methodsOf(createIndexWriter(client, { dialect })), version).toEqual([...DEFERRED_METHODS.writer].sort());
      expect(methodsOf(createMigrationStateStore(client, { dialect })), version).toEqual([...DEFERRED_METHODS.state].sort());
      expect(methodsOf(createIndexExporter(client, { dialect })), version).toEqual([...DEFERRED_METHODS.exporter].sort());
      expect(methodsOf(createSnapshotStore(client, { name: 'r', location: '/tmp/r' } as never, { dialect })), version).toEqual(
        [...DEFERRED_METHODS.snapshots].sort(),
      );
    }
    expect(methodsOf(createClusterInspector(client))).toEqual([...DEFERRED_METHODS.cluster].sort());
  });
});
