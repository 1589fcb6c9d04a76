// The registry of version steps, keyed by target version, and the planner that chains them.
import { A4cAdminError, compareVersions, parseVersion } from '@a4c-admin/core';
import type { MigrationStep } from './step.js';
import { STEP_1_2_0 } from './steps/step-1.2.0.js';

const STEPS_BY_TARGET: ReadonlyMap<string, MigrationStep> = new Map([[STEP_1_2_0.to, STEP_1_2_0]]);

/** Every registered step, oldest first. */
export function migrationSteps(): MigrationStep[] {
  return [...STEPS_BY_TARGET.values()].sort((a, b) => compareVersions(a.to, b.to));
}

/** The registered step that produces `version`, if any. */
export function stepTo(version: string): MigrationStep | undefined {
  return STEPS_BY_TARGET.get(version);
}

/** The data versions the registry knows (every step's source and target). */
export function supportedVersions(): string[] {
  const versions = new Set<string>();
  for (const step of STEPS_BY_TARGET.values()) versions.add(step.from).add(step.to);
  return [...versions].sort(compareVersions);
}

/** The ordered chain of steps from `from` to `to`; MIGRATION_PATH when there is none. */
export function planMigration(from: string, to: string): MigrationStep[] {
  parseVersion(from);
  parseVersion(to);
  const known = supportedVersions().join(', ');
  if (compareVersions(from, to) === 0) {
    throw new A4cAdminError('MIGRATION_PATH', `The data is already at version ${to}: there is nothing to migrate.`, {
      hint: 'Check the versions (`a4c-admin migrate <from> --to <version>`); a migration needs a later target version.',
      details: { from, to },
    });
  }
  if (compareVersions(from, to) > 0) {
    throw new A4cAdminError('MIGRATION_PATH', `Cannot migrate backwards from ${from} to ${to}.`, {
      hint: 'To go back to an older version, roll the migration back (its old indices are kept until finalized) or restore the pre-migration backup.',
      details: { from, to },
    });
  }
  const chain: MigrationStep[] = [];
  let current = to;
  while (compareVersions(current, from) > 0) {
    const step = STEPS_BY_TARGET.get(current);
    if (!step) break;
    chain.unshift(step);
    current = step.from;
  }
  if (current !== from || chain.length === 0) {
    throw new A4cAdminError('MIGRATION_PATH', `No migration path from ${from} to ${to}.`, {
      hint: `Known data versions: ${known}. Each step goes to the next version (for example 1.1.0 -> 1.2.0).`,
      details: { from, to, knownVersions: supportedVersions() },
    });
  }
  return chain;
}
