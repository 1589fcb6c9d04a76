// A dry run: reads every index and transforms every document as the migration would, writing
// a report folder (counts per index and rule, before/after samples, failed documents) and
// touching nothing in the cluster.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  A4cAdminError,
  a4cIndexName,
  type IndexReader,
  LATEST_DATA_VERSION,
  type MappingValidator,
  type MigrationStateStore,
  type ProgressListener,
  type StoredDocument,
} from '@a4c-admin/core';
import { createProgressReporter } from '@a4c-admin/core/internal';
import { inspectTarget } from './cross-cluster-target.js';
import { currentDataVersion } from './data-version.js';
import { openFailureLog, TARGET_MAPPING_RULE } from './failure-log.js';
import { inspectNames, sourceNames } from './migration-layout.js';
import { planMigration } from './registry.js';
import { crossClusterStep, type MigrationSource, presentInSource } from './run-cross-cluster-migration.js';
import type { StepFacts } from './step.js';
import { stepChecksum } from './step-checksum.js';
import { storageStep } from './storage-step.js';
import type { RuleCounts } from './transform-document.js';
import { transformPages } from './transform-pages.js';

export interface DryRunMigrationOptions {
  from?: string;
  /** The target data version: the newest one this tool knows unless given. */
  to?: string;
  reader: IndexReader;
  state: MigrationStateStore;
  indexPrefix?: string;
  /** Created if needed; gets report.json, samples/<index>.json and failures.ndjson. */
  reportFolder: string;
  /** Record documents no rule can transform in the report and go on, instead of failing. */
  quarantine?: boolean;
  /**
   * Checks every transformed document against the target mappings (nothing is written): those
   * the migration's bulk writes would reject are reported as failures (rule `target-mapping`).
   * Without it, only the transform rules are checked.
   */
  validator?: MappingValidator;
  /** Before/after pairs kept per index (3 by default). */
  samplesPerIndex?: number;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
  pageSize?: number;
  /**
   * Dry run of a migration into another cluster: documents are read from `source`; `reader`,
   * `state` and `validator` are the target's, which is checked as the real run would (refused
   * when it holds A4C data) and never written to.
   */
  source?: MigrationSource;
}

export interface DryRunIndexReport {
  /** What was read (an alias or a plain index), or undefined when absent/new. */
  source: string | undefined;
  read: number;
  /** Documents the real run would write (merged documents counted once). */
  wouldWrite: number;
  failed: number;
  rules: RuleCounts;
}

export interface DryRunStepReport {
  from: string;
  to: string;
  checksum: string;
  indices: Record<string, DryRunIndexReport>;
  rules: RuleCounts;
}

export interface DryRunReport {
  from: string;
  to: string;
  status: 'ok' | 'failures' | 'up-to-date';
  steps: DryRunStepReport[];
  failed: number;
  reportFolder: string;
  /** The report files: report.json, samples, failures. */
  files: { report: string; failures: string | undefined; samples: string };
}

export async function dryRunMigration(input: DryRunMigrationOptions): Promise<DryRunReport> {
  const options = { ...input, to: input.to ?? LATEST_DATA_VERSION };
  const progress = createProgressReporter('dry-run', options.onProgress);
  const prefix = options.indexPrefix ?? '';
  const samplesFolder = join(options.reportFolder, 'samples');
  await mkdir(samplesFolder, { recursive: true });
  const current = options.source ? { version: crossClusterStep(options.from, options.to).from } : await currentDataVersion(options.state, options.from);
  const reportFile = join(options.reportFolder, 'report.json');
  const report: DryRunReport = {
    from: current.version,
    to: options.to,
    status: 'up-to-date',
    steps: [],
    failed: 0,
    reportFolder: options.reportFolder,
    files: { report: reportFile, failures: undefined, samples: samplesFolder },
  };
  if (current.version === options.to) {
    await writeFile(reportFile, `${JSON.stringify(report, null, 2)}\n`);
    return report;
  }
  const steps = planMigration(current.version, options.to);
  if (steps.length > 1) {
    // Later steps would read the output of earlier ones, which a dry run does not write.
    throw new A4cAdminError('MIGRATION_PATH', `A dry run covers one version step; ${current.version} -> ${options.to} takes ${steps.length}.`, {
      hint: `Dry-run to ${steps[0]!.to} first.`,
      details: { steps: steps.map((step) => `${step.from} -> ${step.to}`) },
    });
  }
  const step = steps[0]!;
  const failures = await openFailureLog(options.reportFolder, 'failures.ndjson');
  try {
    // Across clusters the documents come from the source, under its own prefix.
    const reader = options.source?.reader ?? options.reader;
    const sourcePrefix = options.source ? (options.source.indexPrefix ?? '') : prefix;
    // Where the documents of a source A4C name are read: an index (and on a multi-type cluster
    // its type); undefined for a name the source does not hold.
    let locate: (name: string) => { index: string; type?: string } | undefined;
    if (options.source) {
      await inspectTarget(step, { reader: options.reader, state: options.state, indexPrefix: prefix });
      const present = await presentInSource(step, options.source);
      locate = (name) => (present.has(name) ? { index: a4cIndexName(name, sourcePrefix) } : undefined);
    } else {
      const stored = storageStep(step, await options.state.storageLayout());
      const layouts = await inspectNames(options.state, sourceNames(stored.storage), prefix);
      locate = (name) => {
        const at = stored.locate(name, step.from);
        return at && layouts[at.index]?.kind !== 'absent' ? { index: a4cIndexName(at.index, prefix), type: at.type } : undefined;
      };
    }
    const read = (name: string) => {
      const at = locate(name);
      return at ? reader.read(at.index, { pageSize: options.pageSize, signal: options.signal, type: at.type }) : noPages();
    };
    const facts: StepFacts = step.collectFacts ? await step.collectFacts(read) : {};
    let validator = options.validator;
    const stepReport: DryRunStepReport = { from: step.from, to: step.to, checksum: stepChecksum(step), indices: {}, rules: {} };
    for (const [name, migration] of Object.entries(step.indices)) {
      if (options.signal?.aborted) throw new A4cAdminError('CANCELLED', 'The dry run was cancelled.', { hint: 'Nothing was changed; run it again.' });
      const at = migration.source ? locate(migration.source) : undefined;
      const source = at && (at.type === undefined ? at.index : `${at.index}/${at.type}`);
      const index: DryRunIndexReport = { source, read: 0, wouldWrite: 0, failed: 0, rules: {} };
      stepReport.indices[name] = index;
      if (!source) continue;
      progress.emit({ phase: 'index', kind: 'start', item: name });
      const samples: Array<{ before: StoredDocument; after: StoredDocument }> = [];
      const failedBefore = failures.count;
      let transformed = 0;
      let rejectedByMapping = 0;
      const quarantine = options.quarantine ? failures : undefined;
      for await (const page of transformPages(read(migration.source!), {
        step,
        name,
        facts,
        counts: index.rules,
        quarantine,
        failureLog: failures,
        onDocument(before, after) {
          if (samples.length < (options.samplesPerIndex ?? 3)) samples.push({ before, after });
        },
      })) {
        transformed += page.length;
        const rejections = validator ? await validator.validate(step.mappings[name]!, page) : [];
        if (rejections === undefined) {
          validator = undefined;
          progress.emit({
            phase: 'index',
            kind: 'warning',
            item: name,
            message:
              'this Elasticsearch cannot check documents against the target mappings (_ingest/_simulate with template substitutions needs 8.14 or later): only the transform rules were checked',
          });
        }
        for (const rejection of rejections ?? []) {
          rejectedByMapping += 1;
          await failures.add({ index: name, id: rejection.document.id, rule: TARGET_MAPPING_RULE, error: rejection.reason, document: rejection.document });
        }
      }
      index.failed = failures.count - failedBefore;
      // Read = transformed + those no rule could transform; mapping rejections were transformed.
      index.read = transformed + index.failed - rejectedByMapping;
      index.wouldWrite = (migration.targetCount ?? ((count: number) => count))(index.read - index.failed);
      for (const [rule, count] of Object.entries(index.rules)) stepReport.rules[rule] = (stepReport.rules[rule] ?? 0) + count;
      if (samples.length > 0) await writeFile(join(samplesFolder, `${name}.json`), `${JSON.stringify(samples, null, 2)}\n`);
      progress.emit({ phase: 'index', kind: 'end', item: name, done: index.read });
    }
    report.steps.push(stepReport);
    report.failed = failures.count;
    report.status = failures.count > 0 ? 'failures' : 'ok';
  } finally {
    await failures.close();
    report.files.failures = failures.count > 0 ? failures.file : undefined;
    await writeFile(reportFile, `${JSON.stringify(report, null, 2)}\n`);
  }
  return report;
}

async function* noPages(): AsyncIterable<StoredDocument[]> {
  // An absent index has nothing to read.
}
