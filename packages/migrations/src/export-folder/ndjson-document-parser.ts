// Reads documents out of NDJSON lines in the two formats exports come in: Elasticsearch bulk
// (an action line, then a source line) and elasticdump `--type=data` (one {_index,_id,_source} a line).
// Both keep the `_type` of a multi-type cluster (ES 1.x): an ES 1.x index holds several A4C types.
import { A4cAdminError, type StoredDocument } from '@a4c-admin/core';

export interface ParsedDocument {
  /** The index named by the line, if any. */
  index: string | undefined;
  /** The mapping type named by the line, if any (`_doc` on ES 7+, the A4C type on ES 1.x). */
  type: string | undefined;
  document: StoredDocument;
}

const BULK_ACTIONS = ['index', 'create'] as const;

type Action = { index: string | undefined; type: string | undefined; id: string | undefined; routing: string | undefined };

/** A line-by-line parser: `push` each line, it returns a document when one is complete. */
export interface NdjsonDocumentParser {
  push(line: string): ParsedDocument | undefined;
  /** Throws when the input ended between an action line and its source. */
  end(): void;
}

export function createNdjsonDocumentParser(file: string): NdjsonDocumentParser {
  let pending: Action | undefined;
  let lineNumber = 0;
  const invalid = (message: string) =>
    new A4cAdminError('EXPORT_INVALID', `${file}, line ${lineNumber}: ${message}`, {
      hint: 'Give NDJSON in bulk format (action line + source line) or elasticdump --type=data output (one {"_index","_id","_source"} a line).',
      details: { file, line: lineNumber },
    });
  return {
    push(line) {
      lineNumber += 1;
      if (line.trim() === '') return undefined;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        throw invalid(`not JSON (${(error as Error).message}).`);
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('expected a JSON object.');
      const record = value as Record<string, unknown>;
      if (pending) {
        const action = pending;
        pending = undefined;
        if (action.id === undefined) throw invalid('the action line before this source has no "_id"; documents must keep their ids.');
        const document: StoredDocument = { id: action.id, source: record };
        if (action.routing !== undefined) document.routing = action.routing;
        return { index: action.index, type: action.type, document };
      }
      if ('_source' in record) {
        const source = record._source;
        if (typeof source !== 'object' || source === null || Array.isArray(source)) throw invalid('"_source" is not an object.');
        if (typeof record._id !== 'string') throw invalid('an elasticdump line needs a string "_id".');
        const document: StoredDocument = { id: record._id, source: source as Record<string, unknown> };
        const routing = record._routing ?? (record.fields as Record<string, unknown> | undefined)?._routing;
        if (typeof routing === 'string') document.routing = routing;
        return { index: stringOrUndefined(record._index), type: stringOrUndefined(record._type), document };
      }
      const keys = Object.keys(record);
      const actionName = keys.length === 1 ? BULK_ACTIONS.find((name) => name === keys[0]) : undefined;
      if (!actionName) {
        if (keys.length === 1 && (keys[0] === 'delete' || keys[0] === 'update')) {
          throw invalid(`"${keys[0]}" actions are not documents; an export holds only index/create actions.`);
        }
        throw invalid('expected a bulk action line ({"index": {...}}) or an elasticdump line with "_source".');
      }
      const meta = record[actionName];
      if (typeof meta !== 'object' || meta === null) throw invalid(`the "${actionName}" action is not an object.`);
      const metadata = meta as Record<string, unknown>;
      pending = {
        index: stringOrUndefined(metadata._index),
        type: stringOrUndefined(metadata._type),
        id: typeof metadata._id === 'string' ? metadata._id : undefined,
        routing: typeof metadata.routing === 'string' ? metadata.routing : typeof metadata._routing === 'string' ? metadata._routing : undefined,
      };
      return undefined;
    },
    end() {
      if (pending) throw invalid('the file ends after an action line, without its source.');
    },
  };
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Parses a whole NDJSON text (small files, tests). */
export function parseNdjsonDocuments(text: string, file = 'input'): ParsedDocument[] {
  const parser = createNdjsonDocumentParser(file);
  const documents: ParsedDocument[] = [];
  for (const line of text.split('\n')) {
    const parsed = parser.push(line);
    if (parsed) documents.push(parsed);
  }
  parser.end();
  return documents;
}
