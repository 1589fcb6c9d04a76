// Applies one index's transform of a step to one document, with per-rule counters, and turns
// a rule's complaint into TRANSFORM_FAILED naming the index, the document and the rule.
import { A4cAdminError, type StoredDocument } from '@a4c-admin/core';
import { TransformRuleError } from './rules/transform-rule-error.js';
import type { MigrationStep, StepFacts } from './step.js';

/** Per-rule change counters, merged over documents. */
export type RuleCounts = Record<string, number>;

export interface TransformedDocument {
  document: StoredDocument;
  /** Changes each rule made to this document (rules that changed nothing are absent). */
  counts: RuleCounts;
}

export function addRuleCounts(total: RuleCounts, more: RuleCounts): void {
  for (const [rule, count] of Object.entries(more)) total[rule] = (total[rule] ?? 0) + count;
}

export interface TransformDocumentOptions {
  /**
   * The caller hands the document over and will not read it again: it is converted in place,
   * with no copy (a migration's hot path). Otherwise the input is never changed.
   */
  owned?: boolean;
}

/** Transforms one document of the target index `name` (its A4C name in the step's target version). */
export function transformDocument(
  step: MigrationStep,
  name: string,
  document: StoredDocument,
  facts: StepFacts = {},
  options: TransformDocumentOptions = {},
): TransformedDocument {
  const transform = step.indices[name]?.transform;
  if (!transform) return { document, counts: {} };
  const input = options.owned ? document : structuredClone(document);
  const counts: RuleCounts = {};
  const context = {
    facts,
    count(ruleId: string, changes = 1) {
      counts[ruleId] = (counts[ruleId] ?? 0) + changes;
    },
  };
  try {
    return { document: transform(input, context), counts };
  } catch (error) {
    const rule = error instanceof TransformRuleError ? error.ruleId : 'unknown';
    const path = error instanceof TransformRuleError ? error.path : undefined;
    throw new A4cAdminError(
      'TRANSFORM_FAILED',
      `Document "${document.id}" of index "${name}" cannot be migrated to ${step.to} (rule ${rule}): ${(error as Error).message}`,
      {
        hint: 'Fix or delete that document and run again, or run the migration with --quarantine (library: quarantine) to set such documents aside in a report and go on; `migrate --dry-run` lists every such document.',
        cause: error,
        details: { index: name, id: document.id, rule, path, from: step.from, to: step.to },
      },
    );
  }
}
