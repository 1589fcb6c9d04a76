// The config file itself: read as a regular file (never waited on), parsed as safe YAML
// without quoting its lines back (they may hold a password), and its mode checked when it
// holds a secret.
import { stat } from 'node:fs/promises';
import yaml from 'js-yaml';
import { expandDottedKeys } from './config-layers.js';
import { STARTER_CONFIG_EXAMPLE } from './config-problems.js';
import { getPath, isPlain } from './config-values.js';
import { A4cAdminError } from './errors.js';
import { readRegularTextFile } from './read-regular-file.js';

export async function readConfigFile(file: string, viaVariable: string | undefined): Promise<unknown> {
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
        hint: `Check the path, or create the file from ${STARTER_CONFIG_EXAMPLE}.`,
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
      hint: `Fill it from ${STARTER_CONFIG_EXAMPLE}.`,
      details: { file },
    });
  }
  return value;
}

export async function permissionWarnings(file: string, fileValue: unknown): Promise<string[]> {
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
