// The SnapshotStore port: snapshots of named indices in one fs repository, followed
// through the status API, and restores of chosen indices that touch nothing else.
import {
  A4cAdminError,
  isA4cAdminError,
  type ProgressReporter,
  type SnapshotInfo,
  type SnapshotRestoreRequest,
  type SnapshotState,
  type SnapshotStore,
} from '@a4c-admin/core';
import type { Client } from '@elastic/elasticsearch';
import { countDocuments } from './index-reader.js';
import { sleep } from './raw-request.js';
import { ensureRepository, type RepositoryConfig } from './snapshot-repository.js';
import { wrapElasticsearchError } from './wrap-elasticsearch-error.js';

export interface SnapshotStoreOptions {
  /** Milliseconds between two looks at a running snapshot or restore, 500 by default. */
  pollIntervalMs?: number;
  /** Longest wait for a restore to reach yellow, 1 hour by default. */
  restoreTimeoutMs?: number;
  /**
   * Stops the waits for a running snapshot or restore (Ctrl-C). Only the waits and the looks
   * they make: deleting a snapshot or putting a setting back must still work after an abort.
   */
  signal?: AbortSignal;
}

/** Where create() records which concrete indices each requested name (index or alias) stood for. */
const RESOLVED_METADATA_KEY = 'a4c_admin_resolved';

interface RawSnapshot {
  snapshot: string;
  uuid: string;
  state?: string;
  indices?: string[];
  start_time?: string;
  end_time?: string;
  metadata?: Record<string, unknown>;
  shards?: { total: number; successful: number; failed: number };
  failures?: { index?: string; shard_id?: number; reason?: string }[];
  version?: string;
  index_details?: Record<string, { shard_count: number }>;
}

function toInfo(repository: string, raw: RawSnapshot): SnapshotInfo {
  const info: SnapshotInfo = {
    repository,
    name: raw.snapshot,
    uuid: raw.uuid,
    state: (raw.state ?? 'IN_PROGRESS') as SnapshotState,
    indices: [...(raw.indices ?? [])].sort(),
    shards: raw.shards ?? { total: 0, successful: 0, failed: 0 },
  };
  if (raw.start_time) info.startTime = raw.start_time;
  if (raw.end_time) info.endTime = raw.end_time;
  if (raw.metadata) info.metadata = raw.metadata;
  if (raw.version) info.version = raw.version;
  return info;
}

export function createSnapshotStore(client: Client, repository: RepositoryConfig, options: SnapshotStoreOptions = {}): SnapshotStore {
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  const restoreTimeoutMs = options.restoreTimeoutMs ?? 3_600_000;
  const signal = options.signal;
  const repositoryName = repository.name;

  /**
   * The snapshot, or undefined when the repository does not hold it. A snapshot the repository
   * lists but whose files Elasticsearch cannot read (a truncated snap-*.dat, a folder gone or
   * unreadable) is NOT reported as gone: that would send the operator after a deleted
   * snapshot when the repository needs repair.
   */
  async function getRaw(name: string, indexDetails = false): Promise<RawSnapshot | undefined> {
    let answer: { snapshots?: RawSnapshot[]; error?: RawError };
    try {
      answer = (await client.snapshot.get({ repository: repositoryName, snapshot: name, index_details: indexDetails }, { ignore: [404] })) as typeof answer;
    } catch (error) {
      const body = (error as { meta?: { body?: { error?: RawError } } }).meta?.body;
      if (body?.error && isUnreadableSnapshot(body.error)) throw unreadableSnapshot(name, body.error, error);
      throw wrapElasticsearchError(error, `reading snapshot ${name}`);
    }
    if (answer.error && isUnreadableSnapshot(answer.error)) throw unreadableSnapshot(name, answer.error);
    return answer.snapshots?.[0];
  }

  function unreadableSnapshot(name: string, error: RawError, cause?: unknown): A4cAdminError {
    const why = [error.caused_by?.type, error.caused_by?.reason ?? error.reason].filter(Boolean).join(': ');
    return new A4cAdminError(
      'REPOSITORY_VERIFY_FAILED',
      `Elasticsearch cannot read snapshot ${name} of repository ${repositoryName} (${why}): the repository is damaged or unreadable; the snapshot was not deleted, and nothing was changed.`,
      {
        hint: `Check the repository folder ${repository.location} on every node: it must exist, be readable by the user running Elasticsearch, and hold its files whole (a truncated snap-*.dat or index-N damages it). Put its files back from a copy; other backups may be unaffected (\`a4c-admin list\`).`,
        details: { snapshot: name, repository: repositoryName, type: error.type, causedBy: error.caused_by?.type },
        ...(cause === undefined ? {} : { cause }),
      },
    );
  }

  async function running(): Promise<string[]> {
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

  async function refuseWhenBusy(what: string): Promise<void> {
    const busy = await running();
    if (busy.length > 0) {
      throw new A4cAdminError('SNAPSHOT_IN_PROGRESS', `Cannot ${what}: ${busy.join(', ')} is running.`, {
        hint: 'Wait for it to end (GET /_snapshot/_status, GET /_recovery?active_only=true), then retry.',
        details: { running: busy },
      });
    }
  }

  async function remove(name: string): Promise<void> {
    try {
      // Deleting a running snapshot waits for it to abort, which a throttled one does slowly.
      // After a Ctrl-C there is little time (bin.ts exits 1 s after the signal): the deletion is
      // waited for 700 ms at most; past that Elasticsearch goes on with it on its own.
      const patience = signal?.aborted ? 700 : 600_000;
      await client.snapshot.delete({ repository: repositoryName, snapshot: name }, { ignore: [404], requestTimeout: patience });
    } catch (error) {
      throw wrapElasticsearchError(error, `deleting snapshot ${name}`);
    }
  }

  async function followSnapshot(name: string, progress?: ProgressReporter): Promise<RawSnapshot> {
    for (;;) {
      signal?.throwIfAborted();
      const raw = await getRaw(name);
      if (!raw) {
        throw new A4cAdminError('SNAPSHOT_FAILED', `Snapshot ${name} disappeared while it was being taken (deleted by someone else?).`, {
          hint: 'Make sure no other tool deletes snapshots in this repository, then retry.',
        });
      }
      if (raw.state !== 'IN_PROGRESS') return raw;
      try {
        const status = (await client.snapshot.status({ repository: repositoryName, snapshot: name }, { ignore: [404] })) as {
          snapshots?: { shards_stats?: { done: number; total: number }; stats?: { processed?: { size_in_bytes?: number }; total?: { size_in_bytes?: number } } }[];
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
      await sleep(pollIntervalMs, signal);
    }
  }

  /** Each requested name (index or alias) with the concrete indices it stands for now. */
  async function resolveNames(names: string[]): Promise<Record<string, string[]>> {
    const resolved: Record<string, string[]> = {};
    for (const name of names) {
      // One request per name, dozens of them: a cancel must not wait for them all.
      signal?.throwIfAborted();
      try {
        const answer = await client.indices.resolveIndex({ name, expand_wildcards: ['open', 'closed'] });
        const alias = answer.aliases?.find((entry) => entry.name === name);
        resolved[name] = alias ? [...alias.indices].sort() : (answer.indices ?? []).map((entry) => entry.name).sort();
      } catch (error) {
        throw wrapElasticsearchError(error, `resolving ${name} before the snapshot`);
      }
      if (resolved[name]!.length === 0) {
        throw new A4cAdminError('INDEX_NOT_FOUND', `Index ${name} does not exist: nothing to snapshot under that name.`, {
          hint: 'Check the index names and elasticsearch.index_prefix (GET /_cat/indices).',
          details: { index: name },
        });
      }
    }
    return resolved;
  }

  return {
    ensureRepository: () => ensureRepository(client, repository),
    running,
    remove,

    async get(name) {
      const raw = await getRaw(name);
      return raw ? toInfo(repositoryName, raw) : undefined;
    },

    async list() {
      try {
        const answer = (await client.snapshot.get({ repository: repositoryName, snapshot: '_all', sort: 'start_time' }, { ignore: [404] })) as {
          snapshots?: RawSnapshot[];
          error?: RawError;
        };
        // A 404 that is not "no such repository" is a snapshot the repository lists but cannot read:
        // never an empty list, which would make every backup look deleted.
        if (answer.error && answer.error.type !== 'repository_missing_exception') {
          throw new A4cAdminError('REPOSITORY_VERIFY_FAILED', `Elasticsearch cannot list the snapshots of ${repositoryName}: ${answer.error.reason ?? answer.error.type}.`, {
            hint: `Check the repository folder ${repository.location} on every node.`,
          });
        }
        return (answer.snapshots ?? []).map((raw) => toInfo(repositoryName, raw));
      } catch (error) {
        throw wrapElasticsearchError(error, `listing the snapshots of ${repositoryName}`);
      }
    },

    async create(request, progress) {
      if (request.indices.length === 0) {
        // An empty list would mean "every index" to Elasticsearch: never what the tool wants.
        throw new A4cAdminError('USAGE', `Snapshot ${request.name} names no index.`, { hint: 'Give the A4C indices to snapshot.' });
      }
      await refuseWhenBusy(`start snapshot ${request.name}`);
      const resolved = await resolveNames(request.indices);
      const concrete = [...new Set(Object.values(resolved).flat())].sort();
      progress?.emit({ phase: 'snapshot', kind: 'start', item: request.name, total: concrete.length });
      signal?.throwIfAborted();
      try {
        await client.snapshot.create({
          repository: repositoryName,
          snapshot: request.name,
          wait_for_completion: false,
          indices: concrete,
          include_global_state: false,
          ignore_unavailable: false,
          partial: false,
          metadata: snapshotMetadata(request.metadata, resolved),
        });
      } catch (error) {
        const wrapped = wrapElasticsearchError(error, `starting snapshot ${request.name}`);
        if (wrapped.details?.type === 'invalid_snapshot_name_exception' && /already exists/.test(wrapped.message)) {
          throw new A4cAdminError('BACKUP_EXISTS', `Snapshot ${request.name} already exists in repository ${repositoryName}.`, {
            hint: 'Choose another backup name, or delete the old snapshot first.',
            cause: error,
          });
        }
        if (wrapped.details?.type === 'concurrent_snapshot_execution_exception') {
          throw new A4cAdminError('SNAPSHOT_IN_PROGRESS', `Snapshot ${request.name} cannot start: ${wrapped.message}`, { hint: 'Wait for the running snapshot or restore to end.', cause: error });
        }
        throw wrapped;
      }
      const raw = await followSnapshot(request.name, progress);
      if (raw.state !== 'SUCCESS') {
        const reasons = (raw.failures ?? []).slice(0, 3).map((failure) => `${failure.index}[${failure.shard_id}]: ${failure.reason}`);
        // A half-taken snapshot under the backup's name would look like a backup: it goes.
        await remove(request.name).catch(() => undefined);
        throw new A4cAdminError('SNAPSHOT_FAILED', `Snapshot ${request.name} ended ${raw.state}: ${raw.shards?.failed ?? '?'} shard(s) failed${reasons.length ? ` (${reasons.join('; ')})` : ''}. It was deleted.`, {
          hint: 'Check the health of the indices (GET /_cluster/health?level=indices) and the disk space of the repository, then retry.',
          details: { state: raw.state, failures: raw.failures?.slice(0, 10) },
        });
      }
      const info = toInfo(repositoryName, raw);
      progress?.emit({ phase: 'snapshot', kind: 'end', item: request.name, done: info.shards.successful, total: info.shards.total });
      return info;
    },

    async restore(request: SnapshotRestoreRequest, progress) {
      const raw = await getRaw(request.name, true);
      if (!raw) {
        throw new A4cAdminError('SNAPSHOT_NOT_FOUND', `Snapshot ${request.name} is not in repository ${repositoryName}.`, {
          hint: 'List the snapshots (a4c-admin list) and check the repository location.',
        });
      }
      if (raw.state !== 'SUCCESS') {
        throw new A4cAdminError('BACKUP_INVALID', `Snapshot ${request.name} is ${raw.state}: only a complete snapshot is restored.`, {
          hint: 'Restore another backup.',
        });
      }
      const sources = restoreSources(raw, request.indices);
      const targets = new Map(sources.map((source) => [source, renamed(source, request.rename)]));
      await refuseWhenBusy(`restore snapshot ${request.name}`);

      // Existing targets are closed, not deleted: Elasticsearch restores over a closed index,
      // and if it refuses the restore the old data is still there and is opened again.
      // Only an index whose shard count differs from the snapshot's must be deleted.
      const closed: string[] = [];
      for (const [source, target] of targets) {
        const found = await client.indices.resolveIndex({ name: target, expand_wildcards: ['open', 'closed'] }, { ignore: [404] }).catch((error: unknown) => {
          throw wrapElasticsearchError(error, `looking at ${target} before the restore`);
        });
        if (found.aliases?.some((alias) => alias.name === target)) {
          throw new A4cAdminError('PRECONDITION_FAILED', `${target} is an alias in the cluster; the snapshot holds an index of that name.`, {
            hint: `Remove the alias (POST /_aliases remove) or restore under another name with a rename, then retry.`,
            details: { alias: target },
          });
        }
        if (!found.indices?.some((index) => index.name === target)) continue;
        const settings = (await client.indices.getSettings({ index: target, name: 'index.number_of_shards' })) as Record<string, { settings?: { index?: { number_of_shards?: string } } }>;
        const shards = Number(settings[target]?.settings?.index?.number_of_shards);
        try {
          if (shards !== raw.index_details?.[source]?.shard_count) await client.indices.delete({ index: target });
          else {
            await client.indices.close({ index: target, wait_for_active_shards: 0 as never });
            closed.push(target);
          }
        } catch (error) {
          throw wrapElasticsearchError(error, `making room for ${target} before the restore`);
        }
      }

      progress?.emit({ phase: 'restore', kind: 'start', item: request.name, total: sources.length });
      const previousRecovery = await raiseRecoveryThrottle(client, repository.max_restore_bytes_per_sec);
      try {
        try {
          await client.snapshot.restore({
            repository: repositoryName,
            snapshot: request.name,
            wait_for_completion: false,
            indices: sources,
            include_global_state: false,
            // Aliases come back with their indices, unless the copy goes under other names.
            include_aliases: !request.rename,
            ...(request.rename ? { rename_pattern: request.rename.pattern, rename_replacement: request.rename.replacement } : {}),
          });
        } catch (error) {
          if (closed.length > 0) await client.indices.open({ index: closed }).catch(() => undefined);
          throw wrapElasticsearchError(error, `starting the restore of ${request.name}`);
        }
        await waitForRestore(client, [...targets.values()], restoreTimeoutMs, pollIntervalMs, progress, request.name, signal);
      } finally {
        await putRecoveryThrottle(client, previousRecovery);
      }

      const counts: Record<string, number> = {};
      for (const target of targets.values()) counts[target] = (await countDocuments(client, target)) ?? 0;
      progress?.emit({ phase: 'restore', kind: 'end', item: request.name, done: sources.length, total: sources.length });
      return { counts };
    },
  };
}

/** The snapshot's concrete indices for the requested names: index names, or names given at creation (aliases). */
function restoreSources(raw: RawSnapshot, requested: string[]): string[] {
  const inSnapshot = new Set(raw.indices ?? []);
  const resolved = (raw.metadata?.[RESOLVED_METADATA_KEY] ?? {}) as Record<string, string[]>;
  const sources = new Set<string>();
  for (const name of requested) {
    if (inSnapshot.has(name)) sources.add(name);
    else if (resolved[name]?.every((index) => inSnapshot.has(index))) for (const index of resolved[name]!) sources.add(index);
    else {
      throw new A4cAdminError('INDEX_NOT_FOUND', `Snapshot ${raw.snapshot} holds no index ${name}.`, {
        hint: `It holds: ${[...inSnapshot].sort().join(', ') || 'nothing'}.`,
        details: { index: name, indices: [...inSnapshot] },
      });
    }
  }
  if (sources.size === 0) throw new A4cAdminError('USAGE', 'The restore names no index.', { hint: 'Give the indices to restore.' });
  return [...sources].sort();
}

/** The name an index gets once restored: Elasticsearch's rename applied the same way (Java's replaceAll, $1 groups). */
function renamed(index: string, rename: SnapshotRestoreRequest['rename']): string {
  return rename ? index.replace(new RegExp(rename.pattern, 'g'), rename.replacement) : index;
}

interface RecoverySetting {
  persistent: unknown;
  transient: unknown;
}

async function raiseRecoveryThrottle(client: Client, value: string): Promise<RecoverySetting> {
  try {
    const answer = (await client.cluster.getSettings({ flat_settings: true })) as { persistent?: Record<string, unknown>; transient?: Record<string, unknown> };
    const key = 'indices.recovery.max_bytes_per_sec';
    const previous = { persistent: answer.persistent?.[key] ?? null, transient: answer.transient?.[key] ?? null };
    // Persistent, not transient (deprecated in 8.x); the finally of restore() puts the old value back.
    await client.cluster.putSettings({ persistent: { [key]: value } });
    return previous;
  } catch (error) {
    throw wrapElasticsearchError(error, 'raising the recovery throttle for the restore');
  }
}

async function putRecoveryThrottle(client: Client, previous: RecoverySetting): Promise<void> {
  // Best effort: failing to put a throttle back must not turn a good restore into a failure.
  await client.cluster.putSettings({ persistent: { 'indices.recovery.max_bytes_per_sec': previous.persistent as never } }).catch(() => undefined);
}

async function waitForRestore(
  client: Client,
  indices: string[],
  timeoutMs: number,
  pollIntervalMs: number,
  progress: ProgressReporter | undefined,
  name: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Stopping the wait does not stop Elasticsearch's restore: the caller says so.
    signal?.throwIfAborted();
    try {
      // "yellow" alone is not enough: a freshly restored index whose primaries are not
      // assigned yet already counts as yellow. Every primary must be active.
      const health = await client.cluster.health({ index: indices, wait_for_status: 'yellow', timeout: '2s', level: 'indices' }, { signal });
      const ready = indices.every((index) => {
        const state = health.indices?.[index];
        return state !== undefined && state.active_primary_shards === state.number_of_shards && state.status !== 'red';
      });
      if (ready) return;
      const recovery = (await client.indices.recovery({ index: indices, active_only: false })) as Record<
        string,
        { shards?: { stage?: string; index?: { size?: { recovered_in_bytes?: number; total_in_bytes?: number } } }[] }
      >;
      let bytes = 0;
      let totalBytes = 0;
      let done = 0;
      let total = 0;
      for (const index of Object.values(recovery)) {
        for (const shard of index.shards ?? []) {
          total++;
          if (shard.stage === 'DONE') done++;
          bytes += shard.index?.size?.recovered_in_bytes ?? 0;
          totalBytes += shard.index?.size?.total_in_bytes ?? 0;
        }
      }
      progress?.emit({ phase: 'restore', kind: 'progress', item: name, done, total, bytes, totalBytes });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw isA4cAdminError(error) ? error : wrapElasticsearchError(error, `waiting for the restore of ${name}`);
    }
    if (Date.now() > deadline) {
      throw new A4cAdminError('SNAPSHOT_FAILED', `The restore of ${name} did not reach yellow within ${Math.round(timeoutMs / 1000)} s.`, {
        hint: 'Look at GET /_cluster/allocation/explain and GET /_recovery?active_only=true for the shards that do not start.',
        details: { indices },
      });
    }
    await sleep(pollIntervalMs, signal);
  }
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

interface RawError {
  type?: string;
  reason?: string;
  caused_by?: { type?: string; reason?: string };
}

/**
 * A snapshot that is gone answers a bare snapshot_missing_exception. The same exception with a
 * cause (its file is missing), or a snapshot_exception (corrupt or unreadable file), means the
 * repository still lists it but cannot read it.
 */
function isUnreadableSnapshot(error: RawError): boolean {
  if (error.type === 'snapshot_missing_exception') return error.caused_by !== undefined;
  return error.type === 'snapshot_exception' || error.type === 'repository_exception' || error.type === 'corrupt_state_exception';
}
