// What "nothing changed" and "nothing lost" mean, measured: the tree of a folder (every
// entry's kind, mode, content hash or link target), the cluster's A4C indices with their
// counts, aliases and snapshots, and a hash of every document; and, around a refusal, the
// fingerprint of the whole installation (every folder, every index of any application).
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Client } from '@elastic/elasticsearch';

/** Path -> "file <mode> <sha256>" | "dir <mode>" | "link <target>" of everything under a folder. */
export async function treeState(root: string): Promise<Record<string, string>> {
  const state: Record<string, string> = {};
  // Names are read as bytes: a name that is not UTF-8 (a bad input itself) is still found again.
  const walk = async (folder: Buffer): Promise<void> => {
    let names;
    try {
      names = await readdir(folder, { encoding: 'buffer' });
    } catch {
      return;
    }
    for (const name of names) {
      const path = Buffer.concat([folder, Buffer.from('/'), name]);
      const info = await lstat(path);
      const mode = (info.mode & 0o7777).toString(8);
      const utf8 = Buffer.from(name.toString('utf8')).equals(name);
      const key = relative(root, join(folder.toString(), utf8 ? name.toString() : `${name.toString('hex')} (hex)`));
      if (info.isSymbolicLink()) state[key] = `link ${await readlink(path)}`;
      else if (info.isDirectory()) {
        state[key] = `dir ${mode}`;
        await walk(path);
      } else if (info.isFile())
        state[key] = `file ${mode} ${createHash('sha256')
          .update(await readFile(path))
          .digest('hex')}`;
      else state[key] = `special ${mode}`;
    }
  };
  await walk(Buffer.from(root));
  return state;
}

export interface ClusterState {
  /** Index -> "<status> <docs>" for every index under the prefix (closed ones included). */
  indices: Record<string, string>;
  /** Alias -> indices. */
  aliases: Record<string, string[]>;
  /** Snapshot names in the repository (empty when it is not registered). */
  snapshots: string[];
}

export async function clusterState(client: Client, prefix: string, repository: string): Promise<ClusterState> {
  await client.indices.refresh({ index: `${prefix}*`, ignore_unavailable: true, allow_no_indices: true });
  const rows = await client.cat.indices({ index: `${prefix}*`, expand_wildcards: 'all', format: 'json', h: 'index,status,docs.count' });
  const indices: Record<string, string> = {};
  for (const row of rows) indices[row.index!] = `${row.status} ${row['docs.count'] ?? '-'}`;
  const aliasRows = await client.cat.aliases({ name: `${prefix}*`, format: 'json', h: 'alias,index' });
  const aliases: Record<string, string[]> = {};
  for (const row of aliasRows) (aliases[row.alias!] ??= []).push(row.index!);
  for (const list of Object.values(aliases)) list.sort();
  let snapshots: string[] = [];
  try {
    const response = await client.snapshot.get({ repository, snapshot: '_all' });
    snapshots = (response.snapshots ?? []).map((snapshot) => snapshot.snapshot).sort();
  } catch (error) {
    if ((error as { meta?: { statusCode?: number } }).meta?.statusCode !== 404) throw error;
  }
  return { indices: sortKeys(indices), aliases: sortKeys(aliases), snapshots };
}

/** Index (or alias) -> SHA-256 of its documents (id + source, sorted); "absent" when missing. */
export async function documentFingerprints(client: Client, names: string[]): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const name of names) {
    const exists = await client.indices.exists({ index: name });
    if (!exists) {
      result[name] = 'absent';
      continue;
    }
    await client.indices.refresh({ index: name });
    // The sample indices hold a few documents each: one page is the whole index.
    const response = await client.search({ index: name, size: 10_000, query: { match_all: {} } });
    const lines = response.hits.hits.map((hit) => `${hit._id}\t${JSON.stringify(sortDeep(hit._source))}`).sort();
    result[name] = `${lines.length} ${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16)}`;
  }
  return result;
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([key, inner]) => [key, sortDeep(inner)]),
    );
  return value;
}

/** The folders and the cluster of an installation, as {@link installationFingerprint} reads them. */
export interface FingerprintedInstallation {
  client: Client;
  prefix: string;
  repository: { name: string };
  dataDir: string;
  backupDir: string;
  exportDir: string;
  /** The folder of admin-tool-config.yml and the config files a backup copies. */
  configDir: string;
}

/**
 * Everything a refusal must leave as it was: every file's kind, mode and SHA-256 in the data,
 * backup, export and config folders; every index of the cluster (A4C's and any other
 * application's, hidden ones aside) with its status, documents, mappings and the write blocks
 * of its settings; every alias; every snapshot of the repository with its uuid and state.
 * `ignore` drops bookkeeping paths (e.g. a lock folder) from the folder trees.
 */
export async function installationFingerprint(installation: FingerprintedInstallation, ignore: (path: string) => boolean = () => false) {
  const tree = async (root: string) => Object.fromEntries(Object.entries(await treeState(root)).filter(([path]) => !ignore(path)));
  return {
    data: await tree(installation.dataDir),
    backups: await tree(installation.backupDir),
    exports: await tree(installation.exportDir),
    config: await tree(installation.configDir),
    cluster: await clusterState(installation.client, installation.prefix, installation.repository.name),
    indices: await everyIndex(installation.client),
    snapshots: await snapshotIdentities(installation.client, installation.repository.name),
  };
}

/** Every visible index of the cluster: "<status> <documents fingerprint> mappings:<hash> blocks:<json>". */
async function everyIndex(client: Client): Promise<Record<string, string>> {
  await client.indices.refresh({ index: '*', ignore_unavailable: true, allow_no_indices: true });
  const rows = await client.cat.indices({ index: '*', expand_wildcards: ['open', 'closed'], format: 'json', h: 'index,status' });
  const names = rows
    .map((row) => row.index!)
    .filter((name) => !name.startsWith('.'))
    .sort();
  const result: Record<string, string> = {};
  if (names.length === 0) return result;
  const open = rows
    .filter((row) => row.status === 'open')
    .map((row) => row.index!)
    .filter((name) => names.includes(name));
  const documents = await documentFingerprints(client, open);
  const mappings = await client.indices.getMapping({ index: names.join(','), expand_wildcards: ['open', 'closed'] });
  const settings = await client.indices.getSettings({ index: names.join(','), expand_wildcards: ['open', 'closed'], filter_path: '*.settings.index.blocks' });
  for (const row of rows) {
    const name = row.index!;
    if (!names.includes(name)) continue;
    const mappingHash = createHash('sha256')
      .update(JSON.stringify(sortDeep(mappings[name]?.mappings ?? {})))
      .digest('hex')
      .slice(0, 16);
    const blocks = JSON.stringify(sortDeep((settings as Record<string, { settings?: { index?: { blocks?: unknown } } }>)[name]?.settings?.index?.blocks ?? {}));
    result[name] = `${row.status} ${documents[name] ?? 'closed'} mappings:${mappingHash} blocks:${blocks}`;
  }
  return sortKeys(result);
}

/** Snapshot name -> "<uuid> <state>" in the repository (empty when it is not registered). */
async function snapshotIdentities(client: Client, repository: string): Promise<Record<string, string>> {
  try {
    const response = await client.snapshot.get({ repository, snapshot: '_all' });
    return sortKeys(Object.fromEntries((response.snapshots ?? []).map((snapshot) => [snapshot.snapshot, `${snapshot.uuid} ${snapshot.state}`])));
  } catch (error) {
    if ((error as { meta?: { statusCode?: number } }).meta?.statusCode !== 404) throw error;
    return {};
  }
}
