// Streams pages of documents through one index's transform: per-rule counts, and failing
// documents either stop the run (TRANSFORM_FAILED) or go to a quarantine log.
import type { StoredDocument } from '@a4c-admin/core';
import { type FailureLog, failureOf } from './failure-log.js';
import type { MigrationStep, StepFacts } from './step.js';
import { addRuleCounts, type RuleCounts, transformDocument } from './transform-document.js';

export interface TransformPagesOptions {
  step: MigrationStep;
  /** The A4C name in the step's target version. */
  name: string;
  facts: StepFacts;
  /** Receives the per-rule counts as documents go by. */
  counts: RuleCounts;
  /** When given, a document that fails goes here and the stream goes on without it. */
  quarantine?: FailureLog;
  /** Without quarantine: where the failing document is recorded before the error stops the stream. */
  failureLog?: FailureLog;
  /** Sees every document that went through, before and after. */
  onDocument?: (before: StoredDocument, after: StoredDocument) => void;
  /**
   * The pages are the caller's to give away (parsed for this copy alone): documents are
   * converted in place, with no copy. Without it, and whenever a failure must record the
   * document as it was (quarantine, failure log) or `onDocument` sees it, each is copied first.
   */
  owned?: boolean;
}

export async function* transformPages(pages: AsyncIterable<StoredDocument[]>, options: TransformPagesOptions): AsyncIterable<StoredDocument[]> {
  const owned = options.owned === true && !options.quarantine && !options.failureLog && !options.onDocument;
  for await (const page of pages) {
    const transformed: StoredDocument[] = [];
    for (const document of page) {
      let result;
      try {
        result = transformDocument(options.step, options.name, document, options.facts, { owned });
      } catch (error) {
        if (!options.quarantine) {
          await options.failureLog?.add(failureOf(options.name, document, error));
          throw error;
        }
        await options.quarantine.add(failureOf(options.name, document, error));
        continue;
      }
      addRuleCounts(options.counts, result.counts);
      options.onDocument?.(document, result.document);
      transformed.push(result.document);
    }
    if (transformed.length > 0) yield transformed;
  }
}
