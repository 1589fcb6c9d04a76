// Loads admin-tool-config.yml: safe YAML -> dotted keys expanded -> seed shorthands
// normalised -> layers merged (options > environment > file > defaults) -> zod -> one
// A4cAdminError that lists every problem with its path and what to do about it.
import { stat } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import yaml from 'js-yaml';
import type { z } from 'zod';
import { CONFIG_ENVIRONMENT_VARIABLES, environmentVariableFor } from './config-environment.js';
import { redactSecrets, redactUrlCredentials } from './config-redact.js';
import { configSchema, type A4cAdminConfig, type A4cAdminConfigInput } from './config-schema.js';
import { nearestWord } from './edit-distance.js';
import { A4cAdminError } from './errors.js';
import { configuredFolders, describeOverlap, findFolderOverlaps, findRealFolderOverlaps, type FolderOverlap } from './folder-overlaps.js';
import { openRegularFile, readRegularTextFile } from './read-regular-file.js';

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
  config: A4cAdminConfig;
  /** Absolute path of the file that was read, when one was. */
  file?: string;
  /** Things worth telling the operator that do not stop the tool (a world-readable file holding a password). */
  warnings: string[];
}

/** One problem found in the configuration. */
export interface ConfigProblem {
  /** Dotted path, `elasticsearch.addresses[0]`; empty for the whole document. */
  path: string;
  message: string;
  hint?: string;
}

type Plain = Record<string, unknown>;
interface Layer {
  value: unknown;
  /** Where the values come from, for messages: a file path, "A4C_ADMIN_...", "options". */
  label: string;
  /** Labels of single values (environment variables) when they differ from the layer's label. */
  labels?: Map<string, string>;
}

const SECRET_PATHS = new Set(['elasticsearch.auth.password', 'elasticsearch.auth.api_key']);
const SCHEMA_HINT = 'Every key is described in config.schema.json of @a4c-admin/core and in its README.';

/**
 * Reads, merges and validates the configuration.
 * Precedence: `overrides` > environment variables > file > defaults.
 * @throws A4cAdminError CONFIG_NOT_FOUND (file missing or a folder) or CONFIG_INVALID (every problem listed).
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
        hint: 'Start from the example in the README: `elasticsearch:`, `backup.files_dir:`, `alien4cloud.dir:` ...',
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

async function readConfigFile(file: string, viaVariable: string | undefined): Promise<unknown> {
  const from = viaVariable === undefined ? '' : ` (from ${viaVariable})`;
  let text: string;
  try {
    const info = await stat(file);
    if (info.isDirectory()) {
      throw new A4cAdminError('CONFIG_NOT_FOUND', `The config path ${file}${from} is a folder, not a file.`, {
        hint: 'Give the path of the YAML file itself, e.g. config/admin-tool-config.yml.',
        details: { file },
      });
    }
    // Never a plain open: a fifo given as the config would block the process for good.
    text = await readRegularTextFile(file, {
      what: `The config path${from}`,
      code: 'CONFIG_INVALID',
      hint: 'Give the path of the YAML file itself (a regular file), e.g. config/admin-tool-config.yml.',
    });
  } catch (error) {
    if (error instanceof A4cAdminError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new A4cAdminError('CONFIG_NOT_FOUND', `The config file ${file}${from} does not exist.`, {
        hint: 'Check the path, or create the file from the example in the README (admin-tool-config.yml).',
        cause: error,
        details: { file },
      });
    }
    throw new A4cAdminError('CONFIG_INVALID', `The config file ${file}${from} cannot be read (${code ?? String(error)}).`, {
      hint: 'Give the user running a4c-admin read access to it (chmod 600, owned by that user).',
      cause: error,
      details: { file },
    });
  }
  let value: unknown;
  try {
    // CORE_SCHEMA: plain JSON-like values only (no timestamps, no custom types, no code).
    value = yaml.load(text, { schema: yaml.CORE_SCHEMA, filename: file });
  } catch (error) {
    // The exception's own message quotes the surrounding lines, which may hold a password: keep only the position.
    const yamlError = error as { reason?: string; mark?: { line: number; column: number } };
    const where = yamlError.mark ? ` at line ${yamlError.mark.line + 1}, column ${yamlError.mark.column + 1}` : '';
    throw new A4cAdminError('CONFIG_INVALID', `The config file ${file} is not valid YAML${where}: ${yamlError.reason ?? 'syntax error'}.`, {
      hint: 'Fix the YAML syntax there: indent with spaces (no tabs), one `key: value` a line, each key once.',
      details: { file, line: yamlError.mark ? yamlError.mark.line + 1 : undefined },
    });
  }
  if (value === undefined || value === null) {
    throw new A4cAdminError('CONFIG_INVALID', `The config file ${file} is empty: it holds no settings.`, {
      hint: 'Fill it from the example in the README: at least `backup.files_dir` and `alien4cloud.dir`.',
      details: { file },
    });
  }
  return value;
}

function environmentLayer(env: Record<string, string | undefined>): Layer {
  const value: Plain = {};
  const labels = new Map<string, string>();
  for (const variable of CONFIG_ENVIRONMENT_VARIABLES) {
    const text = nonEmpty(env[variable.name]);
    if (variable.path === undefined || text === undefined) continue;
    setPath(value, variable.path.split('.'), text);
    labels.set(variable.path, variable.name);
  }
  return { value, label: 'environment', labels };
}

/** `{"backup.files_dir": x}` -> `{backup: {files_dir: x}}`, at every level, as the seed writes them. */
function expandDottedKeys(value: Plain, path: string[], problems: ConfigProblem[]): Plain {
  const result: Plain = {};
  for (const [key, child] of Object.entries(value)) {
    const segments = key.split('.');
    if (segments.some((segment) => segment === '')) {
      problems.push({ path: formatPath([...path, key]), message: `"${key}" is not a valid key`, hint: 'Remove the stray dot.' });
      continue;
    }
    const expandedChild = isPlain(child) ? expandDottedKeys(child, [...path, ...segments], problems) : child;
    mergeOnce(result, segments, expandedChild, path, problems);
  }
  return result;
}

/** Puts `value` at `segments`, reporting a leaf that both spellings (dotted and nested) set. */
function mergeOnce(target: Plain, segments: string[], value: unknown, path: string[], problems: ConfigProblem[]): void {
  const existing = getPath(target, segments);
  if (existing === undefined) {
    setPath(target, segments, value);
  } else if (isPlain(existing) && isPlain(value)) {
    for (const [key, child] of Object.entries(value)) mergeOnce(existing, [key], child, [...path, ...segments], problems);
  } else {
    problems.push({
      path: formatPath([...path, ...segments]),
      message: 'is set twice (once as a dotted key, once nested)',
      hint: 'Keep only one of the two spellings.',
    });
  }
}

/** The seed writes `addresses: host:9300,host:9300`; accept that, and bare host:port entries, as http URLs. */
function normaliseAddresses(merged: Plain, problems: ConfigProblem[]): void {
  const elasticsearch = merged.elasticsearch;
  if (!isPlain(elasticsearch) || elasticsearch.addresses === undefined) return;
  let addresses = elasticsearch.addresses;
  if (typeof addresses === 'string') addresses = addresses.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  if (!Array.isArray(addresses)) return;
  addresses = addresses.map((entry: unknown) =>
    typeof entry === 'string' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(entry.trim()) ? `http://${entry.trim()}` : entry,
  );
  elasticsearch.addresses = addresses;
  (addresses as unknown[]).forEach((entry, index) => {
    if (typeof entry !== 'string') return;
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      return; // zod reports it as a bad URL.
    }
    if (url.port === '9300') {
      const suggestion = `${url.protocol}//${url.hostname}:9200`;
      problems.push({
        path: `elasticsearch.addresses[${index}]`,
        message: `${redactUrlCredentials(entry)} is the Elasticsearch transport port (9300), which a4c-admin cannot use`,
        hint: `a4c-admin talks to Elasticsearch over HTTP (the REST API), usually on port 9200: write ${suggestion} (the seed's 9300 addresses were for the old Java transport client).`,
      });
    }
  });
}

function describeIssue(issue: z.core.$ZodIssue, merged: Plain, noFile: boolean): ConfigProblem[] {
  const path = issue.path.filter((segment): segment is string | number => typeof segment !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(path);
    return issue.keys.map((key) => {
      const suggestion = nearestWord(key, known);
      const full = formatPath([...path, key]);
      return {
        path: full,
        message: `unknown key "${key}"`,
        hint:
          suggestion !== undefined
            ? `Did you mean "${formatPath([...path, suggestion])}"? (${full} is not a setting of a4c-admin.)`
            : `Remove it; the keys allowed ${path.length === 0 ? 'at the top level' : `under ${formatPath(path)}`} are: ${known.join(', ')}.`,
      };
    });
  }
  const dotted = formatPath(path);
  const plainPath = path.filter((segment) => typeof segment === 'string').join('.');
  const value = getPath(merged, path.map(String));
  if (issue.code === 'invalid_type' && value === undefined) {
    const variable = environmentVariableFor(plainPath);
    return [
      {
        path: dotted,
        message: 'is required but missing',
        hint:
          `Set \`${plainPath}\` in the config file` +
          (variable === undefined ? '' : ` or the ${variable} environment variable`) +
          (noFile ? ' (no config file was given: pass one with --config or A4C_ADMIN_CONFIG).' : '.'),
      },
    ];
  }
  const shown = SECRET_PATHS.has(plainPath) || value === undefined ? '' : ` (got ${showValue(value)})`;
  return [{ path: dotted, message: `${issue.message}${shown}`, hint: hintFor(plainPath, issue) }];
}

function hintFor(path: string, issue: z.core.$ZodIssue): string {
  if (path.startsWith('elasticsearch.addresses')) return 'Give HTTP URLs of the nodes, e.g. `http://es1:9200,http://es2:9200` or a YAML list.';
  if (path === 'alien4cloud.url') return 'Give the URL A4C answers on, e.g. `http://localhost:8088`.';
  if (/(^|\.)(dir|files_dir|ca_file)$/.test(path) || path.startsWith('backup.config_files')) {
    return 'Use an absolute path, e.g. /opt/alien4cloud/data (relative paths depend on where the tool is started).';
  }
  if (path.startsWith('backup.parts')) return `List folders of alien4cloud.dir, e.g. ${['csar', 'artifacts', 'images', 'plugins', 'work/plugins'].join(', ')}.`;
  if (path === 'elasticsearch.cluster_name') return 'Set it to the `cluster.name` of your nodes, or remove the key to skip the check.';
  if (path === 'elasticsearch.tls.fingerprint') return 'Copy the "HTTP CA certificate SHA-256 fingerprint" printed by Elasticsearch at first start.';
  if (issue.code === 'invalid_type') return `Write ${path} as a ${issue.expected}. ${SCHEMA_HINT}`;
  return `Fix ${path}. ${SCHEMA_HINT}`;
}

function authProblems(config: A4cAdminConfig): ConfigProblem[] {
  const auth = config.elasticsearch.auth;
  if (auth === undefined) return [];
  const basic = auth.username !== undefined || auth.password !== undefined;
  if (basic && auth.api_key !== undefined) {
    return [
      {
        path: 'elasticsearch.auth',
        message: 'both basic auth (username/password) and api_key are set',
        hint: 'Keep one way to authenticate: remove api_key, or username and password (check A4C_ADMIN_ES_* variables too).',
      },
    ];
  }
  if (basic && (auth.username === undefined || auth.password === undefined)) {
    const missing = auth.username === undefined ? 'username' : 'password';
    return [
      {
        path: `elasticsearch.auth.${missing}`,
        message: `basic auth needs both username and password; ${missing} is missing`,
        hint: `Set elasticsearch.auth.${missing} (or ${environmentVariableFor(`elasticsearch.auth.${missing}`)}).`,
      },
    ];
  }
  return [];
}

const OVERLAP_HINT =
  'Give backup.files_dir, exporter.dir, alien4cloud.dir and elasticsearch.repository.location folders of their own, none inside another (e.g. /var/backups/a4c, /var/lib/a4c/export, /opt/alien4cloud/data).';

function overlapProblem(overlap: FolderOverlap): ConfigProblem {
  return { path: overlap.keys[0], message: describeOverlap(overlap), hint: OVERLAP_HINT };
}

/**
 * The folders must not overlap once symbolic links are resolved either (parseConfig compares the
 * paths as written; this finds a link that leads one folder into another).
 * @throws A4cAdminError CONFIG_INVALID naming both keys.
 */
export async function checkFolderOverlaps(config: A4cAdminConfig, origin = 'configuration'): Promise<void> {
  const overlaps = await findRealFolderOverlaps(configuredFolders(config));
  if (overlaps.length === 0) return;
  const lines = overlaps.map((overlap) => `${describeOverlap(overlap)} once symbolic links are resolved`);
  throw new A4cAdminError('CONFIG_INVALID', `Invalid configuration (${origin}): ${lines.length === 1 ? lines[0] : `folders overlap:\n${lines.map((line) => `  - ${line}`).join('\n')}`}.`, {
    hint: OVERLAP_HINT,
    details: { origin, problems: overlaps.map((overlap) => ({ ...overlapProblem(overlap), message: describeOverlap(overlap) })) },
  });
}

async function checkCaFile(config: A4cAdminConfig, origin: string): Promise<void> {
  const caFile = config.elasticsearch.tls?.ca_file;
  if (caFile === undefined) return;
  let head: string;
  try {
    const handle = await openRegularFile(caFile, { what: 'The CA file (elasticsearch.tls.ca_file)', code: 'CONFIG_INVALID' });
    try {
      const buffer = Buffer.alloc(4096);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      head = buffer.subarray(0, bytesRead).toString('latin1');
    } finally {
      await handle.close();
    }
  } catch (error) {
    // Not a regular file (a folder, a fifo that would block the read): said in the same words.
    const kind = error instanceof A4cAdminError ? String(error.details?.kind) : undefined;
    const code = kind === 'a folder' ? 'EISDIR' : kind !== undefined ? `${kind}, not a regular file` : ((error as NodeJS.ErrnoException).code ?? String(error));
    throw new A4cAdminError('CONFIG_INVALID', `Invalid configuration (${origin}): elasticsearch.tls.ca_file ${caFile} cannot be read (${code}).`, {
      hint: 'Point elasticsearch.tls.ca_file (or A4C_ADMIN_ES_CA_FILE) at a readable PEM file, e.g. the http_ca.crt of your nodes.',
      cause: error,
      details: { path: 'elasticsearch.tls.ca_file', file: caFile },
    });
  }
  if (!head.includes('-----BEGIN')) {
    throw new A4cAdminError('CONFIG_INVALID', `Invalid configuration (${origin}): elasticsearch.tls.ca_file ${caFile} is not a PEM certificate.`, {
      hint: 'Give the PEM file (text starting with -----BEGIN CERTIFICATE-----), e.g. config/certs/http_ca.crt of your nodes.',
      details: { path: 'elasticsearch.tls.ca_file', file: caFile },
    });
  }
}

async function permissionWarnings(file: string, fileValue: unknown): Promise<string[]> {
  const expanded = isPlain(fileValue) ? expandDottedKeys(fileValue, [], []) : {};
  const auth = getPath(expanded, ['elasticsearch', 'auth']);
  const secrets = isPlain(auth) ? ['password', 'api_key'].filter((key) => auth[key] !== undefined) : [];
  if (secrets.length === 0) return [];
  const { mode } = await stat(file);
  if ((mode & 0o044) === 0) return [];
  return [
    `${file} holds ${secrets.join(' and ')} but other users can read it (mode ${(mode & 0o777).toString(8)}): ` +
      `run \`chmod 600 ${file}\`, or move the secret to A4C_ADMIN_ES_PASSWORD / A4C_ADMIN_ES_API_KEY.`,
  ];
}

function configError(problems: ConfigProblem[], origin: string, labels: Map<string, string>, merged: Plain): A4cAdminError {
  const auth = getPath(merged, ['elasticsearch', 'auth']);
  const secrets = isPlain(auth) ? [auth.password, auth.api_key].filter((value): value is string => typeof value === 'string') : [];
  const lines = problems.map((problem) => {
    const label = labelFor(problem.path, labels);
    const where = problem.path === '' ? '' : `${problem.path}${label === undefined ? '' : ` (from ${label})`}: `;
    return `${where}${problem.message}`;
  });
  const message =
    lines.length === 1
      ? `Invalid configuration (${origin}): ${lines[0]}`
      : `Invalid configuration (${origin}), ${lines.length} problems:\n${lines.map((line) => `  - ${line}`).join('\n')}`;
  const hints = [...new Set(problems.map((problem) => problem.hint).filter((hint): hint is string => hint !== undefined))];
  const safe = (text: string) => redactSecrets(text, secrets);
  return new A4cAdminError('CONFIG_INVALID', safe(message), {
    hint: safe(hints.join(' ') || SCHEMA_HINT),
    details: { origin, problems: problems.map((problem) => ({ ...problem, message: safe(problem.message), hint: problem.hint && safe(problem.hint) })) },
  });
}

/** Environment variables and options are named in messages; the file is the default origin. */
function recordLabels(value: Plain, path: string[], layer: Layer, labels: Map<string, string>): void {
  for (const [key, child] of Object.entries(value)) {
    const childPath = [...path, key];
    const dotted = childPath.join('.');
    if (isPlain(child)) {
      recordLabels(child, childPath, layer, labels);
    } else if (child !== undefined) {
      const label = layer.labels?.get(dotted) ?? (layer.label === 'options' ? 'options' : undefined);
      if (label === undefined) labels.delete(dotted);
      else labels.set(dotted, label);
    }
  }
}

function labelFor(path: string, labels: Map<string, string>): string | undefined {
  let candidate = path.replace(/\[\d+\]/g, '');
  for (;;) {
    const label = labels.get(candidate);
    if (label !== undefined) return label;
    const dot = candidate.lastIndexOf('.');
    if (dot < 0) return undefined;
    candidate = candidate.slice(0, dot);
  }
}

/** The keys the schema allows at an object path (for "did you mean"). */
function knownKeysAt(path: ReadonlyArray<string | number>): string[] {
  let schema: unknown = configSchema;
  for (const segment of path) {
    const def = definitionOf(schema);
    if (def.type === 'object') schema = (def.shape as Record<string, unknown>)[String(segment)];
    else if (def.type === 'array') schema = def.element;
    else return [];
  }
  const def = definitionOf(schema);
  return def.type === 'object' ? Object.keys(def.shape as Record<string, unknown>) : [];
}

/** Zod 4 definition of a schema with its optional/default/prefault wrappers peeled off. */
function definitionOf(schema: unknown): Record<string, unknown> {
  let def = (schema as { _zod?: { def?: Record<string, unknown> } } | undefined)?._zod?.def ?? {};
  while (def.innerType !== undefined) def = (def.innerType as { _zod: { def: Record<string, unknown> } })._zod.def;
  return def;
}

function deepMerge(base: Plain, over: Plain): Plain {
  const result: Plain = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const existing = result[key];
    result[key] = isPlain(existing) && isPlain(value) ? deepMerge(existing, value) : value;
  }
  return result;
}

function getPath(value: unknown, path: ReadonlyArray<string>): unknown {
  let current = value;
  for (const segment of path) {
    if (isPlain(current)) current = current[segment];
    else if (Array.isArray(current)) current = current[Number(segment)];
    else return undefined;
  }
  return current;
}

function setPath(target: Plain, path: string[], value: unknown): void {
  let current = target;
  for (const segment of path.slice(0, -1)) {
    const next = current[segment];
    if (isPlain(next)) current = next;
    else current = current[segment] = {};
  }
  current[path[path.length - 1] as string] = value;
}

function formatPath(path: ReadonlyArray<string | number>): string {
  return path.reduce<string>((text, segment) => (typeof segment === 'number' ? `${text}[${segment}]` : text === '' ? segment : `${text}.${segment}`), '');
}

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeType(value: unknown): string {
  return Array.isArray(value) ? 'a list' : `a ${typeof value}`;
}

function showValue(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(redactUrlCredentials(value)) : JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
