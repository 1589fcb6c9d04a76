// Loads admin-tool-config.yml: safe YAML -> dotted keys expanded -> seed shorthands
// normalised -> layers merged (options > environment > file > defaults) -> zod -> one
// A4cAdminError that lists every problem with its path and what to do about it.
import { resolve as resolvePath } from 'node:path';
import { permissionWarnings, readConfigFile } from './config-file.js';
import { checkCaFile, checkFolderOverlaps, overlapProblem } from './config-folder-checks.js';
import { environmentLayer, expandDottedKeys, type Layer, normaliseAddresses, recordLabels } from './config-layers.js';
import { authProblems, type ConfigProblem, configError, describeIssue, STARTER_CONFIG_EXAMPLE } from './config-problems.js';
import { type A4cAdminConfig, type A4cAdminConfigInput, configSchema } from './config-schema.js';
import { deepMerge, describeType, isPlain, nonEmpty, type Plain } from './config-values.js';
import { configuredFolders, findFolderOverlaps } from './folder-overlaps.js';

export { checkFolderOverlaps } from './config-folder-checks.js';
export type { ConfigProblem } from './config-problems.js';

/** A deep-partial config, as a CLI or a script passes explicit options. `undefined` leaves are ignored. */
export type ConfigOverrides = DeepPartial<A4cAdminConfigInput>;
type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

export interface LoadConfigOptions {
  /** Path of the YAML file; when absent, A4C_ADMIN_CONFIG is used, and when that is absent too, no file. */
  file?: string;
  /** Environment to read the A4C_ADMIN_* variables from (default: process.env). */
  env?: Record<string, string | undefined>;
  /** Explicit options (CLI flags): they win over everything else. */
  overrides?: ConfigOverrides;
}

export interface LoadedConfig {
  /** The validated configuration, defaults filled in. */
  config: A4cAdminConfig;
  /** Absolute path of the file that was read, when one was. */
  file?: string;
  /** Things worth telling the operator that do not stop the tool (a world-readable file holding a password). */
  warnings: string[];
}

/**
 * Reads, merges and validates the configuration.
 * Precedence: `overrides` > environment variables > file > defaults.
 * @throws A4cAdminError CONFIG_NOT_FOUND (file missing or a folder) or CONFIG_INVALID (every problem listed).
 * @example
 * ```ts
 * import { loadConfig } from '@a4c-admin/core'; // or from 'a4c-admin'
 *
 * const { config, file, warnings } = await loadConfig({ file: '/opt/alien4cloud/config/admin-tool-config.yml' });
 * for (const warning of warnings) console.warn(warning);
 * console.log(`read ${file}: backups go to ${config.backup.files_dir}`);
 * ```
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const env = options.env ?? process.env;
  const warnings: string[] = [];
  const layers: Layer[] = [];
  const requested = options.file ?? nonEmpty(env.A4C_ADMIN_CONFIG);
  let file: string | undefined;
  let fileValue: unknown;
  if (requested !== undefined) {
    file = resolvePath(requested);
    fileValue = await readConfigFile(file, options.file === undefined ? 'A4C_ADMIN_CONFIG' : undefined);
    layers.push({ value: fileValue, label: file });
  }
  layers.push(environmentLayer(env));
  if (options.overrides !== undefined) layers.push({ value: options.overrides, label: 'options' });

  const origin = file ?? 'options and environment (no config file)';
  const config = resolveLayers(layers, origin, file === undefined);

  await checkFolderOverlaps(config, origin);
  await checkCaFile(config, origin);
  if (file !== undefined) warnings.push(...(await permissionWarnings(file, fileValue)));
  if (config.elasticsearch.tls?.verify === false) {
    warnings.push('elasticsearch.tls.verify is false: the server certificate is not checked. Use it only with a throw-away cluster.');
  }
  return file === undefined ? { config, warnings } : { config, file, warnings };
}

/**
 * Validates one configuration object (the parsed YAML, or an object built by a script):
 * dotted keys are expanded and the seed's `host:port,host:port` addresses are accepted.
 * Synchronous and free of file-system checks (loadConfig adds those).
 * @param origin where the object came from, used in messages.
 * @throws A4cAdminError CONFIG_INVALID listing every problem.
 */
export function parseConfig(input: unknown, origin = 'configuration'): A4cAdminConfig {
  return resolveLayers([{ value: input, label: origin }], origin, false);
}

function resolveLayers(layers: Layer[], origin: string, noFile: boolean): A4cAdminConfig {
  const problems: ConfigProblem[] = [];
  const labels = new Map<string, string>();
  let merged: Plain = {};
  for (const layer of layers) {
    if (layer.value === undefined || layer.value === null) continue;
    if (!isPlain(layer.value)) {
      problems.push({
        path: '',
        message: `${layer.label} must be a mapping of keys (got ${describeType(layer.value)})`,
        hint: `Start from ${STARTER_CONFIG_EXAMPLE}.`,
      });
      continue;
    }
    const expanded = expandDottedKeys(layer.value, [], problems);
    recordLabels(expanded, [], layer, labels);
    merged = deepMerge(merged, expanded);
  }
  normaliseAddresses(merged, problems);

  // A document that is not a mapping would only add "missing" noise to its real problem.
  if (!problems.some((problem) => problem.path === '')) {
    const result = configSchema.safeParse(merged);
    if (result.success) {
      problems.push(...authProblems(result.data));
      problems.push(...findFolderOverlaps(configuredFolders(result.data)).map(overlapProblem));
      if (problems.length === 0) return result.data;
    } else {
      problems.push(...result.error.issues.flatMap((issue) => describeIssue(issue, merged, noFile)));
    }
  }
  throw configError(problems, origin, labels, merged);
}
