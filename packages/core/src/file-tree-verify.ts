// Re-hashes a copied tree against its entries and reports what is missing, extra or changed.
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { hashFile, hashSmallFileSync } from './copy-file-hashed.js';
import type { FileEntry } from './file-entry.js';
import { asFileError, cancelled } from './file-tree-backup.js';
import type { ProgressReporter } from './progress.js';
import { resolveInside } from './safe-path.js';
import { createTaskPool } from './task-pool.js';
import { walkTree } from './walk-tree.js';

export interface VerifyFileTreeOptions {
  /** The folder the entries are relative to. */
  root: string;
  files: readonly FileEntry[];
  /** Folders (relative to root) searched for extra files; default: all of root. */
  parts?: readonly string[];
  concurrency?: number;
  progress?: ProgressReporter;
  /** Checked before each file is hashed and each extra file looked for: CANCELLED, nothing is changed. */
  signal?: AbortSignal;
}

export interface VerifyFileTreeResult {
  /** True when nothing is missing, extra or changed. */
  ok: boolean;
  /** Entries with no file (or something other than a regular file) at their path. */
  missing: string[];
  /** Files (and links or special files, which are never expected) under root that no entry lists. */
  extra: string[];
  /** Entries whose size or SHA-256 differ. */
  changed: string[];
}

/** Re-hashes every entry under `root` and lists missing, extra and changed files (sorted). */
export async function verifyFileTree(options: VerifyFileTreeOptions): Promise<VerifyFileTreeResult> {
  const { root, files, progress, signal } = options;
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const missing: string[] = [];
  const changed: string[] = [];
  const extra: string[] = [];
  const buffers: Buffer[] = Array.from({ length: concurrency }, () => Buffer.allocUnsafe(1024 * 1024));
  const pool = createTaskPool(concurrency);
  progress?.emit({ phase: 'verify', kind: 'start', total: files.length });
  let done = 0;
  const record = (entry: FileEntry, actual: { size: number; sha256: string }) => {
    if (actual.size !== entry.size || actual.sha256 !== entry.sha256) changed.push(entry.path);
  };
  const isMissing = (error: unknown) => ['ENOENT', 'ENOTDIR', 'UNSAFE_PATH'].includes(String((error as { code?: unknown }).code));
  // Small files are hashed with synchronous calls (cheaper than thread-pool round trips), in slices of a few ms.
  const smallBuffer = Buffer.allocUnsafe(256 * 1024 + 1);
  let sliceStartedAt = Date.now();
  try {
    for (const entry of files) {
      if (signal?.aborted) throw cancelled();
      const path = resolveInside(root, entry.path);
      if (entry.size < smallBuffer.length) {
        let actual: { size: number; sha256: string } | undefined;
        try {
          actual = hashSmallFileSync(path, smallBuffer);
        } catch (error) {
          if (!isMissing(error)) throw error;
          missing.push(entry.path);
          done += 1;
          continue;
        }
        if (actual !== undefined) {
          record(entry, actual);
          done += 1;
          if (Date.now() - sliceStartedAt >= 15) {
            await new Promise((resolve) => setImmediate(resolve));
            sliceStartedAt = Date.now();
          }
          continue;
        }
      }
      await pool.run(async () => {
        const buffer = buffers.pop() as Buffer;
        try {
          record(entry, await hashFile(path, buffer));
        } catch (error) {
          if (isMissing(error)) missing.push(entry.path);
          else throw error;
        } finally {
          buffers.push(buffer);
          done += 1;
        }
      });
    }
    await pool.drain();

    const expected = new Set(files.map((entry) => entry.path));
    const starts = options.parts ?? [''];
    for (const start of starts) {
      const absolute = start === '' ? root : join(root, start);
      const exists = await lstat(absolute).then(
        () => true,
        () => false,
      );
      if (!exists) continue;
      for await (const entry of walkTree(root, start, { onSpecial: (path) => extra.push(path) })) {
        if (signal?.aborted) throw cancelled();
        if (entry.kind === 'file' && !expected.has(entry.path)) extra.push(entry.path);
      }
    }
  } catch (error) {
    await pool.drain().catch(() => undefined);
    throw asFileError(error, 'verification');
  }
  missing.sort();
  changed.sort();
  extra.sort();
  progress?.emit({ phase: 'verify', kind: 'end', done, total: files.length });
  return { ok: missing.length === 0 && extra.length === 0 && changed.length === 0, missing, extra, changed };
}
