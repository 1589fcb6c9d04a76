// The README's first command, as CI runs it: the operator's path from A4C 1.1.0 on its own
// Elasticsearch 1.7 to A4C 1.2.0 on Elasticsearch 8.19. The demo must end with its summary table,
// stop the nodes it started, find the 1.7 source unchanged and every index identical after the
// restore; the 1.2.0 documents the 8.19 target served (read back from the demo's own export
// backup of it, `backup120`) must equal the shared expected 1.2.0 documents of the samples and
// of their multiplied copies, index by index and id by id. It runs on the built packages, on
// nodes of its own (ports 9240 and 9250).
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import {
  es1IndexDefinitions,
  es1SampleDocuments,
  readSampleDocuments,
  readSampleMappings,
  type SampleDocument,
  withMultipliedCopies,
} from '@a4c-admin/sample-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./main.mjs', import.meta.url));
/** The spec's expected 1.2.0 documents of the samples, as the migration tests read them. */
const EXPECTED_FOLDER = fileURLToPath(new URL('../../packages/migrations/test-fixtures/expected-1.2.0/', import.meta.url));
/** The demo's copies of the sample application (its MULTIPLY). */
const MULTIPLY = 50;
/** What rule P1 adds to a cloudify 3 orchestrator's configuration (the spec leaves plugin-owned data alone). */
const CLOUDIFY3_SETTINGS = { delayBetweenDeploymentStatusPolling: 30, delayBetweenInProgressDeploymentStatusPolling: 5, delayBetweenLogPolling: 2 };

/** The documents of bulk NDJSON text: an action line (`_index`, `_id`), then the source. */
function bulkDocuments(text: string): SampleDocument[] {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const documents: SampleDocument[] = [];
  for (let position = 0; position < lines.length; position += 2) {
    const action = (JSON.parse(lines[position]!) as { index: { _index: string; _id: string } }).index;
    documents.push({ index: action._index, id: action._id, source: JSON.parse(lines[position + 1]!) as Record<string, unknown> });
  }
  return documents;
}

/** Index -> id -> source, to compare whatever order the documents came in. */
function byIndexAndId(documents: SampleDocument[]): Record<string, Record<string, unknown>> {
  const result: Record<string, Record<string, unknown>> = {};
  for (const document of documents) {
    result[document.index] ??= {};
    expect(result[document.index]![document.id], `${document.index}/${document.id} twice`).toBeUndefined();
    result[document.index]![document.id] = document.source;
  }
  return result;
}

/** The expected 1.2.0 documents of the demo's installation: the spec's, with P1, then their copies. */
function expectedDocuments(): SampleDocument[] {
  const expected = readdirSync(EXPECTED_FOLDER)
    .filter((file) => file.endsWith('.ndjson'))
    .flatMap((file) => bulkDocuments(readFileSync(join(EXPECTED_FOLDER, file), 'utf8')))
    .map((document) =>
      document.index === 'orchestratorconfiguration'
        ? { ...document, source: { ...document.source, configuration: { ...(document.source.configuration as object), ...CLOUDIFY3_SETTINGS } } }
        : document,
    );
  // Copying commutes with the migration: a copy renames the application's ids and names
  // wherever they appear, and no rule reads them.
  return withMultipliedCopies(expected, MULTIPLY);
}

/** Every document of an a4c-admin export folder, through its manifest's chunks. */
function exportedDocuments(folder: string): SampleDocument[] {
  const manifest = JSON.parse(readFileSync(join(folder, 'export-manifest.json'), 'utf8')) as { indices: { index: string; chunks: { file: string }[] }[] };
  return manifest.indices.flatMap((entry) =>
    entry.chunks.flatMap((chunk) => bulkDocuments(gunzipSync(readFileSync(join(folder, chunk.file))).toString('utf8'))),
  );
}

describe('the demo', () => {
  let folder: string;
  let output: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'a4c-demo-'));
    output = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        [script],
        { timeout: 600_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, A4C_DEMO_DIR: folder } },
        (error, stdout, stderr) => (error ? reject(new Error(`demo failed (${error.code}): ${stdout}\n${stderr}`)) : resolve(stdout)),
      );
    });
  }, 660_000);

  afterAll(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('backs up, verifies, migrates in place and rolls back on Elasticsearch 1.7, migrates into 8.19, backs up and restores there, prints the summary and stops its nodes', () => {
    expect(output).toMatch(/^Summary$/m);
    for (const step of [
      'backup 1.1.0 (ES 1.7)',
      'verify backup110 (ES 1.7)',
      'migrate 1.1.0 in place (ES 1.7)',
      'migrate 1.1.0 --rollback (ES 1.7)',
      'migrate 1.1.0 --target (ES 1.7 -> 8.19)',
      'doctor (ES 8.19)',
      'backup 1.2.0 --format export (ES 8.19)',
      'restore 1.2.0 --indices application (ES 8.19)',
      'list',
    ]) {
      expect(output).toMatch(new RegExp(`^${step.replace(/[.*+?^${}()|[\]\\>]/g, '\\$&')}\\s+\\d+\\.\\d+s\\s+\\S`, 'm'));
    }
    expect(output).toMatch(/^verify backup110 \(ES 1\.7\)\s+\S+\s+backup "backup110" is whole/m);
    expect(output).toMatch(/^list\s+\S+\s+.*backup110 \(complete, A4C 1\.1\.0, snapshot/m);
    // In place on 1.7: every ES 1.x name on its 1.2.0 index, every type counted; the rollback exact.
    expect(output).toMatch(/(\d+) ES 1\.x index names, each an alias of its 1\.2\.0 index; (\d+)\/\2 types hold as many documents as before/);
    expect(output).toMatch(/after the rollback: (\d+)\/\1 ES 1\.x indices serve exactly the 1\.1\.0 documents/);
    expect(output).toMatch(/(\d+) A4C names, each an alias of its 1\.2\.0 index; \1\/\1 hold as many documents as the ES 1\.x source/);
    expect(output).toMatch(/data version on \S+: 1\.2\.0 \(data-version marker/);
    expect(output).toMatch(/properties now a list of \d+ \{key, value\} entries/);
    expect(output).toMatch(/after restore: (\d+)\/\1 indices identical/);
    expect(output).toMatch(/node set "demo-es1" stopped/);
    expect(output).toMatch(/node set "demo" stopped/);
  });

  it('leaves the Elasticsearch 1.7 source as it was: every document of the 1.x layout, by type, id and source', async () => {
    const loaded = es1SampleDocuments(withMultipliedCopies(await readSampleDocuments(), MULTIPLY));
    const line = output.match(/source after the migration: (\d+)\/(\d+) indices identical to before \((\d+) documents/);
    expect(line, output).not.toBeNull();
    const [, identical, indices, documents] = line!;
    expect(identical).toBe(indices);
    // Every index of the 1.x layout, the empty ones (no sample documents) included.
    expect(Number(indices)).toBe(Object.keys(es1IndexDefinitions(await readSampleMappings())).length);
    expect(Number(documents)).toBe(loaded.length);
  });

  it('served the expected 1.2.0 documents on Elasticsearch 8.19, index by index and id by id', () => {
    const served = byIndexAndId(exportedDocuments(join(folder, 'backups', 'backup120', 'export')));
    const expected = byIndexAndId(expectedDocuments());
    // Indices new in 1.2.0 are empty: the export has no documents for them.
    const nonEmpty = Object.fromEntries(Object.entries(served).filter(([, documents]) => Object.keys(documents).length > 0));
    expect(Object.keys(nonEmpty).sort()).toEqual(Object.keys(expected).sort());
    for (const index of Object.keys(expected)) {
      expect(Object.keys(nonEmpty[index]!).sort(), index).toEqual(Object.keys(expected[index]!).sort());
      for (const id of Object.keys(expected[index]!)) expect(nonEmpty[index]![id], `${index}/${id}`).toEqual(expected[index]![id]);
    }
  });
});
