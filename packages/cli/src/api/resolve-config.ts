// Scripts pass a config as a file path, a plain object (as in the YAML), or an already
// loaded config; every form goes through core's validation.
import { loadConfig, parseConfig, type A4cAdminConfig, type A4cAdminConfigInput } from '@a4c-admin/core';

export type ConfigSource = string | A4cAdminConfigInput | A4cAdminConfig;

export async function resolveConfig(source: ConfigSource): Promise<A4cAdminConfig> {
  if (typeof source === 'string') return (await loadConfig({ file: source, env: {} })).config;
  return parseConfig(source, 'configuration object');
}
