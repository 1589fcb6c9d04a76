// The sample A4C 1.1.0 installation as a real one looks: its documents on Elasticsearch 1.x
// in A4C's own multi-type layout, its data folder, and config files pointing at that node
// (with its cluster name, A4C's `escluster` by default).
import { join } from 'node:path';
import { type GenerateDataFolderResult, generateDataFolder } from './generate-data-folder.js';
import { es1Request, type LoadEs1SampleIndicesOptions, loadEs1SampleIndices } from './load-es1-sample-indices.js';
import { type WriteSampleConfigsResult, writeSampleConfigs } from './write-sample-configs.js';

export interface SetUpEs1SampleInstallationOptions extends LoadEs1SampleIndicesOptions {
  /** Folder of the installation: `config/`, `data/`, `backups/`, `export/` go inside. Absolute. */
  folder: string;
  seed?: string | number;
  /** Size factor of the data folder. */
  scale?: number;
  /** The node's `path.repo`, recorded in the sample Elasticsearch yaml. */
  repositoryPath?: string;
}

export interface Es1SampleInstallation extends WriteSampleConfigsResult {
  /** `alien4cloud.dir`. */
  dataDir: string;
  /** `backup.files_dir`. */
  backupDir: string;
  /** The node's cluster name, as written into the configs. */
  clusterName: string;
  /** Documents per type of each created ES 1.x index (prefixed names). */
  indices: Record<string, Record<string, number>>;
  dataFolder: GenerateDataFolderResult;
}

export async function setUpEs1SampleInstallation(options: SetUpEs1SampleInstallationOptions): Promise<Es1SampleInstallation> {
  const { folder, seed, scale, repositoryPath, ...load } = options;
  const dataDir = join(folder, 'data');
  const backupDir = join(folder, 'backups');
  const { indices } = await loadEs1SampleIndices(load);
  const clusterName = String((await es1Request(options.url, 'GET', '/')).cluster_name);
  const dataFolder = await generateDataFolder({ root: dataDir, ...(seed === undefined ? {} : { seed }), ...(scale === undefined ? {} : { scale }) });
  const configs = await writeSampleConfigs({
    folder: join(folder, 'config'),
    node: options.url,
    dataDir,
    backupDir,
    exportDir: join(folder, 'export'),
    clusterName,
    ...(options.prefix ? { indexPrefix: options.prefix } : {}),
    ...(repositoryPath === undefined ? {} : { repositoryPath }),
  });
  return { ...configs, dataDir, backupDir, clusterName, indices, dataFolder };
}
