// The layers of a configuration (file, environment, options), each made plain before they
// are merged: dotted keys expanded, the seed's addresses normalised, and where each value
// came from remembered for the messages.
import { CONFIG_ENVIRONMENT_VARIABLES } from './config-environment.js';
import type { ConfigProblem } from './config-problems.js';
import { redactUrlCredentials } from './config-redact.js';
import { formatPath, getPath, isPlain, nonEmpty, type Plain, setPath } from './config-values.js';

export interface Layer {
  value: unknown;
  /** Where the values come from, for messages: a file path, "A4C_ADMIN_...", "options". */
  label: string;
  /** Labels of single values (environment variables) when they differ from the layer's label. */
  labels?: Map<string, string>;
}

/** The A4C_ADMIN_* variables that name a setting, as one layer labelled with each variable's name. */
export function environmentLayer(env: Record<string, string | undefined>): Layer {
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
export /** `{"backup.files_dir": x}` -> `{backup: {files_dir: x}}`, at every level, as the seed writes them. */
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
export function normaliseAddresses(merged: Plain, problems: ConfigProblem[]): void {
  for (const section of ['elasticsearch', 'target']) normaliseSectionAddresses(merged, section, problems);
}

function normaliseSectionAddresses(merged: Plain, section: string, problems: ConfigProblem[]): void {
  const elasticsearch = merged[section];
  if (!isPlain(elasticsearch) || elasticsearch.addresses === undefined) return;
  let addresses = elasticsearch.addresses;
  if (typeof addresses === 'string')
    addresses = addresses
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
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
        path: `${section}.addresses[${index}]`,
        message: `${redactUrlCredentials(entry)} is the Elasticsearch transport port (9300), which a4c-admin cannot use`,
        hint: `a4c-admin talks to Elasticsearch over HTTP (the REST API), usually on port 9200: write ${suggestion} (the seed's 9300 addresses were for the old Java transport client).`,
      });
    }
  });
}

/** Environment variables and options are named in messages; the file is the default origin. */
export function recordLabels(value: Plain, path: string[], layer: Layer, labels: Map<string, string>): void {
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

export function labelFor(path: string, labels: Map<string, string>): string | undefined {
  let candidate = path.replace(/\[\d+\]/g, '');
  for (;;) {
    const label = labels.get(candidate);
    if (label !== undefined) return label;
    const dot = candidate.lastIndexOf('.');
    if (dot < 0) return undefined;
    candidate = candidate.slice(0, dot);
  }
}
