// A real A4C 1.1.0 installation for integration tests: sample indices under a unique prefix
// in a real Elasticsearch, a generated data folder, a config pointing at both, and
// fingerprints (document hashes, tree hashes) to prove that nothing was changed or lost.
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { type A4cAdminConfig, parseConfig } from '@a4c-admin/core';
import { canonicalJson } from '@a4c-admin/core/internal';
import { connectElasticsearch, createElasticsearchClient, createIndexReader } from '@a4c-admin/es-snapshot';
import { generateDataFolder, loadSampleIndices } from '@a4c-admin/sample-data';
import { uniqueName } from '@a4c-admin/test-support';

export interface TestInstallation {
  prefix: string;
  root: string;
  dataDir: string;
  backupDir: string;
  config: A4cAdminConfig;
  indices: Record<string, number>;
  cleanup(): Promise<void>;
}

/**
 * Nine of the sample's 34 indices: those the tests damage and restore (application, topology,
 * user, csar, plugin) and one of each kind the 1.2.0 migration treats apart (tosca elements,
 * topologies, the audit configuration singleton, cloudify 3 settings read from the
 * orchestrators). For tests whose class of behaviour does not depend on the number of indices:
 * each index costs Elasticsearch an index creation in the load and again in every restore and
 * migration. e2e/commands.int.test.ts and e2e/terminal-screen.int.test.ts keep the whole sample.
 */
export const FEW_SAMPLE_INDICES: readonly string[] = [
  'application',
  'topology',
  'user',
  'csar',
  'plugin',
  'indexednodetype',
  'auditconfiguration',
  'orchestrator',
  'orchestratorconfiguration',
];

export interface InstallationOptions {
  urls: string[];
  repoPath: string;
  replicas?: number;
  /** Grows the data folder's artifacts and plugins (generateDataFolder's scale; 1: ~0.4 MB, 60: ~20 MB). */
  dataScale?: number;
  /** Extra copies of the sample application (loadSampleIndices' multiply; 8 documents each, the sample holds 32). */
  multiply?: number;
  /** Only these A4C indices (base names); all 34 of the sample by default. */
  indices?: readonly string[];
}

export async function createInstallation(options: InstallationOptions): Promise<TestInstallation> {
  const prefix = `${uniqueName('t')}-`;
  const root = await mkdtemp(join(tmpdir(), 'a4c-install-'));
  const dataDir = join(root, 'alien4cloud');
  const backupDir = join(root, 'backups');
  const { indices } = await loadSampleIndices({
    node: options.urls,
    prefix,
    replicas: options.replicas ?? 0,
    multiply: options.multiply ?? 0,
    ...(options.indices === undefined ? {} : { indices: options.indices }),
  });
  await generateDataFolder({ root: dataDir, seed: prefix, scale: options.dataScale ?? 1 });
  const config = parseConfig({
    elasticsearch: {
      addresses: options.urls,
      index_prefix: prefix,
      repository: { name: prefix.slice(0, -1), location: join(options.repoPath, prefix.slice(0, -1)) },
    },
    backup: { files_dir: backupDir },
    alien4cloud: { dir: dataDir },
  });
  return {
    prefix,
    root,
    dataDir,
    backupDir,
    config,
    indices,
    async cleanup() {
      const client = createElasticsearchClient(config.elasticsearch);
      try {
        await client.indices.delete({ index: `${prefix}*`, ignore_unavailable: true, allow_no_indices: true, expand_wildcards: 'all' });
        await client.snapshot.deleteRepository({ name: config.elasticsearch.repository.name }, { ignore: [404] });
      } finally {
        await client.close();
      }
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** SHA-256 of every document (type on multi-type servers, id, routing, canonical source) of each index, per index; any Elasticsearch generation. */
export async function documentFingerprints(config: A4cAdminConfig, indices: string[]): Promise<Record<string, string>> {
  const { client, dialect } = await connectElasticsearch(config.elasticsearch);
  const reader = createIndexReader(client, { dialect });
  try {
    const result: Record<string, string> = {};
    for (const index of indices) {
      if ((await reader.count(index)) === undefined) {
        result[index] = 'absent';
        continue;
      }
      const lines: string[] = [];
      for await (const page of reader.read(index)) {
        for (const document of page) lines.push(`${document.type ?? ''}\t${document.id}\t${document.routing ?? ''}\t${canonicalJson(document.source)}`);
      }
      result[index] = createHash('sha256').update(lines.sort().join('\n')).digest('hex');
    }
    return result;
  } finally {
    await client.close();
  }
}

/** Path -> SHA-256 of every file under a folder (symlinks and special files would throw in readFile). */
export async function treeFingerprint(root: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    result[relative(root, path)] = createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
  }
  return result;
}
