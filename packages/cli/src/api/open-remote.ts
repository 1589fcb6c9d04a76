// The object store of `remote:` and the codec its objects go through: the one place the wired
// API decides how bytes leave the host (identity today; encryption plugs in here).
import { type A4cAdminConfig, identityCodec, type ObjectCodec, type ObjectStore } from '@a4c-admin/core';
import { openObjectStore } from '@a4c-admin/es-snapshot';

export interface OpenedRemote {
  store: ObjectStore;
  codec: ObjectCodec;
}

/** Opens the configured object store (CONFIG_INVALID without `remote:`), with the codec of the configuration. */
export async function openRemote(config: A4cAdminConfig): Promise<OpenedRemote> {
  return { store: await openObjectStore(config), codec: identityCodec };
}
