// Runs a migration on a cluster, only through the ports: adopt plain 1.1.0 indices under
// aliases, build each index of the next version beside the old one, swap every alias at once,
// record the data-version marker. "Index" below is a storage index of the cluster's layout
// (storage-step.ts): an A4C name on 7.x and later, one of A4C's multi-type ES 1.x indices
// (toscaelement, ...) on Elasticsearch 1.x, where each type is copied through its rules (the
// state store refuses 2.x-6.x, whose mapping forms the tool does not write).
//
// What is on the cluster at every instant, should the process die there (A4C is stopped):
//  1. Before anything: the pre-migration backup exists (or the operator named one).
//  2. Adoption (a 1.1.0 installation whose A4C names are plain indices): each plain index is
//     write-blocked, then copied to `<name>-v1.1.0` and counted: an index of up to 1000
//     documents (and every index before 7.4) into a copy created with the ownership mark in its
//     mappings `_meta`, document by document; a larger one from 7.4 by `_clone` (segment files
//     linked; the mark is set on the plain index's mappings first, so the clone is born marked).
//     Dying here leaves the plain indices serving, with every document, only write-blocked; half
//     copies (ours by their mark) are deleted and remade by a re-run (rollbackMigration also
//     lifts the blocks). Then ONE alias update
//     removes the plain indices and adds the aliases `<name>` -> `<name>-v1.1.0`: all or nothing.
//     From here the 1.1.0 view is served by the copies, which were counted before the swap.
//     Before 7.x Elasticsearch has no `remove_index`: the plain indices are deleted first, then
//     the aliases added. Dying in between leaves names absent beside their counted copies; a
//     re-run adds the missing aliases (finishInterruptedAdoption) before anything else.
//     With a usable snapshot repository (options.snapshots) on 7.x+ and every source a plain
//     index, there is no copy: the plain indices are write-blocked and kept in ONE rollback
//     snapshot (rollback-snapshot.ts), the targets are read from them, and the swap of step 4
//     removes them (`remove_index`) while it adds the aliases. Dying before the swap leaves them
//     serving (a re-run deletes the snapshot and takes it again); after it, the snapshot holds
//     them for rollbackMigration, which restores it under the `-v<from>` names.
//  3. Build: every source index is write-blocked and counted, every `<name>-v1.2.0` is created
//     empty with the 1.2.0 mappings (while a copy-based adoption of step 2 runs: nothing serves
//     them; else each source is read, transformed and written into its target as soon as that
//     target's primary has started, while the others are still being created), and counted. Dying here leaves the
//     aliases (or the plain indices) on the untouched 1.1.0 indices; a re-run deletes the
//     half-built 1.2.0 indices and builds them again. The marker still says 1.1.0 (or is absent).
//  Metadata requests go for all indices at once (one write block, one delete, creations side by
//  side): each is a cluster-state update, and their number was most of a small migration's time.
//  4. Swap: ONE alias update moves every A4C name to its 1.2.0 index (and adds the new ones).
//     Before it: the 1.1.0 view; after it: the 1.2.0 view. Never a mix.
//  5. Marker: written last. Dying between 4 and 5 leaves 1.2.0 served with a stale marker; a
//     re-run sees the aliases already at 1.2.0 and only writes the marker.
// The old indices stay (write-blocked) until finalizeMigration deletes them, so that
// rollbackMigration can swap the aliases back.
import {
  A4cAdminError,
  type AliasAction,
  type AppliedStep,
  a4cIndexName,
  baseIndexName,
  type DataVersionMarker,
  type IndexDefinition,
  type IndexReader,
  type IndexWriter,
  LATEST_DATA_VERSION,
  type Lock,
  type LockHandle,
  type MigrationStateStore,
  type ProgressListener,
  type SnapshotStore,
  versionedIndexName,
} from '@a4c-admin/core';
import {
  allowConcurrentListeners,
  createProgressReporter,
  createTaskPool,
  hasOwnershipMark,
  holdTightHeapGrowth,
  mapConcurrently,
  ownershipMarkOf,
  type ProgressReporter,
} from '@a4c-admin/core/internal';
import { cloneIndices, countIndices, createIndices, existingIndices, readDefinitions, removeIndices, setWriteBlocks } from './batched-ports.js';
import { type CopiedDocuments, copyTransformedDocuments, emptyPages } from './copy-transformed-documents.js';
import { currentDataVersion, markerAfterStep } from './data-version.js';
import { indexStarts } from './index-starts.js';
import { inspectNames, type NameLayout, sourceNames, stepPhase } from './migration-layout.js';
import { planMigration } from './registry.js';
import { foreignSnapshotError, isRollbackSnapshotOf, rollbackSnapshotName, takeRollbackSnapshot, usableSnapshots } from './rollback-snapshot.js';
import type { MigrationStep, StepFacts } from './step.js';
import { stepChecksum } from './step-checksum.js';
import { type StorageStep, storageStep } from './storage-step.js';
import type { RuleCounts } from './transform-document.js';

export interface RunMigrationOptions {
  /** The version the data is at; required when the cluster has no data-version marker. */
  from?: string;
  /** The target data version: the newest one this tool knows unless given. */
  to?: string;
  reader: IndexReader;
  writer: IndexWriter;
  state: MigrationStateStore;
  /** Prefix of the A4C index names (elasticsearch.index_prefix). */
  indexPrefix?: string;
  lock?: Lock;
  /** Makes the pre-migration backup and returns its name. */
  backup?: () => Promise<string>;
  /** Name of an existing backup taken by the operator, instead of making one. */
  skipBackup?: string;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
  /**
   * Set documents aside into `<folder>/quarantine-<index>.ndjson` and go on: those no rule can
   * transform, and those the target mappings reject (recorded as transformed, rule `target-mapping`).
   */
  quarantine?: { folder: string };
  /** Documents a page when reading. */
  pageSize?: number;
  /** Indices copied at the same time (4 by default). */
  concurrency?: number;
  /**
   * The configured fs repository. When given, the plain indices of a 1.1.0 installation (none
   * yet behind an alias) are kept for the rollback in one snapshot there (rollback-snapshot.ts)
   * instead of being copied to `<name>-v<from>`; without it they are copied.
   */
  snapshots?: SnapshotStore;
}

export interface IndexMigrationResult {
  /**
   * The concrete index read (undefined for an index new in the target version or absent in the
   * source). On a multi-type cluster, an ES 1.x index and the sums over its types.
   */
  source: string | undefined;
  target: string;
  read: number;
  written: number;
  quarantined: number;
}

export interface StepResult {
  from: string;
  to: string;
  checksum: string;
  indices: Record<string, IndexMigrationResult>;
  /** Changes per rule over the whole step. */
  rules: RuleCounts;
  /** Plain indices adopted under aliases before the step. */
  adopted: string[];
  /** True when the aliases were already swapped by an earlier run and only the marker was written. */
  resumedAfterSwap: boolean;
}

export interface MigrationResult {
  status: 'migrated' | 'up-to-date';
  from: string;
  to: string;
  /** The pre-migration backup (made, or named by the operator). */
  backup: string | undefined;
  steps: StepResult[];
  marker: DataVersionMarker | undefined;
}

export async function runMigration(input: RunMigrationOptions): Promise<MigrationResult> {
  const options = { ...input, to: input.to ?? LATEST_DATA_VERSION };
  allowConcurrentListeners(options.signal);
  const progress = createProgressReporter('migrate', options.onProgress);
  const prefix = options.indexPrefix ?? '';
  const handle: LockHandle | undefined = options.lock ? await options.lock.acquire('migrate') : undefined;
  // Pages parsed and bulk bodies built leave garbage that V8 promotes while requests wait: at
  // its default growth the heap doubled between full collections (peak RSS 228-272 MB at 200k).
  const releaseHeapGrowth = holdTightHeapGrowth();
  try {
    const current = (await alreadyMigrated(options)) ?? (await currentDataVersion(options.state, options.from));
    if (current.version === options.to) {
      progress.emit({ phase: 'plan', kind: 'info', message: `The data is already at ${options.to}: nothing to do.` });
      return { status: 'up-to-date', from: current.version, to: options.to, backup: undefined, steps: [], marker: current.marker };
    }
    const steps = planMigration(current.version, options.to);
    progress.emit({ phase: 'plan', kind: 'info', message: `Migrating ${current.version} -> ${options.to} in ${steps.length} step(s).` });

    let backup: string | undefined;
    let marker = current.marker;
    const results: StepResult[] = [];
    const layout = await options.state.storageLayout();
    for (const step of steps) {
      checkCancelled(options.signal);
      const stored = storageStep(step, layout);
      const layouts = await inspectNames(options.state, allNames(stored.storage), prefix);
      await finishInterruptedAdoption(stored.storage, layouts, options, progress);
      if (stepPhase(stored.storage, layouts, prefix) === 'swapped') {
        // An earlier run died between the alias swap and the marker: finish its work.
        const startedAt = new Date().toISOString();
        const counts = await countTargets(options.reader, stored.storage, prefix);
        marker = await recordStep(options.state, marker, step, startedAt, counts);
        progress.emit({ phase: 'marker', kind: 'info', message: `Aliases were already at ${step.to}; data-version marker written.` });
        results.push({ from: step.from, to: step.to, checksum: stepChecksum(step), indices: {}, rules: {}, adopted: [], resumedAfterSwap: true });
        continue;
      }
      await refuseForeignVersionedIndices(stored.storage, layouts, options);
      // The backup comes before the first change to the cluster, and only once.
      backup ??= await takeBackup(options, progress);
      const result = await applyStepOrUnblock(stored, layouts, marker, options, progress);
      marker = result.marker;
      results.push(result.step);
    }
    return { status: 'migrated', from: current.version, to: options.to, backup, steps: results, marker };
  } finally {
    releaseHeapGrowth();
    await handle?.release();
  }
}

/**
 * The same command run again after it completed (`migrate 1.1.0` once the marker records
 * 1.1.0 -> 1.2.0) is a no-op, not a version mismatch: the operator's `from` is the history's.
 */
async function alreadyMigrated(options: RunMigrationOptions): Promise<{ version: string; marker: DataVersionMarker } | undefined> {
  const marker = await options.state.readMarker();
  if (!marker || marker.version !== options.to || options.from === undefined) return undefined;
  return marker.history.some((step) => step.from === options.from) ? { version: marker.version, marker } : undefined;
}

function allNames(step: MigrationStep): string[] {
  return [...new Set([...Object.keys(step.indices), ...sourceNames(step)])].sort();
}

function checkCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new A4cAdminError('CANCELLED', 'The migration was cancelled.', {
      hint: 'The aliases still point at the old indices unless the swap was reported; run the migration again to finish it, or roll it back.',
    });
  }
}

async function takeBackup(options: RunMigrationOptions, progress: ProgressReporter): Promise<string> {
  if (options.skipBackup !== undefined) {
    if (options.skipBackup.trim() === '') {
      throw new A4cAdminError('USAGE', 'skipBackup needs the name of an existing backup.', {
        hint: 'Name the backup you took yourself (it is recorded), or let the migration make one.',
      });
    }
    progress.emit({ phase: 'backup', kind: 'info', message: `Using the existing backup "${options.skipBackup}".` });
    return options.skipBackup;
  }
  if (!options.backup) {
    throw new A4cAdminError('PRECONDITION_FAILED', 'A migration needs a pre-migration backup, and none was asked for.', {
      hint: 'Let the migration make a backup, or name a backup you already took (skipBackup / --skip-backup <name>).',
    });
  }
  progress.emit({ phase: 'backup', kind: 'start' });
  const name = await options.backup();
  progress.emit({ phase: 'backup', kind: 'end', message: `Backup "${name}" made.` });
  return name;
}

/**
 * A step that fails before its alias swap leaves the old view serving; its indices must not
 * stay write-blocked, or A4C (and the operator fixing a bad document) could not write to them.
 * A process that dies keeps the blocks: a re-run, or rollbackMigration, lifts them.
 */
async function applyStepOrUnblock(
  stored: StorageStep,
  layouts: Record<string, NameLayout>,
  previousMarker: DataVersionMarker | undefined,
  options: RunMigrationOptions,
  progress: ProgressReporter,
): Promise<{ step: StepResult; marker: DataVersionMarker }> {
  const { step } = stored;
  const swapped = { done: false };
  try {
    return await applyStep(stored, layouts, previousMarker, options, progress, swapped);
  } catch (error) {
    if (!swapped.done) {
      const prefix = options.indexPrefix ?? '';
      const serving = await options.state.resolve(sourceNames(stored.storage).map((name) => a4cIndexName(name, prefix))).catch(() => ({}));
      // All at once: after a Ctrl-C the process has little time left (bin.ts's grace period).
      await setWriteBlocks(options.writer, [...new Set(Object.values(serving).flat())], false).catch(() => undefined);
      progress.emit({ phase: 'swap', kind: 'warning', message: `Nothing was switched: the ${step.from} indices serve and are writable again.` });
      if (options.signal?.aborted) {
        throw new A4cAdminError(
          'CANCELLED',
          `The migration ${step.from} -> ${step.to} was cancelled before its alias swap: the A4C names still serve the ${step.from} indices, writable again.`,
          {
            hint: `Run the migration again when ready: it deletes the half-built ${step.to} indices and builds them again.`,
            cause: error,
          },
        );
      }
    }
    throw error;
  }
}

async function applyStep(
  stored: StorageStep,
  layouts: Record<string, NameLayout>,
  previousMarker: DataVersionMarker | undefined,
  options: RunMigrationOptions,
  progress: ProgressReporter,
  swapped: { done: boolean },
): Promise<{ step: StepResult; marker: DataVersionMarker }> {
  const { step, storage } = stored;
  const prefix = options.indexPrefix ?? '';
  const startedAt = new Date().toISOString();
  const present = new Set(sourceNames(storage).filter((name) => layouts[name]!.kind !== 'absent'));
  const snapshots = await keepsPlainIndicesInSnapshot(stored, layouts, present, options, progress);
  const rules: RuleCounts = {};
  let adopted: string[];
  let built: BuiltTarget[];
  const copiesToAdopt = !snapshots && [...present].some((name) => layouts[name]!.kind === 'plain');
  if (copiesToAdopt) {
    // The targets are created while the plain indices are copied for the adoption: both are
    // mostly waits for the master and for shards to start. They are filled from the copies,
    // once those are counted.
    const [adoptedNames, builds] = await settledTogether(
      adoptPlainIndices(stored, layouts, options, progress),
      planTargetIndices(stored, present, false, options).then(async (planned) => {
        await createIndices(
          options.writer,
          planned.map(({ target, definition }) => ({ index: target, definition })),
        );
        return planned;
      }),
    );
    adopted = adoptedNames;
    built = await fillTargetIndices(stored, builds, present, false, rules, options, progress);
  } else {
    // The rollback snapshot goes first, alone: its start, each shard's end and its own end are
    // cluster-state updates of normal priority, which the master runs only after every index
    // creation and shard start (urgent) queued before them. Alone, the snapshot of the sample
    // installation takes 0.25-0.47 s; beside the 39 creations, 8 s to start (load 10) or 6 s
    // to end (load 3-6), and the new primaries started more slowly beside it.
    adopted = snapshots ? await snapshotPlainIndices(stored, present, snapshots, options, progress) : [];
    // The marker's index too is a creation: made now, with the others, its write after the swap is one request.
    const preparing = options.state.prepareMarker?.() ?? Promise.resolve();
    const building = planTargetIndices(stored, present, snapshots !== undefined, options).then((builds) =>
      fillTargetIndices(stored, builds, present, true, rules, options, progress),
    );
    [built] = await settledTogether(building, preparing);
  }

  // In the step's order, whatever order the copies finished in.
  const indices: Record<string, IndexMigrationResult> = {};
  const aliasActions: AliasAction[] = [];
  for (const { name, actions, result } of built) {
    indices[name] = result;
    aliasActions.push(...actions);
  }
  for (const name of storage.dropped) {
    if (!present.has(name)) continue;
    // A plain index kept in the rollback snapshot goes in the swap itself.
    if (snapshots) aliasActions.push({ removeIndex: { index: a4cIndexName(name, prefix) } });
    else aliasActions.push({ remove: { index: versionedIndexName(name, step.from, prefix), alias: a4cIndexName(name, prefix) } });
  }

  checkCancelled(options.signal);
  progress.emit({ phase: 'swap', kind: 'start', total: aliasActions.length });
  await options.state.updateAliases(aliasActions);
  swapped.done = true;
  progress.emit({ phase: 'swap', kind: 'end', message: `Every A4C name now points at its ${step.to} index.` });

  for (const [rule, count] of Object.entries(rules)) {
    progress.emit({ phase: 'rules', kind: 'info', item: rule, done: count, message: `${rule}: ${count} change(s)` });
  }
  const marker = await recordStep(options.state, previousMarker, step, startedAt, await countTargets(options.reader, storage, prefix));
  progress.emit({ phase: 'marker', kind: 'info', message: `Data-version marker set to ${step.to}.` });
  return { step: { from: step.from, to: step.to, checksum: stepChecksum(step), indices, rules, adopted, resumedAfterSwap: false }, marker };
}

/** One index of a step being built: its name, what it is built from, and the definition it is created with. */
interface TargetBuild {
  /** The storage index of the target version. */
  name: string;
  /**
   * `<name>-v<from>` of its source, when the source is present in the cluster; the plain index
   * `<name>` itself when the plain indices are kept in the rollback snapshot.
   */
  source: string | undefined;
  /** The source is the plain index, removed by the swap (the rollback snapshot holds it). */
  sourceIsPlain: boolean;
  target: string;
  definition: IndexDefinition;
}

/**
 * Plans every `<name>-v<to>` (with the step's mappings and its source's size), its source
 * untouched: what fillTargetIndices creates and copies into. The leftovers of a killed run go
 * first, in one delete.
 */
async function planTargetIndices(
  stored: StorageStep,
  present: Set<string>,
  /** The plain indices are kept in the rollback snapshot: the targets are read from them. */
  fromPlainIndices: boolean,
  options: RunMigrationOptions,
): Promise<TargetBuild[]> {
  const { step, storage } = stored;
  const { reader, writer } = options;
  const prefix = options.indexPrefix ?? '';
  const names = Object.keys(storage.indices);
  const sourceNameOf = (name: string) => {
    const sourceName = storage.indices[name]!.source;
    return sourceName && present.has(sourceName) ? sourceName : undefined;
  };
  // Targets left by a run that died before the swap are half-built: start them over. Every name,
  // not only those that exist now: a creation the killed run sent may still wait in the master's
  // queue (seconds on a busy node) and be applied after an existence check, and this run's
  // creation would then fail with "already exists" (seen in the SIGKILL trials at load 15); a
  // delete queued behind it removes it too.
  await removeIndices(
    writer,
    names.map((name) => versionedIndexName(name, step.to, prefix)),
  );
  checkCancelled(options.signal);
  // Read through the A4C names: a plain index being adopted at this moment, or the alias onto its copy (same definition).
  const readFrom = [...new Set(names.flatMap((name) => sourceNameOf(name) ?? []))].map((name) => a4cIndexName(name, prefix));
  // An index new in the target version is sized like the installation's others (A4C sized them
  // alike), not by the server's defaults: 5 shards and a replica would leave a single node yellow on 1.x.
  const sibling = [...present].map((name) => a4cIndexName(name, prefix))[0];
  const definitions = await readDefinitions(reader, [...new Set([...readFrom, ...(sibling ? [sibling] : [])])]);
  const newIndexSettings = sibling ? portableSettings(definitions.get(sibling)!.settings, CARRIED_SETTINGS) : undefined;
  // Marked as the tool's own, so that a restore may later delete it as a leftover (and only it).
  const mark = { role: 'migration', version: step.to } as const;
  const builds: TargetBuild[] = names.map((name) => {
    const sourceName = sourceNameOf(name);
    const sourceDefinition = sourceName ? definitions.get(a4cIndexName(sourceName, prefix))! : undefined;
    const definition: IndexDefinition = sourceDefinition
      ? { ...stored.definition(name, mark, sourceDefinition), settings: portableSettings(sourceDefinition.settings, CARRIED_SETTINGS) }
      : { ...stored.definition(name, mark), settings: newIndexSettings };
    const source = sourceName ? (fromPlainIndices ? a4cIndexName(sourceName, prefix) : versionedIndexName(sourceName, step.from, prefix)) : undefined;
    return { name, source, sourceIsPlain: fromPlainIndices && source !== undefined, target: versionedIndexName(name, step.to, prefix), definition };
  });
  return builds;
}

/** A target built (not yet switched to): the alias actions that will point its A4C name at it. */
interface BuiltTarget {
  name: string;
  actions: AliasAction[];
  result: IndexMigrationResult;
}

/**
 * Writes every source, through the step's rules, into its target and returns the alias actions
 * that will point the A4C names at the targets: nothing is switched here. With `create`, the
 * targets are created here and each is written as soon as its primaries have started: the node
 * starts 4 new primaries at a time, the newest index's first (Elasticsearch's allocation order:
 * `index.priority`, then the creation date, newest first), so the copies of the first targets
 * run while the last ones are still being created. The largest sources' targets are created
 * last, to start as soon as they exist; the empty ones first.
 */
async function fillTargetIndices(
  stored: StorageStep,
  builds: TargetBuild[],
  present: Set<string>,
  create: boolean,
  /** Changes per rule over the whole step, shared by the indices built at the same time. */
  rules: RuleCounts,
  options: RunMigrationOptions,
  progress: ProgressReporter,
): Promise<BuiltTarget[]> {
  const { step, storage } = stored;
  const { reader, writer } = options;
  const prefix = options.indexPrefix ?? '';
  const sources = [...new Set(builds.flatMap(({ source }) => source ?? []))];
  // Blocked before anything is read from them (A4C is stopped: the view read is the one kept).
  await setWriteBlocks(writer, sources, true);
  checkCancelled(options.signal);
  const sourceCounts = await countIndices(reader, sources);
  const facts = collectFacts(stored, present, options);
  // Awaited by every copy; with none (no source present) its failure matters to nobody.
  facts.catch(() => undefined);
  const starts = indexStarts(create ? builds.map(({ target }) => target) : []);
  const documentsOf = (build: TargetBuild) => (build.source ? (sourceCounts.get(build.source) ?? 0) : -1);
  const creating = create
    ? createIndices(
        writer,
        [...builds].sort((a, b) => documentsOf(a) - documentsOf(b)).map(({ target, definition }) => ({ index: target, definition })),
        starts.onStarted,
      ).finally(() => starts.end())
    : Promise.resolve();
  // Copies of small indices (one page or so each) hold little memory: they go wider than the
  // large ones, whose pages the memory budget counts. Each is a handful of requests that wait on
  // the node, not on the client.
  const large = createLimiter(options.concurrency ?? 4);
  const small = createLimiter(SMALL_COPIES_IN_FLIGHT);
  const copying = builds.map(async (build) => {
    if (!build.source) return undefined;
    const count = sourceCounts.get(build.source);
    const pool = count !== undefined && count <= SMALL_INDEX_DOCUMENTS ? small : large;
    const known = await facts;
    await starts.started(build.target);
    return pool(() => copyTransformed(stored, build, build.source!, known, rules, count, options, progress));
  });
  // Nothing is left running behind a failure (the clean-up after a failed step must not race a
  // creation or a copy still in flight); the creations' failure, or the first copy's, is thrown.
  const [created, ...copies] = await Promise.allSettled([creating, ...copying]);
  if (created!.status === 'rejected') throw created!.reason;
  const failed = copies.find((copy) => copy.status === 'rejected');
  if (failed) throw failed.reason;
  const copied = copies.map((copy) => (copy as PromiseFulfilledResult<CopiedDocuments | undefined>).value);
  checkCancelled(options.signal);
  for (const { name, source, target } of builds) {
    if (!source) progress.emit({ phase: 'index', kind: 'info', item: name, message: `${target} created empty (new in ${step.to} or absent before).` });
  }
  return builds.map(({ name, source, sourceIsPlain, target }, position) => {
    const actions: AliasAction[] = [];
    // A plain index cannot lose an alias it is not: it goes, in the same atomic update.
    if (source && sourceIsPlain) actions.push({ removeIndex: { index: source } });
    else if (source) actions.push({ remove: { index: source, alias: a4cIndexName(storage.indices[name]!.source!, prefix) } });
    actions.push({ add: { index: target, alias: a4cIndexName(name, prefix) } });
    return { name, actions, result: { source, target, ...(copied[position] ?? { read: 0, written: 0, quarantined: 0 }) } };
  });
}

/** What the step's rules need to know of the whole installation, read from its (blocked) source indices. */
async function collectFacts(stored: StorageStep, present: Set<string>, options: RunMigrationOptions): Promise<StepFacts> {
  const { step } = stored;
  if (!step.collectFacts) return {};
  const prefix = options.indexPrefix ?? '';
  return step.collectFacts((name) => {
    const at = stored.locate(name, step.from);
    return at && present.has(at.index) ? options.reader.read(a4cIndexName(at.index, prefix), { signal: options.signal, type: at.type }) : emptyPages();
  });
}

/**
 * Writes every document of the write-blocked `source` through the step's rules into the
 * created `target` (type by type on a multi-type cluster), and checks the counts.
 */
async function copyTransformed(
  stored: StorageStep,
  build: TargetBuild,
  source: string,
  facts: StepFacts,
  rules: RuleCounts,
  sourceCount: number | undefined,
  options: RunMigrationOptions,
  progress: ProgressReporter,
): Promise<CopiedDocuments> {
  const { step } = stored;
  const { reader, writer } = options;
  const total: CopiedDocuments = { read: 0, written: 0, quarantined: 0 };
  for (const member of stored.members[build.name] ?? []) {
    // A member new in the target version (a type added to an existing ES 1.x index) starts empty.
    if (!member.source) continue;
    checkCancelled(options.signal);
    const sourceType = member.source.type;
    const copied = await copyTransformedDocuments(
      {
        step,
        name: member.name,
        migration: step.indices[member.name]!,
        facts,
        rules,
        source: { reader, index: source, type: sourceType },
        target: { reader, writer, index: build.target, type: member.type },
        // Counted with the other indices in one request; one type of an index is counted alone.
        sourceCount: sourceType === undefined ? sourceCount : undefined,
        pageSize: options.pageSize,
        signal: options.signal,
        quarantine: options.quarantine,
        mismatchHint: 'Nothing was switched: the aliases still point at the old indices. Check the cluster health and run the migration again.',
      },
      progress,
    );
    total.read += copied.read;
    total.written += copied.written;
    total.quarantined += copied.quarantined;
  }
  return total;
}

/**
 * Both results once both have ended: neither is left running behind a failure (the clean-up
 * after a failed step must not race a creation still in flight); the first failure is thrown.
 */
async function settledTogether<A, B>(first: Promise<A>, second: Promise<B>): Promise<[A, B]> {
  const [a, b] = await Promise.allSettled([first, second]);
  if (a.status === 'rejected') throw a.reason;
  if (b.status === 'rejected') throw b.reason;
  return [a.value, b.value];
}

/** Documents per target (storage) index as Elasticsearch counts them (merged documents count once). */
export async function countTargets(reader: IndexReader, step: MigrationStep, prefix: string): Promise<Record<string, number>> {
  const names = Object.keys(step.indices);
  const counted = await countIndices(
    reader,
    names.map((name) => versionedIndexName(name, step.to, prefix)),
  );
  return Object.fromEntries(names.map((name) => [name, counted.get(versionedIndexName(name, step.to, prefix)) ?? 0]));
}

export async function recordStep(
  state: MigrationStateStore,
  previous: DataVersionMarker | undefined,
  step: MigrationStep,
  startedAt: string,
  counts: Record<string, number>,
): Promise<DataVersionMarker> {
  const applied: AppliedStep = { from: step.from, to: step.to, checksum: stepChecksum(step), startedAt, endedAt: new Date().toISOString(), counts };
  const marker = markerAfterStep(previous, applied);
  await state.writeMarker(marker);
  return marker;
}

/**
 * The rollback snapshot replaces the adoption copies when a repository is configured, the
 * cluster removes an index in an alias update (7.x+: the one-type layout), and every present
 * source is a plain index (a first migration). Anything else (an installation already behind
 * aliases, half adopted, or ES 1.x) is adopted by copies as before.
 */
async function keepsPlainIndicesInSnapshot(
  stored: StorageStep,
  layouts: Record<string, NameLayout>,
  present: Set<string>,
  options: RunMigrationOptions,
  progress: ProgressReporter,
): Promise<SnapshotStore | undefined> {
  if (!options.snapshots || stored.layout !== 'es8' || present.size === 0) return undefined;
  if (![...present].every((name) => layouts[name]!.kind === 'plain')) return undefined;
  const usable = await usableSnapshots(options.snapshots);
  if (!usable) {
    progress.emit({ phase: 'adopt', kind: 'info', message: 'The snapshot repository cannot be used: the plain indices are copied for the rollback instead.' });
    return undefined;
  }
  // Checked before anything is blocked or deleted: a snapshot of that name that is not ours stays untouched.
  const name = rollbackSnapshotName(stored.storage, options.indexPrefix ?? '');
  const existing = await usable.get(name);
  if (existing && !isRollbackSnapshotOf(existing, stored.storage)) {
    progress.emit({
      phase: 'adopt',
      kind: 'warning',
      message: `${foreignSnapshotError(name).message} The plain indices are copied for the rollback instead.`,
    });
    return undefined;
  }
  return usable;
}

/**
 * Write-blocks the plain indices and snapshots them for the rollback. They stay where they are,
 * serving, until the step's alias swap removes them and points the names at the targets in one
 * atomic update: dying before it leaves them serving (blocked: a re-run or the failure path
 * lifts the blocks), dying after it leaves the snapshot, which the rollback restores.
 */
async function snapshotPlainIndices(
  stored: StorageStep,
  present: Set<string>,
  snapshots: SnapshotStore,
  options: RunMigrationOptions,
  progress: ProgressReporter,
): Promise<string[]> {
  const step = stored.storage;
  const prefix = options.indexPrefix ?? '';
  const plain = [...present].sort();
  const originals = plain.map((name) => a4cIndexName(name, prefix));
  const name = rollbackSnapshotName(step, prefix);
  progress.emit({
    phase: 'adopt',
    kind: 'start',
    total: plain.length,
    message: `Keeping ${plain.length} plain index(es) for the rollback in snapshot ${name}.`,
  });
  await setWriteBlocks(options.writer, originals, true);
  // Adoption copies of an earlier run that died inside a copy-based adoption (ours: refuseForeignVersionedIndices checked their mark).
  await removeIndices(
    options.writer,
    plain.map((source) => versionedIndexName(source, step.from, prefix)),
  );
  checkCancelled(options.signal);
  await takeRollbackSnapshot(snapshots, name, originals, step);
  progress.emit({ phase: 'adopt', kind: 'end', done: plain.length, total: plain.length, message: `Snapshot ${name} holds the ${step.from} indices.` });
  return originals;
}

/**
 * Puts each plain index of a 1.1.0 installation under an alias of the same name: ES cannot
 * rename an index and an alias cannot share a name with one, so copy, count, then swap once.
 */
async function adoptPlainIndices(
  stored: StorageStep,
  layouts: Record<string, NameLayout>,
  options: RunMigrationOptions,
  progress: ProgressReporter,
): Promise<string[]> {
  const { reader, writer, state } = options;
  const step = stored.storage;
  const prefix = options.indexPrefix ?? '';
  const plain = sourceNames(step).filter((name) => layouts[name]!.kind === 'plain');
  if (plain.length === 0) return [];
  progress.emit({ phase: 'adopt', kind: 'start', total: plain.length, message: `Putting ${plain.length} plain index(es) under aliases.` });
  const originals = plain.map((name) => a4cIndexName(name, prefix));
  const copies = plain.map((name) => versionedIndexName(name, step.from, prefix));
  await setWriteBlocks(writer, originals, true);
  // Half copies of a run that died here (ours: refuseForeignVersionedIndices checked their mark),
  // every name whether it exists or not, as for the targets (createTargetIndices says why).
  await removeIndices(writer, copies);
  checkCancelled(options.signal);
  const definitions = await readDefinitions(reader, originals);
  const expected = await countIndices(reader, originals);
  const mark = { role: 'adoption', version: step.from } as const;
  const adoptions: Adoption[] = originals.map((original, position) => ({
    original,
    copy: copies[position]!,
    mappings: stored.marked(definitions.get(original)!.mappings, mark),
    settings: definitions.get(original)!.settings,
    documents: expected.get(original) ?? 0,
  }));
  // A small index is copied document by document into a copy created with its marked mappings:
  // one creation, which the master batches with the others (the targets' too), and a bulk or two.
  // A large one is cloned (7.4+): its segment files linked, none of its documents read; but a
  // clone costs a mapping update on its source (the mark) and a shard recovery the node runs two
  // at a time, which made the adoption of the sample installation (34 indices of at most a few
  // hundred documents) most of its migration's time.
  const small = adoptions.filter(({ documents }) => documents <= SMALL_INDEX_DOCUMENTS);
  const large = adoptions.filter(({ documents }) => documents > SMALL_INDEX_DOCUMENTS);
  const [, cloned] = await settledTogether(
    copyForAdoption(small, SMALL_COPIES_IN_FLIGHT, options),
    cloneIndices(
      writer,
      large.map(({ original, copy, mappings, settings }) => ({
        source: original,
        target: copy,
        meta: mappings._meta as Record<string, unknown>,
        settings: portableSettings(settings, CLONE_SETTINGS),
      })),
    ),
  );
  // Before 7.4 there is no clone: every document copied.
  if (!cloned) await copyForAdoption(large, options.concurrency ?? 4, options);
  const counted = await countIndices(reader, copies);
  let done = 0;
  const actions: AliasAction[] = [];
  plain.forEach((name, position) => {
    const original = originals[position]!;
    const copy = copies[position]!;
    const [want, got] = [expected.get(original) ?? 0, counted.get(copy) ?? 0];
    if (got !== want) {
      throw new A4cAdminError('COUNT_MISMATCH', `The copy ${copy} holds ${got} documents, ${original} has ${want}.`, {
        hint: `Nothing was switched: ${original} still serves. Check the cluster health and run the migration again.`,
        details: { index: original, copy, expected: want, counted: got },
      });
    }
    done += 1;
    progress.emit({ phase: 'adopt', kind: 'progress', item: name, done, total: plain.length });
    actions.push({ removeIndex: { index: original } }, { add: { index: copy, alias: original } });
  });
  await state.updateAliases(actions);
  progress.emit({ phase: 'adopt', kind: 'end', done, total: plain.length });
  for (const name of plain) layouts[name] = { kind: 'alias', indices: [versionedIndexName(name, step.from, prefix)] };
  return plain.map((name) => a4cIndexName(name, prefix));
}

/** A plain index being adopted: the copy it gets, with the marked mappings it is born with. */
interface Adoption {
  original: string;
  copy: string;
  mappings: Record<string, unknown>;
  settings: Record<string, unknown> | undefined;
  /** Its documents, counted after its write block. */
  documents: number;
}

/** Creates each copy with its marked mappings, then writes every document of its original into it, `inFlight` copies at once. */
async function copyForAdoption(adoptions: Adoption[], inFlight: number, options: RunMigrationOptions): Promise<void> {
  const { reader, writer } = options;
  await createIndices(
    writer,
    adoptions.map(({ copy, mappings, settings }) => ({ index: copy, definition: { mappings, settings: portableSettings(settings, COPY_SETTINGS) } })),
  );
  await mapConcurrently(adoptions, inFlight, async ({ original, copy, documents }) => {
    checkCancelled(options.signal);
    await writer.write(copy, reader.read(original, { pageSize: options.pageSize, signal: options.signal, count: documents }), {
      signal: options.signal,
      expected: documents,
    });
  });
}

/**
 * Before 7.x an adoption deletes the plain indices, then adds their aliases (no `remove_index`):
 * a process that died in between left names absent beside the adoption copies it had counted
 * before deleting anything. Those aliases are added now, so that the step starts from the
 * 1.1.0 view served by the copies. A copy is taken only with the tool's adoption mark of this
 * step's source version: an index of that name made by anyone else is refused later.
 */
async function finishInterruptedAdoption(
  step: MigrationStep,
  layouts: Record<string, NameLayout>,
  options: RunMigrationOptions,
  progress: ProgressReporter,
): Promise<void> {
  const prefix = options.indexPrefix ?? '';
  const absent = sourceNames(step).filter((candidate) => layouts[candidate]!.kind === 'absent');
  const copies = await existingIndices(
    options.state,
    absent.map((name) => versionedIndexName(name, step.from, prefix)),
  );
  const definitions = await readDefinitions(options.reader, copies);
  const actions: AliasAction[] = [];
  for (const name of absent) {
    const copy = versionedIndexName(name, step.from, prefix);
    if (!copies.includes(copy)) continue;
    const mark = ownershipMarkOf(definitions.get(copy)!.mappings);
    if (mark?.role !== 'adoption' || mark.version !== step.from) continue;
    actions.push({ add: { index: copy, alias: a4cIndexName(name, prefix) } });
  }
  if (actions.length === 0) return;
  await options.state.updateAliases(actions);
  for (const action of actions) if ('add' in action) layouts[baseIndexName(action.add.alias, prefix)] = { kind: 'alias', indices: [action.add.index] };
  progress.emit({
    phase: 'adopt',
    kind: 'info',
    message: `An earlier run stopped inside its adoption: ${actions.length} alias(es) added onto the counted copies.`,
  });
}

/**
 * A step deletes the versioned indices it is about to create when they exist (the half-built
 * targets, or copies, of a killed run). An index of such a name that a4c-admin did not make (no
 * ownership mark) belongs to someone else: the step is refused before its first change.
 */
async function refuseForeignVersionedIndices(step: MigrationStep, layouts: Record<string, NameLayout>, options: RunMigrationOptions): Promise<void> {
  const prefix = options.indexPrefix ?? '';
  const created = [
    ...Object.keys(step.indices).map((name) => versionedIndexName(name, step.to, prefix)),
    ...sourceNames(step)
      .filter((name) => layouts[name]?.kind === 'plain')
      .map((name) => versionedIndexName(name, step.from, prefix)),
  ];
  const present = await existingIndices(options.state, created);
  const definitions = await readDefinitions(options.reader, present);
  const foreign = present.filter((index) => !hasOwnershipMark(definitions.get(index)!.mappings));
  if (foreign.length === 0) return;
  throw new A4cAdminError(
    'PRECONDITION_FAILED',
    `The migration ${step.from} -> ${step.to} would replace ${foreign.join(', ')}, which a4c-admin did not make (no ownership mark in its mappings' _meta); nothing was changed.`,
    {
      hint: 'That name is the one the migration gives its own index. If the index is yours, rename it (or move its documents) first; if it is a leftover of an older a4c-admin run, check it and delete it yourself, then run the migration again.',
      details: { indices: foreign },
    },
  );
}

/** An index of at most this many documents is copied in one or two pages: a small copy. */
const SMALL_INDEX_DOCUMENTS = 1000;
/** Small copies at the same time. */
const SMALL_COPIES_IN_FLIGHT = 12;

/** Runs a task once one of `limit` slots is free, and gives its result (core's task pool underneath). */
type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

function createLimiter(limit: number): Limiter {
  const pool = createTaskPool(limit);
  return (task) =>
    new Promise((resolve, reject) => {
      pool
        .run(async () => {
          try {
            resolve(await task());
          } catch (error) {
            reject(error);
          }
        })
        .catch(reject);
    });
}

/** Index settings an exact copy keeps; the rest (uuids, blocks, private flags ES adds) belongs to the original. */
const COPY_SETTINGS = [
  'number_of_shards',
  'number_of_replicas',
  'auto_expand_replicas',
  'analysis',
  'similarity',
  'max_result_window',
  'mapping',
  'refresh_interval',
];
/** What a clone does not inherit from its source (the rest of COPY_SETTINGS it does). */
const CLONE_SETTINGS = ['number_of_replicas', 'auto_expand_replicas'];
/** What a new version of an index keeps from its source: its size; mappings and analysis come from the step. */
const CARRIED_SETTINGS = ['number_of_shards', 'number_of_replicas', 'auto_expand_replicas'];

function portableSettings(settings: Record<string, unknown> | undefined, keys: string[]): Record<string, unknown> | undefined {
  const index = (settings?.index ?? settings) as Record<string, unknown> | undefined;
  if (!index) return undefined;
  const kept: Record<string, unknown> = {};
  for (const key of keys) if (index[key] !== undefined) kept[key] = index[key];
  return Object.keys(kept).length > 0 ? { index: kept } : undefined;
}
