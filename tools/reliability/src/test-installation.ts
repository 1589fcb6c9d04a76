// A real A4C 1.1.0 installation for the reliability suites: the sample indices under a
// unique prefix (optionally only some of them, to keep trials short), a generated data
// folder, and an admin-tool-config.yml with a repository of its own under path.repo.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDataFolder, readSampleDocuments, readSampleMappings } from '@a4c-admin/sample-data';
import { uniqueName } from '@a4c-admin/test-support';
import { Client, type ClientOptions } from '@elastic/elasticsearch';

export interface TestInstallationOptions {
  urls: string[];
  /** The nodes' path.repo: the installation's repository goes in a folder of its own under it. */
  repoPath: string;
  /** Only these A4C indices (base names); all 34 by default. */
  indices?: string[];
  replicas?: number;
  /** How the test itself talks to the cluster (auth, TLS). */
  client?: Pick<ClientOptions, 'auth' | 'tls' | 'caFingerprint'>;
  /** Extra elasticsearch.* keys written into the config file (auth, tls). */
  elasticsearch?: Record<string, unknown>;
  /** Prefix of the temp folder and the index names. */
  label?: string;
}

export interface TestInstallation {
  prefix: string;
  root: string;
  dataDir: string;
  backupDir: string;
  exportDir: string;
  configFile: string;
  /** The other config files a backup copies. */
  configFiles: string[];
  repository: { name: string; location: string };
  /** A client for the test's own checks (never the tool's). */
  client: Client;
  /** Prefixed index names created, with their document counts. */
  indices: Record<string, number>;
  /** Writes admin-tool-config.yml again with extra elasticsearch.* keys (or the original ones). */
  writeConfig(elasticsearch?: Record<string, unknown>, file?: string): Promise<string>;
  cleanup(): Promise<void>;
}

export async function createTestInstallation(options: TestInstallationOptions): Promise<TestInstallation> {
  const label = options.label ?? 'rel';
  const prefix = `${uniqueName(label)}-`;
  const root = await mkdtemp(join(tmpdir(), `a4c-${label}-`));
  const dataDir = join(root, 'data');
  const backupDir = join(root, 'backups');
  const exportDir = join(root, 'export');
  const configFolder = join(root, 'config');
  await mkdir(configFolder, { recursive: true });
  const repository = { name: prefix.slice(0, -1), location: join(options.repoPath, prefix.slice(0, -1)) };
  const client = new Client({ node: options.urls, ...options.client });

  const indices = await loadIndices(client, prefix, options.indices, options.replicas ?? 0);
  await generateDataFolder({ root: dataDir, seed: prefix });
  const configFiles = [join(configFolder, 'alien4cloud-config.yml'), join(configFolder, 'elasticsearch.yml')];
  await writeFile(configFiles[0]!, `directories:\n  alien: ${dataDir}\nelasticSearch:\n  prefix: ${prefix}\n`);
  await writeFile(configFiles[1]!, `cluster.name: a4c\npath.repo: [${options.repoPath}]\n`);

  const writeConfig = async (elasticsearch: Record<string, unknown> = options.elasticsearch ?? {}, file = join(configFolder, 'admin-tool-config.yml')) => {
    const config = {
      elasticsearch: { addresses: options.urls, index_prefix: prefix, repository, ...elasticsearch },
      exporter: { dir: exportDir },
      backup: { files_dir: backupDir, config_files: configFiles },
      alien4cloud: { dir: dataDir },
    };
    // JSON is YAML: no serializer needed, and the file reads as the operator would write it.
    await writeFile(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
    return file;
  };
  const configFile = await writeConfig();

  return {
    prefix,
    root,
    dataDir,
    backupDir,
    exportDir,
    configFile,
    configFiles,
    repository,
    client,
    indices,
    writeConfig,
    async cleanup() {
      try {
        await client.indices.delete({ index: `${prefix}*`, ignore_unavailable: true, allow_no_indices: true, expand_wildcards: 'all' });
        await client.snapshot.deleteRepository({ name: repository.name }, { ignore: [404] });
      } finally {
        await client.close();
      }
      await rm(repository.location, { recursive: true, force: true });
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Creates the sample indices with their mappings and bulk-loads the sample documents. */
async function loadIndices(client: Client, prefix: string, only: string[] | undefined, replicas: number): Promise<Record<string, number>> {
  const mappings = await readSampleMappings();
  const wanted = Object.entries(mappings).filter(([index]) => !only || only.includes(index));
  for (let start = 0; start < wanted.length; start += 8) {
    await Promise.all(
      wanted.slice(start, start + 8).map(([index, definition]) =>
        client.indices.create({
          index: prefix + index,
          mappings: definition.mappings,
          settings: { number_of_shards: 1, number_of_replicas: replicas, ...definition.settings },
        }),
      ),
    );
  }
  const names = new Set(wanted.map(([index]) => index));
  const documents = (await readSampleDocuments()).filter((document) => names.has(document.index));
  if (documents.length > 0) {
    const response = await client.bulk({
      operations: documents.flatMap((document) => [{ index: { _index: prefix + document.index, _id: document.id } }, document.source]),
      refresh: true,
    });
    if (response.errors) throw new Error(`bulk load rejected a document: ${JSON.stringify(response.items.find((item) => item.index?.error))}`);
  }
  const counts: Record<string, number> = {};
  for (const [index] of wanted) counts[prefix + index] = (await client.count({ index: prefix + index })).count;
  return counts;
}
