// A step's indices as the cluster stores them. A migration in place names indices everywhere
// (adoption, write blocks, the targets it builds, the alias swap, rollback, finalize): it does
// so in the cluster's storage indices. On one-type clusters (7.x and later) those are the A4C
// names of the step themselves; on a multi-type cluster (Elasticsearch 1.x, where A4C ran)
// they are A4C's own ES 1.x indices, each holding several mapping types (toscaelement holds
// indexednodetype, indexedcapabilitytype, ...), so one alias and one versioned index serve
// several A4C names. The rules and the facts stay keyed by the step's A4C names (the marker's
// counts are per storage index): each storage index lists the A4C names it holds (its members)
// and where their documents come from.
import { A4cAdminError, type A4cStorageLayout, ES1_STORAGE_LAYOUT, type Es1StorageLayout, type IndexDefinition, isKnownDataVersion } from '@a4c-admin/core';
import { es1TypeMapping, type OwnershipMark, withOwnershipMark, withOwnershipMarkOnEachType } from '@a4c-admin/core/internal';
import type { MigrationStep } from './step.js';

/** One A4C name (ES 8 layout) held by a storage index of the step's target version. */
export interface StorageMember {
  /** The A4C name in the step's target version: the key of its rules and of its counts. */
  name: string;
  /** Its mapping type in the storage index (multi-type clusters only). */
  type?: string;
  /** Where its documents come from: the A4C name in the source version, and its type there; absent for a new one. */
  source?: { name: string; type?: string };
}

export interface StorageStep {
  layout: A4cStorageLayout;
  /** The step itself (its rules, facts and mappings by A4C name). */
  step: MigrationStep;
  /**
   * The step over storage indices: `indices` (each with the storage index it is read from),
   * `dropped` and `created` name storage indices; what the layout-only code (aliases, blocks,
   * phases, rollback, finalize) works on. Its `mappings` are unused: see `definition`.
   */
  storage: MigrationStep;
  /** The A4C names each storage index of the target version holds. */
  members: Readonly<Record<string, readonly StorageMember[]>>;
  /** Where the documents of an A4C name (ES 8 layout) live at `version`: a storage index (no prefix) and its type there. */
  locate(name: string, version: string): { index: string; type?: string } | undefined;
  /**
   * The definition a storage index of the target version is created with, marked as the tool's;
   * `source` is the definition of the index it is built from, whose per-type `_ttl` (what A4C's
   * config chose for its audit and events) is carried on multi-type clusters.
   */
  definition(index: string, mark: Omit<OwnershipMark, 'madeBy'>, source?: IndexDefinition): IndexDefinition;
  /** Mappings read from an index of this cluster, marked as the tool's (per type on multi-type clusters). */
  marked(mappings: Record<string, unknown>, mark: Omit<OwnershipMark, 'madeBy'>): Record<string, unknown>;
}

/** The step in the storage layout of the cluster it runs on. */
export function storageStep(step: MigrationStep, layout: A4cStorageLayout): StorageStep {
  return layout === 'es1' ? es1StorageStep(step) : oneTypeStorageStep(step);
}

function oneTypeStorageStep(step: MigrationStep): StorageStep {
  const members: Record<string, StorageMember[]> = {};
  for (const [name, migration] of Object.entries(step.indices)) {
    members[name] = [{ name, ...(migration.source ? { source: { name: migration.source } } : {}) }];
  }
  return {
    layout: 'es8',
    step,
    storage: step,
    members,
    locate: (name) => ({ index: name }),
    definition: (index, mark) => ({ mappings: withOwnershipMark(step.mappings[index]!.mappings, mark) }),
    marked: (mappings, mark) => withOwnershipMark(mappings, mark),
  };
}

function es1LayoutOf(version: string): Es1StorageLayout {
  if (!isKnownDataVersion(version)) throw new Error(`Unknown A4C data version "${version}"`);
  return ES1_STORAGE_LAYOUT[version];
}

function es1StorageStep(step: MigrationStep): StorageStep {
  const from = es1LayoutOf(step.from);
  const to = es1LayoutOf(step.to);
  const locate = (name: string, version: string) => {
    const row = (version === step.from ? from : version === step.to ? to : es1LayoutOf(version)).find((location) => location.es8Index === name);
    return row ? { index: row.es1Index, type: row.es1Type } : undefined;
  };
  const fromIndices = new Set(from.map((row) => row.es1Index));
  const members: Record<string, StorageMember[]> = {};
  const indices: Record<string, { source?: string }> = {};
  for (const row of to) {
    const migration = step.indices[row.es8Index];
    if (!migration) throw new Error(`the ${step.to} layout names ${row.es8Index}, which the step ${step.from} -> ${step.to} does not build`);
    const source = migration.source ? locate(migration.source, step.from) : undefined;
    // One storage index is read from one storage index: a step that moved an A4C name into another
    // ES 1.x index would need a copy across storage indices, which no known step does.
    if (source && source.index !== row.es1Index) {
      throw new A4cAdminError(
        'MIGRATION_PATH',
        `The step ${step.from} -> ${step.to} moves ${migration.source} from the ES 1.x index ${source.index} to ${row.es1Index}: this tool cannot migrate that in place on Elasticsearch 1.x.`,
        { hint: 'Migrate into an Elasticsearch 8 cluster instead (`a4c-admin migrate <from> --target <url>`).' },
      );
    }
    (members[row.es1Index] ??= []).push({
      name: row.es8Index,
      type: row.es1Type,
      ...(migration.source && source ? { source: { name: migration.source, type: source.type } } : {}),
    });
    indices[row.es1Index] = fromIndices.has(row.es1Index) ? { source: row.es1Index } : {};
  }
  const toIndices = new Set(Object.keys(indices));
  const storage: MigrationStep = {
    ...step,
    indices,
    mappings: {},
    created: [...toIndices].filter((index) => !fromIndices.has(index)).sort(),
    dropped: [...fromIndices].filter((index) => !toIndices.has(index)).sort(),
  };
  return {
    layout: 'es1',
    step,
    storage,
    members,
    locate,
    definition(index, mark, source) {
      const sourceTypes = (source?.mappings ?? {}) as Record<string, { _ttl?: { enabled?: boolean; default?: unknown } } | undefined>;
      const mappings: Record<string, Record<string, unknown>> = {};
      for (const member of members[index] ?? []) {
        const ttl = member.source?.type ? sourceTypes[member.source.type]?._ttl : undefined;
        mappings[member.type!] = es1TypeMapping(step.mappings[member.name]!, {
          ttl: ttl?.enabled && (typeof ttl.default === 'string' || typeof ttl.default === 'number') ? ttl.default : null,
        });
      }
      return { mappings: withOwnershipMarkOnEachType(mappings, mark) };
    },
    marked: (mappings, mark) => withOwnershipMarkOnEachType(mappings as Record<string, Record<string, unknown>>, mark),
  };
}
