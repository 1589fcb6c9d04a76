// Reading the remote manifests back: one backup's, or every one under `backups/`.
import { A4cAdminError, isA4cAdminError } from '../errors.js';
import type { ObjectCodec, ObjectStore } from '../object-store.js';
import { BACKUPS_PREFIX, backupNameOfKey, remoteManifestKey } from './remote-layout.js';
import { parseRemoteManifest, type RemoteManifest, remoteManifestText } from './remote-manifest.js';

/**
 * The remote manifest of `name`, checked.
 * @throws A4cAdminError BACKUP_NOT_FOUND (no such remote backup), BACKUP_INVALID, REMOTE_*.
 */
export async function readRemoteManifest(store: ObjectStore, codec: ObjectCodec, name: string, signal?: AbortSignal): Promise<RemoteManifest> {
  const key = remoteManifestKey(name);
  let stream;
  try {
    stream = await store.get(key, signal ? { signal } : {});
  } catch (error) {
    if (isA4cAdminError(error) && error.code === 'REMOTE_OBJECT_MISSING') {
      throw new A4cAdminError('BACKUP_NOT_FOUND', `${store.description} holds no backup named "${name}".`, {
        hint: '`a4c-admin list --remote` shows the remote backups.',
        cause: error,
      });
    }
    throw error;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of codec.decode(stream, key)) chunks.push(chunk as Buffer);
  const where = `${store.description}/${key}`;
  return parseRemoteManifest(remoteManifestText(Buffer.concat(chunks), where), where);
}

/** The names of the remote backups (their manifests' keys), sorted. */
export async function remoteBackupNames(store: ObjectStore, signal?: AbortSignal): Promise<string[]> {
  const names: string[] = [];
  for await (const object of store.list(BACKUPS_PREFIX, signal ? { signal } : {})) {
    const name = backupNameOfKey(object.key);
    if (name !== undefined) names.push(name);
  }
  return names.sort();
}
