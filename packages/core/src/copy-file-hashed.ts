// Copies one regular file while hashing it: every byte is read once, hashed and written
// from the same buffer. Refuses anything that is not a regular file (no links followed).

import { createHash } from 'node:crypto';
import { closeSync, constants, fchmodSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { describeSpecialEntry, unsafeEntryError } from './safe-path.js';

export interface CopiedFile {
  size: number;
  /** Permission bits of the source. */
  mode: number;
  /** Modification time of the source (ms, fraction kept) as read before its first byte: the next backup links the copy while it is the same. */
  mtimeMs: number;
  sha256: string;
}

export interface CopyFileHashedOptions {
  /** Reused between copies by the same worker, so memory stays flat. */
  buffer: Buffer;
  /** Mode of the new file (default 0600). Applied with fchmod, so the umask does not interfere. */
  mode?: number;
  /** fsync the copy before closing it (restores need it; backups fsync the manifest only). */
  sync?: boolean;
}

const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** Copies `source` to the new file `destination` (which must not exist) and returns its size, mode and SHA-256. */
export async function copyFileHashed(source: string, destination: string, options: CopyFileHashedOptions): Promise<CopiedFile> {
  const input = await openSource(source);
  try {
    const info = await input.stat();
    if (!info.isFile()) throw unsafeEntryError(source, describeSpecialEntry(info));
    const output = await open(destination, 'wx', 0o600);
    try {
      const hash = createHash('sha256');
      const { buffer } = options;
      // A sparse source (fewer blocks than its size needs) keeps its holes: zero blocks are
      // skipped, not written, so a 10 GB mostly-empty file does not fill 10 GB of the backup disk.
      const sparse = isSparse(info);
      let size = 0;
      for (;;) {
        const { bytesRead } = await input.read(buffer, 0, buffer.length, null);
        if (bytesRead === 0) break;
        hash.update(buffer.subarray(0, bytesRead));
        if (sparse) await writeSkippingZeroBlocks(output, buffer, bytesRead, size);
        else await writeAll(output, buffer, bytesRead);
        size += bytesRead;
        // A short read at the known size means end of file: skip the extra read() that would return 0.
        if (size === info.size && bytesRead < buffer.length) break;
      }
      // A trailing hole was never written: the size comes from here.
      if (sparse) await output.truncate(size);
      if (options.mode !== undefined && options.mode !== 0o600) await output.chmod(options.mode);
      if (options.sync) await output.sync();
      return { size, mode: info.mode & 0o7777, mtimeMs: info.mtimeMs, sha256: hash.digest('hex') };
    } finally {
      await output.close();
    }
  } finally {
    await input.close();
  }
}

/**
 * The same copy with synchronous system calls, for a file smaller than `buffer.length` bytes;
 * returns undefined (having copied nothing) for a bigger file. Small files are where
 * per-file overhead dominates: one thread-pool round trip per call costs more than the
 * call itself, the more so on a busy machine, so the backup copies them this way (the caller
 * yields to the event loop between files every few milliseconds).
 */
export function copySmallFileSync(source: string, destination: string, buffer: Buffer, mode = 0o600): CopiedFile | undefined {
  const read = readSmallFileSync(source, buffer);
  if (!read) return undefined;
  const output = openSync(destination, 'wx', 0o600);
  try {
    let offset = 0;
    while (offset < read.size) offset += writeSync(output, buffer, offset, read.size - offset);
    if (mode !== 0o600) fchmodSync(output, mode);
  } finally {
    closeSync(output);
  }
  return { size: read.size, mode: read.mode, mtimeMs: read.mtimeMs, sha256: createHash('sha256').update(buffer.subarray(0, read.size)).digest('hex') };
}

/** hashFile with synchronous calls for a file smaller than `buffer.length`; undefined for a bigger one (see copySmallFileSync). */
export function hashSmallFileSync(path: string, buffer: Buffer): { size: number; sha256: string } | undefined {
  const read = readSmallFileSync(path, buffer);
  if (!read) return undefined;
  return { size: read.size, sha256: createHash('sha256').update(buffer.subarray(0, read.size)).digest('hex') };
}

/**
 * Reads a whole regular file smaller than `buffer.length` into `buffer`, never following a
 * symbolic link; undefined (nothing to use in the buffer) when the file is, or grows, bigger,
 * or is sparse.
 */
export function readSmallFileSync(path: string, buffer: Buffer): { size: number; mode: number; mtimeMs: number } | undefined {
  let input: number;
  try {
    input = openSync(path, READ_FLAGS);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw unsafeEntryError(path, 'a symbolic link');
    throw error;
  }
  try {
    const info = fstatSync(input);
    if (!info.isFile()) throw unsafeEntryError(path, describeSpecialEntry(info));
    // A sparse file goes the streaming way, which keeps its holes.
    if (info.size >= buffer.length || isSparse(info)) return undefined;
    let size = 0;
    for (;;) {
      const bytesRead = readSync(input, buffer, size, buffer.length - size, null);
      size += bytesRead;
      // A file that grew past the buffer while we read it goes the streaming way.
      if (size === buffer.length) return undefined;
      if (bytesRead === 0 || size === info.size) break;
    }
    return { size, mode: info.mode & 0o7777, mtimeMs: info.mtimeMs };
  } finally {
    closeSync(input);
  }
}

/** SHA-256 and size of a file, read with the given buffer (no link followed). */
export async function hashFile(path: string, buffer: Buffer): Promise<{ size: number; sha256: string }> {
  const input = await openSource(path);
  try {
    const info = await input.stat();
    if (!info.isFile()) throw unsafeEntryError(path, describeSpecialEntry(info));
    const hash = createHash('sha256');
    let size = 0;
    for (;;) {
      const { bytesRead } = await input.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      size += bytesRead;
      if (size === info.size && bytesRead < buffer.length) break;
    }
    return { size, sha256: hash.digest('hex') };
  } finally {
    await input.close();
  }
}

async function openSource(path: string): Promise<FileHandle> {
  try {
    return await open(path, READ_FLAGS);
  } catch (error) {
    // O_NOFOLLOW makes opening a symlink fail with ELOOP: say what it is.
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw unsafeEntryError(path, 'a symbolic link');
    throw error;
  }
}

/** Block size of the holes kept in a sparse copy. */
const HOLE_BLOCK = 4096;
const ZERO_BLOCK = Buffer.alloc(HOLE_BLOCK);

/** True for a file with holes: fewer 512-byte blocks allocated than its size needs. */
function isSparse(info: { size: number; blocks: number }): boolean {
  return info.size > HOLE_BLOCK && info.blocks * 512 < info.size;
}

/** Writes `length` bytes of `buffer` at `position`, leaving each all-zero 4 KiB block as a hole. */
async function writeSkippingZeroBlocks(output: FileHandle, buffer: Buffer, length: number, position: number): Promise<void> {
  let runStart = -1;
  for (let offset = 0; offset < length; offset += HOLE_BLOCK) {
    const end = Math.min(offset + HOLE_BLOCK, length);
    const zero = buffer.subarray(offset, end).equals(ZERO_BLOCK.subarray(0, end - offset));
    if (!zero && runStart < 0) runStart = offset;
    if (zero && runStart >= 0) {
      await writeAt(output, buffer, runStart, offset - runStart, position + runStart);
      runStart = -1;
    }
  }
  if (runStart >= 0) await writeAt(output, buffer, runStart, length - runStart, position + runStart);
}

async function writeAt(output: FileHandle, buffer: Buffer, offset: number, length: number, position: number): Promise<void> {
  let written = 0;
  while (written < length) {
    const { bytesWritten } = await output.write(buffer, offset + written, length - written, position + written);
    written += bytesWritten;
  }
}

async function writeAll(output: FileHandle, buffer: Buffer, length: number): Promise<void> {
  let offset = 0;
  while (offset < length) {
    const { bytesWritten } = await output.write(buffer, offset, length - offset);
    offset += bytesWritten;
  }
}
