// The MappingValidator port over Elasticsearch: a dry run asks which documents the target
// mappings would reject, without creating an index or writing a document. ES 8.12+ answers
// through the simulate ingest API (`POST _ingest/_simulate`), which parses each document
// against the mappings of the index it names; `index_template_substitutions` supplies those
// mappings for an index name that does not exist, so nothing is created (measured on 8.19:
// one request per page of 2,000 documents, a few tens of milliseconds on the sample data).
// A pure validator of values against field types would have to copy Elasticsearch's coercion
// rules (dates, numbers in strings, ignore_malformed) and would drift from them.
import { randomUUID } from 'node:crypto';
import type { IndexDefinition, MappingValidator, RejectedDocument, StoredDocument } from '@a4c-admin/core';
import type { Client } from '@elastic/elasticsearch';
import { wrapElasticsearchError } from './wrap-elasticsearch-error.js';

interface SimulatedDocument {
  doc?: { _id?: string; error?: { type?: string; reason?: string; caused_by?: { reason?: string } } };
  error?: { type?: string; reason?: string; caused_by?: { reason?: string } };
}

export function createMappingValidator(client: Client): MappingValidator {
  return {
    async validate(definition: IndexDefinition, documents: StoredDocument[]): Promise<RejectedDocument[]> {
      if (documents.length === 0) return [];
      // A name no index has and no other template claims: the substitution alone gives it mappings.
      const index = `a4c-admin-validate-${randomUUID()}`;
      const analysis = ((definition.settings?.index ?? definition.settings) as Record<string, unknown> | undefined)?.analysis;
      let answer: { docs?: SimulatedDocument[] };
      try {
        answer = (await client.transport.request({
          method: 'POST',
          path: '/_ingest/_simulate',
          body: {
            docs: documents.map((document) => ({ _index: index, _id: document.id, _source: document.source })),
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
        throw wrapElasticsearchError(error, 'checking documents against the target mappings (_ingest/_simulate)');
      }
      const rejected: RejectedDocument[] = [];
      (answer.docs ?? []).forEach((entry, position) => {
        const error = entry.doc?.error ?? entry.error;
        if (!error) return;
        const reason = [error.type, [error.reason, error.caused_by?.reason].filter(Boolean).join(': ')].filter(Boolean).join(': ');
        rejected.push({ document: documents[position]!, reason });
      });
      return rejected;
    },
  };
}
