// ~1 KB documents shaped as A4C 1.1.0 stores them, for the three big indices the 1.2.0 step
// rewrites: node types (R1/R2: property map -> key/value list, string defaults -> {value}),
// topologies and deployment topologies (R3/R4: node template maps -> key/value lists, R1 on
// operation inputs). Deterministic: document i is always the same.

const propertyDefinition = (type, fallback, description) => ({
  type,
  required: fallback !== null,
  description,
  default: fallback,
  definition: true,
  password: false,
});

/** An indexednodetype document (toscaelement). */
export function nodeType(i) {
  const elementId = `com.example.nodes.Service${i}`;
  const archiveVersion = `1.${i % 9}.0-SNAPSHOT`;
  return {
    id: `${elementId}:${archiveVersion}`,
    source: {
      id: `${elementId}:${archiveVersion}`,
      elementId,
      archiveName: `service-types-${i % 500}`,
      archiveVersion,
      highestVersion: true,
      creationDate: 1_452_335_400_000 + i * 1000,
      lastUpdateDate: 1_452_335_400_000 + i * 1000,
      description: `Service ${i}: a software component hosted on a compute, listening on a port.`,
      tags: [{ name: 'icon', value: `/images/service-${i % 40}.png` }],
      abstract: false,
      derivedFrom: ['tosca.nodes.SoftwareComponent', 'tosca.nodes.Root'],
      properties: {
        port: propertyDefinition('integer', String(8000 + (i % 1000)), 'Port the service listens on.'),
        component_version: propertyDefinition('version', `2.${i % 7}`, 'Version of the component.'),
        context_path: propertyDefinition('string', null, 'Context path.'),
      },
      capabilities: [{ id: 'app_endpoint', type: 'tosca.capabilities.Endpoint', upperBound: 2147483647, properties: null }],
      requirements: [{ id: 'host', type: 'tosca.capabilities.Container', lowerBound: 1, upperBound: 1, relationshipType: 'tosca.relationships.HostedOn' }],
    },
  };
}

function nodeTemplate(name, type, i) {
  return {
    type,
    name,
    properties: { port: { value: String(8000 + (i % 1000)), definition: false }, component_version: null },
    attributes: { state: { type: 'string', default: 'initial', definition: true } },
    requirements: { host: { type: 'tosca.capabilities.Container', properties: null } },
    relationships: {
      [`hostedOnCompute${i % 3}`]: {
        type: 'tosca.relationships.HostedOn',
        target: 'Compute',
        requirementName: 'host',
        requirementType: 'tosca.capabilities.Container',
        targetedCapabilityName: 'host',
        artifacts: null,
      },
    },
    capabilities: { app_endpoint: { type: 'tosca.capabilities.Endpoint', properties: { protocol: { value: 'tcp', definition: false } } } },
    artifacts: { war: { artifactType: 'alien.artifacts.WarFile', artifactRef: `app-${i % 50}.war`, artifactRepository: null } },
  };
}

/** A topology document of an application version. */
export function topology(i, prefix = 'topology') {
  const id = `${prefix}-${String(i).padStart(8, '0')}-4d5e-9f60-718293a4b5c6`;
  return {
    id,
    source: {
      id,
      delegateId: `app-${String(i % 10_000).padStart(6, '0')}`,
      delegateType: 'application',
      lastUpdateDate: 1_455_013_800_000 + i * 1000,
      dependencies: [
        { name: 'tosca-normative-types', version: '1.0.0-ALIEN11' },
        { name: `service-types-${i % 500}`, version: `1.${i % 9}.0-SNAPSHOT` },
      ],
      nodeTemplates: [{ key: `Service${i % 10}`, value: nodeTemplate(`Service${i % 10}`, `com.example.nodes.Service${i}`, i) }],
    },
  };
}

/** A deploymenttopology document (a topology plus the deployment's choices). */
export function deploymentTopology(i) {
  const document = topology(i, 'deployment');
  document.id = `${document.source.delegateId}:1.0.0::env-${i}`;
  document.source.id = document.id;
  document.source.delegateType = 'deployment';
  document.source.orchestratorId = 'cloudify3-orchestrator';
  document.source.locationGroups = { _A4C_ALL: { name: '_A4C_ALL', members: ['_A4C_ALL'] } };
  return document;
}

/** How the benchmark splits N documents among the three indices. */
export const SHARES = [
  ['indexednodetype', 0.3, nodeType],
  ['topology', 0.4, (i) => topology(i)],
  ['deploymenttopology', 0.3, deploymentTopology],
];
