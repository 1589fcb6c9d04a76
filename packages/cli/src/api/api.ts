// The ready-wired API: `import { backup } from 'a4c-admin'`. Each function takes a config
// (file path, plain object or loaded config) and its options, opens the Elasticsearch
// side, runs one operation of the libraries, and closes what it opened.
import {
  backup as backupOperation,
  deleteBackup,
  listBackups,
  pruneBackups,
  restore as restoreOperation,
  verifyBackup,
  type BackupOptions,
  type BackupResult,
  type BackupSummary,
  type DeleteResult,
  type PrunePolicy,
  type PruneResult,
  type ProgressListener,
  type RestoreOptions,
  type RestoreResult,
  type VerifyResult,
} from '@a4c-admin/core';
import { withBackends } from './open-backends.js';
import { resolveConfig, type ConfigSource } from './resolve-config.js';

/** What every wired function accepts besides its own options. */
export interface CallOptions {
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

export async function backup(
  config: ConfigSource,
  options: Omit<BackupOptions, 'config' | 'backends'> = {},
): Promise<BackupResult> {
  const resolved = await resolveConfig(config);
  return withBackends(resolved, ({ backends }) => backupOperation({ ...options, config: resolved, backends }));
}

export async function restore(config: ConfigSource, options: Omit<RestoreOptions, 'config' | 'backends'>): Promise<RestoreResult> {
  const resolved = await resolveConfig(config);
  return withBackends(resolved, ({ backends }) => restoreOperation({ ...options, config: resolved, backends }));
}

export async function verify(config: ConfigSource, options: { name: string } & CallOptions): Promise<VerifyResult> {
  const resolved = await resolveConfig(config);
  return withBackends(resolved, ({ backends }) => verifyBackup({ ...options, config: resolved, snapshots: backends.snapshots }));
}

export async function list(config: ConfigSource): Promise<BackupSummary[]> {
  const resolved = await resolveConfig(config);
  return withBackends(resolved, ({ backends }) => listBackups({ config: resolved, snapshots: backends.snapshots }));
}

export async function remove(config: ConfigSource, options: { name: string }): Promise<DeleteResult> {
  const resolved = await resolveConfig(config);
  return withBackends(resolved, ({ backends }) => deleteBackup({ config: resolved, snapshots: backends.snapshots, name: options.name }));
}

export async function prune(config: ConfigSource, options: PrunePolicy & { dryRun?: boolean } & CallOptions): Promise<PruneResult> {
  const resolved = await resolveConfig(config);
  const { dryRun, onProgress, ...policy } = options;
  return withBackends(resolved, ({ backends }) =>
    pruneBackups({ config: resolved, snapshots: backends.snapshots, policy, dryRun, onProgress }),
  );
}
