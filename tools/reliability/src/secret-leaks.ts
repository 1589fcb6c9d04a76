// Finds secrets in what the tool wrote: its stdout and stderr, and every file under the
// folders it writes to (manifests, export chunks decompressed, logs, reports).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** The forms a secret can take on the wire or on disk: as is, base64, and inside a basic-auth header. */
export function secretForms(secrets: { password?: string; username?: string; apiKey?: string; apiKeyParts?: string[] }): string[] {
  const forms = new Set<string>();
  const add = (value: string | undefined) => {
    if (value && value.length >= 6) forms.add(value);
  };
  add(secrets.password);
  add(secrets.apiKey);
  for (const part of secrets.apiKeyParts ?? []) add(part);
  if (secrets.password) add(Buffer.from(`${secrets.username ?? 'elastic'}:${secrets.password}`).toString('base64'));
  if (secrets.password) add(Buffer.from(secrets.password).toString('base64'));
  return [...forms];
}

/** "<where>: <secret form found>" for every hit in the texts and the files under the folders. */
export async function findSecrets(forms: string[], texts: Record<string, string>, folders: string[]): Promise<string[]> {
  const hits: string[] = [];
  const scan = (where: string, text: string) => {
    for (const form of forms) if (text.includes(form)) hits.push(`${where}: ${form.slice(0, 3)}…`);
  };
  for (const [where, text] of Object.entries(texts)) scan(where, text);
  for (const folder of folders) {
    const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const path = join(entry.parentPath, entry.name);
      let bytes = await readFile(path);
      if (path.endsWith('.gz')) bytes = gunzipSync(bytes);
      scan(path, bytes.toString('utf8'));
    }
  }
  return hits;
}

/** How many files the scan read, for the figures. */
export async function countFiles(folders: string[]): Promise<number> {
  let count = 0;
  for (const folder of folders) {
    const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
    count += entries.filter((entry) => entry.isFile()).length;
  }
  return count;
}
