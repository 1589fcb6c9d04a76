// Replaces a plugin's code folder (work/plugins/content/<pluginPathId>) with the content of a
// plugin zip, as the seed's manual procedure did with rm + mv, but safely: extract beside it,
// validate, then two renames; the old code is kept in `<pluginPathId>.previous-<timestamp>`.
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { A4cAdminError } from '@a4c-admin/core';
import { extractZip } from './extract-zip.js';
import { type PluginDescriptor, readPluginDescriptor } from './plugin-descriptor.js';

export interface SwapPluginCodeOptions {
  /** The A4C data folder (alien4cloud.dir). */
  dataDir: string;
  /** The plugin document's pluginPathId: the name of its code folder. */
  pluginPathId: string;
  zipFile: string;
  /** The id the plugin document gives (descriptor.id): the zip must hold that plugin, not another one. */
  expectedId?: string;
  /** Used in the name of the folder keeping the old code; now by default. */
  now?: Date;
}

export interface SwapPluginCodeResult {
  /** The plugin code folder, now holding the zip's content. */
  folder: string;
  /** Where the old code is kept. */
  previous: string;
  /** The new code's META-INF/plugin.yml. */
  descriptor: PluginDescriptor;
  files: number;
}

/** The folder of a plugin's code inside the A4C data folder. */
export function pluginContentFolder(dataDir: string, pluginPathId: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(pluginPathId) || pluginPathId.includes('..')) {
    throw new A4cAdminError('UNSAFE_PATH', `"${pluginPathId}" is not a plugin path id.`, {
      hint: 'Give the pluginPathId of the plugin document (a UUID such as 112a6d4c-1744-496e-b837-76ac2199f7d1).',
      details: { pluginPathId },
    });
  }
  return join(dataDir, 'work', 'plugins', 'content', pluginPathId);
}

export async function swapPluginCode(options: SwapPluginCodeOptions): Promise<SwapPluginCodeResult> {
  const folder = pluginContentFolder(options.dataDir, options.pluginPathId);
  const existing = await stat(folder).catch(() => undefined);
  if (!existing?.isDirectory()) {
    throw new A4cAdminError('PRECONDITION_FAILED', `There is no plugin code folder ${folder} to swap.`, {
      hint: 'Check the data folder and the pluginPathId (from the plugin document); to install a new plugin, upload it through A4C.',
      details: { folder },
    });
  }
  const stamp = (options.now ?? new Date()).toISOString().replace(/[:.]/g, '-');
  // Beside the target, so that the final renames stay on one file system (atomic).
  const staging = `${folder}.staging-${stamp}`;
  const previous = `${folder}.previous-${stamp}`;
  let files: number;
  let root = staging;
  let descriptor: PluginDescriptor;
  try {
    files = await extractZip(options.zipFile, staging);
    let reading = await readPluginDescriptor(staging);
    if (!reading.ok) {
      // Some zips wrap the plugin in one top-level folder: accept that folder as the root.
      const entries = await readdir(staging, { withFileTypes: true });
      if (entries.length === 1 && entries[0]!.isDirectory()) {
        const inner = join(staging, entries[0]!.name);
        const innerReading = await readPluginDescriptor(inner);
        if (innerReading.ok) {
          root = inner;
          reading = innerReading;
        }
      }
    }
    if (!reading.ok) {
      throw new A4cAdminError('PLUGIN_INVALID', `${options.zipFile} is not an A4C plugin: ${reading.message}.`, {
        hint: 'Give the plugin zip as published: it holds META-INF/plugin.yml with the plugin id and version. The plugin folder was not changed.',
        details: { zipFile: options.zipFile, problem: reading.problem },
      });
    }
    descriptor = reading.descriptor;
    if (options.expectedId !== undefined && descriptor.id !== options.expectedId) {
      throw new A4cAdminError('PLUGIN_INVALID', `${options.zipFile} holds plugin "${descriptor.id}", not "${options.expectedId}".`, {
        hint: 'Give the archive of the same plugin in its new version; a different plugin is uploaded through A4C. The plugin folder was not changed.',
        details: { zipFile: options.zipFile, found: descriptor.id, expected: options.expectedId },
      });
    }
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  try {
    await rename(folder, previous);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw filesystemError(`Cannot move the old plugin code ${folder} aside`, error, folder);
  }
  try {
    await rename(root, folder);
  } catch (error) {
    // Put the old code back: the plugin must never be left without code.
    await rename(previous, folder).catch(() => undefined);
    await rm(staging, { recursive: true, force: true });
    throw filesystemError(`Cannot move the new plugin code into ${folder}`, error, folder);
  }
  if (root !== staging) await rm(staging, { recursive: true, force: true });
  return { folder, previous, descriptor, files };
}

function filesystemError(message: string, error: unknown, folder: string): A4cAdminError {
  return new A4cAdminError('FILESYSTEM', `${message}: ${(error as Error).message}`, {
    hint: 'Check the permissions of the plugins folder; the old code is where it was.',
    cause: error,
    details: { folder },
  });
}
