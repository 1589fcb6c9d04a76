// Runs one operation of the migration benchmark in its own process, so that its peak RSS is its own.
// Usage: node run-migrate.mjs migrate <url> <prefix>
//        node run-migrate.mjs rollback <url> <prefix>
//        node run-migrate.mjs export <url> <folder> <index>...
//        node run-migrate.mjs import <url> <folder> <suffix>     (each index imported as <index><suffix>)
//        node run-migrate.mjs across <source url> <target url> <prefix> <work folder>
//          (the CLI's `migrate 1.1.0 --target <url>` through its library entry point: the same ports)
import {
  createElasticsearchClient,
  createIndexReader,
  createIndexWriter,
  createMigrationStateStore,
  exportIndices,
  importIndices,
} from '../../packages/es-snapshot/dist/index.js';
import { rollbackMigration, runMigration } from '../../packages/migrations/dist/index.js';

const [operation, url, first, ...rest] = process.argv.slice(2);

/** What the benchmark checks of a migration: its status, documents read and written, rule counts. */
function summary(migration) {
  const indices = Object.values(migration.steps[0]?.indices ?? {});
  return {
    status: migration.status,
    read: indices.reduce((sum, index) => sum + index.read, 0),
    written: indices.reduce((sum, index) => sum + index.written, 0),
    rules: migration.steps[0]?.rules,
  };
}

const client = createElasticsearchClient({ addresses: [url], request_timeout_ms: 600_000 });
const started = performance.now();
let result;
if (operation === 'migrate' || operation === 'rollback') {
  const ports = {
    reader: createIndexReader(client),
    writer: createIndexWriter(client),
    state: createMigrationStateStore(client, { prefix: first }),
    indexPrefix: first,
  };
  if (operation === 'migrate') {
    result = summary(await runMigration({ ...ports, from: '1.1.0', to: '1.2.0', skipBackup: 'benchmark: no backup' }));
  } else {
    result = await rollbackMigration({ writer: ports.writer, state: ports.state, indexPrefix: first });
  }
} else if (operation === 'across') {
  // Imported here only: the other operations do not pay for loading the CLI's modules.
  const { migrate } = await import('../../packages/cli/dist/index.js');
  const [prefix, work] = rest;
  const config = {
    elasticsearch: { addresses: [url], index_prefix: prefix },
    backup: { files_dir: `${work}/backups` },
    exporter: { dir: `${work}/exports` },
    alien4cloud: { dir: `${work}/a4c` },
  };
  result = summary(await migrate(config, { from: '1.1.0', target: first, a4cStopped: true }));
} else if (operation === 'export') {
  const manifest = await exportIndices(client, { folder: first, indices: rest });
  result = { documents: manifest.indices.reduce((sum, index) => sum + index.count, 0) };
} else if (operation === 'import') {
  const imported = await importIndices(client, { folder: first, targetIndex: (index) => `${index}${rest[0]}`, replace: true });
  result = { documents: imported.reduce((sum, index) => sum + index.written, 0) };
} else {
  throw new Error(`unknown operation ${operation}`);
}
await client.close();
process.stdout.write(`${JSON.stringify({ ...result, seconds: (performance.now() - started) / 1000, maxRssKb: process.resourceUsage().maxRSS })}\n`);
