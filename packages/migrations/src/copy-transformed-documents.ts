// Filling a target index from a source index through a step's rules, then checking the count:
// the part that a migration in place and a migration into another cluster share. The callers
// create the target and say, in the count-mismatch hint, what was (not) switched.
import { A4cAdminError, type IndexReader, type IndexWriter, isA4cAdminError, type StoredDocument } from '@a4c-admin/core';
import type { ProgressReporter } from '@a4c-admin/core/internal';
import { openFailureLog, TARGET_MAPPING_RULE } from './failure-log.js';
import type { IndexMigration, MigrationStep, StepFacts } from './step.js';
import type { RuleCounts } from './transform-document.js';
import { transformPages } from './transform-pages.js';

export interface TransformedCopy {
  step: MigrationStep;
  name: string;
  migration: IndexMigration;
  facts: StepFacts;
  /** Changes per rule over the whole step, shared by the indices built at the same time. */
  rules: RuleCounts;
  /** Where the documents are read (and counted first); on a multi-type cluster, one type of the index. */
  source: { reader: IndexReader; index: string; type?: string };
  /** Where they are written (and counted after); on a multi-type cluster, under that type. */
  target: { reader: IndexReader; writer: IndexWriter; index: string; type?: string };
  /** The source's documents when the caller counted them already (with the other indices', in one request). */
  sourceCount?: number;
  pageSize?: number;
  signal?: AbortSignal;
  /** Set aside what no rule can transform and what the target mappings reject. */
  quarantine?: { folder: string };
  /** Across clusters: the words that say which cluster each count is from. */
  clusters?: { source: string; target: string };
  /** What the operator reads when the counts differ: what was (not) switched, what to do. */
  mismatchHint: string;
}

export interface CopiedDocuments {
  read: number;
  written: number;
  quarantined: number;
}

/** Writes every document of the source index, transformed, into the target index; fails with COUNT_MISMATCH when the counts differ. */
export async function copyTransformedDocuments(copy: TransformedCopy, progress: ProgressReporter): Promise<CopiedDocuments> {
  const { step, name, migration, facts, rules, source, target } = copy;
  let read = 0;
  let written = 0;
  const sourceCount = copy.sourceCount ?? (await source.reader.count(source.index, { type: source.type })) ?? 0;
  progress.emit({ phase: 'index', kind: 'start', item: name, total: sourceCount });
  const quarantine = copy.quarantine ? await openFailureLog(copy.quarantine.folder, `quarantine-${name}.ndjson`) : undefined;
  try {
    const pages = countingPages(
      source.reader.read(source.index, { pageSize: copy.pageSize, signal: copy.signal, type: source.type, count: sourceCount }),
      (documents) => {
        read += documents;
      },
    );
    // The pages were parsed for this copy alone: the rules convert them in place.
    const transformed = transformPages(pages, { step, name, facts, counts: rules, quarantine, owned: true });
    const result = await target.writer
      .write(target.index, target.type === undefined ? transformed : underType(transformed, target.type), {
        signal: copy.signal,
        expected: sourceCount,
        progress: progress.child('migrate-write'),
        onRejected: quarantine
          ? ({ document, reason }) => quarantine.add({ index: name, id: document.id, rule: TARGET_MAPPING_RULE, error: reason, document })
          : undefined,
      })
      .catch((error: unknown) => {
        throw rejectedByTargetMapping(error, name, step);
      });
    written = result.written;
  } finally {
    await quarantine?.close();
  }
  const quarantined = quarantine?.count ?? 0;
  const expected = (migration.targetCount ?? ((count: number) => count))(sourceCount - quarantined);
  const counted = (await target.reader.count(target.index, { type: target.type })) ?? 0;
  if (read !== sourceCount || counted !== expected) {
    const onTarget = copy.clusters ? ` ${copy.clusters.target}` : '';
    const onSource = copy.clusters ? ` ${copy.clusters.source}` : '';
    throw new A4cAdminError(
      'COUNT_MISMATCH',
      `${located(target)} holds ${counted} documents${onTarget}, ${expected} expected (read ${read} of ${sourceCount} from ${located(source)}${onSource}).`,
      {
        hint: copy.mismatchHint,
        details: { index: name, source: source.index, target: target.index, sourceCount, read, written, quarantined, counted, expected },
      },
    );
  }
  progress.emit({ phase: 'index', kind: 'end', item: name, done: counted, total: expected });
  return { read, written, quarantined };
}

/** A document the target mappings reject, said in terms of the migration and its real options. */
export function rejectedByTargetMapping(error: unknown, name: string, step: MigrationStep): unknown {
  if (!isA4cAdminError(error) || error.code !== 'IMPORT_REJECTED' || error.details?.status !== 400) return error;
  return new A4cAdminError('IMPORT_REJECTED', `A document of index "${name}" does not fit the ${step.to} mappings: ${error.message}`, {
    hint: 'Nothing was switched: the aliases still point at the old indices. `a4c-admin migrate <from> --dry-run` lists every such document; fix or delete them, or run the migration with --quarantine to set them aside and go on.',
    cause: error,
    details: { ...error.details, index: name, from: step.from, to: step.to },
  });
}

/** The pages of an index absent from the source: none. */
export async function* emptyPages(): AsyncIterable<StoredDocument[]> {
  // An index absent from the source has no documents to give.
}

/** `index`, or `index/type` for one type of a multi-type index. */
function located(place: { index: string; type?: string }): string {
  return place.type === undefined ? place.index : `${place.index}/${place.type}`;
}

/** The documents written under the target's mapping type, whatever type they were read from. */
async function* underType(pages: AsyncIterable<StoredDocument[]>, type: string): AsyncIterable<StoredDocument[]> {
  for await (const page of pages) yield page.map((document) => (document.type === type ? document : { ...document, type }));
}

async function* countingPages(pages: AsyncIterable<StoredDocument[]>, onPage: (documents: number) => void): AsyncIterable<StoredDocument[]> {
  for await (const page of pages) {
    onPage(page.length);
    yield page;
  }
}
