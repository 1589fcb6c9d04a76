// Runs one operation of the migration benchmark in its own process, so that its peak RSS is its own.
// Usage: node run-migrate.mjs migrate <url> <prefix> [--concurrency N] [--page-size N]
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
// Where the peak RSS is: the heap (live objects and garbage not yet collected) or the memory
// outside it (Buffers of response bodies and bulk requests), sampled every 20 ms.
let peak = { rss: 0 };
const sampler = setInterval(() => {
  const usage = process.memoryUsage();
  if (usage.rss > peak.rss) peak = usage;
}, 20);
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
    // --concurrency N / --page-size N (after the positional arguments): the migration's own knobs, for memory and speed trials.
    const knob = (flag) => (rest.includes(flag) ? Number(rest[rest.indexOf(flag) + 1]) : undefined);
    const knobs = {
      ...(knob('--concurrency') ? { concurrency: knob('--concurrency') } : {}),
      ...(knob('--page-size') ? { pageSize: knob('--page-size') } : {}),
    };
    result = summary(await runMigration({ ...ports, ...knobs, from: '1.1.0', to: '1.2.0', skipBackup: 'benchmark: no backup' }));
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
clearInterval(sampler);
const mb = (bytes) => Math.round(bytes / 1e6);
const atPeak = {
  rssMb: mb(peak.rss),
  heapTotalMb: mb(peak.heapTotal ?? 0),
  heapUsedMb: mb(peak.heapUsed ?? 0),
  externalMb: mb(peak.external ?? 0),
  arrayBuffersMb: mb(peak.arrayBuffers ?? 0),
};
process.stdout.write(`${JSON.stringify({ ...result, seconds: (performance.now() - started) / 1000, maxRssKb: process.resourceUsage().maxRSS, atPeak })}\n`);
