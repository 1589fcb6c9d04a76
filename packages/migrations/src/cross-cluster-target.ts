// What the target cluster of a cross-cluster migration holds under the A4C names, before
// anything is written to it. The target must hold no A4C data, except what an interrupted run
// of this same migration left: its versioned indices, each carrying a4c-admin's ownership mark
// for the target version, and (when it died between the alias swap and the marker) the
// aliases on them. Anything else (someone's indices under the A4C names, an A4C installation,
// a finished migration) is refused before the first write.
import { A4cAdminError, a4cIndexName, type IndexReader, type MigrationStateStore, versionedIndexName } from '@a4c-admin/core';
import { isVersionedIndexOf, ownershipMarkOf } from '@a4c-admin/core/internal';
import { inspectNames, sourceNames } from './migration-layout.js';
import type { MigrationStep } from './step.js';

export type TargetState =
  /** Nothing of A4C: build from scratch. */
  | { kind: 'empty' }
  /** Versioned indices of an interrupted run, no alias yet: delete them and build again. */
  | { kind: 'interrupted'; leftovers: string[] }
  /** Every A4C name already points at this migration's indices, the marker is missing: write it. */
  | { kind: 'swapped' };

export async function inspectTarget(
  step: MigrationStep,
  target: { reader: IndexReader; state: MigrationStateStore; indexPrefix: string; description?: string },
): Promise<TargetState> {
  const { state, reader, indexPrefix: prefix } = target;
  const refuse = (what: string, details: Record<string, unknown>) =>
    new A4cAdminError('PRECONDITION_FAILED', `The target cluster${target.description ? ` ${target.description}` : ''} ${what}; nothing was written to it.`, {
      hint: 'A migration across clusters writes into a cluster (or an index prefix) that holds no A4C data. Give another target or another target index_prefix, or delete those indices yourself once you know they are not needed.',
      details,
    });
  const marker = await state.readMarker();
  if (marker) {
    const finished =
      marker.version === step.to
        ? ` a finished A4C ${step.to} installation (data-version marker at ${marker.version})`
        : ` A4C data at ${marker.version} (data-version marker)`;
    throw refuse(`already holds${finished}`, { marker: marker.version });
  }
  const targets = Object.keys(step.indices).sort();
  const names = [...new Set([...targets, ...sourceNames(step)])].sort();
  const layouts = await inspectNames(state, names, prefix);
  const ours = new Set(targets.map((name) => versionedIndexName(name, step.to, prefix)));

  // Every versioned index of an A4C name, of any known version: only this migration's own may be there.
  const versioned = (await state.listIndices(`${prefix}*`)).filter((index) => names.some((name) => isVersionedIndexOf(index, a4cIndexName(name, prefix))));
  const foreign: string[] = [];
  for (const index of versioned) {
    if (!ours.has(index) || !isMarkedFor(await reader.definition(index).then((definition) => definition.mappings), step.to)) foreign.push(index);
  }
  const named = names.filter((name) => layouts[name]!.kind !== 'absent');
  const plain = named.filter((name) => layouts[name]!.kind === 'plain').map((name) => a4cIndexName(name, prefix));
  if (plain.length > 0 || foreign.length > 0) {
    throw refuse(
      `holds indices under the A4C names that this migration did not write: ${[...plain, ...foreign].slice(0, 6).join(', ')}${plain.length + foreign.length > 6 ? ', ...' : ''}`,
      {
        indices: [...plain, ...foreign],
      },
    );
  }
  if (named.length === 0) return versioned.length === 0 ? { kind: 'empty' } : { kind: 'interrupted', leftovers: versioned };
  const swapped =
    named.length === targets.length &&
    targets.every((name) => {
      const layout = layouts[name]!;
      return layout.kind === 'alias' && layout.indices.length === 1 && layout.indices[0] === versionedIndexName(name, step.to, prefix);
    });
  if (swapped) return { kind: 'swapped' };
  throw refuse(`has A4C names as aliases this migration would not have left: ${named.map((name) => a4cIndexName(name, prefix)).join(', ')}`, {
    aliases: named.map((name) => a4cIndexName(name, prefix)),
  });
}

function isMarkedFor(mappings: Record<string, unknown> | undefined, version: string): boolean {
  const mark = ownershipMarkOf(mappings);
  return mark?.role === 'migration' && mark.version === version;
}
