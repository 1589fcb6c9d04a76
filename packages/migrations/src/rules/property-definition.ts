// R1: a PropertyDefinition's `default` goes from a string to a scalar property value
// ({"value": "80", "definition": false}), recursively through `entrySchema`; and the places
// outside tosca elements where PropertyDefinitions live (operation inputs, topology inputs).
import type { TransformContext } from '../step.js';
import { forEachMapValue } from './key-value.js';
import { isJsonObject, jsonType, TransformRuleError } from './transform-rule-error.js';

export const R1_PROPERTY_DEFAULT = 'R1-property-default';

/** Converts, in place, the `default` of a PropertyDefinition (and of its entrySchema). */
export function convertPropertyDefinition(definition: unknown, context: TransformContext, path: string): void {
  if (definition === null || definition === undefined) return;
  if (!isJsonObject(definition)) {
    throw new TransformRuleError(R1_PROPERTY_DEFAULT, path, `expected a property definition object, found ${jsonType(definition)}`);
  }
  const current = definition.default;
  if (typeof current === 'string' || typeof current === 'number' || typeof current === 'boolean') {
    // 1.1.0 only held strings; a stray number or boolean is stringified as 1.2.0 would read it.
    definition.default = { value: String(current), definition: false };
    context.count(R1_PROPERTY_DEFAULT);
  } else if (Array.isArray(current)) {
    throw new TransformRuleError(R1_PROPERTY_DEFAULT, `${path}.default`, 'a default value cannot be an array');
  }
  // null, absent, or already a property value object: nothing to do (idempotent).
  if (definition.entrySchema !== null && definition.entrySchema !== undefined) {
    convertPropertyDefinition(definition.entrySchema, context, `${path}.entrySchema`);
  }
}

/** R1 on every value of a map of PropertyDefinitions (object or key/value form). */
export function convertPropertyDefinitionMap(map: unknown, context: TransformContext, path: string): void {
  forEachMapValue(map, R1_PROPERTY_DEFAULT, path, (definition, entryPath) => convertPropertyDefinition(definition, context, entryPath));
}

/**
 * R1 on operation input parameters that are PropertyDefinitions, in `interfaces.*.operations.*.inputParameters.*`.
 * The `type` key tells a definition from a property value, as 1.2.0's OperationParameterDeserializer does.
 */
export function convertInterfaceInputs(interfaces: unknown, context: TransformContext, path: string): void {
  forEachMapValue(interfaces, R1_PROPERTY_DEFAULT, path, (anInterface, interfacePath) => {
    if (!isJsonObject(anInterface)) return;
    forEachMapValue(anInterface.operations, R1_PROPERTY_DEFAULT, `${interfacePath}.operations`, (operation, operationPath) => {
      if (!isJsonObject(operation)) return;
      forEachMapValue(operation.inputParameters, R1_PROPERTY_DEFAULT, `${operationPath}.inputParameters`, (parameter, parameterPath) => {
        if (isJsonObject(parameter) && typeof parameter.type === 'string') {
          convertPropertyDefinition(parameter, context, parameterPath);
        }
      });
    });
  });
}
