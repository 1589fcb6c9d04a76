// A migration across clusters: the source cluster's data at `from` is read (through an
// IndexReader that answers the A4C names of the ES 8 layout, whatever the source's
// Elasticsearch), transformed, and written at `to` into another cluster, the target. The source
// is only ever read: no block, no alias, no marker there, so it stays a complete rollback and no
// pre-migration backup is needed.
//
// What is on the target at every instant, should the process die there:
//  1. Check: the target holds no A4C data, or only what an interrupted run of this migration
//     left (cross-cluster-target.ts); anything else is refused before the first write.
//  2. Build: each index is created as `<name>-v<to>` (the `to` mappings, a4c-admin's ownership
//     mark) and filled from the source, then counted against the source. No A4C name exists
//     on the target yet: nothing answers as an A4C installation. A re-run deletes these
//     marked leftovers and builds them again.
//  3. Swap: ONE alias update adds every A4C name, on its `<name>-v<to>` index.
//  4. Marker: written last. A re-run that finds the aliases in place but no marker counts the
//     indices and writes it.
import {
  A4cAdminError,
  type AliasAction,
  a4cIndexName,
  type DataVersionMarker,
  type IndexDefinition,
  type IndexReader,
  LATEST_DATA_VERSION,
  versionedIndexName,
} from '@a4c-admin/core';
import { createProgressReporter, mapConcurrently, type ProgressReporter, withOwnershipMark } from '@a4c-admin/core/internal';
import { copyTransformedDocuments, emptyPages } from './copy-transformed-documents.js';
import { inspectTarget } from './cross-cluster-target.js';
import { sourceNames } from './migration-layout.js';
import { planMigration } from './registry.js';
import { countTargets, type IndexMigrationResult, type MigrationResult, type RunMigrationOptions, recordStep, type StepResult } from './run-migration.js';
import type { MigrationStep, StepFacts } from './step.js';
import { stepChecksum } from './step-checksum.js';
import type { RuleCounts } from './transform-document.js';

/**
 * Indices built at the same time. All of them go into one target, whose indexing (a few write
 * threads) bounds the copy: with 3 bulk requests in flight each, 2 indices keep it busy, and 4
 * only held more pages and bulk bodies in memory (200k documents, 1.7.6 -> 8.19: same time,
 * 50 MB less peak RSS; docs/benchmarks.md).
 */
const CROSS_CLUSTER_CONCURRENCY = 2;

/**
 * Documents of a source page, at most. `pageSize` (poller.scroll.batch_size) is sized for the
 * export, which passes a page's bytes through; a migration holds each page parsed and its
 * transformed copy (~10x the bytes on the wire), so its pages stay smaller (2000 -> 500: peak RSS
 * 320 -> 250 MB at the same speed, docs/benchmarks.md).
 */
const MIGRATION_PAGE_LIMIT = 500;

/** The cluster a migration reads from when it writes into another one. */
export interface MigrationSource {
  /**
   * Reads the source's A4C indices by their A4C names of the ES 8 layout (`indexednodetype`,
   * with `indexPrefix`), at the version being migrated from; `count` is undefined for an absent one.
   */
  reader: IndexReader;
  /** Prefix of the A4C index names in the source (its elasticsearch.index_prefix). */
  indexPrefix?: string;
  /** Where the source is, for messages (its addresses). */
  description?: string;
}

export type CrossClusterMigrationOptions = RunMigrationOptions & {
  source: MigrationSource;
  /** Where the target is, for messages (its addresses). */
  targetDescription?: string;
};
type CrossOptions = CrossClusterMigrationOptions;

/** The source's A4C names that hold an index, for the step's source names. */
export async function presentInSource(step: MigrationStep, source: MigrationSource): Promise<Set<string>> {
  const prefix = source.indexPrefix ?? '';
  const names = sourceNames(step);
  const counts = await Promise.all(names.map((name) => source.reader.count(a4cIndexName(name, prefix))));
  return new Set(names.filter((_name, position) => counts[position] !== undefined));
}

/** The one step a cross-cluster migration applies (a later step would read the target's output: run it there in place). */
export function crossClusterStep(from: string | undefined, to: string): MigrationStep {
  if (from === undefined) {
    throw new A4cAdminError('USAGE', 'A migration into another cluster needs the version of the source data.', {
      hint: 'Say which A4C version wrote the source data (`a4c-admin migrate 1.1.0 --target <url>`; library: `from`).',
    });
  }
  const steps = planMigration(from, to);
  if (steps.length !== 1) {
    throw new A4cAdminError('MIGRATION_PATH', `A migration into another cluster covers one version step; ${from} -> ${to} takes ${steps.length}.`, {
      hint: `Migrate to ${steps[0]?.to ?? to} into the target first, then migrate the target in place.`,
      details: { steps: steps.map((step) => `${step.from} -> ${step.to}`) },
    });
  }
  return steps[0]!;
}

export async function runCrossClusterMigration(input: CrossOptions): Promise<MigrationResult> {
  const options = { ...input, to: input.to ?? LATEST_DATA_VERSION };
  const progress = createProgressReporter('migrate', options.onProgress);
  const prefix = options.indexPrefix ?? '';
  const step = crossClusterStep(options.from, options.to);
  const handle = options.lock ? await options.lock.acquire('migrate') : undefined;
  try {
    const target = await inspectTarget(step, { reader: options.reader, state: options.state, indexPrefix: prefix, description: options.targetDescription });
    progress.emit({ phase: 'plan', kind: 'info', message: `Migrating ${step.from} -> ${step.to} from the source cluster into the target cluster.` });
    progress.emit({
      phase: 'backup',
      kind: 'info',
      message: 'No pre-migration backup: the source cluster is only read, never changed, and stays a complete rollback.',
    });
    const startedAt = new Date().toISOString();
    if (target.kind === 'swapped') {
      const marker = await recordStep(options.state, undefined, step, startedAt, await countTargets(options.reader, step, prefix));
      progress.emit({ phase: 'marker', kind: 'info', message: `The target's aliases were already at ${step.to}; data-version marker written.` });
      const result: StepResult = { from: step.from, to: step.to, checksum: stepChecksum(step), indices: {}, rules: {}, adopted: [], resumedAfterSwap: true };
      return { status: 'migrated', from: step.from, to: step.to, backup: undefined, steps: [result], marker };
    }
    if (target.kind === 'interrupted') {
      progress.emit({
        phase: 'plan',
        kind: 'info',
        message: `Deleting ${target.leftovers.length} half-built index(es) of an interrupted run, to build them again.`,
      });
      for (const index of target.leftovers) await options.writer.remove(index);
    }
    const { indices, rules } = await buildAll(step, options, progress);
    checkCancelled(options.signal, step);
    const actions: AliasAction[] = Object.keys(step.indices).map((name) => ({
      add: { index: versionedIndexName(name, step.to, prefix), alias: a4cIndexName(name, prefix) },
    }));
    progress.emit({ phase: 'swap', kind: 'start', total: actions.length });
    await options.state.updateAliases(actions);
    progress.emit({ phase: 'swap', kind: 'end', message: `Every A4C name of the target now points at its ${step.to} index.` });
    for (const [rule, count] of Object.entries(rules)) {
      progress.emit({ phase: 'rules', kind: 'info', item: rule, done: count, message: `${rule}: ${count} change(s)` });
    }
    const marker: DataVersionMarker = await recordStep(options.state, undefined, step, startedAt, await countTargets(options.reader, step, prefix));
    progress.emit({ phase: 'marker', kind: 'info', message: `Data-version marker of the target set to ${step.to}.` });
    const result: StepResult = { from: step.from, to: step.to, checksum: stepChecksum(step), indices, rules, adopted: [], resumedAfterSwap: false };
    return { status: 'migrated', from: step.from, to: step.to, backup: undefined, steps: [result], marker };
  } finally {
    await handle?.release();
  }
}

function checkCancelled(signal: AbortSignal | undefined, step: MigrationStep): void {
  if (signal?.aborted) {
    throw new A4cAdminError('CANCELLED', `The migration ${step.from} -> ${step.to} into the target cluster was cancelled before its alias swap.`, {
      hint: 'The source is unchanged and the target answers as no A4C installation; run the migration again: it deletes the half-built indices and builds them again.',
    });
  }
}

async function buildAll(
  step: MigrationStep,
  options: CrossOptions,
  progress: ProgressReporter,
): Promise<{ indices: Record<string, IndexMigrationResult>; rules: RuleCounts }> {
  const sourcePrefix = options.source.indexPrefix ?? '';
  const present = await presentInSource(step, options.source);
  const facts: StepFacts = step.collectFacts
    ? await step.collectFacts((name) =>
        present.has(name) ? options.source.reader.read(a4cIndexName(name, sourcePrefix), { signal: options.signal }) : emptyPages(),
      )
    : {};
  const rules: RuleCounts = {};
  const built = await mapConcurrently(Object.keys(step.indices), options.concurrency ?? CROSS_CLUSTER_CONCURRENCY, async (name) => {
    checkCancelled(options.signal, step);
    return [name, await buildOne(step, name, present, facts, rules, options, progress)] as const;
  });
  return { indices: Object.fromEntries(built), rules };
}

/** Creates `<name>-v<to>` on the target and fills it from the source through the step's rules; counted against the source. */
async function buildOne(
  step: MigrationStep,
  name: string,
  present: Set<string>,
  facts: StepFacts,
  rules: RuleCounts,
  options: CrossOptions,
  progress: ProgressReporter,
): Promise<IndexMigrationResult> {
  const prefix = options.indexPrefix ?? '';
  const migration = step.indices[name]!;
  const target = versionedIndexName(name, step.to, prefix);
  // The target cluster's own defaults for shards and replicas: the source's sizing was made for another cluster.
  const definition: IndexDefinition = { mappings: withOwnershipMark(step.mappings[name]!.mappings, { role: 'migration', version: step.to }) };
  await options.writer.create(target, definition);
  const source = migration.source && present.has(migration.source) ? a4cIndexName(migration.source, options.source.indexPrefix ?? '') : undefined;
  if (!source) {
    progress.emit({ phase: 'index', kind: 'info', item: name, message: `${target} created empty (new in ${step.to} or absent in the source).` });
    return { source: undefined, target, read: 0, written: 0, quarantined: 0 };
  }
  const copied = await copyTransformedDocuments(
    {
      step,
      name,
      migration,
      facts,
      rules,
      source: { reader: options.source.reader, index: source },
      target: { reader: options.reader, writer: options.writer, index: target },
      pageSize: Math.min(options.pageSize ?? MIGRATION_PAGE_LIMIT, MIGRATION_PAGE_LIMIT),
      signal: options.signal,
      quarantine: options.quarantine,
      clusters: { source: 'on the source', target: 'on the target' },
      mismatchHint:
        'Nothing was switched on the target and the source is unchanged. Check that nothing writes to the source (A4C stopped), then run the migration again.',
    },
    progress,
  );
  return { source, target, ...copied };
}
