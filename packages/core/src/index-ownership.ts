// Which indices a4c-admin made itself. A restore may delete leftovers of a migration, but a
// name that merely looks like one (`user-visits` next to A4C's `user`, `application-v2-archive`)
// can belong to anyone sharing the cluster. So ownership is known positively, never guessed
// from a pattern: every index the tool creates (a migration's adoption copy or target) carries
// a mark in its mappings' `_meta`, which travels with the index through snapshots and exports,
// and a leftover is only ever one of the exact versioned names the tool gives its indices.
import { allA4cIndexNames, allEs1IndexNames, isVersionedIndexOf, KNOWN_DATA_VERSIONS, versionedIndexName } from './a4c-model/index.js';

/** The `_meta` key the tool sets on the mappings of the indices it creates. */
export const OWNERSHIP_META_KEY = 'a4c_admin';

export interface OwnershipMark {
  madeBy: 'a4c-admin';
  /** Why the tool made it: `adoption` (copy of a plain index), `migration` (a step's target). */
  role: 'adoption' | 'migration';
  /** The A4C data version the index holds. */
  version: string;
}

/** The mappings with the tool's ownership mark added to their `_meta` (other `_meta` keys kept). */
export function withOwnershipMark(mappings: Record<string, unknown>, mark: Omit<OwnershipMark, 'madeBy'>): Record<string, unknown> {
  const meta = (mappings._meta && typeof mappings._meta === 'object' ? mappings._meta : {}) as Record<string, unknown>;
  return { ...mappings, _meta: { ...meta, [OWNERSHIP_META_KEY]: { madeBy: 'a4c-admin', ...mark } satisfies OwnershipMark } };
}

/**
 * The mappings of a multi-type index (ES 1.x-5.x: `{ indexednodetype: {...}, indexedcapabilitytype: {...} }`)
 * with the ownership mark on each type: those servers keep `_meta` per type.
 */
export function withOwnershipMarkOnEachType(
  mappingsByType: Record<string, Record<string, unknown>>,
  mark: Omit<OwnershipMark, 'madeBy'>,
): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.entries(mappingsByType).map(([type, mappings]) => [type, withOwnershipMark(mappings, mark)]));
}

/**
 * The tool's ownership mark the mappings carry, or undefined when they carry none: on typeless
 * mappings, in their `_meta`; on the per-type mappings of a multi-type index, the same mark on
 * every type (a type added by someone else makes the index not only the tool's).
 */
export function ownershipMarkOf(mappings: Record<string, unknown> | undefined): OwnershipMark | undefined {
  const own = markIn(mappings);
  if (own || !mappings) return own;
  const types = Object.entries(mappings).filter(([type]) => type !== '_default_');
  if (types.length === 0) return undefined;
  const marks = types.map(([, typeMappings]) =>
    typeMappings && typeof typeMappings === 'object' ? markIn(typeMappings as Record<string, unknown>) : undefined,
  );
  const first = marks[0];
  return first && marks.every((mark) => mark?.role === first.role && mark.version === first.version) ? first : undefined;
}

function markIn(mappings: Record<string, unknown> | undefined): OwnershipMark | undefined {
  const meta = mappings?._meta as Record<string, unknown> | undefined;
  const mark = meta?.[OWNERSHIP_META_KEY] as Partial<OwnershipMark> | undefined;
  return mark?.madeBy === 'a4c-admin' ? (mark as OwnershipMark) : undefined;
}

/** True when the mappings carry the tool's ownership mark. */
export function hasOwnershipMark(mappings: Record<string, unknown> | undefined): boolean {
  return ownershipMarkOf(mappings) !== undefined;
}

/** What tells whether the tool made an existing index: its mark, and the name it was created under. */
export interface IndexOwnershipFacts {
  /** The tool's ownership mark in its mappings' `_meta`, if any. */
  mark?: OwnershipMark;
  /** `index.provided_name`: the name it was created under (kept by a snapshot restore; absent before 5.0). */
  providedName?: string;
}

/**
 * Whether the tool made `index`, found under one of its versioned names for the plain A4C
 * index `plain`: it carries the tool's mark (adoption copies, migration targets), or it is the
 * restore of `plain` from a migration's rollback snapshot under that name (a restore keeps the
 * source's settings, so its provided name is `plain`, which an index created under the
 * versioned name never has).
 */
export function isToolsVersionedIndex(facts: IndexOwnershipFacts | undefined, plain: string): boolean {
  return facts?.mark !== undefined || facts?.providedName === plain;
}

/**
 * Every exact name the tool may give a versioned index: `<prefix><A4C name>-v<known version>`,
 * for the names of both layouts (ES 8 names, and ES 1.x indices such as toscaelement).
 * A finite list, never a pattern: `<prefix>application-v2-archive` is not on it.
 */
export function toolVersionedIndexNames(prefix = ''): string[] {
  return [...new Set([...allA4cIndexNames(prefix), ...allEs1IndexNames(prefix)])]
    .flatMap((name) => KNOWN_DATA_VERSIONS.map((version) => versionedIndexName(name, version)))
    .sort();
}

/** True when `index` is `name` itself or one of the exact versioned names the tool gives `name`. */
export function isA4cConcreteIndexOf(index: string, name: string): boolean {
  return index === name || isVersionedIndexOf(index, name);
}
