// Where the encryption key comes from: a key file (encryption.key_file) or an environment
// variable (named by encryption.key_env, A4C_ADMIN_ENCRYPTION_KEY by default). Either holds
// the 32 key bytes as 64 hex digits or as base64 (44 characters), on one line: no
// passphrase, so no weak password can stand in for a random key. A key file must be
// readable by its owner only, as ssh requires of private keys.
import { readFile, stat } from 'node:fs/promises';
import { registerSecret } from '../config-redact.js';
import type { A4cAdminConfig } from '../config-schema.js';
import { A4cAdminError } from '../errors.js';
import { ENCRYPTION_KEY_BYTES, EncryptionKey } from './encryption-key.js';

/** The variable read when the config names none. */
export const DEFAULT_ENCRYPTION_KEY_ENV = 'A4C_ADMIN_ENCRYPTION_KEY';
const MAKE_A_KEY = 'Make one with `openssl rand -hex 32 > key && chmod 600 key` and keep a copy away from the backups (docs/security.md, "Encryption").';

export type EncryptionConfig = NonNullable<A4cAdminConfig['encryption']>;

/**
 * Loads the configured key. Refuses, before anything else happens: no key
 * (ENCRYPTION_KEY_MISSING), a key that is not 32 bytes in hex or base64, a key file others
 * can read, or two keys given at once (ENCRYPTION_KEY_INVALID). The key's text is
 * registered with the redaction, so no output can show it.
 */
export async function loadEncryptionKey(
  encryption: Partial<EncryptionConfig> | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<EncryptionKey> {
  const variable = encryption?.key_env ?? DEFAULT_ENCRYPTION_KEY_ENV;
  const fromEnvironment = env[variable];
  const keyFile = encryption?.key_file;
  if (keyFile !== undefined && fromEnvironment) {
    throw new A4cAdminError(
      'ENCRYPTION_KEY_INVALID',
      `Two encryption keys are given: the file ${keyFile} (encryption.key_file) and the variable ${variable}.`,
      {
        hint: `Keep one: unset ${variable}, or remove encryption.key_file. Two sources could encrypt with a key you did not mean.`,
        details: { keyFile, variable },
      },
    );
  }
  if (keyFile !== undefined) return parseKeyText(await readKeyFile(keyFile), `the key file ${keyFile}`);
  if (fromEnvironment) return parseKeyText(fromEnvironment, `the variable ${variable}`);
  throw new A4cAdminError(
    'ENCRYPTION_KEY_MISSING',
    `No encryption key: encryption.key_file is not set and the variable ${variable} is ${fromEnvironment === '' ? 'empty' : 'not set'}.`,
    {
      hint: `Set encryption.key_file to the key's file, or export ${variable}. ${MAKE_A_KEY}`,
      details: { variable },
    },
  );
}

async function readKeyFile(path: string): Promise<string> {
  try {
    const facts = await stat(path);
    if (!facts.isFile())
      throw new A4cAdminError('ENCRYPTION_KEY_INVALID', `The key file ${path} is not a regular file.`, { hint: MAKE_A_KEY, details: { keyFile: path } });
    if ((facts.mode & 0o077) !== 0) {
      throw new A4cAdminError('ENCRYPTION_KEY_INVALID', `The key file ${path} can be read by other users (mode ${(facts.mode & 0o777).toString(8)}).`, {
        hint: `Run \`chmod 600 ${path}\`; if others could read it, make a new key for future backups.`,
        details: { keyFile: path },
      });
    }
    return await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof A4cAdminError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new A4cAdminError(
      code === 'ENOENT' ? 'ENCRYPTION_KEY_MISSING' : 'ENCRYPTION_KEY_INVALID',
      `The key file ${path} cannot be read (${code ?? 'error'}).`,
      {
        hint:
          code === 'ENOENT'
            ? `Put the key back at ${path} (from where you keep its copy), or point encryption.key_file at it. ${MAKE_A_KEY}`
            : `Check the file's owner and mode. ${MAKE_A_KEY}`,
        details: { keyFile: path },
        cause: error,
      },
    );
  }
}

/** The key from its text; the error never quotes the text. */
export function parseKeyText(text: string, source: string): EncryptionKey {
  const trimmed = text.trim();
  registerSecret(trimmed);
  let bytes: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) bytes = Buffer.from(trimmed, 'hex');
  else if (/^[A-Za-z0-9+/]{43}=$/.test(trimmed)) bytes = Buffer.from(trimmed, 'base64');
  if (bytes?.length !== ENCRYPTION_KEY_BYTES) {
    throw new A4cAdminError(
      'ENCRYPTION_KEY_INVALID',
      `The encryption key in ${source} is not ${ENCRYPTION_KEY_BYTES} bytes written as 64 hex digits or 44 base64 characters (it has ${trimmed.length} characters; a passphrase is not accepted).`,
      {
        hint: MAKE_A_KEY,
        details: { source, length: trimmed.length },
      },
    );
  }
  // The other spelling of the same key is a secret too.
  registerSecret(bytes.toString('hex'));
  registerSecret(bytes.toString('base64'));
  const key = EncryptionKey.fromBytes(bytes);
  bytes.fill(0);
  return key;
}
