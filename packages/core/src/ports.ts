// The ports: the few interfaces through which the orchestration (backup, restore,
// migrate) reaches Elasticsearch. @a4c-admin/es-snapshot implements them; migrations and
// core's orchestration only ever call them, so neither holds an Elasticsearch client.
import type { A4cStorageLayout } from './a4c-model/index.js';
import type { IndexOwnershipFacts } from './index-ownership.js';
import type { ProgressReporter } from './progress.js';

/** One document as stored: its id, its mapping type on a multi-type server, its routing when it has one, and its source. */
export interface StoredDocument {
  id: string;
  /**
   * The mapping type, on servers whose indices hold several (Elasticsearch 1.x-5.x, where A4C
   * keeps e.g. indexednodetype and indexedcapabilitytype in one toscaelement index); absent on
   * one-type clusters. Written back as the document's `_type` there, ignored elsewhere.
   */
  type?: string;
  routing?: string;
  source: Record<string, unknown>;
}

/** What an index is made of, as given to `PUT /<index>`. */
export interface IndexDefinition {
  mappings: Record<string, unknown>;
  settings?: Record<string, unknown>;
  aliases?: Record<string, unknown>;
}

export interface ReadOptions {
  /** Documents a page (1-5000). */
  pageSize?: number;
  signal?: AbortSignal;
  progress?: ProgressReporter;
  /** On a multi-type server (Elasticsearch 1.x-5.x): only the documents of this mapping type. */
  type?: string;
  /**
   * The documents the caller counted in the index, which nothing writes to (write-blocked): when
   * one page holds them, a reader may fetch them in one request instead of paging.
   */
  count?: number;
}

/** Which documents of an index to count. */
export interface CountOptions {
  /** On a multi-type server (Elasticsearch 1.x-5.x): only the documents of this mapping type. */
  type?: string;
}

/** Reads every document of an index (or alias) as a stream of pages, with flat memory. */
export interface IndexReader {
  /** Documents in the index, or undefined when it does not exist. */
  count(index: string, options?: CountOptions): Promise<number | undefined>;
  definition(index: string): Promise<IndexDefinition>;
  read(index: string, options?: ReadOptions): AsyncIterable<StoredDocument[]>;
  /**
   * The counts of several indices (or aliases) in one request. A name the answer has no count
   * for (missing, its shards not started) is left out: ask `count` for it alone.
   */
  counts?(indices: string[]): Promise<Map<string, number>>;
  /** The definitions of several indices in one request, as `definition` gives each. */
  definitions?(indices: string[]): Promise<Map<string, IndexDefinition>>;
}

export interface WriteOptions {
  signal?: AbortSignal;
  progress?: ProgressReporter;
  /** Documents expected, for progress totals. */
  expected?: number;
  /**
   * A document the index's mappings reject (a 400 answer: a value its field's type cannot hold)
   * goes here and the write goes on; without it, the first rejection fails the write. Any other
   * refusal (blocks, a full disk) fails the write either way.
   */
  onRejected?: (rejected: RejectedDocument) => Promise<void>;
}

/** A document Elasticsearch refused to index, and why. */
export interface RejectedDocument {
  document: StoredDocument;
  /** Elasticsearch's error type and reason, e.g. `document_parsing_exception: failed to parse field [x] of type [long]`. */
  reason: string;
}

/**
 * Checks documents against mappings without writing anything anywhere (a dry run): which ones
 * the index that `definition` describes would reject.
 */
export interface MappingValidator {
  /** The documents `definition` would reject; undefined when the cluster cannot tell (too old). */
  validate(definition: IndexDefinition, documents: StoredDocument[]): Promise<RejectedDocument[] | undefined>;
}

/** Creates indices and bulk-loads documents into them, keeping `_id` and `_routing`. */
export interface IndexWriter {
  create(index: string, definition: IndexDefinition): Promise<void>;
  /** Loads every page; any rejected document fails the write. Returns the documents written. */
  write(index: string, pages: AsyncIterable<StoredDocument[]>, options?: WriteOptions): Promise<{ written: number }>;
  remove(index: string): Promise<void>;
  /**
   * Copies a write-blocked `source` into the new index `target` by linking its segment files
   * (same documents and mappings; the copy is writable, with `options.settings` such as its
   * replicas, which a clone does not inherit) and returns true; returns false, having done
   * nothing, where the server cannot (before Elasticsearch 7.4). `options.meta` is first set as
   * the source's mappings `_meta`, so that the copy is born with it (a clone's mappings are its
   * source's; the source keeps it). A writer without it cannot clone either: callers then copy
   * documents through `write`.
   */
  clone?(source: string, target: string, options?: { meta?: Record<string, unknown>; settings?: Record<string, unknown> }): Promise<boolean>;
  /** Blocks (or unblocks) writes, so that an index cannot change while it is copied. */
  setWriteBlock(index: string, blocked: boolean): Promise<void>;
  /**
   * Lifts every block that stops A4C from using an index (write, read_only,
   * read_only_allow_delete, read, metadata) and returns those that were set ([] when none).
   */
  liftBlocks(index: string): Promise<string[]>;
  /**
   * The batched forms, each one cluster-level request (or several requests at once) instead of
   * one an index: a migration's fixed cost is their number. Callers fall back to the one-index
   * methods where a writer lacks them.
   */
  /**
   * `liftBlocks` of every index: one settings read for all, and one update for the indices that
   * share a set of blocks (none in a usual restore). Returns the blocks lifted, by index, for
   * those that had any.
   */
  liftAllBlocks?(indices: string[]): Promise<Record<string, string[]>>;
  /** `setWriteBlock` of every index in one request. */
  setWriteBlocks?(indices: string[], blocked: boolean): Promise<void>;
  /** Deletes every index in one request; a missing one is no error. */
  removeAll?(indices: string[]): Promise<void>;
  /**
   * Creates every index, several at once, and returns once each one's primary shards have
   * started; `onStarted` hears of each index as soon as its own have (the others may still be
   * being created), so that writing into it can begin.
   */
  createAll?(indices: { index: string; definition: IndexDefinition }[], onStarted?: (index: string) => void): Promise<void>;
  /**
   * `clone` of every pair, several at once; returns once each copy answers searches. False,
   * having done nothing, where the server cannot clone.
   */
  cloneAll?(clones: { source: string; target: string; meta?: Record<string, unknown>; settings?: Record<string, unknown> }[]): Promise<boolean>;
}

/** One step of an atomic alias update. */
export type AliasAction = { add: { index: string; alias: string } } | { remove: { index: string; alias: string } } | { removeIndex: { index: string } };

/** An applied migration step, as the data-version marker records it. */
export interface AppliedStep {
  from: string;
  to: string;
  checksum: string;
  startedAt: string;
  endedAt: string;
  /** Documents per A4C index after the step. */
  counts: Record<string, number>;
}

/** The current A4C data version of a cluster and how it got there. */
export interface DataVersionMarker {
  version: string;
  history: AppliedStep[];
  updatedAt: string;
}

/** Where the data version lives and how the A4C names are pointed at concrete indices. */
export interface MigrationStateStore {
  readMarker(): Promise<DataVersionMarker | undefined>;
  writeMarker(marker: DataVersionMarker): Promise<void>;
  /**
   * Creates the marker's index when it does not exist, so that writeMarker is one document
   * write: a migration does it beside its index creations rather than after its alias swap.
   */
  prepareMarker?(): Promise<void>;
  /** For each name: the concrete indices it points at ([name] for a plain index, [] when absent). */
  resolve(names: string[]): Promise<Record<string, string[]>>;
  /**
   * Applies every action in one atomic request: all or nothing. Servers without `remove_index`
   * (before 7.x) delete the indices of `removeIndex` first, in a request of their own: dying
   * between the two leaves those names absent, which a migration's re-run repairs.
   */
  updateAliases(actions: AliasAction[]): Promise<void>;
  /** Concrete index names matching a wildcard pattern. */
  listIndices(pattern: string): Promise<string[]>;
  /**
   * For each existing index: the tool's ownership mark in its mappings and the name it was
   * created under, read in one request each (what isToolsVersionedIndex decides on).
   */
  ownership(indices: string[]): Promise<Record<string, IndexOwnershipFacts>>;
  /**
   * How the cluster stores A4C's documents, asked by the migrations in place: A4C's multi-type
   * ES 1.x indices, or one index per former type. Refuses (MIGRATION_PATH) a server on which
   * a migration in place cannot write A4C's indices.
   */
  storageLayout(): Promise<A4cStorageLayout>;
}

export type SnapshotState = 'IN_PROGRESS' | 'SUCCESS' | 'FAILED' | 'PARTIAL' | 'INCOMPATIBLE';

export interface SnapshotInfo {
  repository: string;
  name: string;
  uuid: string;
  state: SnapshotState;
  indices: string[];
  startTime?: string;
  endTime?: string;
  metadata?: Record<string, unknown>;
  shards: { total: number; successful: number; failed: number };
  /** Elasticsearch version that wrote the snapshot. */
  version?: string;
}

export interface RepositoryInfo {
  name: string;
  location: string;
  /** Names of the nodes that verified they can write to the repository. */
  verifiedNodes: string[];
}

export interface SnapshotRestoreRequest {
  name: string;
  indices: string[];
  /** Restore `pattern` matches under `replacement` instead of over the originals. */
  rename?: { pattern: string; replacement: string };
  /**
   * Which existing indices of the target names the restore may replace. `any` (the default): a
   * backup restored over the installation it was taken of. `earlier-restores`: only what an
   * earlier restore of this same snapshot left (a re-run after a kill); any other index of a
   * target name belongs to someone else and the restore is refused before anything is closed.
   */
  replace?: 'any' | 'earlier-restores';
}

/** Snapshots of named indices in one fs repository. */
export interface SnapshotStore {
  /** Registers the repository when needed and verifies it on every node. */
  ensureRepository(): Promise<RepositoryInfo>;
  create(request: { name: string; indices: string[]; metadata?: Record<string, unknown> }, progress?: ProgressReporter): Promise<SnapshotInfo>;
  get(name: string): Promise<SnapshotInfo | undefined>;
  list(): Promise<SnapshotInfo[]>;
  remove(name: string): Promise<void>;
  /** Closes or deletes only the indices being restored, restores them, waits for them, counts them. */
  restore(request: SnapshotRestoreRequest, progress?: ProgressReporter): Promise<{ counts: Record<string, number> }>;
  /** Names of the snapshots and restores running in the cluster now. */
  running(): Promise<string[]>;
}

export interface LockInfo {
  owner: string;
  operation: string;
  host: string;
  pid: number;
  startedAt: string;
  heartbeatAt: string;
}

export interface LockHandle {
  readonly info: LockInfo;
  release(): Promise<void>;
}

/** One operation at a time per scope (a backup folder, a cluster). */
export interface Lock {
  acquire(operation: string): Promise<LockHandle>;
  /** The current holder, when there is one (stale or not). */
  inspect(): Promise<(LockInfo & { stale: boolean }) | undefined>;
}

/** What a backup records about the cluster, and what preflight checks. */
export interface ClusterDescription {
  clusterName: string;
  clusterUuid: string;
  /** Elasticsearch version of the oldest node. */
  version: string;
  status: 'green' | 'yellow' | 'red';
  nodes: Array<{ name: string; version: string }>;
}

export interface ClusterInspector {
  describe(): Promise<ClusterDescription>;
}

/** One chunk file of an exported index: the one shape of a chunk, on both sides of the port. */
export interface ExportedChunk {
  /** File name, relative to the export folder. */
  file: string;
  documents: number;
  /** Size of the file on disk. */
  bytes: number;
  /** SHA-256 of the file on disk (hex). */
  sha256: string;
}

/** One index of a portable export, as an export manifest lists it. */
export interface ExportedIndex {
  index: string;
  documents: number;
  chunks: ExportedChunk[];
}

/** The portable backup format: indices as bulk-ready NDJSON chunks in a folder. */
export interface IndexExporter {
  exportIndices(indices: string[], folder: string, progress?: ProgressReporter): Promise<ExportedIndex[]>;
  /**
   * Verifies every chunk before loading anything, then recreates and loads the indices.
   * `beforeLoad` runs between the two (a restore removes the current indices there), so that a
   * damaged export is refused while the cluster is still untouched.
   */
  importIndices(folder: string, indices: string[], progress?: ProgressReporter, beforeLoad?: () => Promise<void>): Promise<Record<string, number>>;
}
