// What is wrong with a configuration, in words an operator can act on: zod's issues with a
// "did you mean", the auth combinations zod cannot see, and the one CONFIG_INVALID error that
// lists them all (secrets redacted).
import type { z } from 'zod';
import { environmentVariableFor } from './config-environment.js';
import { labelFor } from './config-layers.js';
import { redactSecrets } from './config-redact.js';
import { type A4cAdminConfig, configSchema } from './config-schema.js';
import { formatPath, getPath, isPlain, type Plain, showValue } from './config-values.js';
import { nearestWord } from './edit-distance.js';
import { A4cAdminError } from './errors.js';

/** One problem found in the configuration. */
export interface ConfigProblem {
  /** Dotted path, `elasticsearch.addresses[0]`; empty for the whole document. */
  path: string;
  message: string;
  hint?: string;
}

const SECRET_PATHS = new Set(['elasticsearch.auth.password', 'elasticsearch.auth.api_key', 'target.auth.password', 'target.auth.api_key']);
export const SCHEMA_HINT = 'Every key is described in config.schema.json of @a4c-admin/core and in its README.';
/** Where a first configuration file comes from: an example that exists (docs/configuration.md opens with it). */
export const STARTER_CONFIG_EXAMPLE =
  'the smallest example in docs/configuration.md: `elasticsearch.addresses`, `backup.files_dir` and `alien4cloud.dir` (`a4c-admin config schema` prints every key)';

export function describeIssue(issue: z.core.$ZodIssue, merged: Plain, noFile: boolean): ConfigProblem[] {
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

export function authProblems(config: A4cAdminConfig): ConfigProblem[] {
  return [...sectionAuthProblems(config.elasticsearch.auth, 'elasticsearch'), ...sectionAuthProblems(config.target?.auth, 'target')];
}

function sectionAuthProblems(auth: A4cAdminConfig['elasticsearch']['auth'], section: 'elasticsearch' | 'target'): ConfigProblem[] {
  if (auth === undefined) return [];
  const basic = auth.username !== undefined || auth.password !== undefined;
  if (basic && auth.api_key !== undefined) {
    return [
      {
        path: `${section}.auth`,
        message: 'both basic auth (username/password) and api_key are set',
        hint: 'Keep one way to authenticate: remove api_key, or username and password (check A4C_ADMIN_ES_* variables too).',
      },
    ];
  }
  if (basic && (auth.username === undefined || auth.password === undefined)) {
    const missing = auth.username === undefined ? 'username' : 'password';
    return [
      {
        path: `${section}.auth.${missing}`,
        message: `basic auth needs both username and password; ${missing} is missing`,
        hint: `Set ${section}.auth.${missing} (or ${environmentVariableFor(`${section}.auth.${missing}`)}).`,
      },
    ];
  }
  return [];
}

export function configError(problems: ConfigProblem[], origin: string, labels: Map<string, string>, merged: Plain): A4cAdminError {
  const secrets = ['elasticsearch', 'target'].flatMap((section) => {
    const auth = getPath(merged, [section, 'auth']);
    return isPlain(auth) ? [auth.password, auth.api_key].filter((value): value is string => typeof value === 'string') : [];
  });
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
