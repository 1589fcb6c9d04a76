import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../config-redact.js';
import { EncryptionKey } from './encryption-key.js';
import { loadEncryptionKey } from './encryption-key-source.js';

const bytes = randomBytes(32);
const hex = bytes.toString('hex');
const base64 = bytes.toString('base64');

async function refusal(load: () => Promise<unknown>): Promise<{ code: string; message: string; hint: string }> {
  try {
    await load();
  } catch (error) {
    return error as { code: string; message: string; hint: string };
  }
  throw new Error('the key was accepted');
}

describe('the encryption key', () => {
  it('has an id that is stable, hex, and neither the key nor a hash of it alone', () => {
    const key = EncryptionKey.fromBytes(bytes);
    expect(key.id).toMatch(/^[0-9a-f]{32}$/);
    expect(EncryptionKey.fromBytes(bytes).id).toBe(key.id);
    expect(hex).not.toContain(key.id);
    expect(EncryptionKey.fromBytes(randomBytes(32)).id).not.toBe(key.id);
  });

  it('shows only its id to inspect, JSON, String and a spread', () => {
    const key = EncryptionKey.fromBytes(bytes);
    for (const shown of [inspect(key, { showHidden: true, depth: 5 }), JSON.stringify({ key }), String(key), JSON.stringify({ ...key }), inspect({ ...key })]) {
      expect(shown).not.toContain(hex);
      expect(shown).not.toContain(base64);
      expect(shown).not.toMatch(/[0-9a-f]{64}/);
    }
    expect(inspect(key)).toBe(`EncryptionKey { id: '${key.id}' }`);
  });

  it('loads the same key from hex or base64, in the default variable or a file of mode 0600', async () => {
    const expected = EncryptionKey.fromBytes(bytes).id;
    expect((await loadEncryptionKey(undefined, { A4C_ADMIN_ENCRYPTION_KEY: `${hex}\n` })).id).toBe(expected);
    expect((await loadEncryptionKey({ key_env: 'BACKUP_KEY' }, { BACKUP_KEY: base64 })).id).toBe(expected);
    const folder = await mkdtemp(join(tmpdir(), 'a4c-key-'));
    const file = join(folder, 'backup.key');
    await writeFile(file, `${base64}\n`, { mode: 0o600 });
    expect((await loadEncryptionKey({ key_file: file }, {})).id).toBe(expected);
    // Once loaded, the key's text in either form is redacted from any output.
    expect(redactSecrets(`key=${hex} or ${base64}`)).toBe('key=*** or ***');
  });

  it('refuses a missing key, a passphrase, a short key, a readable file and two keys, without quoting the key', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'a4c-key-'));
    const file = join(folder, 'backup.key');
    await writeFile(file, hex, { mode: 0o600 });
    await chmod(file, 0o644);
    const cases: Array<[() => Promise<unknown>, string]> = [
      [() => loadEncryptionKey(undefined, {}), 'ENCRYPTION_KEY_MISSING'],
      [() => loadEncryptionKey(undefined, { A4C_ADMIN_ENCRYPTION_KEY: '' }), 'ENCRYPTION_KEY_MISSING'],
      [() => loadEncryptionKey({ key_file: join(folder, 'absent.key') }, {}), 'ENCRYPTION_KEY_MISSING'],
      [() => loadEncryptionKey(undefined, { A4C_ADMIN_ENCRYPTION_KEY: 'correct horse battery staple' }), 'ENCRYPTION_KEY_INVALID'],
      [() => loadEncryptionKey(undefined, { A4C_ADMIN_ENCRYPTION_KEY: hex.slice(2) }), 'ENCRYPTION_KEY_INVALID'],
      [() => loadEncryptionKey({ key_file: file }, {}), 'ENCRYPTION_KEY_INVALID'],
      [() => loadEncryptionKey({ key_file: file }, { A4C_ADMIN_ENCRYPTION_KEY: hex }), 'ENCRYPTION_KEY_INVALID'],
    ];
    for (const [load, code] of cases) {
      const error = await refusal(load);
      expect(error.code).toBe(code);
      expect(error.hint).toBeTruthy();
      expect(`${error.message} ${error.hint}`).not.toContain(hex.slice(2));
      expect(error.message).not.toContain('correct horse');
    }
  });
});
