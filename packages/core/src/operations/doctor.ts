// doctor(): the preflight checks of every operation, run on their own, each answered with
// ok / warn / fail and, when not ok, the fix. It changes nothing (the repository check
// registers the repository, as every backup would, and verifies it).
import { access, constants, mkdir, statfs } from 'node:fs/promises';
import { a4cIndexNamesIn, OLDEST_DATA_VERSION, storageLayoutOf } from '../a4c-model/index.js';
import { throwIfCancelled } from '../cancellation.js';
import type { A4cAdminConfig } from '../config-schema.js';
import { type ErrorCode, isA4cAdminError } from '../errors.js';
import { createProgressReporter, type ProgressListener } from '../progress.js';
import { detectA4c } from './a4c-liveness.js';
import type { BackupBackends } from './backends.js';
import { installationLock } from './installation-lock.js';

export interface DoctorCheck {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  /** What to do when the status is not ok. */
  fix?: string;
  /** The error code behind a failed check: doctor exits with its category (4 for an unreachable cluster). */
  code?: ErrorCode;
}

export interface DoctorResult {
  ok: boolean;
  checks: DoctorCheck[];
}

/** `signal` (Ctrl-C) stops it between two checks: doctor changes nothing, so nothing is left. */
export async function doctor(options: {
  config: A4cAdminConfig;
  backends: BackupBackends;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}): Promise<DoctorResult> {
  const { config, backends } = options;
  const progress = createProgressReporter('doctor', options.onProgress);
  const checks: DoctorCheck[] = [];
  const run = async (name: string, check: () => Promise<Omit<DoctorCheck, 'name'>>) => {
    throwIfCancelled(
      options.signal,
      () => `doctor was cancelled after ${checks.length} checks; it changes nothing.`,
      'Run `a4c-admin doctor` again when ready.',
    );
    progress.emit({ phase: name, kind: 'start' });
    try {
      checks.push({ name, ...(await check()) });
    } catch (error) {
      checks.push({
        name,
        status: 'fail',
        detail: error instanceof Error ? error.message : String(error),
        fix: isA4cAdminError(error) ? error.hint : undefined,
        ...(isA4cAdminError(error) ? { code: error.code } : {}),
      });
    }
  };

  let reachable = false;
  // The cluster's Elasticsearch version: its A4C indices are ES 1.x ones on 1.x-5.x.
  let esVersion: string | undefined;
  await run('cluster', async () => {
    const cluster = await backends.cluster.describe();
    esVersion = cluster.version;
    reachable = true;
    const named = config.elasticsearch.cluster_name;
    if (named && named !== cluster.clusterName) {
      return {
        status: 'fail',
        detail: `cluster is "${cluster.clusterName}", config expects "${named}"`,
        fix: 'Fix elasticsearch.addresses or elasticsearch.cluster_name.',
      };
    }
    const detail = `${cluster.clusterName} (Elasticsearch ${cluster.version}), ${cluster.status}, ${cluster.nodes.length} node(s)`;
    if (cluster.status === 'red')
      return { status: 'fail', detail, fix: 'Fix the unassigned primary shards (GET _cluster/allocation/explain).', code: 'CLUSTER_UNHEALTHY' };
    if (cluster.status === 'yellow' && cluster.nodes.length > 1)
      return { status: 'warn', detail, fix: 'Some replicas are unassigned; backups work, but check the cluster.' };
    return { status: 'ok', detail };
  });
  if (reachable) {
    await run('snapshot repository', async () => {
      const repository = await backends.snapshots.ensureRepository();
      return { status: 'ok', detail: `${repository.name} at ${repository.location}, verified by ${repository.verifiedNodes.length} node(s)` };
    });
    await run('snapshots running', async () => {
      const running = await backends.snapshots.running();
      return running.length === 0
        ? { status: 'ok', detail: 'none' }
        : { status: 'warn', detail: running.join(', '), fix: 'Wait for them to finish before a backup or restore.' };
    });
    await run('data version', async () => {
      const marker = await backends.state.readMarker();
      if (marker) return { status: 'ok', detail: `${marker.version} (data-version marker, ${marker.history.length} migration(s) applied)` };
      const present = await backends.state.resolve(a4cIndexNamesIn(storageLayoutOf(esVersion), OLDEST_DATA_VERSION, config.elasticsearch.index_prefix));
      const found = Object.values(present).filter((indices) => indices.length > 0).length;
      return found > 0
        ? {
            status: 'warn',
            detail: `no data-version marker; ${found} A4C indices found`,
            fix: `Give the version to backup/migrate (e.g. \`a4c-admin backup ${OLDEST_DATA_VERSION}\`).`,
          }
        : { status: 'warn', detail: 'no A4C index found', fix: 'Check elasticsearch.addresses and elasticsearch.index_prefix.' };
    });
  }
  await run('data folder', async () => {
    await access(config.alien4cloud.dir, constants.R_OK | constants.X_OK);
    return { status: 'ok', detail: `${config.alien4cloud.dir} is readable` };
  });
  await run('backup folder', async () => {
    await mkdir(config.backup.files_dir, { recursive: true, mode: 0o700 });
    await access(config.backup.files_dir, constants.W_OK);
    const info = await statfs(config.backup.files_dir);
    const free = info.bavail * info.bsize;
    const detail = `${config.backup.files_dir} is writable, ${(free / 1024 ** 3).toFixed(1)} GiB free`;
    return free < 1024 ** 3 ? { status: 'warn', detail, fix: 'Less than 1 GiB free: prune old backups or use a larger disk.' } : { status: 'ok', detail };
  });
  await run('lock', async () => {
    const holder = await installationLock(config).inspect();
    if (!holder) return { status: 'ok', detail: 'no operation running' };
    const who = `${holder.operation} by pid ${holder.pid} on ${holder.host} since ${holder.startedAt}`;
    return holder.stale
      ? { status: 'warn', detail: `stale lock: ${who}`, fix: 'The next operation takes it over; nothing to do.' }
      : { status: 'warn', detail: `running: ${who}`, fix: 'Wait for it to finish.' };
  });
  await run('alien4cloud', async () => {
    const liveness = await detectA4c(config);
    if (liveness.state === 'running') return { status: 'ok', detail: `running (${liveness.detail}): stop it before a restore or a migration` };
    if (liveness.state === 'unknown') {
      return {
        status: 'warn',
        detail: `cannot tell whether A4C runs (${liveness.detail}): restore and migrate will ask, or refuse without --a4c-stopped`,
        fix: "Set alien4cloud.url to A4C's address, or make sure nothing else answers there.",
      };
    }
    return { status: 'ok', detail: `stopped (${liveness.detail})` };
  });
  return { ok: checks.every((check) => check.status !== 'fail'), checks };
}
