// Scripts pass a config as a file path, a plain object (as in the YAML), or an already
// loaded config; every form goes through core's validation.
import { type A4cAdminConfig, type A4cAdminConfigInput, loadConfig, parseConfig } from '@a4c-admin/core';
import { checkFolderOverlaps } from '@a4c-admin/core/internal';

/**
 * The config every function takes: the path of an `admin-tool-config.yml` (read as the CLI reads
 * it, `A4C_ADMIN_*` variables winning over the file), a plain object shaped like that file, or
 * a config already loaded.
 */
export type ConfigSource = string | A4cAdminConfigInput | A4cAdminConfig;

/**
 * Reads and validates a config once, so that several calls share it (each function accepts the
 * result as its `config`).
 *
 * @throws {@link A4cAdminError} `CONFIG_NOT_FOUND` or `CONFIG_INVALID`, listing every problem with its fix.
 * @example
 * ```ts
 * import { list, resolveConfig, verify } from 'a4c-admin';
 *
 * const config = await resolveConfig({
 *   elasticsearch: { addresses: ['http://127.0.0.1:9200'] },
 *   backup: { files_dir: '/opt/alien4cloud/backups/files' },
 *   alien4cloud: { dir: '/opt/alien4cloud/data' },
 * });
 * for (const entry of await list(config)) console.log(entry.name, (await verify(config, { name: entry.name })).ok);
 * ```
 */
export async function resolveConfig(source: ConfigSource): Promise<A4cAdminConfig> {
  // A file path loads like the CLI does: A4C_ADMIN_* variables (e.g. the password) override the file.
  if (typeof source === 'string') return (await loadConfig({ file: source })).config;
  const config = parseConfig(source, 'configuration object');
  await checkFolderOverlaps(config, 'configuration object');
  return config;
}
