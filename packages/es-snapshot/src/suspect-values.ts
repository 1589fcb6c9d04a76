// A fast, pure first pass before asking Elasticsearch whether mappings accept a document:
// `_ingest/_simulate` costs milliseconds per document (measured on 8.19: about 25 ms each on a
// busy 2-core machine, 100 documents in 2.8 s), too slow for every document of a large index.
// Most documents hold only values their fields' types plainly accept (a number in a long, a
// boolean in a boolean); only those with a value that might be refused go to Elasticsearch,
// which then decides with its own coercion rules. So this pass may flag too much, never too
// little: anything it is not sure of is "suspect".

const NUMERIC = new Set(['long', 'integer', 'short', 'byte', 'double', 'float', 'half_float', 'scaled_float', 'unsigned_long']);
const DATE = new Set(['date', 'date_nanos']);
/** Field types whose values are strings (or numbers/booleans, which ES turns into strings). */
const STRINGY = new Set(['keyword', 'text', 'match_only_text', 'constant_keyword', 'wildcard', 'ip', 'version']);

interface FieldMapping {
  type?: string;
  enabled?: boolean;
  dynamic?: boolean | string;
  ignore_malformed?: boolean;
  properties?: Record<string, FieldMapping>;
}

/** True when some value of `source` might be refused by `mappings` (decide with Elasticsearch). */
export function hasSuspectValue(mappings: Record<string, unknown>, source: Record<string, unknown>): boolean {
  return suspectObject(mappings as FieldMapping, source, false);
}

function suspectObject(object: FieldMapping, value: Record<string, unknown>, inheritedStrict: boolean): boolean {
  const properties = object.properties ?? {};
  // `dynamic` is inherited by inner objects unless they set their own.
  const strict = object.dynamic === undefined ? inheritedStrict : object.dynamic === 'strict';
  for (const [key, child] of Object.entries(value)) {
    const field = properties[key];
    if (!field) {
      // An unmapped field: refused only under dynamic strict; anything else maps it or ignores it.
      if (strict) return true;
      continue;
    }
    if (field.enabled === false || field.ignore_malformed === true) continue;
    for (const item of Array.isArray(child) ? child.flat(Infinity) : [child]) {
      if (item === null || item === undefined) continue;
      if (suspectValue(field, item, strict)) return true;
    }
  }
  return false;
}

function suspectValue(field: FieldMapping, value: unknown, strict: boolean): boolean {
  const type = field.type ?? (field.properties ? 'object' : undefined);
  if (type === 'object' || type === 'nested' || field.properties) {
    return typeof value !== 'object' || Array.isArray(value) ? true : suspectObject(field, value as Record<string, unknown>, strict);
  }
  if (type === undefined) return false;
  if (NUMERIC.has(type)) return typeof value !== 'number' || !Number.isFinite(value);
  if (type === 'boolean') return typeof value !== 'boolean' && value !== 'true' && value !== 'false' && value !== '';
  if (DATE.has(type)) return typeof value !== 'number';
  if (STRINGY.has(type)) return typeof value === 'object';
  // Other types (geo, binary, flattened, ...): let Elasticsearch decide.
  return true;
}
