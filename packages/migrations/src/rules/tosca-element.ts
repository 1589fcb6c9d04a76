// R2: a tosca element's `properties` map becomes a key/value array (R1 on each definition), R1
// on its operation inputs, and data types gain the `deriveFromSimpleType: false` 1.2.0 always writes.
import type { TransformContext } from '../step.js';
import { toKeyValue } from './key-value.js';
import { convertInterfaceInputs, convertPropertyDefinitionMap } from './property-definition.js';
import { isJsonObject, jsonType, TransformRuleError } from './transform-rule-error.js';

export const R2_TOSCA_ELEMENT_PROPERTIES = 'R2-tosca-element-properties';
export const R2_DERIVE_FROM_SIMPLE_TYPE = 'R2-data-type-derive-from-simple-type';

/** Converts, in place, a tosca element (a document of the toscaelement types, or an embedded substitution type). */
export function convertToscaElement(element: unknown, context: TransformContext, path: string): void {
  if (element === null || element === undefined) return;
  if (!isJsonObject(element)) {
    throw new TransformRuleError(R2_TOSCA_ELEMENT_PROPERTIES, path, `expected a tosca element object, found ${jsonType(element)}`);
  }
  if ('properties' in element) {
    const converted = toKeyValue(element.properties, R2_TOSCA_ELEMENT_PROPERTIES, `${path}.properties`);
    if (converted.converted) {
      element.properties = converted.value;
      context.count(R2_TOSCA_ELEMENT_PROPERTIES);
    }
    convertPropertyDefinitionMap(element.properties, context, `${path}.properties`);
  }
  if ('interfaces' in element) convertInterfaceInputs(element.interfaces, context, `${path}.interfaces`);
}

/** R2 for a data type document: also the primitive field 1.2.0 always writes. */
export function convertDataType(element: Record<string, unknown>, context: TransformContext): void {
  convertToscaElement(element, context, '');
  if (!('deriveFromSimpleType' in element)) {
    // 1.1.0 could not derive a data type from a primitive type, so false is right for all its data.
    element.deriveFromSimpleType = false;
    context.count(R2_DERIVE_FROM_SIMPLE_TYPE);
  }
}
