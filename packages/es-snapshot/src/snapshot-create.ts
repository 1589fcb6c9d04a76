// Taking a snapshot of named indices (aliases resolved and recorded), followed through the
// status API until it ends; a snapshot that did not succeed is deleted.
import { A4cAdminError, isA4cAdminError, type SnapshotInfo, type SnapshotStore } from '@a4c-admin/core';
import type { ProgressReporter } from '@a4c-admin/core/internal';
import { resolveNames as resolveIndexNames } from './index-resolution.js';
import { pollWaits } from './poll-waits.js';
import { sleep } from './raw-request.js';
import { getRawSnapshot, type RawSnapshot, RESOLVED_METADATA_KEY, type SnapshotStoreContext, toInfo } from './snapshot-read.js';
import { refuseWhenBusy } from './snapshot-running.js';
import { wrapElasticsearchError } from './wrap-elasticsearch-error.js';

type SnapshotRequest = Parameters<SnapshotStore['create']>[0];

export async function createSnapshot(context: SnapshotStoreContext, request: SnapshotRequest, progress?: ProgressReporter): Promise<SnapshotInfo> {
  const { signal } = context;
  if (request.indices.length === 0) {
    // An empty list would mean "every index" to Elasticsearch: never what the tool wants.
    throw new A4cAdminError('USAGE', `Snapshot ${request.name} names no index.`, { hint: 'Give the A4C indices to snapshot.' });
  }
  await refuseWhenBusy(context, `start snapshot ${request.name}`);
  const resolved = await resolveNames(context, request.indices);
  const concrete = [...new Set(Object.values(resolved).flat())].sort();
  progress?.emit({ phase: 'snapshot', kind: 'start', item: request.name, total: concrete.length });
  signal?.throwIfAborted();
  await startSnapshot(context, request, concrete, resolved);
  const raw = await followSnapshot(context, request.name, progress);
  if (raw.state !== 'SUCCESS') {
    const reasons = (raw.failures ?? []).slice(0, 3).map((failure) => `${failure.index}[${failure.shard_id}]: ${failure.reason}`);
    // A half-taken snapshot under the backup's name would look like a backup: it goes.
    await removeSnapshot(context, request.name).catch(() => undefined);
    throw new A4cAdminError(
      'SNAPSHOT_FAILED',
      `Snapshot ${request.name} ended ${raw.state}: ${raw.shards?.failed ?? '?'} shard(s) failed${reasons.length ? ` (${reasons.join('; ')})` : ''}. It was deleted.`,
      {
        hint: 'Check the health of the indices (GET /_cluster/health?level=indices) and the disk space of the repository, then retry.',
        details: { state: raw.state, failures: raw.failures?.slice(0, 10) },
      },
    );
  }
  const info = toInfo(context.repository.name, raw);
  progress?.emit({ phase: 'snapshot', kind: 'end', item: request.name, done: info.shards.successful, total: info.shards.total });
  return info;
}

async function startSnapshot(context: SnapshotStoreContext, request: SnapshotRequest, concrete: string[], resolved: Record<string, string[]>): Promise<void> {
  const { client, metadataIndex } = context;
  const repositoryName = context.repository.name;
  const metadata = snapshotMetadata(request.metadata, resolved);
  try {
    if (metadataIndex) {
      // Recorded before the snapshot exists, so that a run killed right after the start leaves
      // a snapshot that says whose it is; never over the record of a snapshot that exists.
      if (await getRawSnapshot(context, request.name)) throw alreadyExists(request.name, repositoryName);
      await metadataIndex.record(request.name, metadata);
    }
    await client.snapshot.create({
      repository: repositoryName,
      snapshot: request.name,
      wait_for_completion: false,
      indices: concrete,
      include_global_state: false,
      ignore_unavailable: false,
      partial: false,
      ...(metadataIndex ? {} : { metadata }),
    });
  } catch (error) {
    if (isA4cAdminError(error)) throw error;
    const wrapped = wrapElasticsearchError(error, `starting snapshot ${request.name}`);
    if (wrapped.details?.type === 'invalid_snapshot_name_exception' && /already exists/.test(wrapped.message)) {
      throw alreadyExists(request.name, repositoryName, error);
    }
    if (wrapped.details?.type === 'concurrent_snapshot_execution_exception') {
      throw new A4cAdminError('SNAPSHOT_IN_PROGRESS', `Snapshot ${request.name} cannot start: ${wrapped.message}`, {
        hint: 'Wait for the running snapshot or restore to end.',
        cause: error,
      });
    }
    throw wrapped;
  }
}

function alreadyExists(name: string, repositoryName: string, cause?: unknown): A4cAdminError {
  return new A4cAdminError('BACKUP_EXISTS', `Snapshot ${name} already exists in repository ${repositoryName}.`, {
    hint: 'Choose another backup name, or delete the old snapshot first.',
    ...(cause === undefined ? {} : { cause }),
  });
}

export async function removeSnapshot(context: SnapshotStoreContext, name: string): Promise<void> {
  const { client, signal } = context;
  try {
    // Deleting a running snapshot waits for it to abort, which a throttled one does slowly.
    // After a Ctrl-C there is little time (bin.ts exits 1 s after the signal): the deletion is
    // waited for 700 ms at most; past that Elasticsearch goes on with it on its own.
    const patience = signal?.aborted ? 700 : 600_000;
    await client.snapshot.delete({ repository: context.repository.name, snapshot: name }, { ignore: [404], requestTimeout: patience });
    await context.metadataIndex?.forget(name);
  } catch (error) {
    throw wrapElasticsearchError(error, `deleting snapshot ${name}`);
  }
}

async function followSnapshot(context: SnapshotStoreContext, name: string, progress?: ProgressReporter): Promise<RawSnapshot> {
  const { client, pollIntervalMs, signal } = context;
  const nextWait = pollWaits(pollIntervalMs);
  for (;;) {
    signal?.throwIfAborted();
    const raw = await getRawSnapshot(context, name);
    if (!raw) {
      throw new A4cAdminError('SNAPSHOT_FAILED', `Snapshot ${name} disappeared while it was being taken (deleted by someone else?).`, {
        hint: 'Make sure no other tool deletes snapshots in this repository, then retry.',
      });
    }
    if (raw.state !== 'IN_PROGRESS') return raw;
    try {
      const status = (await client.snapshot.status({ repository: context.repository.name, snapshot: name }, { ignore: [404] })) as {
        snapshots?: {
          shards_stats?: { done: number; total: number };
          stats?: { processed?: { size_in_bytes?: number }; total?: { size_in_bytes?: number } };
        }[];
      };
      const current = status.snapshots?.[0];
      if (current) {
        progress?.emit({
          phase: 'snapshot',
          kind: 'progress',
          item: name,
          done: current.shards_stats?.done,
          total: current.shards_stats?.total,
          bytes: current.stats?.processed?.size_in_bytes,
          totalBytes: current.stats?.total?.size_in_bytes,
        });
      }
    } catch {
      // The status is for progress only: a failed look is no reason to stop following.
    }
    await sleep(nextWait(), signal);
  }
}

/** Each requested name (index or alias) with the concrete indices it stands for now. */
async function resolveNames(context: SnapshotStoreContext, names: string[]): Promise<Record<string, string[]>> {
  const { client, signal, dialect } = context;
  const resolved: Record<string, string[]> = {};
  signal?.throwIfAborted();
  const found = await resolveIndexNames(client, names, dialect, 'resolving before the snapshot');
  for (const name of names) {
    resolved[name] = found[name]!.indices;
    if (resolved[name]!.length === 0) {
      throw new A4cAdminError('INDEX_NOT_FOUND', `Index ${name} does not exist: nothing to snapshot under that name.`, {
        hint: 'Check the index names and elasticsearch.index_prefix (GET /_cat/indices).',
        details: { index: name },
      });
    }
  }
  return resolved;
}

/**
 * Elasticsearch refuses snapshot metadata over 1024 bytes. Names that are their own index
 * need no entry, and when the alias map still does not fit it is left out: restore then
 * falls back on the snapshot's index list (A4C aliases point at `<name>-v<version>`).
 */
function snapshotMetadata(metadata: Record<string, unknown> | undefined, resolved: Record<string, string[]>): Record<string, unknown> {
  const aliases = Object.fromEntries(Object.entries(resolved).filter(([name, indices]) => !(indices.length === 1 && indices[0] === name)));
  const withAliases = { ...metadata, [RESOLVED_METADATA_KEY]: aliases };
  return Buffer.byteLength(JSON.stringify(withAliases)) < 1000 ? withAliases : { ...metadata };
}
