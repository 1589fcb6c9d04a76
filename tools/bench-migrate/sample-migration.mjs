// The migration's fixed costs: the A4C 1.1.0 sample installation (34 plain indices, 432
// documents) loaded, migrated to 1.2.0 (adoption of the plain indices included), rolled back
// and migrated again (indices already behind aliases), each timed. --trace prints every request
// Elasticsearch answered during the first migration: how many, of which kind, how long, and
// how much of the wall time some request was in flight (the rest is the client's own work).
//
// --repo <folder under the node's path.repo> runs each round twice, side by side: the plain
// indices copied for the rollback (no repository), then kept in the rollback snapshot there.
//
// Usage: node tools/bench-migrate/sample-migration.mjs [--url http://127.0.0.1:9291] [--rounds 1] [--repo <folder>] [--trace] [--timeline <file>]
// Needs the built packages (pnpm build). Deletes everything it creates.

import { writeFileSync } from 'node:fs';
import {
  connectElasticsearch,
  createIndexReader,
  createIndexWriter,
  createMigrationStateStore,
  createSnapshotStore,
} from '../../packages/es-snapshot/dist/index.js';
import { finalizeMigration, rollbackMigration, runMigration } from '../../packages/migrations/dist/index.js';
import { argument } from '../bench-es/bench-tools.mjs';
import { loadSampleIndices } from '../sample-data/dist/index.js';
import { exitWithUsageOnHelp } from '../usage-on-help.mjs';

exitWithUsageOnHelp(import.meta.url);

const url = argument('url', 'http://127.0.0.1:9291');
const rounds = Number(argument('rounds', '1'));
const trace = process.argv.includes('--trace');
/** A file that receives every request of the first migration, one a line, in the order they started. */
const timeline = argument('timeline', undefined);
/** A repository folder: each round also runs with the rollback snapshot there. */
const repo = argument('repo', undefined);

/** Requests seen, with their start and end (ms), by the client's diagnostic events. */
function recordRequests(client) {
  const requests = [];
  const started = new Map();
  client.diagnostic.on('request', (_error, event) => {
    if (event?.meta?.request?.id !== undefined) started.set(event.meta.request.id, performance.now());
  });
  client.diagnostic.on('response', (error, event) => {
    const meta = event?.meta ?? error?.meta?.meta;
    const id = meta?.request?.id;
    const params = meta?.request?.params ?? {};
    if (id === undefined || !started.has(id)) return;
    requests.push({
      method: params.method,
      path: params.path,
      status: event?.statusCode ?? error?.meta?.statusCode,
      start: started.get(id),
      end: performance.now(),
    });
    started.delete(id);
  });
  return requests;
}

/** A request's kind: its method and path with index names replaced. */
function kindOf(request) {
  const parts = request.path.split('?')[0].split('/').filter(Boolean);
  const shape = parts.map((part) => (part.startsWith('_') ? part : '<i>')).join('/');
  return `${request.method} /${shape}`;
}

function summarize(requests, wall) {
  const byKind = new Map();
  for (const request of requests) {
    const kind = kindOf(request);
    const entry = byKind.get(kind) ?? { count: 0, ms: 0, max: 0 };
    entry.count += 1;
    entry.ms += request.end - request.start;
    entry.max = Math.max(entry.max, request.end - request.start);
    byKind.set(kind, entry);
  }
  // Wall time with at least one request in flight.
  const sorted = [...requests].sort((a, b) => a.start - b.start);
  let busy = 0;
  let until = -Infinity;
  for (const request of sorted) {
    if (request.start > until) {
      busy += request.end - request.start;
      until = request.end;
    } else if (request.end > until) {
      busy += request.end - until;
      until = request.end;
    }
  }
  console.log(`  ${requests.length} requests; some request in flight ${(busy / 1000).toFixed(2)} s of ${(wall / 1000).toFixed(2)} s`);
  for (const [kind, entry] of [...byKind].sort((a, b) => b[1].ms - a[1].ms)) {
    console.log(`  ${String(entry.count).padStart(4)} x ${kind.padEnd(40)} sum ${(entry.ms / 1000).toFixed(2)} s, max ${entry.max.toFixed(0)} ms`);
  }
}

/** When each phase of a migration's progress events first showed up. */
function phaseClock(start) {
  const marks = [];
  const seen = new Set();
  return {
    marks,
    listener(event) {
      if (!event.phase || seen.has(event.phase)) return;
      seen.add(event.phase);
      marks.push(`${event.phase} ${((performance.now() - start) / 1000).toFixed(2)}`);
    },
  };
}

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

const variants = repo ? ['copies', 'snapshot'] : ['copies'];
for (let round = 1; round <= rounds * variants.length; round += 1) {
  const variant = variants[(round - 1) % variants.length];
  const prefix = `smig-${Date.now().toString(36)}-`;
  const { client, dialect } = await connectElasticsearch({ addresses: [url] });
  const requests = recordRequests(client);
  try {
    let started = performance.now();
    await loadSampleIndices({ node: url, prefix });
    const load = performance.now() - started;
    const ports = {
      reader: createIndexReader(client, { dialect }),
      writer: createIndexWriter(client, { dialect }),
      state: createMigrationStateStore(client, { prefix, dialect }),
      indexPrefix: prefix,
      snapshots:
        variant === 'snapshot'
          ? createSnapshotStore(
              client,
              { name: 'a4c-bench-rollback', location: repo, max_snapshot_bytes_per_sec: '1gb', max_restore_bytes_per_sec: '1gb' },
              { dialect },
            )
          : undefined,
    };
    requests.length = 0;
    started = performance.now();
    const started0 = started;
    const phases = phaseClock(started);
    const first = await runMigration({ ...ports, from: '1.1.0', to: '1.2.0', skipBackup: 'bench', onProgress: phases.listener });
    const migrate = performance.now() - started;
    const firstRequests = [...requests];
    started = performance.now();
    await rollbackMigration({ writer: ports.writer, state: ports.state, indexPrefix: prefix, snapshots: ports.snapshots });
    const rollback = performance.now() - started;
    requests.length = 0;
    started = performance.now();
    const again = await runMigration({ ...ports, from: '1.1.0', to: '1.2.0', skipBackup: 'bench' });
    const migrateAgain = performance.now() - started;
    const againRequests = [...requests];
    console.log(
      `round ${Math.ceil(round / variants.length)} ${variant} (${dialect.version}): load ${seconds(load)}; first migration (plain, adoption included) ${seconds(migrate)} ${first.status}; rollback ${seconds(rollback)}; migration again (aliased) ${seconds(migrateAgain)} ${again.status}`,
    );
    if (timeline) {
      writeFileSync(
        timeline,
        firstRequests
          .map(
            (request) =>
              `${((request.start - started0) / 1000).toFixed(3)} +${(request.end - request.start).toFixed(0)}ms ${request.status} ${request.method} ${request.path}`,
          )
          .join('\n'),
      );
    }
    if (trace) {
      console.log(` first migration, seconds from its start at which each phase began: ${phases.marks.join(', ')}`);
      summarize(firstRequests, migrate);
      console.log(' migration again:');
      summarize(againRequests, migrateAgain);
    }
    // Deletes the rollback snapshot of the variant that has one (after a rollback there is none left, but the migration again kept copies).
    await finalizeMigration({ writer: ports.writer, state: ports.state, indexPrefix: prefix, snapshots: ports.snapshots });
  } finally {
    await client.indices.delete({ index: `${prefix}*`, expand_wildcards: 'all' }).catch(() => undefined);
    await client.close();
  }
}
