// One call for the demo, benchmarks and end-to-end tests: the indices, the data folder and
// the config files of a sample A4C 1.1.0 installation, all pointing at each other.
import { join } from 'node:path';
import { type GenerateDataFolderResult, generateDataFolder } from './generate-data-folder.js';
import { type LoadSampleIndicesOptions, loadSampleIndices } from './load-sample-indices.js';
import { type WriteSampleConfigsResult, writeSampleConfigs } from './write-sample-configs.js';

export interface SetUpSampleInstallationOptions {
  /** URL of a node (or several). */
  node: string | string[];
  /** Folder of the installation: `config/`, `data/`, `backups/`, `export/` go inside. Absolute. */
  folder: string;
  /** Prefix of the index names; use a unique one per test. */
  prefix?: string;
  /** Extra copies of the application documents. */
  multiply?: number;
  /** Only these A4C indices (base names); every index of the sample by default. */
  indices?: readonly string[];
  seed?: string | number;
  /** Size factor of the data folder. */
  scale?: number;
  /** Delete indices of the same names first. */
  replace?: boolean;
  /** The nodes' `path.repo`, recorded in the sample Elasticsearch yaml. */
  repositoryPath?: string;
  auth?: LoadSampleIndicesOptions['auth'];
}

export interface SampleInstallation extends WriteSampleConfigsResult {
  /** `alien4cloud.dir`. */
  dataDir: string;
  /** `backup.files_dir`. */
  backupDir: string;
  /** Documents per created index (prefixed names). */
  indices: Record<string, number>;
  dataFolder: GenerateDataFolderResult;
}

export async function setUpSampleInstallation(options: SetUpSampleInstallationOptions): Promise<SampleInstallation> {
  const dataDir = join(options.folder, 'data');
  const backupDir = join(options.folder, 'backups');
  const { indices } = await loadSampleIndices({
    node: options.node,
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
    ...(options.multiply === undefined ? {} : { multiply: options.multiply }),
    ...(options.indices === undefined ? {} : { indices: options.indices }),
    ...(options.replace === undefined ? {} : { replace: options.replace }),
    ...(options.auth === undefined ? {} : { auth: options.auth }),
  });
  const dataFolder = await generateDataFolder({
    root: dataDir,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.scale === undefined ? {} : { scale: options.scale }),
  });
  const configs = await writeSampleConfigs({
    folder: join(options.folder, 'config'),
    node: options.node,
    dataDir,
    backupDir,
    exportDir: join(options.folder, 'export'),
    ...(options.prefix ? { indexPrefix: options.prefix } : {}),
    ...(options.repositoryPath === undefined ? {} : { repositoryPath: options.repositoryPath }),
  });
  return { ...configs, dataDir, backupDir, indices, dataFolder };
}
