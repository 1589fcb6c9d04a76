// Writes the sample A4C 1.1.0 installation into a real Elasticsearch 1.x in A4C 1.1.0's own
// layout (es1-layout.ts): the multi-type indices with their type mappings, then the sample
// documents (and the multiplied copies) by index, type and id. Plain HTTP: the 8.x JavaScript
// client refuses servers older than 8.
import { type Es1Document, type Es1LayoutOptions, es1IndexDefinitions, es1SampleDocuments } from './es1-layout.js';
import { multiplyDocuments } from './multiply-documents.js';
import { readSampleDocuments, readSampleMappings } from './sample-files.js';

export interface LoadEs1SampleIndicesOptions extends Es1LayoutOptions {
  /** URL of the ES 1.x node, e.g. `http://127.0.0.1:9231`. */
  url: string;
  /** Extra deterministic copies of the application documents (0 by default). */
  multiply?: number;
  /** Delete indices of the same names first; otherwise an existing index is an error. */
  replace?: boolean;
}

export interface LoadEs1SampleIndicesResult {
  /** Documents of each type of each created index (prefixed index name -> type -> count), after a refresh. */
  indices: Record<string, Record<string, number>>;
}

const BULK_DOCUMENTS = 500;
const CREATE_CONCURRENCY = 8;

/** One request to an ES 1.x node; its JSON answer, or an error naming the call and the answer. */
export async function es1Request(url: string, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}${path}`, {
    method,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  const json = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
  if (!response.ok) throw new Error(`Elasticsearch ${method} ${path}: ${response.status} ${text.slice(0, 2000)}`);
  return json;
}

/** Refuses a node that is not ES 1.x: the layout has several types per index, which 6.x+ refuse. */
async function assertEs1(url: string): Promise<void> {
  const about = (await es1Request(url, 'GET', '/')) as { version?: { number?: string } };
  const version = about.version?.number ?? '?';
  if (!version.startsWith('1.')) {
    throw new Error(`${url} runs Elasticsearch ${version}; the A4C 1.1.0 layout is for Elasticsearch 1.x (start one with --version 1.7.6).`);
  }
}

export async function loadEs1SampleIndices(options: LoadEs1SampleIndicesOptions): Promise<LoadEs1SampleIndicesResult> {
  const { url } = options;
  const prefix = options.prefix ?? '';
  await assertEs1(url);
  const definitions = es1IndexDefinitions(await readSampleMappings(), options);
  const names = Object.keys(definitions);
  if (options.replace) {
    const existing = Object.keys(await es1Request(url, 'GET', '/_aliases')).filter((name) => names.includes(name));
    if (existing.length > 0) await es1Request(url, 'DELETE', `/${existing.join(',')}`);
  }
  // A few at a time: the master batches the cluster-state updates.
  const entries = Object.entries(definitions);
  for (let start = 0; start < entries.length; start += CREATE_CONCURRENCY) {
    await Promise.all(
      entries.slice(start, start + CREATE_CONCURRENCY).map(([name, definition]) =>
        es1Request(url, 'PUT', `/${name}`, definition).catch((error: Error) => {
          throw new Error(`could not create the ES 1.x index ${name}${options.replace ? '' : ' (pass replace to delete an existing one)'}: ${error.message}`);
        }),
      ),
    );
  }
  await es1Request(url, 'GET', `/_cluster/health/${names.join(',')}?wait_for_status=yellow&timeout=60s`);

  const samples = await readSampleDocuments();
  let batch: Es1Document[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const lines = batch.map(
      (document) => `${JSON.stringify({ index: { _index: document.index, _type: document.type, _id: document.id } })}\n${JSON.stringify(document.source)}\n`,
    );
    batch = [];
    const response = (await es1Request(url, 'POST', '/_bulk', lines.join(''))) as { errors: boolean; items: { index: { error?: unknown } }[] };
    if (response.errors) {
      const failed = response.items.find((item) => item.index.error);
      throw new Error(`ES 1.x bulk load rejected a document: ${JSON.stringify(failed)}`);
    }
  };
  const push = async (documents: Es1Document[]) => {
    for (const document of documents) {
      batch.push(document);
      if (batch.length >= BULK_DOCUMENTS) await flush();
    }
  };
  await push(es1SampleDocuments(samples, prefix));
  // Variants are produced one copy at a time, so memory stays flat whatever `multiply` is.
  for (let copy = 1; copy <= (options.multiply ?? 0); copy += 1) await push(es1SampleDocuments(multiplyDocuments(samples, copy), prefix));
  await flush();

  await es1Request(url, 'POST', `/${names.join(',')}/_refresh`);
  const indices: Record<string, Record<string, number>> = {};
  for (const [name, definition] of Object.entries(definitions)) {
    indices[name] = {};
    for (const type of Object.keys(definition.mappings)) {
      indices[name][type] = Number((await es1Request(url, 'GET', `/${name}/${type}/_count`)).count);
    }
  }
  return { indices };
}
