// What one version step is made of: per-index document transforms (pure functions), the target
// mappings, the indices it creates or drops. The runner, the dry run and the export-folder
// migration all apply steps through these shapes.
import type { IndexDefinition, StoredDocument } from '@a4c-admin/core';

/** Facts gathered from the whole data set before transforming (joins a single document cannot see). */
export type StepFacts = Readonly<Record<string, unknown>>;

/** Handed to every transform: counters per rule and the step's facts. */
export interface TransformContext {
  /** Counts one change made by a rule (a map converted, a default wrapped, a key added). */
  count(ruleId: string, changes?: number): void;
  readonly facts: StepFacts;
}

/**
 * A deterministic function of one document: the same output for the same input and facts, and
 * an already-migrated document left as it is. It owns the document it is given and may convert
 * it in place (a migration hands over each parsed document once; `transformDocument` copies first
 * for a caller that keeps the original). It throws a TransformRuleError when a document has a
 * shape no rule expects.
 */
export type DocumentTransform = (document: StoredDocument, context: TransformContext) => StoredDocument;

/** How one index of the target version is built. */
export interface IndexMigration {
  /** The A4C name in the source version holding its documents; absent for an index new in the target. */
  source?: string;
  /** Absent when documents are copied unchanged (the mapping may still change). */
  transform?: DocumentTransform;
  /**
   * Documents expected in the target for a source count, when the step merges documents
   * (the 1.2.0 audit configuration keeps one singleton). Defaults to the source count.
   */
  targetCount?: (sourceCount: number) => number;
}

export interface RuleDescription {
  id: string;
  description: string;
}

export interface MigrationStep {
  from: string;
  to: string;
  /** Bumped whenever a rule's behaviour changes, so that the checksum changes with it. */
  revision: number;
  description: string;
  rules: readonly RuleDescription[];
  /** Every index of the target version, by A4C name. */
  indices: Readonly<Record<string, IndexMigration>>;
  /** The target version's index definitions, by A4C name. */
  mappings: Readonly<Record<string, IndexDefinition>>;
  /** A4C names new in the target version (created empty). */
  created: readonly string[];
  /** A4C names of the source version that the target no longer has. */
  dropped: readonly string[];
  /** Reads what the transforms need to know across documents; `read` yields nothing for an absent index. */
  collectFacts?: (read: (name: string) => AsyncIterable<StoredDocument[]>) => Promise<StepFacts>;
}
