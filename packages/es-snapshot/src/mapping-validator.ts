// The MappingValidator port over Elasticsearch: a dry run asks which documents the target
// mappings would reject, without creating an index or writing a document. Recent 8.x answer
// (checked on 8.19) through the simulate ingest API (`POST _ingest/_simulate`), which parses
// each document against the mappings of the index it names; `index_template_substitutions`
// supplies those mappings for an index name that does not exist, so nothing is created.
// It is exact (Elasticsearch's own coercion rules) but slow, about 25 ms a document measured
// on a busy 2-core machine; a pure first pass (suspect-values.ts) sends it only the documents
// with a value that might be refused. A pure validator alone would have to copy the coercion
// rules (date formats, numbers in strings) and drift from them. An older cluster without the
// API answers undefined: the dry run then says it checked the transform rules only.
import { randomUUID } from 'node:crypto';
import type { IndexDefinition, MappingValidator, RejectedDocument, StoredDocument } from '@a4c-admin/core';
import type { Client } from '@elastic/elasticsearch';
import { DEFAULT_DIALECT, type ServerDialect } from './dialect/server-dialect.js';
import { hasSuspectValue } from './suspect-values.js';
import { wrapElasticsearchError } from './wrap-elasticsearch-error.js';

interface SimulatedDocument {
  doc?: { _id?: string; error?: { type?: string; reason?: string; caused_by?: { reason?: string } } };
  error?: { type?: string; reason?: string; caused_by?: { reason?: string } };
}

export function createMappingValidator(client: Client, dialect: ServerDialect = DEFAULT_DIALECT): MappingValidator {
  return {
    async validate(definition: IndexDefinition, documents: StoredDocument[]): Promise<RejectedDocument[] | undefined> {
      // No simulate ingest API before 8.12: the dry run says it checked the transform rules only.
      if (dialect.major < 8) return undefined;
      // Only documents with a value that might be refused cost a round trip (see suspect-values.ts).
      const suspects = documents.filter((document) => hasSuspectValue(definition.mappings, document.source));
      if (suspects.length === 0) return [];
      // A name no index has and no other template claims: the substitution alone gives it mappings.
      const index = `a4c-admin-validate-${randomUUID()}`;
      const analysis = ((definition.settings?.index ?? definition.settings) as Record<string, unknown> | undefined)?.analysis;
      let answer: { docs?: SimulatedDocument[] };
      try {
        answer = (await client.transport.request({
          method: 'POST',
          path: '/_ingest/_simulate',
          body: {
            docs: suspects.map((document) => ({ _index: index, _id: document.id, _source: document.source })),
            index_template_substitutions: {
              [index]: {
                index_patterns: [index],
                priority: 2_000_000_000,
                template: { mappings: definition.mappings, ...(analysis ? { settings: { index: { analysis } } } : {}) },
              },
            },
          },
        })) as { docs?: SimulatedDocument[] };
      } catch (error) {
        if (isMissingApi(error)) return undefined;
        throw wrapElasticsearchError(error, 'checking documents against the target mappings (_ingest/_simulate)');
      }
      const rejected: RejectedDocument[] = [];
      (answer.docs ?? []).forEach((entry, position) => {
        const error = entry.doc?.error ?? entry.error;
        if (!error) return;
        const reason = [error.type, [error.reason, error.caused_by?.reason].filter(Boolean).join(': ')].filter(Boolean).join(': ');
        rejected.push({ document: suspects[position]!, reason });
      });
      return rejected;
    },
  };
}

/** A cluster before 8.12 (no simulate ingest API) or before 8.14 (no template substitutions). */
function isMissingApi(error: unknown): boolean {
  const meta = (error as { meta?: { statusCode?: number; body?: unknown } }).meta;
  if (meta?.statusCode === 404 || meta?.statusCode === 405) return true;
  return meta?.statusCode === 400 && /index_template_substitutions|no handler|unrecognized parameter|unknown field/i.test(JSON.stringify(meta.body ?? ''));
}
