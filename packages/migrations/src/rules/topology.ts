// R5 (topology, deploymenttopology, deployedtopologies) and R6 (locationresourcetemplate):
// where node templates, inputs and embedded node types live in those documents.
import type { TransformContext } from '../step.js';
import { forEachMapValue, toKeyValue } from './key-value.js';
import { convertNodeTemplate } from './node-template.js';
import { convertPropertyDefinitionMap } from './property-definition.js';
import { convertToscaElement } from './tosca-element.js';
import { isJsonObject } from './transform-rule-error.js';

export const R5_TOPOLOGY_NODE_TEMPLATES = 'R5-topology-node-templates';

/** Converts, in place, a topology-like document. */
export function convertTopology(topology: Record<string, unknown>, context: TransformContext): void {
  if ('nodeTemplates' in topology) {
    // Already key/value in 1.1.0; an object map is converted should one ever be met.
    const converted = toKeyValue(topology.nodeTemplates, R5_TOPOLOGY_NODE_TEMPLATES, 'nodeTemplates');
    if (converted.converted) {
      topology.nodeTemplates = converted.value;
      context.count(R5_TOPOLOGY_NODE_TEMPLATES);
    }
    forEachMapValue(topology.nodeTemplates, R5_TOPOLOGY_NODE_TEMPLATES, 'nodeTemplates', (template, path) => convertNodeTemplate(template, context, path));
  }
  // `inputs` stays an object map: Topology.inputs has no key/value serializer in either version.
  if ('inputs' in topology) convertPropertyDefinitionMap(topology.inputs, context, 'inputs');
  if (isJsonObject(topology.substitutionMapping) && 'substitutionType' in topology.substitutionMapping) {
    convertToscaElement(topology.substitutionMapping.substitutionType, context, 'substitutionMapping.substitutionType');
  }
  // DeploymentTopology.originalNodes is a plain map: it stays an object, its node templates change.
  if ('originalNodes' in topology) {
    forEachMapValue(topology.originalNodes, R5_TOPOLOGY_NODE_TEMPLATES, 'originalNodes', (template, path) => convertNodeTemplate(template, context, path));
  }
}

/** R6, in place: the template of a location resource template, and its (1.2.0-only) portability definitions. */
export function convertLocationResourceTemplate(document: Record<string, unknown>, context: TransformContext): void {
  if ('template' in document) convertNodeTemplate(document.template, context, 'template');
  if ('portabilityDefinitions' in document) convertPropertyDefinitionMap(document.portabilityDefinitions, context, 'portabilityDefinitions');
}
