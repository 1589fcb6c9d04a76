// restore(): the seed's `-restore 1.1.0 -n backup110`. It checks everything it can before
// touching anything, returns a plan (all a dry run does), then restores the snapshot and
// swaps the file tree in atomically.
//
// What the disk and the cluster hold if the process dies:
// - before the snapshot restore: nothing changed;
// - during the snapshot restore: the indices being restored are deleted or partly recovered;
//   re-running the restore restores them again (the snapshot is untouched);
// - during the file swap: core's file-tree journal lets the next restore (or recoverFileTree)
//   finish or undo the swap, so the data folder is never a mix of two backups.
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import type { A4cAdminConfig } from '../config-schema.js';
import { A4cAdminError, isA4cAdminError } from '../errors.js';
import { createFileLock } from '../file-lock.js';
import { readRestoreJournal, restoreFileTree } from '../file-tree-restore.js';
import { preflightFileTreeRestore } from '../file-tree-restore-preflight.js';
import type { Manifest } from '../manifest.js';
import { createProgressReporter, type ProgressListener } from '../progress.js';
import { readRegularFile } from '../read-regular-file.js';
import { checkA4cRunning } from './a4c-liveness.js';
import { HOT_RESTORE_UNSAFE_INDICES, HOT_RESTORE_UNSAFE_PARTS, KNOWN_DATA_VERSIONS, a4cIndexNames, baseIndexName } from './a4c-indices.js';
import type { BackupBackends } from './backends.js';
import { backupPaths } from './backup-paths.js';
import { assertBackupValid, verifyBackup } from './verify-backup.js';
import { TOOL_VERSION } from '../version.js';

export interface RestoreOptions {
  config: A4cAdminConfig;
  backends: BackupBackends;
  name: string;
  /** The A4C data version the operator expects the backup to hold (the seed's `-restore 1.1.0`). */
  version?: string;
  /** Restore with A4C running: refused when the restore touches orchestrator or plugin data. */
  hot?: boolean;
  /** Return the plan and change nothing. */
  dryRun?: boolean;
  /** Restore only these A4C indices (default: every index of the backup). */
  indices?: string[];
  /** Restore only these parts of the data folder (default: every part of the backup); [] for none. */
  parts?: string[];
  /** Put the config files back where they were (default true). */
  configFiles?: boolean;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

export interface RestorePlan {
  name: string;
  version: string | undefined;
  snapshot: string | undefined;
  /** Each index: what exists now and what the backup holds. Existing ones are deleted, then restored. */
  indices: Array<{
    name: string;
    action: 'replace' | 'create';
    currentDocs: number | undefined;
    backupDocs: number;
    /** Concrete indices answering to the name now (the index itself, or an alias's targets), deleted first. */
    removes: string[];
  }>;
  /** Parts of the data folder swapped for the backup's copy. */
  parts: Array<{ part: string; files: number; bytes: number }>;
  configFiles: string[];
  /**
   * A full restore makes the A4C indices what the backup holds: indices answering to A4C names
   * the backup does not have (added by a later migration) and the versioned indices a migration
   * leaves behind (`<name>-v<version>`) are deleted too. Empty for a partial restore.
   */
  strays: string[];
  hot: boolean;
}

export interface RestoreResult {
  plan: RestorePlan;
  dryRun: boolean;
  /** Documents per index after the restore. */
  counts: Record<string, number>;
  files: number;
  durationMs: number;
}

/** Restores a backup, or (dryRun) says exactly what a restore would do. */
export async function restore(options: RestoreOptions): Promise<RestoreResult> {
  const { config, backends } = options;
  const startedAt = Date.now();
  const progress = createProgressReporter('restore', options.onProgress, startedAt);
  const paths = backupPaths(config, options.name);

  // 1. The backup itself: manifest, checksums, snapshot.
  const verification = await verifyBackup({ config, snapshots: backends.snapshots, name: options.name, onProgress: options.onProgress });
  assertBackupValid(verification);
  const manifest = verification.manifest;
  checkVersions(manifest, options.version);

  // 2. What to restore.
  const plan = await makePlan(options, manifest);

  // 3. A4C must be stopped, unless hot and harmless.
  if (options.hot) {
    const unsafeIndices = plan.indices.filter((index) => HOT_RESTORE_UNSAFE_INDICES.includes(baseIndexName(index.name, config.elasticsearch.index_prefix)));
    const unsafeParts = plan.parts.filter((part) => HOT_RESTORE_UNSAFE_PARTS.some((unsafe) => part.part === unsafe || part.part.startsWith(`${unsafe}/`)));
    if (unsafeIndices.length > 0 || unsafeParts.length > 0) {
      throw new A4cAdminError(
        'PRECONDITION_FAILED',
        `A hot restore would change orchestrator or plugin data (${[...unsafeIndices.map((index) => index.name), ...unsafeParts.map((part) => part.part)].join(', ')}), which a running A4C does not reload.`,
        { hint: 'Stop A4C and restore without --hot, or limit the restore with --indices / --parts to other data.' },
      );
    }
  } else if (config.alien4cloud.url) {
    const liveness = await checkA4cRunning(config.alien4cloud.url);
    if (liveness.running) {
      throw new A4cAdminError('A4C_RUNNING', `Alien4Cloud is running (${liveness.detail}); a restore under a running A4C would be overwritten by it.`, {
        hint: 'Stop A4C (not Elasticsearch), run the restore, then start A4C. Use --hot only when the restore touches no orchestrator or plugin data.',
      });
    }
  }
  // 4. The data folder can take the files back (real folders, writable, room for the staged
  // copy): refused here, before the first index is deleted, not after.
  const partNames = plan.parts.map((part) => part.part);
  const entries = manifest.files.filter((file) => partNames.some((part) => file.path === part || file.path.startsWith(`${part}/`)));
  if (partNames.length > 0) await preflightFileTreeRestore({ backupRoot: paths.files, files: entries, targetRoot: config.alien4cloud.dir, parts: partNames });
  if (options.dryRun) return { plan, dryRun: true, counts: {}, files: 0, durationMs: Date.now() - startedAt };

  const lock = await createFileLock(config.backup.files_dir).acquire('restore');
  // What this run has changed so far: a failure after the first change is no refusal.
  const done: RestoreProgress = { indices: [], indicesRestored: false, marker: false, files: 'untouched', configFiles: [] };
  try {
    // 4. Indices.
    let counts: Record<string, number> = {};
    const indexNames = plan.indices.map((index) => index.name);
    if (indexNames.length > 0 && manifest.snapshot) {
      const running = await backends.snapshots.running();
      if (running.length > 0) {
        throw new A4cAdminError('SNAPSHOT_IN_PROGRESS', `Elasticsearch is running a snapshot or restore (${running.join(', ')}).`, {
          hint: 'Wait for it to finish, then run the restore again.',
        });
      }
      progress.emit({ phase: 'snapshot', kind: 'start', total: indexNames.length, item: manifest.snapshot.name });
      await removeWhenNoRestoreRuns(backends, plan);
      done.indices = indexNames;
      counts = (await backends.snapshots.restore({ name: manifest.snapshot.name, indices: await concreteNames(backends, manifest, indexNames) }, progress.child('snapshot'))).counts;
      counts = await countByA4cName(backends, indexNames);
      done.indicesRestored = true;
      progress.emit({ phase: 'snapshot', kind: 'end' });
    } else if (indexNames.length > 0 && manifest.export) {
      if (!backends.exporter) throw new A4cAdminError('INTERNAL', 'Restoring an export needs an index exporter.', { hint: 'Wire an IndexExporter into the backends.' });
      counts = await backends.exporter.importIndices(join(paths.folder, manifest.export.folder), indexNames, progress.child('import'), async () => {
        await removeCurrentIndices(backends, plan);
        done.indices = indexNames;
      });
      done.indicesRestored = true;
    }
    const wrong = plan.indices.filter((index) => counts[index.name] !== index.backupDocs);
    if (wrong.length > 0) {
      const detail = wrong.map((index) => `${index.name}: ${counts[index.name] ?? 0} restored, ${index.backupDocs} in the backup`).join('; ');
      if (manifest.countsExact !== false) {
        throw new A4cAdminError('COUNT_MISMATCH', `The restored indices do not hold the documents of the backup: ${detail}.`, {
          hint: 'Run the restore again; if it persists, verify the snapshot repository (`a4c-admin verify`).',
          details: { counts },
        });
      }
      progress.emit({ phase: 'snapshot', kind: 'warning', message: `counts differ from the approximate counts of the backup: ${detail}` });
    }
    // A full restore brings the data version back too (a backup taken before any marker existed
    // gets one that says what it holds), so a later migrate starts from the right version.
    if (plan.indices.length === manifest.indices.length && manifest.a4cDataVersion) {
      await backends.state.writeMarker(
        manifest.dataVersionMarker ?? { version: manifest.a4cDataVersion, history: [], updatedAt: new Date().toISOString() },
      );
      done.marker = true;
    }

    // 5. Files, swapped in atomically.
    let files = 0;
    if (partNames.length > 0) {
      progress.emit({ phase: 'files', kind: 'start', total: entries.length });
      done.files = 'started';
      await restoreFileTree({ backupRoot: paths.files, files: entries, folders: manifest.folders, targetRoot: config.alien4cloud.dir, parts: partNames, progress: progress.child('files') });
      done.files = 'swapped';
      files = entries.length;
      progress.emit({ phase: 'files', kind: 'end', done: files });
    }
    if (options.configFiles !== false) {
      for (const file of manifest.configFiles) {
        await replaceFileAtomically(join(paths.folder, file.stored), file.path, file.mode);
        done.configFiles.push(file.path);
      }
    }
    return { plan, dryRun: false, counts, files, durationMs: Date.now() - startedAt };
  } catch (error) {
    throw await partialRestoreError(error, done, manifest, config.alien4cloud.dir);
  } finally {
    await lock.release();
  }
}

/** What a restore has changed so far, for the error of a restore that fails part-way. */
interface RestoreProgress {
  /** A4C names whose indices were deleted (then being restored, or restored). */
  indices: string[];
  /** The deleted indices were restored from the backup (the snapshot restore or import ended). */
  indicesRestored: boolean;
  /** The data-version marker was written back. */
  marker: boolean;
  /** The data-folder swap: not begun, begun (staged or half swapped), or done. */
  files: 'untouched' | 'started' | 'swapped';
  configFiles: string[];
}

/** Categories that already mean "failed part-way" or name the damage precisely: their code stays. */
const PART_WAY_CATEGORIES: readonly string[] = ['partial', 'verification', 'cluster'];

/**
 * A failure before the first change stays what it is (a refusal, exit 5, says "nothing
 * changed", and that must be true). After it, the error says what was changed, what was not,
 * and how to finish: a refusal, a bug or a file-system error becomes RESTORE_INCOMPLETE (exit
 * 8); an error that already means part-way (a rejected import, a damaged chunk, a lost cluster)
 * keeps its code and gains the account. A cancel stays a cancel.
 */
async function partialRestoreError(error: unknown, done: RestoreProgress, manifest: Manifest, dataFolder: string): Promise<unknown> {
  const { name } = manifest;
  const command = `a4c-admin restore ${manifest.a4cDataVersion ?? '<version>'} -n ${name}`;
  if (done.indices.length === 0 || (isA4cAdminError(error) && (error.category === 'cancelled' || error.details?.restoreChanges !== undefined))) return error;
  const journal = done.files === 'started' ? await readRestoreJournal(dataFolder).catch(() => 'unreadable' as const) : undefined;
  const files = done.files === 'started' && journal === undefined ? 'untouched' : done.files;
  const filesState =
    files === 'untouched'
      ? `the data folder ${dataFolder} was not changed`
      : files === 'swapped'
        ? 'the data folder parts were swapped in'
        : `the data folder swap was interrupted (the journal in ${dataFolder} lets the next restore finish or undo it)`;
  const shown = done.indices.slice(0, 10).join(', ') + (done.indices.length > 10 ? ` and ${done.indices.length - 10} more` : '');
  const indicesState = done.indicesRestored ? `the indices ${shown} were replaced by the backup's` : `the indices ${shown} were deleted and not (fully) restored`;
  const account = `What was changed: ${indicesState}${done.marker ? ', the data-version marker was written back' : ''}; ${filesState}; ${done.configFiles.length > 0 ? `config files put back: ${done.configFiles.join(', ')}` : 'no config file was put back'}.`;
  const finish = `Then run the same restore again (\`${command}\`): it replaces the indices again and finishes the files. To undo instead, restore a backup taken before.`;
  const changes = { indices: done.indices, indicesRestored: done.indicesRestored, markerWritten: done.marker, files, configFiles: done.configFiles };
  const reason = ((error as Error)?.message ?? String(error)).replace(/\.?$/, '.');
  if (isA4cAdminError(error) && PART_WAY_CATEGORIES.includes(error.category)) {
    return new A4cAdminError(error.code, `${reason} ${account}`, {
      hint: `${error.hint ?? 'Fix the cause above.'} ${finish}`,
      cause: error,
      details: { ...error.details, restoreChanges: changes },
    });
  }
  return new A4cAdminError('RESTORE_INCOMPLETE', `Restore of "${name}" failed part-way: ${reason} ${account}`, {
    hint: `${isA4cAdminError(error) && error.hint ? error.hint : 'Fix the cause above.'} ${finish}`,
    cause: error,
    details: { cause: isA4cAdminError(error) ? error.code : (error as NodeJS.ErrnoException)?.code, restoreChanges: changes },
  });
}

/**
 * Whatever answers to the A4C names now (a plain index, or an alias's migrated indices) goes,
 * in one atomic request, so that the backup's indices (and aliases) can take the names back.
 */
/**
 * Config files go back to absolute paths read from the manifest, written as whoever runs the
 * tool (often root): a manifest edited by hand (its hash is no signature) could otherwise drop
 * a file anywhere, e.g. in /etc/cron.d. Only the files the configuration lists, stored inside
 * the backup's config/ folder, without set-id bits, are put back.
 */
function checkConfigFileTargets(manifest: Manifest, allowed: readonly string[]): void {
  for (const file of manifest.configFiles) {
    const problem = !allowed.includes(file.path)
      ? `${file.path} is not listed in backup.config_files`
      : !/^config\/[^/]+$/.test(file.stored) || file.stored === 'config/..' || file.stored === 'config/.'
        ? `its copy ${file.stored} is outside the backup's config/ folder`
        : (file.mode & ~0o777) !== 0
          ? `its mode ${file.mode.toString(8)} has set-id or sticky bits`
          : undefined;
    if (problem) {
      throw new A4cAdminError('UNSAFE_PATH', `Backup "${manifest.name}" would put a config file back where it should not: ${problem}.`, {
        hint: 'If the file truly belongs there, add it to backup.config_files; otherwise do not trust this backup folder (its manifest may have been edited). The library can skip config files (configFiles: false).',
        details: { path: file.path, stored: file.stored },
      });
    }
  }
}

/**
 * The count of an index, waiting while its shards are not available yet: right after a killed
 * restore, its indices are still recovering and a count answers 503 (no shard available).
 */
async function countWhileRecovering(backends: BackupBackends, index: string, patienceMs = 120_000): Promise<number | undefined> {
  const deadline = Date.now() + patienceMs;
  for (;;) {
    try {
      return await backends.reader.count(index);
    } catch (error) {
      if (!/no_shard_available|all shards failed/.test(String((error as Error).message)) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

/**
 * A restore killed mid-way goes on inside Elasticsearch; its indices cannot be removed until
 * it ends, and the recovery listing behind `running()` can miss it for a moment (shards not yet
 * recovering). The re-run waits for it, rather than failing with a 400.
 */
async function removeWhenNoRestoreRuns(backends: BackupBackends, plan: RestorePlan, patienceMs = 120_000): Promise<void> {
  const deadline = Date.now() + patienceMs;
  for (;;) {
    try {
      return await removeCurrentIndices(backends, plan);
    } catch (error) {
      if (!/being restored/.test(String((error as Error).message))) throw error;
      if (Date.now() > deadline) {
        throw new A4cAdminError('SNAPSHOT_IN_PROGRESS', 'An earlier restore of these indices is still running inside Elasticsearch.', {
          hint: 'Wait for it to end (GET _cat/recovery?active_only=true), then run the restore again.',
          cause: error,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

async function removeCurrentIndices(backends: BackupBackends, plan: RestorePlan): Promise<void> {
  const removals = [...new Set([...plan.indices.flatMap((index) => index.removes), ...plan.strays])];
  if (removals.length > 0) await backends.state.updateAliases(removals.map((index) => ({ removeIndex: { index } })));
}

function checkVersions(manifest: Manifest, expected: string | undefined): void {
  if (expected !== undefined && manifest.a4cDataVersion !== undefined && manifest.a4cDataVersion !== expected) {
    throw new A4cAdminError('VERSION_MISMATCH', `Backup "${manifest.name}" holds A4C ${manifest.a4cDataVersion} data, not ${expected}.`, {
      hint: `Run the restore with ${manifest.a4cDataVersion}, or choose a backup of ${expected} (\`a4c-admin list\`).`,
    });
  }
  const [theirs, ours] = [manifest.tool.version, TOOL_VERSION].map((version) => version.split('.').map(Number));
  if (theirs && ours && (theirs[0]! > ours[0]! || (theirs[0] === ours[0] && theirs[1]! > ours[1]!))) {
    throw new A4cAdminError('VERSION_MISMATCH', `Backup "${manifest.name}" was written by a4c-admin ${manifest.tool.version}, newer than ${TOOL_VERSION}.`, {
      hint: `Restore it with a4c-admin ${manifest.tool.version} or later.`,
    });
  }
}

async function makePlan(options: RestoreOptions, manifest: Manifest): Promise<RestorePlan> {
  const { config, backends } = options;
  const prefix = config.elasticsearch.index_prefix;
  const byName = new Map(manifest.indices.map((index) => [index.name, index]));
  const chosen = (options.indices ?? manifest.indices.map((index) => index.name)).map((index) => (byName.has(index) ? index : `${prefix}${index}`));
  const unknown = chosen.filter((index) => !byName.has(index));
  if (unknown.length > 0) {
    throw new A4cAdminError('USAGE', `Backup "${manifest.name}" holds no index ${unknown.join(', ')}.`, {
      hint: `Choose among: ${manifest.indices.map((index) => index.name).join(', ')}.`,
    });
  }
  const backedUpParts = (manifest.options.parts as string[] | undefined) ?? [...new Set(manifest.files.map((file) => file.path.split('/')[0]!))];
  const parts = options.parts ?? backedUpParts;
  const unknownParts = parts.filter((part) => !backedUpParts.includes(part));
  if (unknownParts.length > 0) {
    throw new A4cAdminError('USAGE', `Backup "${manifest.name}" holds no data-folder part ${unknownParts.join(', ')}.`, {
      hint: `Choose among: ${backedUpParts.join(', ')}.`,
    });
  }
  if (options.configFiles !== false) checkConfigFileTargets(manifest, config.backup.config_files);
  const counts = await Promise.all(chosen.map((index) => countWhileRecovering(backends, index)));
  const current = await backends.state.resolve(chosen);
  const strays = options.indices === undefined ? await strayIndices(backends, manifest, prefix, new Set(Object.values(current).flat())) : [];
  return {
    name: manifest.name,
    version: manifest.a4cDataVersion,
    snapshot: manifest.snapshot?.name,
    indices: chosen.map((index, position) => ({
      name: index,
      action: counts[position] === undefined ? 'create' : 'replace',
      currentDocs: counts[position],
      backupDocs: byName.get(index)!.docCount,
      removes: current[index] ?? [],
    })),
    parts: parts.map((part) => {
      const files = manifest.files.filter((file) => file.path === part || file.path.startsWith(`${part}/`));
      return { part, files: files.length, bytes: files.reduce((sum, file) => sum + file.size, 0) };
    }),
    configFiles: options.configFiles === false ? [] : manifest.configFiles.map((file) => file.path),
    strays,
    hot: options.hot === true,
  };
}

/** A4C indices of any known version that a full restore of this backup must not leave behind. */
async function strayIndices(backends: BackupBackends, manifest: Manifest, prefix: string, replaced: Set<string>): Promise<string[]> {
  const everyName = [...new Set(KNOWN_DATA_VERSIONS.flatMap((version) => a4cIndexNames(version, prefix)))];
  const held = new Set(manifest.indices.map((index) => index.name));
  const answering = await backends.state.resolve(everyName.filter((name) => !held.has(name)));
  const versioned = await backends.state.listIndices(everyName.map((name) => `${name}-v*`).join(','));
  return [...new Set([...Object.values(answering).flat(), ...versioned])].filter((index) => !replaced.has(index)).sort();
}

/**
 * The snapshot holds concrete indices: `application` itself, or `application-v1.2.0` behind an
 * alias after a migration. Restore asks for what the snapshot holds.
 */
async function concreteNames(backends: BackupBackends, manifest: Manifest, names: string[]): Promise<string[]> {
  const snapshot = await backends.snapshots.get(manifest.snapshot!.name);
  const held = snapshot?.indices ?? [];
  return names.flatMap((name) => {
    const concrete = held.filter((index) => index === name || index.startsWith(`${name}-v`));
    return concrete.length > 0 ? concrete : [name];
  });
}

async function countByA4cName(backends: BackupBackends, names: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const name of names) counts[name] = (await backends.reader.count(name)) ?? 0;
  return counts;
}

/** A config file put back whole or not at all: a reader sees the old file or the new one. */
async function replaceFileAtomically(source: string, target: string, mode: number): Promise<void> {
  try {
    await writeFileAtomic(target, await readRegularFile(source, { noFollow: true, what: 'The stored config file' }), mode);
  } catch (error) {
    throw new A4cAdminError('FILESYSTEM', `Could not put the config file ${target} back: ${(error as Error).message}`, {
      hint: 'Check that its folder exists and is writable, or restore with --no-config-files.',
      cause: error,
    });
  }
}
