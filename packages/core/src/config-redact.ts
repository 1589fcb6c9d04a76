// Keeps secrets (passwords, API keys, credentials inside URLs) out of anything printed:
// error messages, logs, `config show`.
import type { A4cAdminConfig } from './config-schema.js';

/** What a secret is replaced with. */
export const REDACTED = '***';

/** A copy of the configuration with the password and API key replaced by "***". */
export function redactConfig(config: A4cAdminConfig): A4cAdminConfig {
  const copy = structuredClone(config);
  const auth = copy.elasticsearch.auth;
  if (auth?.password !== undefined) auth.password = REDACTED;
  if (auth?.api_key !== undefined) auth.api_key = REDACTED;
  copy.elasticsearch.addresses = copy.elasticsearch.addresses.map(redactUrlCredentials);
  if (copy.alien4cloud.url !== undefined) copy.alien4cloud.url = redactUrlCredentials(copy.alien4cloud.url);
  return copy;
}

/** `text` with every occurrence of each secret (and the password of any URL) replaced by "***". */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let result = text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:)[^\s/@]*@/gi, `$1${REDACTED}@`);
  // Longest first, so that a secret containing another is not half-replaced.
  const sorted = secrets.filter((secret): secret is string => typeof secret === 'string' && secret.length > 0);
  sorted.sort((left, right) => right.length - left.length);
  for (const secret of sorted) result = result.split(secret).join(REDACTED);
  return result;
}

/** A URL with its user-info password replaced by "***" (http://user:***@host). */
export function redactUrlCredentials(url: string): string {
  return redactSecrets(url, []);
}
