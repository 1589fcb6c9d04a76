// A migration into another cluster in its own process, for the SIGKILL test: it runs the BUILT
// packages (dist), so run `pnpm build` first. Settings come from the environment.
import { createElasticsearchClient, createIndexReader, createIndexWriter, createMigrationStateStore } from '@a4c-admin/es-snapshot';
import { runCrossClusterMigration } from '@a4c-admin/migrations';

const source = createElasticsearchClient({ addresses: process.env.CROSS_CHILD_SOURCE_URL.split(',') });
const target = createElasticsearchClient({ addresses: process.env.CROSS_CHILD_TARGET_URL.split(',') });
const prefix = process.env.CROSS_CHILD_TARGET_PREFIX;
try {
  const result = await runCrossClusterMigration({
    from: '1.1.0',
    to: '1.2.0',
    // Small pages make the copy long enough to be killed inside it.
    source: { reader: createIndexReader(source, { pageSize: 2 }), indexPrefix: process.env.CROSS_CHILD_SOURCE_PREFIX },
    reader: createIndexReader(target),
    writer: createIndexWriter(target),
    state: createMigrationStateStore(target, { prefix }),
    indexPrefix: prefix,
    concurrency: 2,
    onProgress: (event) => {
      if (event.kind !== 'progress') process.stdout.write(`${event.phase} ${event.kind} ${event.item ?? ''}\n`);
    },
  });
  process.stdout.write(`done ${result.status}\n`);
} finally {
  await Promise.all([source.close(), target.close()]);
}
