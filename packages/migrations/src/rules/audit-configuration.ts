// R8: the audit configuration becomes the 1.2.0 singleton. 1.1.0 method entries (keyed by REST
// path) cannot be mapped to 1.2.0 Java signatures, so they are dropped; 1.2.0 re-adds every
// audited method with default flags at startup. The global `enabled` flag is kept.
import type { StoredDocument } from '@a4c-admin/core';
import type { TransformContext } from '../step.js';
import { isJsonObject, jsonType, TransformRuleError } from './transform-rule-error.js';

export const R8_AUDIT_CONFIGURATION_SINGLETON = 'R8-audit-configuration-singleton';
export const AUDIT_CONFIGURATION_ID = 'singleton';

export function toAuditConfigurationSingleton(document: StoredDocument, context: TransformContext): StoredDocument {
  const { source } = document;
  const methods = source.auditedMethods ?? [];
  if (!Array.isArray(methods)) {
    throw new TransformRuleError(R8_AUDIT_CONFIGURATION_SINGLETON, 'auditedMethods', `expected an array, found ${jsonType(methods)}`);
  }
  // Entries with a `signature` are already 1.2.0's: keep them, so that the rule is idempotent.
  const kept = methods.filter((method) => isJsonObject(method) && !('path' in method));
  const enabled = typeof source.enabled === 'boolean' ? source.enabled : true;
  const result: StoredDocument = {
    id: AUDIT_CONFIGURATION_ID,
    source: { id: AUDIT_CONFIGURATION_ID, enabled, auditedMethods: kept },
  };
  const changed =
    document.id !== AUDIT_CONFIGURATION_ID ||
    source.id !== AUDIT_CONFIGURATION_ID ||
    source.enabled !== enabled ||
    kept.length !== methods.length ||
    Object.keys(source).some((key) => !['id', 'enabled', 'auditedMethods'].includes(key));
  if (changed) context.count(R8_AUDIT_CONFIGURATION_SINGLETON);
  return changed ? result : document;
}
