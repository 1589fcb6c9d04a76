// A reader that answers the A4C index names of the ES 8 layout (indexednodetype, application,
// ...) on any cluster: on a multi-type server (1.x-5.x) it reads the name's type in its ES 1.x
// index (indexednodetype -> toscaelement/indexednodetype). What a migration from an ES 1.x
// installation reads its source through.
import { baseIndexName, es1LocationOf, type IndexReader, KNOWN_DATA_VERSIONS } from '@a4c-admin/core';
import type { Client } from '@elastic/elasticsearch';
import { DEFAULT_DIALECT } from './dialect/server-dialect.js';
import { createIndexReader, type DocumentLocation, type IndexReaderOptions } from './index-reader.js';

export interface A4cIndexReaderOptions extends Omit<IndexReaderOptions, 'locate'> {
  /** The A4C index prefix (elasticsearch.index_prefix): on the names asked and on the ES 1.x indices. */
  prefix?: string;
}

/**
 * Where the documents of an A4C name (ES 8 layout, with the prefix) live on a multi-type
 * server; a name that is no A4C name of any known version is read as it is.
 */
export function es1DocumentLocation(name: string, prefix = ''): DocumentLocation {
  const base = baseIndexName(name, prefix);
  // Every data version keeps a name in the same place; the later ones only add names.
  for (const version of KNOWN_DATA_VERSIONS) {
    const row = es1LocationOf(base, version);
    if (row) return { index: `${prefix}${row.es1Index}`, type: row.es1Type };
  }
  return { index: name };
}

/** An IndexReader of the A4C names of the ES 8 layout, whatever the layout of the connected cluster. */
export function createA4cIndexReader(client: Client, options: A4cIndexReaderOptions = {}): IndexReader {
  const { prefix = '', ...readerOptions } = options;
  const dialect = options.dialect ?? DEFAULT_DIALECT;
  if (!dialect.multiType) return createIndexReader(client, readerOptions);
  return createIndexReader(client, { ...readerOptions, locate: (name) => es1DocumentLocation(name, prefix) });
}
