// Reads the design files shipped in `data/`: the ES 8 mappings of A4C 1.1.0 and the
// sample documents as 1.1.0 stores them (bulk NDJSON, one file per index).
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

// `src/` (tests) and `dist/` (built) both sit one level below the package root.
const dataFolder = fileURLToPath(new URL('../data/', import.meta.url));

/** One sample document: the A4C index it belongs to (without prefix), its id and source. */
export interface SampleDocument {
  index: string;
  id: string;
  source: Record<string, unknown>;
}

/** The ES 8 definition of each A4C 1.1.0 index, keyed by index name (without prefix). */
export type SampleMappings = Record<string, { mappings: Record<string, unknown>; settings?: Record<string, unknown> }>;

export function sampleDataFolder(): string {
  return dataFolder;
}

export async function readSampleMappings(): Promise<SampleMappings> {
  return JSON.parse(await readFile(`${dataFolder}mappings-1.1.0.json`, 'utf8')) as SampleMappings;
}

export async function readSampleDocuments(): Promise<SampleDocument[]> {
  const folder = `${dataFolder}samples-1.1.0/`;
  // Sorted so that every run loads (and multiplies) the documents in the same order.
  const files = (await readdir(folder)).filter((name) => name.endsWith('.ndjson')).sort();
  const documents: SampleDocument[] = [];
  for (const file of files) {
    const lines = (await readFile(folder + file, 'utf8')).split('\n').filter((line) => line.trim() !== '');
    for (let position = 0; position < lines.length; position += 2) {
      const action = JSON.parse(lines[position]!) as { index?: { _index: string; _id: string } };
      const sourceLine = lines[position + 1];
      if (!action.index || sourceLine === undefined) {
        throw new Error(`${file}: line ${position + 1} is not an "index" action followed by a source`);
      }
      documents.push({ index: action.index._index, id: action.index._id, source: JSON.parse(sourceLine) as Record<string, unknown> });
    }
  }
  return documents;
}
