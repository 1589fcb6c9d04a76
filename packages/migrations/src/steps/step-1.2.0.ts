// The 1.1.0 -> 1.2.0 step (rules R1-R8 of the A4C spec, plus P1 for the cloudify 3 plugin).
import { DATA_VERSION_1_1_0, DATA_VERSION_1_2_0 } from '@a4c-admin/core';
import { mappingsForVersion } from '../mappings/index.js';
import { AUDIT_CONFIGURATION_ID, R8_AUDIT_CONFIGURATION_SINGLETON, toAuditConfigurationSingleton } from '../rules/audit-configuration.js';
import {
  addCloudify3Settings,
  CLOUDIFY3_ORCHESTRATOR_IDS,
  isCloudify3Orchestrator,
  P1_CLOUDIFY3_ORCHESTRATOR_SETTINGS,
} from '../rules/cloudify3-orchestrator.js';
import { R3_NODE_TEMPLATE_MAPS, R4_RELATIONSHIP_TEMPLATE_ARTIFACTS } from '../rules/node-template.js';
import { convertPropertyDefinition, R1_PROPERTY_DEFAULT } from '../rules/property-definition.js';
import { convertLocationResourceTemplate, convertTopology, R5_TOPOLOGY_NODE_TEMPLATES } from '../rules/topology.js';
import { R7_TOPOLOGY_TEMPLATE_ID, removeTopologyTemplateId } from '../rules/topology-template.js';
import { convertDataType, convertToscaElement, R2_DERIVE_FROM_SIMPLE_TYPE, R2_TOSCA_ELEMENT_PROPERTIES } from '../rules/tosca-element.js';
import type { DocumentTransform, IndexMigration, MigrationStep, TransformContext } from '../step.js';

/** Bump when any rule of this step changes behaviour: the checksum recorded in markers changes with it. */
const REVISION = 1;

/** Runs an in-place conversion of the document's source: the transform owns the document (step.ts). */
function inPlace(convert: (source: Record<string, unknown>, context: TransformContext) => void): DocumentTransform {
  return (document, context) => {
    convert(document.source, context);
    return document;
  };
}

const toscaElement = inPlace((source, context) => convertToscaElement(source, context, ''));

const TRANSFORMS: Record<string, Omit<IndexMigration, 'source'>> = {
  indexednodetype: { transform: toscaElement },
  indexedcapabilitytype: { transform: toscaElement },
  indexedrelationshiptype: { transform: toscaElement },
  indexedartifacttype: { transform: toscaElement },
  indexeddatatype: { transform: inPlace(convertDataType) },
  topology: { transform: inPlace(convertTopology) },
  deploymenttopology: { transform: inPlace(convertTopology) },
  deployedtopologies: { transform: inPlace(convertTopology) },
  locationresourcetemplate: { transform: inPlace(convertLocationResourceTemplate) },
  metapropconfiguration: { transform: inPlace((source, context) => convertPropertyDefinition(source, context, '')) },
  topologytemplate: { transform: inPlace(removeTopologyTemplateId) },
  // Every 1.1.0 document becomes the one `singleton`: several collapse into one.
  auditconfiguration: { transform: toAuditConfigurationSingleton, targetCount: (count) => Math.min(count, 1) },
  orchestratorconfiguration: {
    transform: (document, context) => {
      addCloudify3Settings(document, context);
      return document;
    },
  },
};

function buildStep(): MigrationStep {
  const sourceMappings = mappingsForVersion(DATA_VERSION_1_1_0)!;
  const mappings = mappingsForVersion(DATA_VERSION_1_2_0)!;
  const indices: Record<string, IndexMigration> = {};
  for (const name of Object.keys(mappings)) {
    const migration: IndexMigration = { ...TRANSFORMS[name] };
    if (name in sourceMappings) migration.source = name;
    indices[name] = migration;
  }
  return {
    from: DATA_VERSION_1_1_0,
    to: DATA_VERSION_1_2_0,
    revision: REVISION,
    description:
      'Alien4Cloud 1.1.0 -> 1.2.0: key/value arrays for tosca element properties and node template maps, ' +
      'property defaults as property values, topologyId removed from topology templates, the audit ' +
      `configuration as the "${AUDIT_CONFIGURATION_ID}" document, cloudify 3 polling delays; new empty indices for ` +
      'primitive data types, suggestions and deployment logs.',
    rules: [
      { id: R1_PROPERTY_DEFAULT, description: 'PropertyDefinition.default: string -> {"value": s, "definition": false}, recursively in entrySchema' },
      { id: R2_TOSCA_ELEMENT_PROPERTIES, description: 'tosca element properties: object map -> key/value array' },
      { id: R2_DERIVE_FROM_SIMPLE_TYPE, description: 'data types: deriveFromSimpleType false where absent' },
      { id: R3_NODE_TEMPLATE_MAPS, description: 'node template requirements/relationships/capabilities/artifacts -> key/value arrays' },
      { id: R4_RELATIONSHIP_TEMPLATE_ARTIFACTS, description: 'relationship template artifacts -> key/value array' },
      { id: R5_TOPOLOGY_NODE_TEMPLATES, description: 'topology nodeTemplates as key/value array (already so in 1.1.0)' },
      { id: R7_TOPOLOGY_TEMPLATE_ID, description: 'topology templates: topologyId removed' },
      { id: R8_AUDIT_CONFIGURATION_SINGLETON, description: 'audit configuration -> {"id":"singleton","enabled":..,"auditedMethods":[]}' },
      { id: P1_CLOUDIFY3_ORCHESTRATOR_SETTINGS, description: 'cloudify 3 orchestrator configuration: polling delays 30/5/2 where absent' },
    ],
    indices,
    mappings,
    created: Object.keys(mappings).filter((name) => !(name in sourceMappings)),
    dropped: Object.keys(sourceMappings).filter((name) => !(name in mappings)),
    async collectFacts(read) {
      const ids: string[] = [];
      for await (const page of read('orchestrator')) {
        for (const document of page) if (isCloudify3Orchestrator(document.source)) ids.push(document.id);
      }
      return { [CLOUDIFY3_ORCHESTRATOR_IDS]: ids.sort() };
    },
  };
}

export const STEP_1_2_0: MigrationStep = buildStep();
