// The object store of `remote:` and the codec its objects go through: the one place the wired
// API decides how bytes leave the host. With an encryption key (encryption.key_file or the
// variable of encryption.key_env) every object and the manifest are sealed; without one a push
// is refused, since backups carry secrets, unless remote.allow_unencrypted says otherwise.
import { type A4cAdminConfig, A4cAdminError, identityCodec, isA4cAdminError, type ObjectCodec, type ObjectStore } from '@a4c-admin/core';
import { encryptedCodec, loadEncryptionKey } from '@a4c-admin/core/internal';
import { openObjectStore } from '@a4c-admin/es-snapshot';

export interface OpenedRemote {
  store: ObjectStore;
  codec: ObjectCodec;
}

/**
 * Opens the configured object store (CONFIG_INVALID without `remote:`) with the codec of the
 * configuration. The key is loaded before anything is read or written.
 * @throws A4cAdminError ENCRYPTION_KEY_MISSING when `writing` without a key and without remote.allow_unencrypted.
 */
export async function openRemote(config: A4cAdminConfig, options: { writing?: boolean } = {}): Promise<OpenedRemote> {
  const store = await openObjectStore(config);
  try {
    return { store, codec: encryptedCodec(await loadEncryptionKey(config.encryption, process.env)) };
  } catch (error) {
    if (!isA4cAdminError(error) || error.code !== 'ENCRYPTION_KEY_MISSING') throw error;
    if (!options.writing || config.remote?.allow_unencrypted) return { store, codec: identityCodec };
    throw new A4cAdminError(
      'ENCRYPTION_KEY_MISSING',
      `Refusing to push a backup off the host unencrypted: it carries secrets (orchestrator credentials, passwords in config files). ${error.message}`,
      {
        hint: `${error.hint ?? ''} To push without encryption all the same, set remote.allow_unencrypted: true.`.trim(),
        cause: error,
      },
    );
  }
}
