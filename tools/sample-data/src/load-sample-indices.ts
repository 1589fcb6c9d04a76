// Creates the A4C 1.1.0 indices in a real Elasticsearch with their ES 8 mappings and
// bulk-loads the sample documents, optionally multiplied into a bigger data set.
import { Client } from '@elastic/elasticsearch';
import { multiplyDocuments } from './multiply-documents.js';
import { readSampleDocuments, readSampleMappings, type SampleDocument } from './sample-files.js';

export interface LoadSampleIndicesOptions {
  /** URL of a node (or several). */
  node: string | string[];
  /** Prefix of the index names (A4C's `elasticsearch.prefix`); none by default. */
  prefix?: string;
  /** Extra deterministic copies of the application documents (0 by default). */
  multiply?: number;
  /**
   * Only these A4C indices (base names, without the prefix), with their documents; every index of
   * the sample by default. Most tests need a few: each index costs Elasticsearch an index
   * creation here and again in every backup, restore and migration the test runs.
   */
  indices?: readonly string[];
  /** Delete indices of the same names first; otherwise an existing index is an error. */
  replace?: boolean;
  /** Replicas of each index: 0 keeps a single node green. */
  replicas?: number;
  /** Basic auth or API key, for a secured cluster. */
  auth?: { username: string; password: string } | { apiKey: string };
}

export interface LoadSampleIndicesResult {
  /** Documents in each created index (prefixed name), counted after a refresh. */
  indices: Record<string, number>;
}

const BULK_DOCUMENTS = 500;
const CREATE_CONCURRENCY = 8;

export async function loadSampleIndices(options: LoadSampleIndicesOptions): Promise<LoadSampleIndicesResult> {
  const prefix = options.prefix ?? '';
  const client = new Client({ node: options.node, ...(options.auth ? { auth: options.auth } : {}) });
  try {
    const allMappings = await readSampleMappings();
    const mappings = chosenMappings(allMappings, options.indices);
    const names = Object.keys(mappings).map((index) => prefix + index);
    if (options.replace) {
      await client.indices.delete({ index: names.join(','), ignore_unavailable: true, allow_no_indices: true });
    }
    // A few at a time: the master batches the cluster-state updates, so 34 indices come up
    // several times faster than one by one.
    const definitions = Object.entries(mappings);
    for (let start = 0; start < definitions.length; start += CREATE_CONCURRENCY) {
      await Promise.all(
        definitions.slice(start, start + CREATE_CONCURRENCY).map(([index, definition]) =>
          client.indices.create({
            index: prefix + index,
            mappings: definition.mappings,
            settings: { number_of_shards: 1, number_of_replicas: options.replicas ?? 0, ...definition.settings },
          }),
        ),
      );
    }
    const allSamples = await readSampleDocuments();
    const unknown = allSamples.find((document) => !(document.index in allMappings));
    if (unknown) throw new Error(`sample document ${unknown.id} names index "${unknown.index}", which has no mapping`);
    const chosen = (document: SampleDocument) => document.index in mappings;
    const samples = allSamples.filter(chosen);

    let batch: SampleDocument[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const operations = batch.flatMap((document) => [{ index: { _index: prefix + document.index, _id: document.id } }, document.source]);
      batch = [];
      const response = await client.bulk({ operations });
      if (response.errors) {
        const failed = response.items.find((item) => item.index?.error);
        throw new Error(`bulk load rejected a document: ${JSON.stringify(failed?.index?.error)}`);
      }
    };
    const push = async (documents: SampleDocument[]) => {
      for (const document of documents) {
        batch.push(document);
        if (batch.length >= BULK_DOCUMENTS) await flush();
      }
    };
    await push(samples);
    // Variants are produced one copy at a time, so memory stays flat whatever `multiply` is.
    // (Copied from every sample document, so that a copy's documents are the same whichever indices hold them.)
    for (let copy = 1; copy <= (options.multiply ?? 0); copy += 1) await push(multiplyDocuments(allSamples, copy).filter(chosen));
    await flush();

    await client.indices.refresh({ index: names.join(',') });
    const indices: Record<string, number> = {};
    for (const name of names) indices[name] = (await client.count({ index: name })).count;
    return { indices };
  } finally {
    await client.close();
  }
}

/** The mappings of the chosen indices (all of them without a choice); a name the sample lacks is an error. */
function chosenMappings<T>(mappings: Record<string, T>, indices: readonly string[] | undefined): Record<string, T> {
  if (indices === undefined) return mappings;
  const unknown = indices.filter((index) => !(index in mappings));
  if (unknown.length > 0) throw new Error(`the sample has no index ${unknown.join(', ')} (it has ${Object.keys(mappings).join(', ')})`);
  return Object.fromEntries(indices.map((index) => [index, mappings[index] as T]));
}
