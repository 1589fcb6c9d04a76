// @a4c-admin/sample-data: a realistic Alien4Cloud 1.1.0 installation for tests,
// benchmarks and the demo (indices + documents, data folder, config files).

export type { Es1Document, Es1IndexDefinition, Es1LayoutOptions } from './es1-layout.js';
export { es1IndexDefinitions, es1LocationOf, es1SampleDocuments } from './es1-layout.js';
export type { GenerateDataFolderOptions, GenerateDataFolderResult } from './generate-data-folder.js';
export { generateDataFolder } from './generate-data-folder.js';
export type { LoadEs1SampleIndicesOptions, LoadEs1SampleIndicesResult } from './load-es1-sample-indices.js';
export { es1Request, loadEs1SampleIndices } from './load-es1-sample-indices.js';
export type { LoadSampleIndicesOptions, LoadSampleIndicesResult } from './load-sample-indices.js';
export { loadSampleIndices } from './load-sample-indices.js';
export { MULTIPLIED_INDICES, multiplyDocuments, withMultipliedCopies } from './multiply-documents.js';
export type { SampleDocument, SampleMappings } from './sample-files.js';
export { readSampleDocuments, readSampleMappings, sampleDataFolder } from './sample-files.js';
export type { Es1SampleInstallation, SetUpEs1SampleInstallationOptions } from './set-up-es1-sample-installation.js';
export { setUpEs1SampleInstallation } from './set-up-es1-sample-installation.js';
export type { SampleInstallation, SetUpSampleInstallationOptions } from './set-up-sample-installation.js';
export { setUpSampleInstallation } from './set-up-sample-installation.js';
export type { WriteSampleConfigsOptions, WriteSampleConfigsResult } from './write-sample-configs.js';
export { writeSampleConfigs } from './write-sample-configs.js';
