// Restoring chosen indices of a snapshot (optionally renamed) without touching any other
// index: existing targets closed (or deleted when their shard count differs), the recovery
// throttle raised for the restore and put back, every primary waited for, documents counted.
import { A4cAdminError, isA4cAdminError, type SnapshotRestoreRequest } from '@a4c-admin/core';
import type { ProgressReporter } from '@a4c-admin/core/internal';
import type { Client } from '@elastic/elasticsearch';
import { countDocuments } from './index-reader.js';
import { resolveNames } from './index-resolution.js';
import { pollWaits } from './poll-waits.js';
import { sleep } from './raw-request.js';
import { getRawSnapshot, type RawSnapshot, RESOLVED_METADATA_KEY, type SnapshotStoreContext } from './snapshot-read.js';
import { refuseWhenBusy } from './snapshot-running.js';
import { wrapElasticsearchError } from './wrap-elasticsearch-error.js';

export async function restoreSnapshot(
  context: SnapshotStoreContext,
  request: SnapshotRestoreRequest,
  progress?: ProgressReporter,
): Promise<{ counts: Record<string, number> }> {
  const { client } = context;
  const repositoryName = context.repository.name;
  const raw = await getRawSnapshot(context, request.name, true);
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
  await refuseWhenBusy(context, `restore snapshot ${request.name}`);
  const closed = await makeRoomForRestore(context, raw, targets, request.replace);

  progress?.emit({ phase: 'restore', kind: 'start', item: request.name, total: sources.length });
  await runRestore(context, request, sources, [...targets.values()], closed, progress);

  const counts: Record<string, number> = {};
  for (const target of targets.values()) counts[target] = (await countDocuments(client, target)) ?? 0;
  progress?.emit({ phase: 'restore', kind: 'end', item: request.name, done: sources.length, total: sources.length });
  return { counts };
}

/**
 * Existing targets are closed, not deleted: Elasticsearch restores over a closed index,
 * and if it refuses the restore the old data is still there and is opened again.
 * Only an index whose shard count differs from the snapshot's must be deleted.
 * Every target is looked at before the first is closed: a refused restore changes nothing.
 * Returns the indices it closed.
 */
async function makeRoomForRestore(
  context: SnapshotStoreContext,
  raw: RawSnapshot,
  targets: Map<string, string>,
  replace: SnapshotRestoreRequest['replace'],
): Promise<string[]> {
  const { client, dialect } = context;
  const resolved = await resolveNames(client, [...targets.values()], dialect, 'looking before the restore at');
  const existing = new Map<string, string>();
  for (const [source, target] of targets) {
    const found = resolved[target]!;
    if (found.alias) {
      throw new A4cAdminError('PRECONDITION_FAILED', `${target} is an alias in the cluster; the snapshot holds an index of that name.`, {
        hint: `Remove the alias (POST /_aliases remove) or restore under another name with a rename, then retry.`,
        details: { alias: target },
      });
    }
    if (found.indices.includes(target)) existing.set(source, target);
  }
  if (existing.size === 0) return [];
  const settings = await readTargetSettings(client, [...existing.values()]);
  if (replace === 'earlier-restores') {
    const foreign = [...existing].filter(([source, target]) => !isEarlierRestore(settings[target], source, raw)).map(([, target]) => target);
    if (foreign.length > 0) {
      throw new A4cAdminError(
        'PRECONDITION_FAILED',
        `Restoring snapshot ${raw.snapshot} would replace ${foreign.join(', ')}, which no earlier restore of that snapshot made; nothing was changed.`,
        {
          hint: 'Those indices have the names this restore gives its own. If they are yours, rename them (or move their documents) first; if they are leftovers, check them and delete them yourself, then run the command again.',
          details: { indices: foreign },
        },
      );
    }
  }
  const closed: string[] = [];
  for (const [source, target] of existing) {
    try {
      if (Number(settings[target]?.number_of_shards) !== raw.index_details?.[source]?.shard_count) await client.indices.delete({ index: target });
      else {
        await client.indices.close({ index: target, wait_for_active_shards: 0 as never });
        closed.push(target);
      }
    } catch (error) {
      throw wrapElasticsearchError(error, `making room for ${target} before the restore`);
    }
  }
  return closed;
}

interface TargetSettings {
  number_of_shards?: string;
  provided_name?: string;
  creation_date?: string;
}

/** The settings that decide how (and whether) an existing target is replaced, for all targets in one request. */
async function readTargetSettings(client: Client, indices: string[]): Promise<Record<string, TargetSettings | undefined>> {
  try {
    const answer = (await client.indices.getSettings({
      index: indices,
      name: ['index.number_of_shards', 'index.provided_name', 'index.creation_date'],
    })) as Record<string, { settings?: { index?: TargetSettings } }>;
    return Object.fromEntries(indices.map((index) => [index, answer[index]?.settings?.index]));
  } catch (error) {
    throw wrapElasticsearchError(error, 'looking before the restore at the indices it would replace');
  }
}

/**
 * Whether an index is what a restore of the snapshot's `source` made: a restore keeps the
 * source's settings, so its provided name is the source's name (an index created under the
 * target name carries that name instead), and it was created before the snapshot was taken.
 * Servers without `provided_name` (before 5.0) cannot tell: refused.
 */
function isEarlierRestore(settings: TargetSettings | undefined, source: string, raw: RawSnapshot): boolean {
  if (settings?.provided_name !== source) return false;
  const created = Number(settings.creation_date);
  return raw.start_time_in_millis === undefined || (Number.isFinite(created) && created <= raw.start_time_in_millis);
}

/** Starts the restore with the recovery throttle raised, and waits for it; the throttle is put back whatever happens. */
async function runRestore(
  context: SnapshotStoreContext,
  request: SnapshotRestoreRequest,
  sources: string[],
  targets: string[],
  closed: string[],
  progress: ProgressReporter | undefined,
): Promise<void> {
  const { client, repository, dialect } = context;
  // Before 5.0 a setting cannot be put back to "unset": the throttle is left as it is there.
  const previousRecovery = dialect.nullResetsSetting ? await raiseRecoveryThrottle(client, repository.max_restore_bytes_per_sec) : undefined;
  try {
    try {
      await client.snapshot.restore({
        repository: repository.name,
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
    await waitForRestore(client, targets, context.restoreTimeoutMs, context.pollIntervalMs, progress, request.name, context.signal);
  } finally {
    if (previousRecovery) await putRecoveryThrottle(client, previousRecovery);
  }
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
  const nextWait = pollWaits(pollIntervalMs);
  for (;;) {
    // Stopping the wait does not stop Elasticsearch's restore: the caller says so.
    signal?.throwIfAborted();
    try {
      // "yellow" alone is not enough: a freshly restored index whose primaries are not
      // assigned yet already counts as yellow. Every primary must be active.
      // A wait that times out is an answer, not an error: 8.x says `timed_out: true` with 200, 1.x and
      // 2.x say it with 408 (seen on 2.4.6 when a restore took longer than the 2 s of one wait).
      const health = await client.cluster.health({ index: indices, wait_for_status: 'yellow', timeout: '2s', level: 'indices' }, { signal, ignore: [408] });
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
    await sleep(nextWait(), signal);
  }
}
