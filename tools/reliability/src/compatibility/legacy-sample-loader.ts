// Loads the sample A4C 1.1.0 indices into any Elasticsearch from 1.x to 7.x, in the layout that
// generation would hold, over plain HTTP (the 8.x JavaScript client refuses older servers):
// - 1.x, 2.x, 5.x: A4C's own multi-type layout (toscaelement/indexednodetype, ...), from the
//   ES 1.x index definitions of @a4c-admin/sample-data, with the few mapping options a newer
//   major no longer accepts taken out (each one recorded as a layout note);
// - 6.x, 7.x: one index per former type (the ES 8 layout), its mapping under `_doc` on 6.x,
//   with `flattened` (x-pack, absent from the OSS and integ-test distributions) as a disabled object.
// The sample documents come with SAMPLE_COPIES multiplied copies of the applications.
import { es1IndexDefinitions, es1SampleDocuments, readSampleDocuments, readSampleMappings, withMultipliedCopies } from '@a4c-admin/sample-data';

/** Copies of the application documents added to the samples: a few pages of documents per index, not a handful. */
export const SAMPLE_COPIES = 20;

export type SampleLayout = 'es1' | 'es8';

export interface LoadedSample {
  layout: SampleLayout;
  /** What had to differ from the layout A4C 1.1.0 wrote (ES 1.x) or proposes (ES 8), and why. */
  notes: string[];
  /** Documents per created index, counted after a refresh. */
  indices: Record<string, number>;
}

/** One JSON request; the answer, or an error naming the call and the server's words. */
export async function httpJson(url: string, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': contentType },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    signal: AbortSignal.timeout(120_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`Elasticsearch ${method} ${path}: ${response.status} ${text.slice(0, 1500)}`);
  return (text ? JSON.parse(text) : {}) as Record<string, unknown>;
}

export function layoutOfMajor(major: number): SampleLayout {
  return major <= 5 ? 'es1' : 'es8';
}

/** Removes every `key` of a mapping tree, in place; true when one was found. */
function dropKey(tree: unknown, key: string): boolean {
  if (tree === null || typeof tree !== 'object') return false;
  let found = false;
  for (const [name, value] of Object.entries(tree as Record<string, unknown>)) {
    if (name === key) {
      delete (tree as Record<string, unknown>)[name];
      found = true;
    } else if (dropKey(value, key)) found = true;
  }
  return found;
}

/** ES 8 `flattened` fields as disabled objects, in place; true when one was found. */
function flattenedAsDisabledObjects(tree: unknown): boolean {
  if (tree === null || typeof tree !== 'object') return false;
  let found = false;
  for (const value of Object.values(tree as Record<string, unknown>)) {
    if (value !== null && typeof value === 'object' && (value as Record<string, unknown>).type === 'flattened') {
      const field = value as Record<string, unknown>;
      for (const key of Object.keys(field)) delete field[key];
      Object.assign(field, { type: 'object', enabled: false });
      found = true;
    } else if (flattenedAsDisabledObjects(value)) found = true;
  }
  return found;
}

async function bulk(url: string, lines: string[]): Promise<void> {
  for (let start = 0; start < lines.length; start += 1000) {
    const answer = (await httpJson(url, 'POST', '/_bulk', `${lines.slice(start, start + 1000).join('\n')}\n`, 'application/x-ndjson')) as {
      errors: boolean;
      items: Record<string, { error?: unknown }>[];
    };
    if (answer.errors) {
      const failed = answer.items.find((item) => Object.values(item)[0]?.error);
      throw new Error(`bulk load rejected a document: ${JSON.stringify(failed).slice(0, 1500)}`);
    }
  }
}

async function countAll(url: string, names: string[]): Promise<Record<string, number>> {
  await httpJson(url, 'POST', `/${names.join(',')}/_refresh`);
  const indices: Record<string, number> = {};
  for (const name of names) indices[name] = Number((await httpJson(url, 'GET', `/${name}/_count`)).count);
  return indices;
}

async function createAll(url: string, definitions: Record<string, unknown>): Promise<void> {
  for (const [name, definition] of Object.entries(definitions)) await httpJson(url, 'PUT', `/${name}`, definition);
  await httpJson(url, 'GET', `/_cluster/health?wait_for_status=yellow&timeout=60s`);
}

/** The multi-type layout of A4C 1.1.0 on a 1.x, 2.x or 5.x node. */
async function loadMultiType(url: string, major: number): Promise<LoadedSample> {
  const definitions = es1IndexDefinitions(await readSampleMappings());
  const notes: string[] = [];
  const mappings = Object.values(definitions).flatMap((definition) => Object.values(definition.mappings));
  if (major >= 2) {
    // 2.0 removed `_id.path`: the ids are sent with each document instead (the bulk lines name them anyway).
    if (mappings.map((mapping) => dropKey(mapping, '_id')).some(Boolean))
      notes.push('`_id.path` left out (removed in ES 2.0; ids are given in the bulk lines)');
  }
  if (major >= 5) {
    if (mappings.map((mapping) => dropKey(mapping, '_ttl')).some(Boolean)) notes.push('`_ttl` left out (removed in ES 5.0)');
    if (mappings.map((mapping) => dropKey(mapping, 'precision_step')).some(Boolean))
      notes.push('`alienScore.precision_step` left out (points replace it in ES 5.0)');
  }
  await createAll(url, definitions);
  const documents = es1SampleDocuments(withMultipliedCopies(await readSampleDocuments(), SAMPLE_COPIES));
  await bulk(
    url,
    documents.flatMap((document) => [
      JSON.stringify({ index: { _index: document.index, _type: document.type, _id: document.id } }),
      JSON.stringify(document.source),
    ]),
  );
  return { layout: 'es1', notes, indices: await countAll(url, Object.keys(definitions)) };
}

/** One index per former type (the ES 8 layout) on a 6.x or 7.x node. */
async function loadOneIndexPerType(url: string, major: number): Promise<LoadedSample> {
  const sampleMappings = await readSampleMappings();
  const notes: string[] = [];
  let flattened = false;
  const definitions: Record<string, unknown> = {};
  for (const [index, definition] of Object.entries(sampleMappings)) {
    const mappings = structuredClone(definition.mappings) as Record<string, unknown>;
    if (flattenedAsDisabledObjects(mappings)) flattened = true;
    definitions[index] = {
      settings: { number_of_shards: 1, number_of_replicas: 0, ...((definition as { settings?: Record<string, unknown> }).settings ?? {}) },
      mappings: major === 6 ? { _doc: mappings } : mappings,
    };
  }
  if (flattened) notes.push('`flattened` fields mapped as disabled objects (`flattened` is x-pack, absent from the OSS/integ-test zip); sources are unchanged');
  if (major === 6) notes.push('mappings under the `_doc` type (6.x: one type per index)');
  await createAll(url, definitions);
  const documents = withMultipliedCopies(await readSampleDocuments(), SAMPLE_COPIES);
  await bulk(
    url,
    documents.flatMap((document) => [
      JSON.stringify({ index: { _index: document.index, ...(major === 6 ? { _type: '_doc' } : {}), _id: document.id } }),
      JSON.stringify(document.source),
    ]),
  );
  return { layout: 'es8', notes, indices: await countAll(url, Object.keys(definitions)) };
}

export function loadLegacySample(url: string, major: number): Promise<LoadedSample> {
  return layoutOfMajor(major) === 'es1' ? loadMultiType(url, major) : loadOneIndexPerType(url, major);
}
