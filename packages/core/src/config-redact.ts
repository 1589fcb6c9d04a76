// The one redaction of a4c-admin: keeps secrets (passwords, API keys, credentials inside
// URLs, Authorization headers) out of anything printed: error messages (es-snapshot wraps the
// client's errors with it), logs, `config show`, every byte of the CLI's output.
// A URL keeps its user name (https://elastic:***@es1:9200): it says which account was used,
// which is what a diagnosis needs, and it is not a secret. Only the password goes.
import type { A4cAdminConfig } from './config-schema.js';

/** `scheme://user:password@`: the password runs to the URL's last "@" (quotes, spaces and commas end a URL). */
const URL_WITH_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/)([^\s/:@'",]*):[^\s'",]*@/gi;

/** The value of an `Authorization` header, as printed in a header list or a JSON object. */
const AUTHORIZATION_HEADER = /(authorization["']?\s*[:=]\s*["']?)(basic|bearer|apikey)?\s*[^\s"',}]+/gi;

/**
 * A credential after its scheme (`Basic dXNlcjpwYXNz`, `ApiKey ...`, `Bearer ...`). A token is
 * 8 characters or more and holds a digit, a capital or a base64 sign, so that prose
 * ("Basic authentication") is left alone.
 */
const SCHEME_TOKEN = /\b(ApiKey|Basic|Bearer)\s+(?=[A-Za-z0-9+/=._-]*[A-Z0-9+/=])[A-Za-z0-9+/=._-]{8,}/g;

/**
 * Secrets registered by whoever holds them (the Elasticsearch client factory registers the
 * password and API key it was built with): an error can surface far from the client that
 * caused it (a progress event, a rethrow), and `redactSecrets` removes them wherever.
 */
const registeredSecrets = new Set<string>();

/** Remembers a secret for the life of the process: `redactSecrets` removes it from any text. */
export function registerSecret(secret: string | undefined): void {
  // Very short values would mangle unrelated text and cannot be real credentials.
  if (secret && secret.length >= 4) registeredSecrets.add(secret);
}

/** What a secret is replaced with. */
export const REDACTED = '***';

/** A copy of the configuration with the password and API key replaced by "***". */
export function redactConfig(config: A4cAdminConfig): A4cAdminConfig {
  const copy = structuredClone(config);
  for (const section of [copy.elasticsearch, copy.target]) {
    if (section === undefined) continue;
    const auth = section.auth;
    if (auth?.password !== undefined) auth.password = REDACTED;
    if (auth?.api_key !== undefined) auth.api_key = REDACTED;
    section.addresses = section.addresses.map(redactUrlCredentials);
  }
  if (copy.alien4cloud.url !== undefined) copy.alien4cloud.url = redactUrlCredentials(copy.alien4cloud.url);
  if (copy.remote !== undefined) {
    if (copy.remote.access_key_id !== undefined) copy.remote.access_key_id = REDACTED;
    if (copy.remote.secret_access_key !== undefined) copy.remote.secret_access_key = REDACTED;
    if (copy.remote.endpoint !== undefined) copy.remote.endpoint = redactUrlCredentials(copy.remote.endpoint);
  }
  return copy;
}

/**
 * `text` with every occurrence of each secret replaced by "***", and so are the password of
 * any URL (its user name stays), the value of any `Authorization` header, a token after
 * `Basic` / `Bearer` / `ApiKey`, and every secret given to `registerSecret`.
 */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined> = []): string {
  // Up to the last "@" of the URL: a password may hold "/", ":" or "@" itself.
  let result = text
    .replace(URL_WITH_PASSWORD, (_match, scheme: string, username: string) => `${scheme}${username}:${REDACTED}@`)
    .replace(AUTHORIZATION_HEADER, (_match, prefix: string, scheme?: string) => `${prefix}${scheme ? `${scheme} ` : ''}${REDACTED}`)
    .replace(SCHEME_TOKEN, `$1 ${REDACTED}`);
  // Longest first, so that a secret containing another is not half-replaced.
  const sorted = [...secrets, ...registeredSecrets].filter((secret): secret is string => typeof secret === 'string' && secret.length > 0);
  sorted.sort((left, right) => right.length - left.length);
  for (const secret of sorted) result = result.split(secret).join(REDACTED);
  return result;
}

/** A URL with its user-info password replaced by "***" (http://user:***@host). */
export function redactUrlCredentials(url: string): string {
  return redactSecrets(url, []);
}

/**
 * Every form in which the configuration's secrets could reach an output: the password and
 * API key as written, the password of any URL (as written and percent-decoded), and the
 * base64 and `Authorization` header forms the client sends. For a printer that must
 * never show them, whatever it prints.
 */
export function secretsOfConfig(config: A4cAdminConfig): string[] {
  const sections = config.target === undefined ? [config.elasticsearch] : [config.elasticsearch, config.target];
  const urls = [...sections.flatMap((section) => section.addresses), ...(config.alien4cloud.url === undefined ? [] : [config.alien4cloud.url])];
  const secrets: Array<string | undefined> = urls.flatMap(secretsInText);
  for (const { auth } of sections) {
    secrets.push(auth?.password, auth?.api_key);
    if (auth?.password) secrets.push(...basicAuthForms(auth.username ?? 'elastic', auth.password));
  }
  // The access key id is not a secret to AWS, but with the secret it names an account: both go.
  secrets.push(config.remote?.access_key_id, config.remote?.secret_access_key);
  return withEncodedForms(secrets);
}

/**
 * The secrets found in raw text that may not even be a valid configuration (a config file
 * that failed to load, an environment value): the password of every `scheme://user:pass@`
 * URL, and the values of `password`, `api_key` (YAML or JSON, dotted keys too).
 */
export function secretsInText(text: string): string[] {
  const secrets: string[] = [];
  for (const match of text.matchAll(URL_WITH_PASSWORD)) {
    const username = match[2];
    const password = match[0].slice(match[1]!.length + username!.length + 1, -1);
    if (password) secrets.push(password, ...basicAuthForms(safeDecode(username ?? ''), safeDecode(password)));
  }
  for (const match of text.matchAll(
    /["']?\b(?:password|api_key|apiKey|api-key|secret_access_key|aws_secret_access_key|access_key_id|aws_access_key_id|secretKey|accessKey)["']?\s*[:=]\s*(?:"([^"\n]+)"|'([^'\n]+)'|([^\s,#}\]]+))/gi,
  )) {
    const value = match[1] ?? match[2] ?? match[3];
    if (value) secrets.push(value);
  }
  return withEncodedForms(secrets);
}

/** The secrets in the environment variables of a run (A4C_ADMIN_ES_PASSWORD, a URL with a password...). */
export function secretsInEnvironment(env: Readonly<Record<string, string | undefined>>): string[] {
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('A4C_ADMIN_') || !value) continue;
    if (/PASSWORD|API_KEY|ENCRYPTION_KEY|SECRET|TOKEN|ACCESS_KEY/.test(name)) secrets.push(value);
    secrets.push(...secretsInText(value));
  }
  const username = env.A4C_ADMIN_ES_USERNAME;
  if (env.A4C_ADMIN_ES_PASSWORD) secrets.push(...basicAuthForms(username ?? 'elastic', env.A4C_ADMIN_ES_PASSWORD));
  if (env.A4C_ADMIN_TARGET_ES_PASSWORD) secrets.push(...basicAuthForms(env.A4C_ADMIN_TARGET_ES_USERNAME ?? 'elastic', env.A4C_ADMIN_TARGET_ES_PASSWORD));
  return withEncodedForms(secrets);
}

function basicAuthForms(username: string, password: string): string[] {
  const token = Buffer.from(`${username}:${password}`).toString('base64');
  return [token, `Basic ${token}`];
}

/** Each secret, its percent-decoded form and its base64 form (an API key may be given decoded or encoded). */
function withEncodedForms(secrets: ReadonlyArray<string | undefined>): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    // Very short values would redact ordinary words; a real secret is longer than this.
    if (!secret || secret.length < 4) continue;
    forms.add(secret);
    forms.add(safeDecode(secret));
    forms.add(Buffer.from(secret).toString('base64'));
  }
  return [...forms].filter((form) => form.length >= 4);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
