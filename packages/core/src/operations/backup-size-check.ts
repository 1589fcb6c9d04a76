// The cheap check of a backup that `list` makes: every file the manifest names is there with
// the size the manifest says (one stat each, no byte read). A truncated or missing file shows
// here; a file changed in place at the same size only shows to `verify`, which re-hashes all.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest } from '../manifest.js';
import { resolveInside } from '../safe-path.js';

/** How long the checking runs between two turns of the event loop (a signal, progress, timers). */
const SLICE_MS = 25;

/**
 * Problems in the manifest's order, at most `limit` of them (the first ones say enough).
 * Synchronous stats in short slices: thousands of thread-pool round trips cost seconds on a busy
 * machine (an incremental backup checks its previous backup this way right after a Ctrl-C may
 * have come); `signal` stops it between two slices.
 */
export async function backupSizeProblems(folder: string, manifest: Manifest, limit = 3, signal?: AbortSignal): Promise<string[]> {
  const expected = [
    ...manifest.files.map((file) => ({ shown: `files/${file.path}`, path: () => resolveInside(join(folder, 'files'), file.path), size: file.size })),
    ...manifest.configFiles.map((file) => ({ shown: file.stored, path: () => resolveInside(folder, file.stored), size: file.size })),
    ...(manifest.export?.chunks ?? []).map((chunk) => ({
      shown: `${manifest.export!.folder}/${chunk.file}`,
      path: () => resolveInside(folder, `${manifest.export!.folder}/${chunk.file}`),
      size: chunk.bytes,
    })),
  ];
  const problems: string[] = [];
  let sliceStarted = Date.now();
  for (const entry of expected) {
    if (problems.length >= limit) break;
    if (Date.now() - sliceStarted >= SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      signal?.throwIfAborted();
      sliceStarted = Date.now();
    }
    let actual: number | undefined;
    try {
      const info = statSync(entry.path(), { throwIfNoEntry: false });
      actual = info?.isFile() ? info.size : undefined;
    } catch {
      // Missing, or a path that leaves the backup folder: either way not the file the manifest names.
      actual = undefined;
    }
    if (actual === undefined) problems.push(`${entry.shown} is missing`);
    else if (actual !== entry.size) problems.push(`${entry.shown} has ${actual} bytes, the manifest says ${entry.size}`);
  }
  return problems;
}
