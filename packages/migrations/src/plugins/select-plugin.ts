// Which plugin an operator means: a plugin document named by its id (`descriptor.id`), its
// document id (`id:version`) or its pluginPathId, exactly one of them.
import { A4cAdminError, type StoredDocument } from '@a4c-admin/core';

export interface SelectedPlugin {
  /** The plugin document's id (`<descriptor id>:<version>`). */
  plugin: string;
  /** The folder name of its code under `work/plugins/content`. */
  pluginPathId: string;
  /** The descriptor id the new code must declare, when the document has one. */
  expectedId?: string;
}

interface PluginSource {
  pluginPathId?: string;
  descriptor?: { id?: string };
}

/**
 * The one plugin document `name` designates among `documents` (the `plugin` index). None, or
 * more than one, is USAGE with the candidates in the hint; a document without pluginPathId
 * (its code folder is unknown) is PLUGIN_INVALID.
 */
export function selectPlugin(documents: readonly StoredDocument[], name: string): SelectedPlugin {
  const matches = documents.filter((document) => {
    const source = document.source as PluginSource;
    return document.id === name || source.pluginPathId === name || source.descriptor?.id === name;
  });
  if (matches.length !== 1) {
    throw new A4cAdminError('USAGE', matches.length === 0 ? `No plugin "${name}" in the cluster.` : `"${name}" names ${matches.length} plugins.`, {
      hint: `Name one plugin by its id:version or pluginPathId: ${documents.map((document) => `${document.id} (${(document.source as PluginSource).pluginPathId})`).join(', ') || 'none found'}.`,
    });
  }
  const match = matches[0]!;
  const source = match.source as PluginSource;
  if (!source.pluginPathId) throw new A4cAdminError('PLUGIN_INVALID', `Plugin ${match.id} has no pluginPathId.`, { hint: 'Re-upload the plugin in A4C.' });
  const expectedId = source.descriptor?.id;
  return { plugin: match.id, pluginPathId: source.pluginPathId, ...(expectedId ? { expectedId } : {}) };
}
