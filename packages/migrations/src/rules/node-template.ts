// R3 and R4: a node template's requirements, relationships, capabilities and artifacts maps
// become key/value arrays, and so does each relationship template's artifacts; R1 on the
// PropertyDefinitions among their operation inputs. `interfaces`, `properties`, `attributes` stay objects.
import type { TransformContext } from '../step.js';
import { forEachMapValue, toKeyValue } from './key-value.js';
import { convertInterfaceInputs } from './property-definition.js';
import { isJsonObject, jsonType, TransformRuleError } from './transform-rule-error.js';

export const R3_NODE_TEMPLATE_MAPS = 'R3-node-template-maps';
export const R4_RELATIONSHIP_TEMPLATE_ARTIFACTS = 'R4-relationship-template-artifacts';

const NODE_TEMPLATE_MAPS = ['requirements', 'relationships', 'capabilities', 'artifacts'] as const;

/** Converts, in place, one node template. */
export function convertNodeTemplate(template: unknown, context: TransformContext, path: string): void {
  if (template === null || template === undefined) return;
  if (!isJsonObject(template)) {
    throw new TransformRuleError(R3_NODE_TEMPLATE_MAPS, path, `expected a node template object, found ${jsonType(template)}`);
  }
  for (const field of NODE_TEMPLATE_MAPS) {
    if (!(field in template)) continue;
    const converted = toKeyValue(template[field], R3_NODE_TEMPLATE_MAPS, `${path}.${field}`);
    if (converted.converted) {
      template[field] = converted.value;
      context.count(R3_NODE_TEMPLATE_MAPS);
    }
  }
  forEachMapValue(template.relationships, R4_RELATIONSHIP_TEMPLATE_ARTIFACTS, `${path}.relationships`, (relationship, relationshipPath) =>
    convertRelationshipTemplate(relationship, context, relationshipPath),
  );
  if ('interfaces' in template) convertInterfaceInputs(template.interfaces, context, `${path}.interfaces`);
}

/** R4, in place, on one relationship template. */
export function convertRelationshipTemplate(template: unknown, context: TransformContext, path: string): void {
  if (template === null || template === undefined) return;
  if (!isJsonObject(template)) {
    throw new TransformRuleError(R4_RELATIONSHIP_TEMPLATE_ARTIFACTS, path, `expected a relationship template object, found ${jsonType(template)}`);
  }
  if ('artifacts' in template) {
    const converted = toKeyValue(template.artifacts, R4_RELATIONSHIP_TEMPLATE_ARTIFACTS, `${path}.artifacts`);
    if (converted.converted) {
      template.artifacts = converted.value;
      context.count(R4_RELATIONSHIP_TEMPLATE_ARTIFACTS);
    }
  }
  if ('interfaces' in template) convertInterfaceInputs(template.interfaces, context, `${path}.interfaces`);
}
