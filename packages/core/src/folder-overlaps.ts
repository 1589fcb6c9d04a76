// The folders the tool writes into or replaces must be apart: a backup folder inside the data
// folder copies itself into itself, a data folder inside backup.files_dir can be taken for a
// backup and deleted, a repository inside either is copied or swapped with it. Any two of them
// equal or nested, in either direction, is a configuration error, found once where the
// configuration is loaded so that every command refuses it, not each one on its own.
import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { A4cAdminConfig } from './config-schema.js';

export interface ConfiguredFolder {
  /** The config key, e.g. `backup.files_dir`. */
  key: string;
  path: string;
}

export interface FolderOverlap {
  /** The two keys, in config order. */
  keys: [string, string];
  /** How the first relates to the second. */
  relation: 'same' | 'inside' | 'contains';
  paths: [string, string];
}

/**
 * The folders of a config that must not overlap. The repository location counts only when it is
 * absolute: a relative one lives under the nodes' path.repo, which the config does not know.
 */
export function configuredFolders(config: A4cAdminConfig): ConfiguredFolder[] {
  const folders: ConfiguredFolder[] = [
    { key: 'backup.files_dir', path: config.backup.files_dir },
    { key: 'alien4cloud.dir', path: config.alien4cloud.dir },
  ];
  if (config.exporter.dir !== undefined) folders.push({ key: 'exporter.dir', path: config.exporter.dir });
  const location = config.elasticsearch.repository.location;
  if (isAbsolute(location)) folders.push({ key: 'elasticsearch.repository.location', path: location });
  return folders;
}

/** Every pair of folders that are equal or nested, compared as given after `..` and trailing slashes are resolved. */
export function findFolderOverlaps(folders: ConfiguredFolder[]): FolderOverlap[] {
  const overlaps: FolderOverlap[] = [];
  for (let first = 0; first < folders.length; first += 1) {
    for (let second = first + 1; second < folders.length; second += 1) {
      const a = folders[first]!;
      const b = folders[second]!;
      const relation = relate(resolve(a.path), resolve(b.path));
      if (relation) overlaps.push({ keys: [a.key, b.key], relation, paths: [a.path, b.path] });
    }
  }
  return overlaps;
}

/** Same as findFolderOverlaps, after symbolic links are resolved (for folders that exist, or their nearest existing parent). */
export async function findRealFolderOverlaps(folders: ConfiguredFolder[]): Promise<FolderOverlap[]> {
  const real = await Promise.all(folders.map(async (folder) => ({ ...folder, path: await realPathOf(folder.path) })));
  return findFolderOverlaps(real).map((overlap) => {
    const [a, b] = overlap.keys.map((key) => folders.find((folder) => folder.key === key)!.path) as [string, string];
    return { ...overlap, paths: [a, b] };
  });
}

/** One line per overlap, naming both keys (for messages). */
export function describeOverlap(overlap: FolderOverlap): string {
  const [a, b] = overlap.keys;
  const [pathA, pathB] = overlap.paths;
  const how = overlap.relation === 'same' ? 'is the same folder as' : overlap.relation === 'inside' ? 'is inside' : 'contains';
  return `${a} (${pathA}) ${how} ${b} (${pathB})`;
}

function relate(a: string, b: string): FolderOverlap['relation'] | undefined {
  if (a === b) return 'same';
  if (isWithin(a, b)) return 'inside';
  if (isWithin(b, a)) return 'contains';
  return undefined;
}

function isWithin(child: string, parent: string): boolean {
  const path = relative(parent, child);
  return path !== '' && path !== '..' && !path.startsWith(`..${sep}`) && !isAbsolute(path);
}

/** The real path of a folder that may not exist yet: its nearest existing ancestor resolved, the rest appended. */
async function realPathOf(path: string): Promise<string> {
  let existing = resolve(path);
  const rest: string[] = [];
  for (;;) {
    try {
      return join(await realpath(existing), ...rest.reverse());
    } catch {
      const parent = dirname(existing);
      if (parent === existing) return resolve(path);
      rest.push(basename(existing));
      existing = parent;
    }
  }
}
