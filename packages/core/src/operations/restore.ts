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
//
// Cancelled (the signal: Ctrl-C, SIGTERM), it stops at the next safe point and says what it
// changed (CANCELLED, exit 130). Before the file swap starts the data folder is as it was (a
// cancel while staging deletes the staged copy). Once the journalled swap is under way it is
// finished, not undone: it is a few renames of verified parts, over in well under a second,
// and finishing leaves the folder whole; the cancel takes effect right after it.
import { stat } from 'node:fs/promises';
import { basename, isAbsolute, join } from 'node:path';
import {
  type A4cStorageLayout,
  allA4cIndexNamesIn,
  baseIndexName,
  HOT_RESTORE_UNSAFE_INDICES,
  HOT_RESTORE_UNSAFE_PARTS,
  storageLayoutOf,
} from '../a4c-model/index.js';
import { writeFileAtomic } from '../atomic-write.js';
import { cancelledError, pause } from '../cancellation.js';
import type { A4cAdminConfig } from '../config-schema.js';
import { A4cAdminError, isA4cAdminError } from '../errors.js';
import { readRestoreJournal, restoreFileTree } from '../file-tree-restore.js';
import { preflightFileTreeRestore } from '../file-tree-restore-preflight.js';
import { hasOwnershipMark, isA4cConcreteIndexOf, toolVersionedIndexNames } from '../index-ownership.js';
import type { Manifest } from '../manifest.js';
import { createProgressReporter, type ProgressListener } from '../progress.js';
import { readRegularFile } from '../read-regular-file.js';
import { mapConcurrently } from '../task-pool.js';
import { TOOL_VERSION } from '../version.js';
import { type A4cState, assertA4cStopped } from './a4c-liveness.js';
import type { BackupBackends } from './backends.js';
import { backupPaths } from './backup-paths.js';
import { installationLock } from './installation-lock.js';
import { type LiftedBlocks, liftRestoredBlocks } from './lift-restored-blocks.js';
import { assertBackupValid, verifyBackup } from './verify-backup.js';

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
  /**
   * The operator states that A4C is stopped when it cannot be told (a port that accepts but
   * does not answer, an answer that is not clearly A4C's). A4C found running is refused all the same.
   */
  a4cStopped?: boolean;
  /** Restore only these A4C indices (default: every index of the backup). */
  indices?: string[];
  /** Restore only these parts of the data folder (default: every part of the backup); [] for none. */
  parts?: string[];
  /** Put the config files back (default true); false leaves them as they are. */
  configFiles?: boolean;
  /**
   * Put the config files into this absolute folder, each under its own file name, instead of
   * the paths they had on the host of the backup: a restore on another host, where A4C's
   * configuration lives elsewhere. The folder must exist. Not with `configFiles: false`.
   */
  configFilesTo?: string;
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
    /** Concrete A4C indices answering to the name now (the index itself, or an alias's tool-named targets), deleted first. */
    removes: string[];
    /**
     * Indices the name is an alias of that are not A4C's by their name (another application's
     * index someone put the alias on): the alias is taken off them, they are never deleted.
     */
    detaches?: string[];
  }>;
  /** Parts of the data folder swapped for the backup's copy. */
  parts: Array<{ part: string; files: number; bytes: number }>;
  /** Where the config files are written: their paths at the backup, or in `configFilesTo`. */
  configFiles: string[];
  /**
   * A full restore makes the A4C indices what the backup holds: indices answering to A4C names
   * the backup does not have (added by a later migration) and the versioned indices a migration
   * of this tool left behind (the exact `<name>-v<version>` names, carrying the tool's ownership
   * mark) are deleted too. Never an index merely named like one. Empty for a partial restore.
   */
  strays: string[];
  hot: boolean;
  /** What the A4C check found (not set for --hot, which expects A4C to run). */
  a4c?: { state: A4cState; detail: string };
}

export interface RestoreResult {
  plan: RestorePlan;
  dryRun: boolean;
  /** Documents per index after the restore. */
  counts: Record<string, number>;
  files: number;
  /** Restored indices that came back with blocks (from the time of the backup), lifted and reported. */
  unblocked: LiftedBlocks[];
  durationMs: number;
}

/** Restores a backup, or (dryRun) says exactly what a restore would do. */
export async function restore(options: RestoreOptions): Promise<RestoreResult> {
  const changed: RestoreChanges = { plan: undefined, indices: 'untouched', marker: false, files: 'untouched', configFiles: [] };
  try {
    return await restoreSteps(options, changed);
  } catch (error) {
    if (options.signal?.aborted) throw cancelledError(cancelledState(options.name, changed), cancelHint(options.name, changed), error);
    throw error;
  }
}

/**
 * What a restore has changed so far: the message of a cancel, and of a failure after the
 * first change, say it.
 */
interface RestoreChanges {
  plan: RestorePlan | undefined;
  /** untouched: no index changed; replacing: some may be missing or partly restored; replaced: all restored. */
  indices: 'untouched' | 'replacing' | 'replaced';
  /** The data-version marker was written back. */
  marker: boolean;
  /** The data-folder swap: not begun, begun (staged or half swapped), or done. */
  files: 'untouched' | 'started' | 'swapped';
  configFiles: string[];
}

/** What a cancelled restore leaves, in the operator's words. */
function cancelledState(name: string, changed: RestoreChanges): string {
  const indices = changed.plan?.indices.map((index) => index.name).join(', ') || 'none';
  const parts = changed.plan?.parts.map((part) => part.part).join(', ') || 'none';
  switch (changed.indices) {
    case 'untouched':
      return changed.files === 'swapped'
        ? `Restore of "${name}" was cancelled after swapping in the data-folder parts (${parts}); it restores no index; the config files were not put back.`
        : `Restore of "${name}" was cancelled before it changed anything: the indices, the data folder and the config files are as they were.`;
    case 'replacing':
      return `Restore of "${name}" was cancelled while the indices were being replaced (${indices}): they may be missing or partly restored (Elasticsearch finishes a snapshot restore it has started on its own). The data folder and the config files were not changed.`;
    default:
      return changed.files === 'swapped'
        ? `Restore of "${name}" was cancelled after replacing the indices (${indices}) and swapping in the data-folder parts (${parts}); the config files were not put back.`
        : `Restore of "${name}" was cancelled after replacing the indices (${indices}); the data folder and the config files were not changed.`;
  }
}

function cancelHint(name: string, changed: RestoreChanges): string {
  const version = changed.plan?.version;
  return changed.indices === 'untouched' && changed.files !== 'swapped'
    ? 'Run the restore again when ready.'
    : `Run the restore of "${name}" again${version ? ` (a4c-admin restore ${version} -n ${name})` : ''}: it replaces every index, the data folder and the config files again, so that everything is the backup's.`;
}

async function restoreSteps(options: RestoreOptions, changed: RestoreChanges): Promise<RestoreResult> {
  const { config, backends, signal } = options;
  // A safe point: stop here when cancelled (restore() says what was changed).
  const checkpoint = () => signal?.throwIfAborted();
  const startedAt = Date.now();
  const progress = createProgressReporter('restore', options.onProgress, startedAt);
  const paths = backupPaths(config, options.name);

  // 1. The backup itself: manifest, checksums, snapshot.
  const verification = await verifyBackup({ config, snapshots: backends.snapshots, name: options.name, onProgress: options.onProgress, signal });
  assertBackupValid(verification);
  const manifest = verification.manifest;
  checkVersions(manifest, options.version);
  // The backup's indices are in the layout of the cluster it was taken on (ES 1.x indices on 1.x-5.x).
  const layout = storageLayoutOf(manifest.elasticsearch.version);
  checkA4cIndexNames(manifest, config.elasticsearch.index_prefix, layout);
  await checkSameLayout(manifest, layout, backends);

  // 2. What to restore.
  const plan = await makePlan(options, manifest);
  changed.plan = plan;
  checkpoint();

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
  } else {
    // Found without alien4cloud.url too; unknown is refused unless the operator said A4C is
    // stopped. A dry run changes nothing: it reports what it found instead of refusing.
    const liveness = await assertA4cStopped(config, 'a restore', { a4cStopped: options.a4cStopped || options.dryRun });
    plan.a4c = { state: liveness.state, detail: liveness.detail };
  }
  // 4. The data folder can take the files back (real folders, writable, room for the staged
  // copy): refused here, before the first index is deleted, not after.
  const partNames = plan.parts.map((part) => part.part);
  const entries = manifest.files.filter((file) => partNames.some((part) => file.path === part || file.path.startsWith(`${part}/`)));
  if (partNames.length > 0) await preflightFileTreeRestore({ backupRoot: paths.files, files: entries, targetRoot: config.alien4cloud.dir, parts: partNames });
  if (options.dryRun) return { plan, dryRun: true, counts: {}, files: 0, unblocked: [], durationMs: Date.now() - startedAt };
  checkpoint();

  const lock = await installationLock(config).acquire('restore');
  try {
    checkpoint();
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
      changed.indices = 'replacing';
      await removeWhenNoRestoreRuns(backends, plan, signal);
      counts = (
        await backends.snapshots.restore(
          { name: manifest.snapshot.name, indices: await concreteNames(backends, manifest, indexNames) },
          progress.child('snapshot'),
        )
      ).counts;
      counts = await countByA4cName(backends, indexNames);
      progress.emit({ phase: 'snapshot', kind: 'end' });
    } else if (indexNames.length > 0 && manifest.export) {
      if (!backends.exporter)
        throw new A4cAdminError('INTERNAL', 'Restoring an export needs an index exporter.', { hint: 'Wire an IndexExporter into the backends.' });
      counts = await backends.exporter.importIndices(join(paths.folder, manifest.export.folder), indexNames, progress.child('import'), () => {
        // The chunks are verified and nothing is changed yet: the last point to stop for free.
        checkpoint();
        changed.indices = 'replacing';
        return removeCurrentIndices(backends, plan);
      });
    }
    checkpoint();
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
    const unblocked = indexNames.length > 0 ? await liftRestoredBlocks(backends, indexNames, progress) : [];
    // A full restore brings the data version back too (a backup taken before any marker existed
    // gets one that says what it holds), so a later migrate starts from the right version.
    if (plan.indices.length === manifest.indices.length && manifest.a4cDataVersion) {
      await backends.state.writeMarker(manifest.dataVersionMarker ?? { version: manifest.a4cDataVersion, history: [], updatedAt: new Date().toISOString() });
      changed.marker = true;
    }
    if (indexNames.length > 0) changed.indices = 'replaced';
    checkpoint();

    // 5. Files, swapped in atomically.
    let files = 0;
    if (partNames.length > 0) {
      progress.emit({ phase: 'files', kind: 'start', total: entries.length });
      changed.files = 'started';
      await restoreFileTree({
        backupRoot: paths.files,
        files: entries,
        folders: manifest.folders,
        targetRoot: config.alien4cloud.dir,
        parts: partNames,
        progress: progress.child('files'),
        signal,
      });
      changed.files = 'swapped';
      files = entries.length;
      progress.emit({ phase: 'files', kind: 'end', done: files });
    }
    checkpoint();
    for (const { file, target } of configFileTargets(manifest, options)) {
      await replaceFileAtomically(join(paths.folder, file.stored), target, file.mode);
      changed.configFiles.push(target);
    }
    return { plan, dryRun: false, counts, files, unblocked, durationMs: Date.now() - startedAt };
  } catch (error) {
    throw await partialRestoreError(error, changed, manifest, config.alien4cloud.dir);
  } finally {
    await lock.release();
  }
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
async function partialRestoreError(error: unknown, changed: RestoreChanges, manifest: Manifest, dataFolder: string): Promise<unknown> {
  const { name } = manifest;
  const command = `a4c-admin restore ${manifest.a4cDataVersion ?? '<version>'} -n ${name}`;
  if (changed.indices === 'untouched' && changed.files === 'untouched') return error;
  if (isA4cAdminError(error) && (error.category === 'cancelled' || error.details?.restoreChanges !== undefined)) return error;
  const journal = changed.files === 'started' ? await readRestoreJournal(dataFolder).catch(() => 'unreadable' as const) : undefined;
  const files = changed.files === 'started' && journal === undefined ? 'untouched' : changed.files;
  const filesState =
    files === 'untouched'
      ? `the data folder ${dataFolder} was not changed`
      : files === 'swapped'
        ? 'the data folder parts were swapped in'
        : `the data folder swap was interrupted (the journal in ${dataFolder} lets the next restore finish or undo it)`;
  const names = changed.plan?.indices.map((index) => index.name) ?? [];
  const shown = names.slice(0, 10).join(', ') + (names.length > 10 ? ` and ${names.length - 10} more` : '');
  const indicesState =
    changed.indices === 'untouched'
      ? 'no index was changed'
      : changed.indices === 'replaced'
        ? `the indices ${shown} were replaced by the backup's`
        : `the indices ${shown} were being replaced: they may be missing or partly restored`;
  const account = `What was changed: ${indicesState}${changed.marker ? ', the data-version marker was written back' : ''}; ${filesState}; ${changed.configFiles.length > 0 ? `config files put back: ${changed.configFiles.join(', ')}` : 'no config file was put back'}.`;
  const finish = `Then run the same restore again (\`${command}\`): it replaces the indices again and finishes the files. To undo instead, restore a backup taken before.`;
  const changes = {
    indices: changed.indices === 'untouched' ? [] : names,
    indicesRestored: changed.indices === 'replaced',
    markerWritten: changed.marker,
    files,
    configFiles: changed.configFiles,
  };
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

/** Each config file of the backup with the path it is written to; none when they are left alone. */
function configFileTargets(manifest: Manifest, options: RestoreOptions): Array<{ file: Manifest['configFiles'][number]; target: string }> {
  if (options.configFiles === false) return [];
  return manifest.configFiles.map((file) => ({
    file,
    target: options.configFilesTo === undefined ? file.path : join(options.configFilesTo, basename(file.path)),
  }));
}

const LEAVE_OR_REMAP_HINT =
  'On another host, where the config files live elsewhere: `restore --config-files-to <folder>` writes them into that folder (configFilesTo in the library), `restore --no-config-files` leaves them out (configFiles: false).';

/**
 * Config files go back to absolute paths read from the manifest, written as whoever runs the
 * tool (often root): a manifest edited by hand (its hash is no signature) could otherwise drop
 * a file anywhere, e.g. in /etc/cron.d. Only the files the configuration lists, stored inside
 * the backup's config/ folder, without set-id bits, are put back. Remapped (`configFilesTo`),
 * they land only in the folder the operator named, under plain file names, one file a name.
 */
async function checkConfigFileTargets(manifest: Manifest, allowed: readonly string[], remapTo: string | undefined): Promise<void> {
  if (remapTo !== undefined) await checkRemapFolder(manifest, remapTo);
  for (const file of manifest.configFiles) {
    const name = basename(file.path);
    const problem =
      remapTo === undefined && !allowed.includes(file.path)
        ? `${file.path} is not listed in backup.config_files`
        : remapTo !== undefined && (name === '' || name === '.' || name === '..')
          ? `${file.path} has no file name to keep in ${remapTo}`
          : !/^config\/[^/]+$/.test(file.stored) || file.stored === 'config/..' || file.stored === 'config/.'
            ? `its copy ${file.stored} is outside the backup's config/ folder`
            : (file.mode & ~0o777) !== 0
              ? `its mode ${file.mode.toString(8)} has set-id or sticky bits`
              : undefined;
    if (problem) {
      throw new A4cAdminError('UNSAFE_PATH', `Backup "${manifest.name}" would put a config file back where it should not: ${problem}.`, {
        hint: `If the file truly belongs there, add it to backup.config_files; otherwise do not trust this backup folder (its manifest may have been edited). ${LEAVE_OR_REMAP_HINT}`,
        details: { path: file.path, stored: file.stored },
      });
    }
  }
}

/** The remap folder: absolute, an existing folder, and no two config files of the backup share a name in it. */
async function checkRemapFolder(manifest: Manifest, folder: string): Promise<void> {
  if (!isAbsolute(folder)) {
    throw new A4cAdminError('USAGE', `The folder for the config files must be an absolute path, not ${folder}.`, {
      hint: 'Give the absolute folder (the CLI resolves --config-files-to against the working folder).',
    });
  }
  const found = await stat(folder).catch(() => undefined);
  if (!found?.isDirectory()) {
    throw new A4cAdminError('PRECONDITION_FAILED', `${folder} is not an existing folder: the config files cannot be written there. Nothing was changed.`, {
      hint: `Create it first (mkdir -p ${folder}), or leave the config files out with --no-config-files.`,
      details: { configFilesTo: folder },
    });
  }
  const names = manifest.configFiles.map((file) => basename(file.path));
  const twice = names.filter((name, position) => names.indexOf(name) !== position);
  if (twice.length > 0) {
    throw new A4cAdminError(
      'USAGE',
      `Backup "${manifest.name}" holds several config files named ${[...new Set(twice)].join(', ')}: one folder cannot take them all.`,
      {
        hint: "Restore with --no-config-files and copy them from the backup's config/ folder by hand.",
        details: { configFiles: manifest.configFiles.map((file) => file.path) },
      },
    );
  }
}

/**
 * The count of an index, waiting while its shards are not available yet: right after a killed
 * restore, its indices are still recovering and a count answers 503 (no shard available).
 */
async function countWhileRecovering(
  backends: BackupBackends,
  index: string,
  signal: AbortSignal | undefined,
  patienceMs = 120_000,
): Promise<number | undefined> {
  const deadline = Date.now() + patienceMs;
  for (;;) {
    try {
      return await backends.reader.count(index);
    } catch (error) {
      if (!/no_shard_available|all shards failed/.test(String((error as Error).message)) || Date.now() > deadline) throw error;
      await pause(1000, signal);
    }
  }
}

/**
 * A restore killed mid-way goes on inside Elasticsearch; its indices cannot be removed until
 * it ends, and the recovery listing behind `running()` can miss it for a moment (shards not yet
 * recovering). The re-run waits for it, rather than failing with a 400.
 */
async function removeWhenNoRestoreRuns(backends: BackupBackends, plan: RestorePlan, signal: AbortSignal | undefined, patienceMs = 120_000): Promise<void> {
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
      await pause(1000, signal);
    }
  }
}

/**
 * Whatever answers to the A4C names now (a plain A4C index, or an alias's A4C versioned indices)
 * goes, with the plan's strays, in one atomic request; an A4C alias on any other index is only
 * taken off it. Then the backup's indices (and aliases) can take the names back.
 */
async function removeCurrentIndices(backends: BackupBackends, plan: RestorePlan): Promise<void> {
  const removals = [...new Set([...plan.indices.flatMap((index) => index.removes), ...plan.strays])];
  const detaches = plan.indices.flatMap((index) => (index.detaches ?? []).map((target) => ({ remove: { index: target, alias: index.name } })));
  const actions = [...detaches, ...removals.map((index) => ({ removeIndex: { index } }))];
  if (actions.length > 0) await backends.state.updateAliases(actions);
}

/**
 * A restore writes only A4C indices: every index of the manifest must be an A4C name of a known
 * data version under the configured prefix. The manifest's hash is no signature: a manifest
 * edited by hand and rehashed could otherwise make the restore delete and overwrite any index.
 */
function checkA4cIndexNames(manifest: Manifest, prefix: string, layout: A4cStorageLayout): void {
  const a4cNames = new Set(allA4cIndexNamesIn(layout, prefix));
  const foreign = manifest.indices.map((index) => index.name).filter((name) => !a4cNames.has(name));
  if (foreign.length > 0) {
    throw new A4cAdminError(
      manifest.export ? 'EXPORT_INVALID' : 'BACKUP_INVALID',
      `Backup "${manifest.name}" names indices that are not A4C indices${prefix ? ` with prefix "${prefix}"` : ''}: ${foreign.slice(0, 10).join(', ')}${foreign.length > 10 ? ', ...' : ''}. Nothing was changed.`,
      {
        hint: 'A restore writes only A4C indices. If the backup was taken with another elasticsearch.index_prefix, restore it with that prefix; otherwise do not trust this backup folder (its manifest may have been edited) and use another backup.',
        details: { indices: foreign, prefix },
      },
    );
  }
}

/**
 * A backup of A4C's ES 1.x layout (multi-type indices, from Elasticsearch 1.x-5.x) goes back
 * only to a cluster of that layout, and one of the one-index-per-type layout only to 6.x or
 * later: loaded elsewhere its documents would land in indices A4C does not read (an ES 8
 * cluster has no types to keep them apart).
 */
async function checkSameLayout(manifest: Manifest, layout: A4cStorageLayout, backends: BackupBackends): Promise<void> {
  const cluster = await backends.cluster.describe();
  const clusterLayout = storageLayoutOf(cluster.version);
  if (clusterLayout === layout) return;
  throw new A4cAdminError(
    'VERSION_MISMATCH',
    `Backup "${manifest.name}" was taken on Elasticsearch ${manifest.elasticsearch.version}, whose A4C indices are laid out otherwise than on this cluster (Elasticsearch ${cluster.version}); nothing was changed.`,
    {
      hint:
        layout === 'es1'
          ? 'Restore it on an Elasticsearch 1.x-5.x cluster; to carry an ES 1.x installation into a newer Elasticsearch, migrate it (a4c-admin migrate) instead.'
          : 'Restore it on an Elasticsearch 6.x or later cluster.',
      details: { backupElasticsearch: manifest.elasticsearch.version, clusterElasticsearch: cluster.version },
    },
  );
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
  if (options.configFiles === false && options.configFilesTo !== undefined) {
    throw new A4cAdminError('USAGE', 'The config files cannot be both left out and written to another folder.', {
      hint: 'Choose one: --no-config-files (configFiles: false) or --config-files-to <folder> (configFilesTo).',
    });
  }
  if (options.configFiles !== false) await checkConfigFileTargets(manifest, config.backup.config_files, options.configFilesTo);
  const counts = await Promise.all(chosen.map((index) => countWhileRecovering(backends, index, options.signal)));
  const current = await backends.state.resolve(chosen);
  const strays = options.indices === undefined ? await strayIndices(backends, manifest, prefix, new Set(Object.values(current).flat())) : [];
  // Behind a name, only indices named as A4C's are deleted; an alias on anything else is taken off it.
  const owned = (name: string) => (current[name] ?? []).filter((index) => isA4cConcreteIndexOf(index, name));
  const foreign = (name: string) => (current[name] ?? []).filter((index) => !isA4cConcreteIndexOf(index, name));
  return {
    name: manifest.name,
    version: manifest.a4cDataVersion,
    snapshot: manifest.snapshot?.name,
    indices: chosen.map((index, position) => ({
      name: index,
      action: counts[position] === undefined ? 'create' : 'replace',
      currentDocs: counts[position],
      backupDocs: byName.get(index)!.docCount,
      removes: owned(index),
      ...(foreign(index).length > 0 ? { detaches: foreign(index) } : {}),
    })),
    parts: parts.map((part) => {
      const files = manifest.files.filter((file) => file.path === part || file.path.startsWith(`${part}/`));
      return { part, files: files.length, bytes: files.reduce((sum, file) => sum + file.size, 0) };
    }),
    configFiles: configFileTargets(manifest, options).map(({ target }) => target),
    strays,
    hot: options.hot === true,
  };
}

/**
 * A4C indices that a full restore of this backup must not leave behind, known positively:
 * - what answers to an A4C name the backup does not hold (e.g. added by a migration): the plain
 *   index of that name, or the alias's targets named `<name>-v<known version>`;
 * - the tool's own versioned indices that no name serves any more (kept by a migration for its
 *   rollback): one of the exact names the tool gives them AND carrying its ownership mark.
 * An index of another application is never on the list, whatever its name looks like.
 */
async function strayIndices(backends: BackupBackends, manifest: Manifest, prefix: string, replaced: Set<string>): Promise<string[]> {
  const everyName = allA4cIndexNamesIn(storageLayoutOf(manifest.elasticsearch.version), prefix);
  const held = new Set(manifest.indices.map((index) => index.name));
  const answering = await backends.state.resolve(everyName.filter((name) => !held.has(name)));
  const strays = new Set<string>();
  for (const [name, indices] of Object.entries(answering)) for (const index of indices) if (isA4cConcreteIndexOf(index, name)) strays.add(index);
  // Exact names, resolved one by one: an alias carrying such a name resolves to other indices and is skipped.
  const versioned = await backends.state.resolve(toolVersionedIndexNames(prefix));
  for (const [name, indices] of Object.entries(versioned)) {
    if (indices.includes(name) && !strays.has(name) && !replaced.has(name) && hasOwnershipMark((await backends.reader.definition(name)).mappings))
      strays.add(name);
  }
  return [...strays].filter((index) => !replaced.has(index)).sort();
}

/**
 * The snapshot holds concrete indices: `application` itself, or `application-v1.2.0` behind an
 * alias after a migration. Restore asks for what the snapshot holds.
 */
async function concreteNames(backends: BackupBackends, manifest: Manifest, names: string[]): Promise<string[]> {
  const snapshot = await backends.snapshots.get(manifest.snapshot!.name);
  const held = snapshot?.indices ?? [];
  return names.flatMap((name) => {
    const concrete = held.filter((index) => isA4cConcreteIndexOf(index, name));
    return concrete.length > 0 ? concrete : [name];
  });
}

async function countByA4cName(backends: BackupBackends, names: string[]): Promise<Record<string, number>> {
  // One small request a name: ~35 round trips that overlap.
  const counts = await mapConcurrently(names, 8, async (name) => (await backends.reader.count(name)) ?? 0);
  return Object.fromEntries(names.map((name, position) => [name, counts[position]!]));
}

/** A config file put back whole or not at all: a reader sees the old file or the new one. */
async function replaceFileAtomically(source: string, target: string, mode: number): Promise<void> {
  try {
    await writeFileAtomic(target, await readRegularFile(source, { noFollow: true, what: 'The stored config file' }), mode);
  } catch (error) {
    throw new A4cAdminError('FILESYSTEM', `Could not put the config file ${target} back: ${(error as Error).message}`, {
      hint: 'Check that its folder exists and is writable, or restore with --config-files-to <folder> (another folder) or --no-config-files.',
      cause: error,
    });
  }
}
