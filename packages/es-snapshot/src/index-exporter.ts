// core's `IndexExporter` port: the portable backup format (exportIndices / importIndices of
// this package) in the shapes core's backup and restore read.
import type { ExportedIndex, IndexExporter } from '@a4c-admin/core';
import type { Client } from '@elastic/elasticsearch';
import type { ServerDialect } from './dialect/server-dialect.js';
import { exportIndices } from './export-index.js';
import { importIndices } from './import-index.js';

export interface IndexExporterOptions {
  /** Documents a page when exporting. */
  pageSize?: number;
  /** How long the point in time stays open between pages, "2m" by default. */
  keepAlive?: string;
  /** Stops the export's page loop and the import's bulk loop (Ctrl-C). */
  signal?: AbortSignal;
  /** The connected server's dialect (connectElasticsearch); 8.x when absent. */
  dialect?: ServerDialect;
}

export function createIndexExporter(client: Client, options: IndexExporterOptions = {}): IndexExporter {
  const { pageSize, keepAlive, signal, dialect } = options;
  return {
    async exportIndices(indices, folder, progress): Promise<ExportedIndex[]> {
      const manifest = await exportIndices(client, { indices, folder, pageSize, keepAlive, progress, signal, dialect });
      return manifest.indices.map((entry) => ({ index: entry.index, documents: entry.count, chunks: entry.chunks }));
    },
    async importIndices(folder, indices, progress, beforeLoad) {
      const results = await importIndices(client, { folder, indices, progress, beforeLoad, signal, dialect });
      return Object.fromEntries(results.map((result) => [result.index, result.written]));
    },
  };
}
