// Applies the migration steps to an export instead of a cluster: a folder of NDJSON files
// (bulk format or elasticdump `--type=data`, optionally gzipped, from an ES 8 cluster or from
// A4C's own ES 1.x cluster with its `_type`s), or a4c-admin's own export folder, in; bulk NDJSON
// files of the target version out, one per index. Pure file to file: no Elasticsearch needed.
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { A4cAdminError, type ProgressListener, type StoredDocument } from '@a4c-admin/core';
import { createProgressReporter, openRegularFile, toolOwnIndexNames } from '@a4c-admin/core/internal';
import { openFailureLog } from '../failure-log.js';
import { planMigration } from '../registry.js';
import type { MigrationStep, StepFacts } from '../step.js';
import { addRuleCounts, type RuleCounts, transformDocument } from '../transform-document.js';
import { type A4cNameOf, a4cNameResolver } from './a4c-document-name.js';
import { type ExportFile, exportFileStem, findExportFiles } from './export-files.js';
import { createNdjsonDocumentParser, type ParsedDocument } from './ndjson-document-parser.js';

export interface MigrateExportFolderOptions {
  /**
   * Folder holding `<index>.ndjson`, `.ndjson.gz`, `.json` or `.json.gz` files, or an a4c-admin
   * export folder (its manifest lists the chunks to read), or a backup made with `--format export`.
   */
  source: string;
  /** Folder to write `<index>.ndjson` into; must not exist yet or be empty. */
  destination: string;
  from: string;
  to: string;
  /** Prefix carried by the index names of the export, taken off to find the A4C name. */
  indexPrefix?: string;
  /** Set documents no rule can transform aside into `<destination>/quarantine.ndjson` and go on. */
  quarantine?: boolean;
  onProgress?: ProgressListener;
}

export interface ExportIndexResult {
  read: number;
  written: number;
  failed: number;
  /**
   * Documents not written because another one of the index has the same id: a step rewrote ids
   * so that they collide (several 1.1.0 audit configurations all become the 1.2.0 `singleton`),
   * or the export held a document twice. An index holds one document an id, as Elasticsearch would.
   */
  merged: number;
}

export interface MigrateExportFolderResult {
  from: string;
  to: string;
  /** Per A4C name of the target version. */
  indices: Record<string, ExportIndexResult>;
  rules: RuleCounts;
  /** Files written, one per index that has documents. */
  files: string[];
  quarantineFile: string | undefined;
  /**
   * Documents left out, by the index the export names: those of a4c-admin's own indices (its
   * data-version marker, its snapshot metadata), which a dump of the whole cluster takes along
   * and which hold no A4C data.
   */
  skipped: Record<string, number>;
}

/** a4c-admin's own indices (without the prefix, as `nameOf` gives names): no A4C data to migrate. */
const TOOL_OWN_INDICES = new Set(toolOwnIndexNames());

export async function migrateExportFolder(options: MigrateExportFolderOptions): Promise<MigrateExportFolderResult> {
  const progress = createProgressReporter('migrate-export', options.onProgress);
  const steps = planMigration(options.from, options.to);
  const source = resolve(options.source);
  const destination = resolve(options.destination);
  if (source === destination) {
    throw new A4cAdminError('USAGE', 'The migrated export cannot be written over its source.', {
      hint: 'Give another destination folder; the source export stays as it is.',
      details: { source, destination },
    });
  }
  const { files } = await findExportFiles(source);
  await prepareDestination(destination);
  // Written beside the destination's final files, renamed in at the end: a half-written export never looks complete.
  const staging = join(destination, `.partial-${process.pid}-${Date.now()}`);
  await mkdir(staging, { recursive: true });
  const failures = options.quarantine ? await openFailureLog(destination, 'quarantine.ndjson') : undefined;
  const result: MigrateExportFolderResult = { from: options.from, to: options.to, indices: {}, rules: {}, files: [], quarantineFile: undefined, skipped: {} };
  const outputs = new Map<string, WriteStream>();
  const ids = new OutputIds();
  const nameOf = a4cNameResolver(options.from, options.indexPrefix ?? '');
  try {
    const first = steps[0]!;
    const facts = await collectAllFacts(steps, files, nameOf);
    for await (const parsed of readDocuments(files)) {
      const name = nameOf(parsed);
      if (TOOL_OWN_INDICES.has(name)) {
        const index = parsed.index ?? parsed.fileStem;
        result.skipped[index] = (result.skipped[index] ?? 0) + 1;
        continue;
      }
      if (!(name in first.indices) && !first.dropped.includes(name)) {
        const where = parsed.type !== undefined && parsed.type !== name ? `"${name}" (type "${parsed.type}")` : `"${name}"`;
        throw new A4cAdminError('EXPORT_INVALID', `The export holds a document of ${where}, which is not an A4C ${options.from} index.`, {
          hint: 'Export only the A4C indices, or set the index prefix the export was made with.',
          details: { index: name, type: parsed.type, id: parsed.document.id },
        });
      }
      let current: { name: string; document: StoredDocument } | undefined = { name, document: parsed.document };
      for (const [position, step] of steps.entries()) {
        const target = targetName(step, current.name);
        if (target === undefined) {
          current = undefined; // The index was dropped by this step.
          break;
        }
        const entry = (result.indices[target] ??= { read: 0, written: 0, failed: 0, merged: 0 });
        if (position === steps.length - 1) entry.read += 1;
        try {
          // Parsed from its line for this pass alone: converted in place unless a failure must be recorded as it was.
          const transformed = transformDocument(step, target, current.document, facts[position], { owned: !failures });
          addRuleCounts(result.rules, transformed.counts);
          current = { name: target, document: transformed.document };
        } catch (error) {
          if (!failures) throw error;
          await failures.add({
            index: target,
            id: current.document.id,
            rule: String((error as A4cAdminError).details?.rule),
            error: (error as Error).message,
            document: current.document,
          });
          entry.failed += 1;
          current = undefined;
          break;
        }
      }
      if (!current) continue;
      const entry = result.indices[current.name]!;
      if (current.document.id !== parsed.document.id) {
        // Written last: a document that already carries the id it was rewritten to wins.
        if (!ids.defer(current.name, current.document)) entry.merged += 1;
      } else if (ids.claim(current.name, current.document.id)) {
        await writeLine(outputs, staging, current.name, current.document);
        entry.written += 1;
      } else {
        entry.merged += 1;
      }
    }
    for (const [name, document] of ids.deferred()) {
      const entry = result.indices[name]!;
      if (ids.claim(name, document.id)) {
        await writeLine(outputs, staging, name, document);
        entry.written += 1;
      } else {
        entry.merged += 1;
      }
    }
    for (const [name, stream] of outputs) {
      await closeStream(stream);
      const file = join(destination, `${name}.ndjson`);
      await rename(join(staging, `${name}.ndjson`), file);
      result.files.push(file);
      progress.emit({ phase: 'write', kind: 'progress', item: name, done: result.indices[name]?.written });
    }
    result.files.sort();
  } finally {
    for (const stream of outputs.values()) stream.destroy();
    await failures?.close();
    await rm(staging, { recursive: true, force: true });
  }
  result.quarantineFile = failures && failures.count > 0 ? failures.file : undefined;
  return result;
}

async function prepareDestination(destination: string): Promise<void> {
  const existing = await readdir(destination).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  if (existing.length > 0) {
    throw new A4cAdminError('PRECONDITION_FAILED', `The destination folder ${destination} is not empty.`, {
      hint: 'Give a new or empty folder: the migrated export is never mixed with other files.',
      details: { destination },
    });
  }
  await mkdir(destination, { recursive: true });
}

/** The target A4C name that reads `name`, or undefined when the step drops it. */
function targetName(step: MigrationStep, name: string): string | undefined {
  for (const [target, migration] of Object.entries(step.indices)) if (migration.source === name) return target;
  return undefined;
}

/** The documents of every file, in order, each named by its line (or its file) and type. */
async function* readDocuments(files: ExportFile[]): AsyncIterable<ParsedDocument & { fileStem: string }> {
  for (const { path: file, documents: expected } of files) {
    const input = (await openRegularFile(file, { noFollow: true, what: 'The export chunk', code: 'EXPORT_INVALID' })).createReadStream();
    const lines = createInterface({ input: file.endsWith('.gz') ? input.pipe(createGunzip()) : input, crlfDelay: Infinity });
    const parser = createNdjsonDocumentParser(basename(file));
    const fileStem = exportFileStem(basename(file));
    let count = 0;
    try {
      for await (const line of lines) {
        const parsed = parser.push(line);
        if (parsed) {
          count += 1;
          yield { ...parsed, fileStem };
        }
      }
    } catch (error) {
      if (error instanceof A4cAdminError) throw error;
      throw new A4cAdminError('EXPORT_INVALID', `Cannot read ${file}: ${(error as Error).message}`, {
        hint: 'Check that the file is complete (and a valid gzip file when it ends in .gz).',
        cause: error,
        details: { file },
      });
    } finally {
      input.destroy();
    }
    parser.end();
    if (expected !== undefined && count !== expected) {
      throw new A4cAdminError('EXPORT_INVALID', `${file} holds ${count} documents; its export manifest says ${expected}.`, {
        hint: 'The export is damaged: export again, or copy it again from the original.',
        details: { file, documents: count, expected },
      });
    }
  }
}

/** Which ids each output index holds, and the documents whose id a step rewrote, written last. */
class OutputIds {
  private readonly written = new Map<string, Set<string>>();
  private readonly waiting = new Map<string, Map<string, StoredDocument>>();

  /** True when `id` was not written to `name` yet (and now counts as written). */
  claim(name: string, id: string): boolean {
    let ids = this.written.get(name);
    if (!ids) this.written.set(name, (ids = new Set()));
    if (ids.has(id)) return false;
    ids.add(id);
    return true;
  }

  /** Keeps a rewritten document for the end; false when another one with its id already waits (the first is kept). */
  defer(name: string, document: StoredDocument): boolean {
    let documents = this.waiting.get(name);
    if (!documents) this.waiting.set(name, (documents = new Map()));
    if (documents.has(document.id)) return false;
    documents.set(document.id, document);
    return true;
  }

  *deferred(): Iterable<[string, StoredDocument]> {
    for (const [name, documents] of this.waiting) for (const document of documents.values()) yield [name, document];
  }
}

/** Facts of each step. Only the first step's can be read from the export (later ones would need earlier output). */
async function collectAllFacts(steps: MigrationStep[], files: ExportFile[], nameOf: A4cNameOf): Promise<StepFacts[]> {
  return Promise.all(
    steps.map(async (step, position) => {
      if (!step.collectFacts || position > 0) return {};
      return step.collectFacts(async function* (name) {
        const page: StoredDocument[] = [];
        for await (const parsed of readDocuments(files)) if (nameOf(parsed) === name) page.push(parsed.document);
        if (page.length > 0) yield page;
      });
    }),
  );
}

async function writeLine(outputs: Map<string, WriteStream>, folder: string, name: string, document: StoredDocument): Promise<void> {
  let stream = outputs.get(name);
  if (!stream) {
    stream = createWriteStream(join(folder, `${name}.ndjson`));
    outputs.set(name, stream);
  }
  const action: Record<string, string> = { _index: name, _id: document.id };
  if (document.routing !== undefined) action.routing = document.routing;
  const text = `${JSON.stringify({ index: action })}\n${JSON.stringify(document.source)}\n`;
  if (!stream.write(text)) await new Promise<void>((resolveDrain) => stream!.once('drain', resolveDrain));
}

async function closeStream(stream: WriteStream): Promise<void> {
  await new Promise<void>((resolveEnd, reject) => {
    stream.once('error', reject);
    stream.end(() => resolveEnd());
  });
}
