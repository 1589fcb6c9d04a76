// The error a rule throws on a shape it does not expect; the caller turns it into
// TRANSFORM_FAILED naming the index and document.

export class TransformRuleError extends Error {
  readonly ruleId: string;
  /** Where in the document, as a dotted path. */
  readonly path: string;

  constructor(ruleId: string, path: string, message: string) {
    super(`${ruleId} at ${path}: ${message}`);
    this.name = 'TransformRuleError';
    this.ruleId = ruleId;
    this.path = path;
  }
}

export type JsonObject = Record<string, unknown>;

/** A JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Describes a value's JSON type for error messages. */
export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
