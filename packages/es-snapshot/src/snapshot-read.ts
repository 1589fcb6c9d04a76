// Reading snapshots: one by name (telling a gone snapshot from one Elasticsearch cannot read)
// and the repository's list; the state the SnapshotStore's parts share.
import { A4cAdminError, type SnapshotInfo, type SnapshotState } from '@a4c-admin/core';
import type { Client } from '@elastic/elasticsearch';
import { type ServerDialect, snapshotIdentity } from './dialect/server-dialect.js';
import type { SnapshotMetadataIndex } from './snapshot-metadata-index.js';
import type { RepositoryConfig } from './snapshot-repository.js';
import { legacyErrorType, wrapElasticsearchError } from './wrap-elasticsearch-error.js';

/** What createSnapshotStore() hands its parts: the client, the repository and the options resolved. */
export interface SnapshotStoreContext {
  client: Client;
  repository: RepositoryConfig;
  pollIntervalMs: number;
  restoreTimeoutMs: number;
  signal: AbortSignal | undefined;
  dialect: ServerDialect;
  /** Where snapshot metadata lives on servers that cannot keep it in the snapshot (before 7.3). */
  metadataIndex: SnapshotMetadataIndex | undefined;
}

/** Where create() records which concrete indices each requested name (index or alias) stood for. */
export const RESOLVED_METADATA_KEY = 'a4c_admin_resolved';

export interface RawSnapshot {
  snapshot: string;
  /** Absent before 5.0: toInfo then names the snapshot by its name and start time. */
  uuid?: string;
  state?: string;
  indices?: string[];
  start_time?: string;
  start_time_in_millis?: number;
  end_time?: string;
  metadata?: Record<string, unknown>;
  shards?: { total: number; successful: number; failed: number };
  failures?: { index?: string; shard_id?: number; reason?: string }[];
  version?: string;
  index_details?: Record<string, { shard_count: number }>;
}

export interface RawError {
  type?: string;
  reason?: string;
  caused_by?: { type?: string; reason?: string };
}

export function toInfo(repository: string, raw: RawSnapshot): SnapshotInfo {
  const info: SnapshotInfo = {
    repository,
    name: raw.snapshot,
    uuid: snapshotIdentity(raw),
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

/**
 * The snapshot, or undefined when the repository does not hold it. A snapshot the repository
 * lists but whose files Elasticsearch cannot read (a truncated snap-*.dat, a folder gone or
 * unreadable) is NOT reported as gone: that would send the operator after a deleted
 * snapshot when the repository needs repair.
 */
export async function getRawSnapshot(context: SnapshotStoreContext, name: string, indexDetails = false): Promise<RawSnapshot | undefined> {
  const { client, repository, dialect } = context;
  let answer: { snapshots?: RawSnapshot[]; error?: RawError | string };
  // Before 5.0 unknown parameters are ignored, from 5.0 refused: index_details only where it exists.
  const details = indexDetails && dialect.snapshotIndexDetails ? { index_details: true } : {};
  try {
    answer = (await client.snapshot.get({ repository: repository.name, snapshot: name, ...details }, { ignore: [404] })) as typeof answer;
  } catch (error) {
    const body = (error as { meta?: { body?: { error?: RawError | string } } }).meta?.body;
    const raw = rawError(body?.error);
    if (raw && isUnreadableSnapshot(raw, dialect)) throw unreadableSnapshot(context, name, raw, error);
    throw wrapElasticsearchError(error, `reading snapshot ${name}`);
  }
  const raw = rawError(answer.error);
  if (raw && isUnreadableSnapshot(raw, dialect)) throw unreadableSnapshot(context, name, raw);
  const snapshot = answer.snapshots?.[0];
  return snapshot && context.metadataIndex ? (await context.metadataIndex.attach([snapshot]))[0] : snapshot;
}

/** An error of an answer body in one shape: 1.x gives a string, later versions an object. */
function rawError(error: RawError | string | undefined): RawError | undefined {
  if (typeof error !== 'string') return error;
  return { type: legacyErrorType(error), reason: error };
}

function unreadableSnapshot(context: SnapshotStoreContext, name: string, error: RawError, cause?: unknown): A4cAdminError {
  const { repository } = context;
  const repositoryName = repository.name;
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

export async function listSnapshots(context: SnapshotStoreContext): Promise<SnapshotInfo[]> {
  const { client, repository, dialect } = context;
  const repositoryName = repository.name;
  try {
    const sorted = dialect.major >= 8 ? { sort: 'start_time' as const } : {};
    const got = (await client.snapshot.get({ repository: repositoryName, snapshot: '_all', ...sorted }, { ignore: [404] })) as {
      snapshots?: RawSnapshot[];
      error?: RawError | string;
    };
    const answer = { ...got, error: rawError(got.error) };
    if (!sorted.sort && answer.snapshots)
      answer.snapshots = [...answer.snapshots].sort((a, b) => (a.start_time_in_millis ?? 0) - (b.start_time_in_millis ?? 0));
    if (answer.snapshots && context.metadataIndex) answer.snapshots = await context.metadataIndex.attach(answer.snapshots);
    // A 404 that is not "no such repository" is a snapshot the repository lists but cannot read:
    // never an empty list, which would make every backup look deleted.
    if (answer.error && answer.error.type !== 'repository_missing_exception') {
      throw new A4cAdminError(
        'REPOSITORY_VERIFY_FAILED',
        `Elasticsearch cannot list the snapshots of ${repositoryName}: ${answer.error.reason ?? answer.error.type}.`,
        {
          hint: `Check the repository folder ${repository.location} on every node.`,
        },
      );
    }
    return (answer.snapshots ?? []).map((raw) => toInfo(repositoryName, raw));
  } catch (error) {
    throw wrapElasticsearchError(error, `listing the snapshots of ${repositoryName}`);
  }
}

/**
 * A snapshot that is gone answers a bare snapshot_missing_exception. The same exception with a
 * cause (its file is missing), or a snapshot_exception (corrupt or unreadable file), means the
 * repository still lists it but cannot read it.
 */
function isUnreadableSnapshot(error: RawError, dialect: ServerDialect): boolean {
  if (error.type === 'snapshot_missing_exception') return error.caused_by !== undefined && !dialect.unknownSnapshotReadsItsFile;
  return error.type === 'snapshot_exception' || error.type === 'repository_exception' || error.type === 'corrupt_state_exception';
}
