// Runs one operation of the migration benchmark in its own process, so that its peak RSS is its own.
// Usage: node run-migrate.mjs migrate <url> <prefix>
//        node run-migrate.mjs rollback <url> <prefix>
//        node run-migrate.mjs export <url> <folder> <index>...
//        node run-migrate.mjs import <url> <folder> <suffix>     (each index imported as <index><suffix>)
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
    const migration = await runMigration({ ...ports, from: '1.1.0', to: '1.2.0', skipBackup: 'benchmark: no backup' });
    const indices = migration.steps[0]?.indices ?? {};
    result = {
      status: migration.status,
      read: Object.values(indices).reduce((sum, index) => sum + index.read, 0),
      written: Object.values(indices).reduce((sum, index) => sum + index.written, 0),
      rules: migration.steps[0]?.rules,
    };
  } else {
    result = await rollbackMigration({ writer: ports.writer, state: ports.state, indexPrefix: first });
  }
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
