// Keeps credentials out of every message the tool produces: URLs with user:pass,
// Authorization headers, and the secrets the client was built with.

// Secrets registered by createElasticsearchClient. A module-level set because an error
// can surface far from the client that caused it (a progress event, a rethrow).
const knownSecrets = new Set<string>();

/** Remembers a secret so that `redact` removes it from any text, wherever it shows up. */
export function registerSecret(secret: string | undefined): void {
  // Very short values would mangle unrelated text and cannot be real credentials.
  if (secret && secret.length >= 4) knownSecrets.add(secret);
}

/** The text with credentials replaced by `***`. */
export function redact(text: string): string {
  let result = text
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@:]*(?::[^\s/@]*)?@/gi, '$1***@')
    .replace(/(authorization["']?\s*[:=]\s*["']?)(basic|bearer|apikey)?\s*[^\s"',}]+/gi, (_match, prefix: string, scheme?: string) =>
      `${prefix}${scheme ? `${scheme} ` : ''}***`,
    )
    .replace(/\b(ApiKey|Basic|Bearer)\s+[A-Za-z0-9+/=._-]{8,}/g, '$1 ***');
  for (const secret of knownSecrets) {
    if (result.includes(secret)) result = result.split(secret).join('***');
  }
  return result;
}
