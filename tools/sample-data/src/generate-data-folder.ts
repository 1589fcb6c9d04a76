// Generates a realistic A4C data folder (`alien4cloud.dir`) from a seed: csar archives of
// the sample types, artifacts, application images, plugin code and archives, plus the
// `upload/` and `elasticsearch/` folders that a backup must leave out.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import yaml from 'js-yaml';
import { solidPng } from './png.js';
import { readSampleDocuments, type SampleDocument } from './sample-files.js';
import { createSeededRandom, type SeededRandom } from './seeded-random.js';
import { createZip } from './zip.js';

export interface GenerateDataFolderOptions {
  /** The folder to fill (created when missing). */
  root: string;
  /** Same seed, same bytes. Default 'a4c-sample'. */
  seed?: string | number;
  /** Grows the number and size of artifacts and plugin jars (1 by default). */
  scale?: number;
}

export interface GenerateDataFolderResult {
  files: number;
  bytes: number;
}

const TYPE_INDICES = ['indexednodetype', 'indexedcapabilitytype', 'indexedrelationshiptype', 'indexedartifacttype', 'indexeddatatype'];
const IMAGE_QUALITIES = [16, 32, 64, 128];

export async function generateDataFolder(options: GenerateDataFolderOptions): Promise<GenerateDataFolderResult> {
  const random = createSeededRandom(options.seed ?? 'a4c-sample');
  const scale = Math.max(1, Math.floor(options.scale ?? 1));
  const documents = await readSampleDocuments();
  const totals = { files: 0, bytes: 0 };
  const write = async (path: string, content: Buffer | string) => {
    const target = join(options.root, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
    totals.files += 1;
    totals.bytes += Buffer.byteLength(content);
  };

  await writeCsars(documents, random, write);
  await writeArtifacts(documents, random, scale, write);
  await writeImages(documents, random, write);
  await writePlugins(documents, random, scale, write);
  // Present in a real folder, and never to be backed up: a half-uploaded file and an
  // embedded node's data.
  await write(`upload/${random.uuid()}.tmp`, random.bytes(2048));
  await write('elasticsearch/nodes/0/node.lock', '');
  await write('elasticsearch/nodes/0/_state/global-0.st', random.bytes(512));
  return totals;
}

type Write = (path: string, content: Buffer | string) => Promise<void>;

async function writeCsars(documents: SampleDocument[], random: SeededRandom, write: Write): Promise<void> {
  for (const csar of documents.filter((document) => document.index === 'csar')) {
    const name = String(csar.source.name);
    const version = String(csar.source.version);
    const types = documents.filter(
      (document) => TYPE_INDICES.includes(document.index) && document.source.archiveName === name && document.source.archiveVersion === version,
    );
    const definitions = toscaDefinitions(csar, types);
    // Files that types and templates point at inside this archive (scripts, war files).
    const archiveFiles = [...new Set(documents.flatMap((document) => artifactReferences(document.source, name, version)))]
      .filter((reference) => reference.includes('/'))
      .sort()
      .map((reference) => ({ path: reference, content: artifactContent(reference, random) }));
    const entries = [{ path: `${name}.yml`, content: definitions }, ...archiveFiles];
    const folder = `csar/${name}/${version}`;
    await write(`${folder}/${name}-${version}.csar`, await createZip(entries));
    for (const entry of entries) await write(`${folder}/expanded/${entry.path}`, entry.content);
    await write(`${folder}/content.json`, `${JSON.stringify(csar.source, null, 2)}\n`);
    await write(
      `${folder}/parsingresult.json`,
      `${JSON.stringify({ context: { fileName: `${name}.yml`, parsingErrors: [] }, result: { archive: csar.source, types: types.map((type) => type.id) } }, null, 2)}\n`,
    );
  }
}

function toscaDefinitions(csar: SampleDocument, types: SampleDocument[]): string {
  const section = (index: string) =>
    Object.fromEntries(
      types
        .filter((type) => type.index === index)
        .map((type) => {
          const derivedFrom = type.source.derivedFrom;
          return [
            type.source.elementId,
            {
              ...(Array.isArray(derivedFrom) && derivedFrom.length > 0 ? { derived_from: derivedFrom[0] } : {}),
              ...(type.source.description ? { description: type.source.description } : {}),
              ...(type.source.properties && typeof type.source.properties === 'object'
                ? { properties: Object.fromEntries(Object.keys(type.source.properties).map((key) => [key, { type: 'string' }])) }
                : {}),
            },
          ];
        }),
    );
  const document: Record<string, unknown> = {
    tosca_definitions_version: csar.source.toscaDefinitionsVersion ?? 'alien_dsl_1_1_0',
    template_name: csar.source.name,
    template_version: csar.source.version,
    template_author: csar.source.templateAuthor ?? undefined,
    description: csar.source.description ?? undefined,
  };
  if (Array.isArray(csar.source.dependencies)) {
    document.imports = csar.source.dependencies.map((dependency: { name: string; version: string }) => `${dependency.name}:${dependency.version}`);
  }
  for (const [key, index] of [
    ['node_types', 'indexednodetype'],
    ['capability_types', 'indexedcapabilitytype'],
    ['relationship_types', 'indexedrelationshiptype'],
    ['artifact_types', 'indexedartifacttype'],
    ['data_types', 'indexeddatatype'],
  ] as const) {
    const entries = section(index);
    if (Object.keys(entries).length > 0) document[key] = entries;
  }
  return yaml.dump(document, { lineWidth: 120, noRefs: true, skipInvalid: true });
}

/** `artifactRef`s of the artifacts that say they come from archive `name:version`. */
function artifactReferences(value: unknown, name: string, version: string): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => artifactReferences(item, name, version));
  if (value === null || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  const own = typeof record.artifactRef === 'string' && record.archiveName === name && record.archiveVersion === version ? [record.artifactRef] : [];
  return [...own, ...Object.values(record).flatMap((item) => artifactReferences(item, name, version))];
}

function artifactContent(reference: string, random: SeededRandom): Buffer | string {
  if (reference.endsWith('.sh')) {
    return `#!/bin/bash -e\n# ${reference}: generated sample script\necho "running ${reference}"\nsleep ${random.integer(1, 5)}\n`;
  }
  return random.bytes(random.integer(4096, 16384));
}

async function writeArtifacts(documents: SampleDocument[], random: SeededRandom, scale: number, write: Write): Promise<void> {
  // Artifacts uploaded into topologies live in A4C's `alien` repository under their id.
  const stored = new Set<string>();
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) collect(item);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    if (record.artifactRepository === 'alien' && typeof record.artifactRef === 'string') stored.add(record.artifactRef);
    for (const item of Object.values(record)) collect(item);
  };
  for (const document of documents) collect(document.source);
  for (const id of [...stored].sort()) await write(`artifacts/${id}`, random.bytes(random.integer(8192, 32768)));
  for (let extra = 0; extra < 6 * scale; extra += 1) {
    await write(`artifacts/${random.uuid()}`, random.bytes(random.integer(1024, 64 * 1024)));
  }
}

async function writeImages(documents: SampleDocument[], random: SeededRandom, write: Write): Promise<void> {
  const imageIds = [...new Set(documents.map((document) => document.source.imageId).filter((id): id is string => typeof id === 'string'))].sort();
  for (const id of imageIds) {
    const colour = [random.integer(0, 255), random.integer(0, 255), random.integer(0, 255)] as const;
    await write(`images/${id}.png`, solidPng(256, colour));
    for (const quality of IMAGE_QUALITIES) await write(`images/QUALITY_${quality}${id}.png`, solidPng(quality, colour));
  }
}

async function writePlugins(documents: SampleDocument[], random: SeededRandom, scale: number, write: Write): Promise<void> {
  for (const plugin of documents.filter((document) => document.index === 'plugin')) {
    const descriptor = plugin.source.descriptor as {
      id: string;
      name: string;
      version: string;
      description?: string;
      configurationClass?: string;
      componentDescriptors?: unknown[];
    };
    const pathId = String(plugin.source.pluginPathId);
    const descriptorYaml = yaml.dump(
      {
        id: descriptor.id,
        name: descriptor.name,
        version: descriptor.version,
        description: descriptor.description,
        configuration_class: descriptor.configurationClass,
        component_descriptors: descriptor.componentDescriptors,
      },
      { lineWidth: 120, skipInvalid: true },
    );
    const jar = await createZip([
      {
        path: 'META-INF/MANIFEST.MF',
        content: `Manifest-Version: 1.0\nImplementation-Title: ${descriptor.id}\nImplementation-Version: ${descriptor.version}\n`,
      },
      { path: `${descriptor.id.replaceAll('-', '/')}/Plugin.class`, content: random.bytes(random.integer(16, 48) * 1024 * scale) },
    ]);
    const uiScript = `// UI of ${descriptor.name} ${descriptor.version}\ndefine(function () { return { id: '${descriptor.id}' }; });\n`;
    const files = [
      { path: 'META-INF/plugin.yml', content: descriptorYaml },
      { path: `lib/${descriptor.id}-${descriptor.version}.jar`, content: jar },
      { path: 'ui/plugin.js', content: uiScript },
    ];
    for (const file of files) await write(`work/plugins/content/${pathId}/${file.path}`, file.content);
    await write(`work/plugins/ui/${pathId}/plugin.js`, uiScript);
    await write(`plugins/${descriptor.id}-${descriptor.version}.zip`, await createZip(files));
  }
}
