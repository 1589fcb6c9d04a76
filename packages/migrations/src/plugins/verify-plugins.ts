// Checks that every plugin document has its code on disk, and that the code's
// META-INF/plugin.yml names the same plugin and version as the document.
import { stat } from 'node:fs/promises';
import { A4cAdminError, type StoredDocument } from '@a4c-admin/core';
import { readPluginDescriptor } from './plugin-descriptor.js';
import { pluginContentFolder } from './swap-plugin-code.js';

export type PluginProblem = 'missing-path-id' | 'missing-folder' | 'missing-descriptor' | 'invalid-descriptor' | 'id-mismatch' | 'version-mismatch';

export interface PluginFinding {
  /** The plugin document's id (`<descriptor id>:<version>`). */
  plugin: string;
  pluginPathId: string | undefined;
  problem: PluginProblem;
  /**
   * A version mismatch is a warning: the seed's own upgrade procedure swaps 1.2.0 code under a
   * plugin document of 1.1.0, which works but should be cleaned up.
   */
  severity: 'error' | 'warning';
  message: string;
}

export interface VerifyPluginsOptions {
  dataDir: string;
  /** The documents of the `plugin` index (or their sources). */
  plugins: Array<StoredDocument | Record<string, unknown>>;
}

export interface VerifyPluginsResult {
  checked: number;
  /** True when no finding is an error. */
  ok: boolean;
  findings: PluginFinding[];
}

export async function verifyPlugins(options: VerifyPluginsOptions): Promise<VerifyPluginsResult> {
  const findings: PluginFinding[] = [];
  for (const entry of options.plugins) {
    const source = ('source' in entry && typeof entry.source === 'object' && entry.source !== null ? entry.source : entry) as Record<string, unknown>;
    const descriptor = (source.descriptor ?? {}) as Record<string, unknown>;
    const id = typeof descriptor.id === 'string' ? descriptor.id : undefined;
    const version = typeof descriptor.version === 'string' ? descriptor.version : undefined;
    const plugin = ('id' in entry && typeof entry.id === 'string' ? entry.id : undefined) ?? `${id}:${version}`;
    const pluginPathId = typeof source.pluginPathId === 'string' ? source.pluginPathId : undefined;
    const add = (problem: PluginProblem, message: string, severity: 'error' | 'warning' = 'error') =>
      findings.push({ plugin, pluginPathId, problem, severity, message });
    if (!pluginPathId) {
      add('missing-path-id', `Plugin ${plugin} has no pluginPathId: its code folder is unknown.`);
      continue;
    }
    let folder: string;
    try {
      folder = pluginContentFolder(options.dataDir, pluginPathId);
    } catch {
      add('missing-path-id', `Plugin ${plugin} has an unusable pluginPathId "${pluginPathId}".`);
      continue;
    }
    if (!(await stat(folder).catch(() => undefined))?.isDirectory()) {
      add('missing-folder', `The code folder of plugin ${plugin} (${folder}) is missing.`);
      continue;
    }
    const reading = await readPluginDescriptor(folder);
    if (!reading.ok) {
      add(reading.problem, `Plugin ${plugin}: ${reading.message}.`);
      continue;
    }
    if (reading.descriptor.id !== id) {
      add('id-mismatch', `The code folder of plugin ${plugin} holds plugin "${reading.descriptor.id}", not "${id}".`);
    } else if (reading.descriptor.version !== version) {
      add('version-mismatch', `Plugin ${plugin} runs code of version ${reading.descriptor.version}, its document says ${version}.`, 'warning');
    }
  }
  return { checked: options.plugins.length, ok: findings.every((finding) => finding.severity !== 'error'), findings };
}

/**
 * PLUGIN_INVALID when a finding is an error (code missing, or another plugin's): the check's
 * verdict as the CLI gives it. Warnings (a version mismatch) pass.
 */
export function assertPluginsValid(result: VerifyPluginsResult): void {
  const errors = result.findings.filter((finding) => finding.severity === 'error');
  if (errors.length === 0) return;
  throw new A4cAdminError('PLUGIN_INVALID', `Plugin code does not match the plugin documents:\n- ${errors.map((finding) => finding.message).join('\n- ')}`, {
    hint: 'Re-upload the plugins in A4C, or swap in their code with `a4c-admin plugins swap <plugin> --archive <zip>`.',
    details: { findings: result.findings },
  });
}
