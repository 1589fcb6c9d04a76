// A migration in its own process, for the SIGKILL test: it runs the BUILT packages (dist), so
// run `pnpm build` first. Settings come from the environment.
import { createElasticsearchClient, createIndexReader, createIndexWriter, createMigrationStateStore } from '@a4c-admin/es-snapshot';
import { runMigration } from '@a4c-admin/migrations';

const client = createElasticsearchClient({ addresses: process.env.MIGRATE_CHILD_ES_URL.split(',') });
const prefix = process.env.MIGRATE_CHILD_PREFIX;
try {
  const result = await runMigration({
    from: '1.1.0',
    to: '1.2.0',
    // Small pages make the copy phases long enough to be killed inside them.
    reader: createIndexReader(client, { pageSize: 2 }),
    writer: createIndexWriter(client),
    state: createMigrationStateStore(client, { prefix }),
    indexPrefix: prefix,
    skipBackup: 'sigkill-test',
    onProgress: (event) => {
      if (event.kind !== 'progress') process.stdout.write(`${event.phase} ${event.kind} ${event.item ?? ''}\n`);
    },
  });
  process.stdout.write(`done ${result.status}\n`);
} finally {
  await client.close();
}
