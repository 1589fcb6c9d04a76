// R0: the key/value array form that 1.2.0 writes for some maps ({"a": A} -> [{"key":"a","value":A}]).
import { isJsonObject, jsonType, TransformRuleError } from './transform-rule-error.js';

export interface KeyValueEntry {
  key: string;
  value: unknown;
}

/**
 * The entries of a map field in either form: an object map is converted, an array is taken as
 * already converted (so the rule is idempotent), null and absent stay as they are.
 */
export function toKeyValue(value: unknown, ruleId: string, path: string): { value: unknown; converted: boolean } {
  if (value === null || value === undefined) return { value, converted: false };
  if (Array.isArray(value)) {
    value.forEach((entry, position) => {
      if (!isJsonObject(entry) || typeof entry.key !== 'string') {
        throw new TransformRuleError(ruleId, `${path}[${position}]`, `expected a {"key","value"} entry, found ${jsonType(entry)}`);
      }
    });
    return { value, converted: false };
  }
  if (isJsonObject(value)) {
    return { value: Object.entries(value).map(([key, entry]) => ({ key, value: entry })), converted: true };
  }
  throw new TransformRuleError(ruleId, path, `expected a map (object or key/value array), found ${jsonType(value)}`);
}

/** Calls `visit` on every value of a map in either form (object map or key/value array). */
export function forEachMapValue(map: unknown, ruleId: string, path: string, visit: (value: unknown, path: string) => void): void {
  if (map === null || map === undefined) return;
  if (Array.isArray(map)) {
    map.forEach((entry, position) => {
      if (!isJsonObject(entry)) {
        throw new TransformRuleError(ruleId, `${path}[${position}]`, `expected a {"key","value"} entry, found ${jsonType(entry)}`);
      }
      visit(entry.value, `${path}[${position}].value`);
    });
    return;
  }
  if (isJsonObject(map)) {
    for (const [key, value] of Object.entries(map)) visit(value, `${path}.${key}`);
    return;
  }
  throw new TransformRuleError(ruleId, path, `expected a map, found ${jsonType(map)}`);
}
