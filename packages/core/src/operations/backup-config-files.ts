// The config files of backup.config_files: opened as regular files only (a fifo would be
// waited on forever), copied into the backup with mode 0600 and hashed for the manifest.
import { createHash } from 'node:crypto';
import { chmod, type FileHandle, mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { A4cAdminError, isA4cAdminError } from '../errors.js';
import type { ManifestContent } from '../manifest.js';
import { openRegularFile } from '../read-regular-file.js';

export async function openConfigFile(path: string): Promise<FileHandle> {
  try {
    return await openRegularFile(path, { what: 'The config file (backup.config_files)', hint: 'List only regular files in backup.config_files.' });
  } catch (error) {
    if (isA4cAdminError(error)) throw error;
    throw new A4cAdminError('PRECONDITION_FAILED', `The config file ${path} listed in backup.config_files cannot be read.`, {
      hint: 'Fix the path in backup.config_files or remove it from the list.',
      cause: error,
    });
  }
}

export async function copyConfigFiles(files: string[], destination: string): Promise<ManifestContent['configFiles']> {
  if (files.length === 0) return [];
  await mkdir(destination, { recursive: true, mode: 0o700 });
  const entries: ManifestContent['configFiles'] = [];
  const taken = new Set<string>();
  for (const [position, path] of files.entries()) {
    const handle = await openConfigFile(path);
    let content: Buffer;
    let mode: number;
    try {
      mode = (await handle.stat()).mode & 0o7777;
      content = await handle.readFile();
    } finally {
      await handle.close();
    }
    // Two files may share a base name (two elasticsearch.yml): number them.
    const stored = taken.has(basename(path)) ? `${position}-${basename(path)}` : basename(path);
    taken.add(stored);
    // The copy may hold passwords: 0600 whatever the source's mode; the manifest keeps that mode for the restore.
    await writeFile(join(destination, stored), content, { flag: 'wx', mode: 0o600 });
    await chmod(join(destination, stored), 0o600);
    entries.push({ path, stored: `config/${stored}`, size: content.length, mode, sha256: createHash('sha256').update(content).digest('hex') });
  }
  return entries;
}
