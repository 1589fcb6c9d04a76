// What an A4C name is on the cluster right now (absent, a plain index, an alias to versioned
// indices), and which phase of a step that layout means.
import { A4cAdminError, a4cIndexName, type MigrationStateStore, versionedIndexName } from '@a4c-admin/core';
import type { MigrationStep } from './step.js';

export type NameLayout =
  | { kind: 'absent' }
  /** A plain concrete index carrying the A4C name itself (a 1.1.0 installation). */
  | { kind: 'plain'; index: string }
  | { kind: 'alias'; indices: string[] };

export async function inspectNames(state: MigrationStateStore, names: string[], prefix: string): Promise<Record<string, NameLayout>> {
  const aliases = names.map((name) => a4cIndexName(name, prefix));
  const resolved = await state.resolve(aliases);
  const result: Record<string, NameLayout> = {};
  names.forEach((name, position) => {
    const alias = aliases[position]!;
    const indices = resolved[alias] ?? [];
    if (indices.length === 0) result[name] = { kind: 'absent' };
    else if (indices.length === 1 && indices[0] === alias) result[name] = { kind: 'plain', index: alias };
    else result[name] = { kind: 'alias', indices };
  });
  return result;
}

/** Source names of a step (the indices it reads, and those it drops). */
export function sourceNames(step: MigrationStep): string[] {
  const names = new Set<string>();
  for (const migration of Object.values(step.indices)) if (migration.source) names.add(migration.source);
  for (const name of step.dropped) names.add(name);
  return [...names].sort();
}

export type StepPhase =
  /** Nothing of the step is visible: sources are absent, plain, or aliases at the source version. */
  | 'before'
  /** The aliases already point at the target version: only the marker may be missing. */
  | 'swapped';

/** Which side of the step's atomic alias swap the cluster is on; PRECONDITION_FAILED for any other layout. */
export function stepPhase(step: MigrationStep, layouts: Record<string, NameLayout>, prefix: string): StepPhase {
  const targets = Object.keys(step.indices);
  const atTarget = (name: string) => {
    const layout = layouts[name];
    return layout?.kind === 'alias' && layout.indices.length === 1 && layout.indices[0] === versionedIndexName(name, step.to, prefix);
  };
  if (targets.every(atTarget)) return 'swapped';
  const unexpected: string[] = [];
  for (const name of sourceNames(step)) {
    const layout = layouts[name]!;
    if (layout.kind === 'alias' && !(layout.indices.length === 1 && layout.indices[0] === versionedIndexName(name, step.from, prefix))) {
      unexpected.push(`${a4cIndexName(name, prefix)} -> ${layout.indices.join(', ')}`);
    }
  }
  for (const name of targets.filter((target) => !sourceNames(step).includes(target))) {
    if (layouts[name]!.kind !== 'absent') unexpected.push(`${a4cIndexName(name, prefix)} exists although ${step.from} has no such index`);
  }
  if (unexpected.length > 0) {
    throw new A4cAdminError(
      'PRECONDITION_FAILED',
      `The A4C indices are neither at ${step.from} nor at ${step.to}: ${unexpected.slice(0, 5).join('; ')}${unexpected.length > 5 ? '; ...' : ''}.`,
      {
        hint: 'Another tool changed the aliases, or the index prefix is wrong. Check the aliases (GET _alias) and the configured prefix; restore the pre-migration backup if the layout cannot be explained.',
        details: { from: step.from, to: step.to, unexpected },
      },
    );
  }
  return 'before';
}
