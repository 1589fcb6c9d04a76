// Reads a plugin's META-INF/plugin.yml (its id and version) from a plugin code folder.

import { join } from 'node:path';
import { isA4cAdminError } from '@a4c-admin/core';
import { readRegularTextFile } from '@a4c-admin/core/internal';
import yaml from 'js-yaml';

export interface PluginDescriptor {
  id: string;
  version: string;
  name?: string;
}

export type DescriptorReading =
  | { ok: true; descriptor: PluginDescriptor }
  | { ok: false; problem: 'missing-descriptor' | 'invalid-descriptor'; message: string };

export const PLUGIN_DESCRIPTOR = join('META-INF', 'plugin.yml');

export async function readPluginDescriptor(folder: string): Promise<DescriptorReading> {
  const file = join(folder, PLUGIN_DESCRIPTOR);
  let text: string;
  try {
    text = await readRegularTextFile(file, { what: 'The plugin descriptor' });
  } catch (error) {
    if (isA4cAdminError(error)) return { ok: false, problem: 'invalid-descriptor', message: error.message };
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: false, problem: 'missing-descriptor', message: `${file} is missing` };
    return { ok: false, problem: 'invalid-descriptor', message: `${file} cannot be read: ${(error as Error).message}` };
  }
  let value: unknown;
  try {
    // The default schema of js-yaml 4 is safe: no custom types, no code.
    value = yaml.load(text);
  } catch (error) {
    return { ok: false, problem: 'invalid-descriptor', message: `${file} is not valid YAML: ${(error as Error).message}` };
  }
  const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const id = record.id;
  const version = record.version;
  if (typeof id !== 'string' || (typeof version !== 'string' && typeof version !== 'number')) {
    return { ok: false, problem: 'invalid-descriptor', message: `${file} has no id and version` };
  }
  const descriptor: PluginDescriptor = { id, version: String(version) };
  if (typeof record.name === 'string') descriptor.name = record.name;
  return { ok: true, descriptor };
}
