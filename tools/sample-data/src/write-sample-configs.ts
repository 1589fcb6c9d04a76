// Writes the configuration files of a sample installation: A4C's own yaml, the
// Elasticsearch yaml (both part of what a backup keeps) and an admin-tool-config.yml
// that points a4c-admin at a given node and folders.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import yaml from 'js-yaml';

export interface WriteSampleConfigsOptions {
  /** Folder that receives the three files (created when missing); absolute. */
  folder: string;
  /** URL of the Elasticsearch node(s). */
  node: string | string[];
  /** The A4C data folder (`alien4cloud.dir`); default `<folder>/data`. */
  dataDir?: string;
  /** Where backups go (`backup.files_dir`); default `<folder>/backups`. */
  backupDir?: string;
  /** Where exports go (`exporter.dir`); default `<folder>/export`. */
  exportDir?: string;
  /** The nodes' `path.repo`, written into the Elasticsearch yaml. */
  repositoryPath?: string;
  indexPrefix?: string;
  clusterName?: string;
  /** A4C's URL, when a running A4C should be detected. */
  alien4cloudUrl?: string;
}

export interface WriteSampleConfigsResult {
  /** The admin-tool-config.yml. */
  configFile: string;
  /** A4C's yaml (alien4cloud-config.yml). */
  alien4cloudConfigFile: string;
  /** The Elasticsearch node's yaml. */
  elasticsearchConfigFile: string;
}

export async function writeSampleConfigs(options: WriteSampleConfigsOptions): Promise<WriteSampleConfigsResult> {
  const nodes = Array.isArray(options.node) ? options.node : [options.node];
  const dataDir = options.dataDir ?? join(options.folder, 'data');
  const backupDir = options.backupDir ?? join(options.folder, 'backups');
  const exportDir = options.exportDir ?? join(options.folder, 'export');
  await mkdir(options.folder, { recursive: true });
  const alien4cloudConfigFile = join(options.folder, 'alien4cloud-config.yml');
  const elasticsearchConfigFile = join(options.folder, 'elasticsearch.yml');
  const configFile = join(options.folder, 'admin-tool-config.yml');

  // A4C 1.1.0 talks to Elasticsearch over the transport protocol (port 9300).
  const transportHosts = nodes.map((node) => {
    const url = new URL(node);
    return `${url.hostname}:${Number(url.port || 9200) + 100}`;
  });
  await writeFile(
    alien4cloudConfigFile,
    `# Alien4Cloud 1.1.0 configuration (sample)\n${yaml.dump({
      directories: { alien: dataDir, csar_repository: 'csar', artifact_repository: 'artifacts', upload_temp: 'upload', images: 'images' },
      elasticSearch: {
        clusterName: options.clusterName ?? 'alien4cloud',
        local: false,
        client: true,
        transportClient: true,
        hosts: transportHosts.join(','),
        resetData: false,
        prefix: options.indexPrefix ?? '',
      },
      upload: { max_archive_size: 104857600 },
    })}`,
  );
  await writeFile(
    elasticsearchConfigFile,
    `# Elasticsearch node configuration (sample)\n${yaml.dump({
      'cluster.name': options.clusterName ?? 'alien4cloud',
      'network.host': '127.0.0.1',
      'http.port': Number(new URL(nodes[0]!).port || 9200),
      ...(options.repositoryPath ? { 'path.repo': [options.repositoryPath] } : {}),
    })}`,
  );
  // Nested keys, which the schema reads directly (the seed's dotted keys load too).
  const config = {
    elasticsearch: {
      ...(options.clusterName ? { cluster_name: options.clusterName } : {}),
      addresses: nodes,
      ...(options.indexPrefix ? { index_prefix: options.indexPrefix } : {}),
    },
    exporter: { dir: exportDir },
    backup: { files_dir: backupDir, config_files: [alien4cloudConfigFile, elasticsearchConfigFile] },
    alien4cloud: { dir: dataDir, ...(options.alien4cloudUrl ? { url: options.alien4cloudUrl } : {}) },
  };
  await writeFile(configFile, `# a4c-admin configuration for the sample installation\n${yaml.dump(config)}`);
  return { configFile, alien4cloudConfigFile, elasticsearchConfigFile };
}
