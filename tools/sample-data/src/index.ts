// @a4c-admin/sample-data: a realistic Alien4Cloud 1.1.0 installation for tests,
// benchmarks and the demo (indices + documents, data folder, config files).

export type { GenerateDataFolderOptions, GenerateDataFolderResult } from './generate-data-folder.js';
export { generateDataFolder } from './generate-data-folder.js';
export type { LoadSampleIndicesOptions, LoadSampleIndicesResult } from './load-sample-indices.js';
export { loadSampleIndices } from './load-sample-indices.js';
export { MULTIPLIED_INDICES, multiplyDocuments } from './multiply-documents.js';
export type { SampleDocument, SampleMappings } from './sample-files.js';
export { readSampleDocuments, readSampleMappings, sampleDataFolder } from './sample-files.js';
export type { SampleInstallation, SetUpSampleInstallationOptions } from './set-up-sample-installation.js';
export { setUpSampleInstallation } from './set-up-sample-installation.js';
export type { WriteSampleConfigsOptions, WriteSampleConfigsResult } from './write-sample-configs.js';
export { writeSampleConfigs } from './write-sample-configs.js';
