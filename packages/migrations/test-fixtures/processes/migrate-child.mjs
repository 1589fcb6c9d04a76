// A migration in its own process, for the SIGKILL test: it runs the BUILT packages (dist), so
// run `pnpm build` first. Settings come from the environment; MIGRATE_CHILD_REPOSITORY (a
// repository name, its folder of the same name under the node's path.repo) keeps the plain
// indices for the rollback in a snapshot there.
import {
  createElasticsearchClient,
  createIndexReader,
  createIndexWriter,
  createMigrationStateStore,
  createSnapshotStore,
} from '@a4c-admin/es-snapshot';
import { runMigration } from '@a4c-admin/migrations';

const client = createElasticsearchClient({ addresses: process.env.MIGRATE_CHILD_ES_URL.split(',') });
const prefix = process.env.MIGRATE_CHILD_PREFIX;
const repository = process.env.MIGRATE_CHILD_REPOSITORY;
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
    snapshots: repository
      ? createSnapshotStore(
          client,
          { name: repository, location: repository, max_snapshot_bytes_per_sec: '1gb', max_restore_bytes_per_sec: '1gb' },
          { pollIntervalMs: 100 },
        )
      : undefined,
    onProgress: (event) => {
      if (event.kind !== 'progress') process.stdout.write(`${event.phase} ${event.kind} ${event.item ?? ''}\n`);
    },
  });
  process.stdout.write(`done ${result.status}\n`);
} finally {
  await client.close();
}
