// Scripts pass a config as a file path, a plain object (as in the YAML), or an already
// loaded config; every form goes through core's validation.
import { type A4cAdminConfig, type A4cAdminConfigInput, loadConfig, parseConfig } from '@a4c-admin/core';
import { checkFolderOverlaps } from '@a4c-admin/core/internal';

export type ConfigSource = string | A4cAdminConfigInput | A4cAdminConfig;

export async function resolveConfig(source: ConfigSource): Promise<A4cAdminConfig> {
  // A file path loads like the CLI does: A4C_ADMIN_* variables (e.g. the password) override the file.
  if (typeof source === 'string') return (await loadConfig({ file: source })).config;
  const config = parseConfig(source, 'configuration object');
  await checkFolderOverlaps(config, 'configuration object');
  return config;
}
