// What runs in the cluster now (snapshots and restores), and the refusal to start another
// snapshot or restore while one does.
import { A4cAdminError } from '@a4c-admin/core';
import type { SnapshotStoreContext } from './snapshot-read.js';
import { wrapElasticsearchError } from './wrap-elasticsearch-error.js';

export async function runningSnapshotsAndRestores({ client }: SnapshotStoreContext): Promise<string[]> {
  try {
    const [snapshots, recoveries] = await Promise.all([
      client.snapshot.status() as Promise<{ snapshots?: { repository: string; snapshot: string }[] }>,
      client.indices.recovery({ active_only: true }) as Promise<
        Record<string, { shards?: { type?: string; source?: { repository?: string; snapshot?: string } }[] }>
      >,
    ]);
    const names = new Set<string>();
    for (const snapshot of snapshots.snapshots ?? []) names.add(`snapshot ${snapshot.repository}/${snapshot.snapshot}`);
    for (const index of Object.values(recoveries)) {
      for (const shard of index.shards ?? []) {
        if (shard.type === 'SNAPSHOT' && shard.source?.snapshot) names.add(`restore ${shard.source.repository}/${shard.source.snapshot}`);
      }
    }
    return [...names].sort();
  } catch (error) {
    throw wrapElasticsearchError(error, 'listing running snapshots and restores');
  }
}

export async function refuseWhenBusy(context: SnapshotStoreContext, what: string): Promise<void> {
  const busy = await runningSnapshotsAndRestores(context);
  if (busy.length > 0) {
    throw new A4cAdminError('SNAPSHOT_IN_PROGRESS', `Cannot ${what}: ${busy.join(', ')} is running.`, {
      hint: 'Wait for it to end (GET /_snapshot/_status, GET /_recovery?active_only=true), then retry.',
      details: { running: busy },
    });
  }
}
