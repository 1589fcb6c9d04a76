// Opens only regular files. A path named by a config or found on disk may be a named pipe,
// a socket or a device: a plain open() of a fifo blocks until a writer appears, forever, in a
// thread that even process.exit() waits for (Ctrl-C and SIGTERM then do nothing). So: look
// first (stat), open non-blocking (a fifo opens at once), and check the opened file itself
// (fstat), which also covers a file swapped between the look and the open.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { type FileHandle, lstat, open, stat } from 'node:fs/promises';
import { A4cAdminError, type ErrorCode } from './errors.js';
import { describeSpecialEntry } from './safe-path.js';

export interface RegularFileOptions {
  /** Refuse a symbolic link instead of following it (default false: a link to a regular file is read). */
  noFollow?: boolean;
  /** What the file is, for the message, e.g. "The config file" (default "The file"). */
  what?: string;
  /** The code of the error for a path that is not a regular file (default UNSAFE_PATH). */
  code?: ErrorCode;
  /** The hint of that error (default: replace it with a regular file). */
  hint?: string;
}

const BASE_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

/**
 * Opens `path` for reading when, and only when, it is a regular file; never blocks on a fifo.
 * Errors of the file system (ENOENT, EACCES, ...) are thrown as they are, so that callers keep
 * their own wording for a missing file.
 * @throws A4cAdminError (options.code, UNSAFE_PATH by default) when it is a fifo, socket, device,
 *   folder, or (noFollow) a symbolic link.
 */
export async function openRegularFile(path: string, options: RegularFileOptions = {}): Promise<FileHandle> {
  const seen = options.noFollow ? await lstat(path) : await stat(path);
  if (!seen.isFile()) throw notRegularFileError(path, seen, options);
  return (await openChecked(path, options)).handle;
}

/** Opens non-blocking and checks the opened file itself (fstat): a fifo or a link swapped in is refused, never waited on. */
async function openChecked(path: string, options: RegularFileOptions): Promise<{ handle: FileHandle; size: number }> {
  let handle: FileHandle;
  try {
    handle = await open(path, BASE_FLAGS | (options.noFollow ? constants.O_NOFOLLOW : 0));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP' && options.noFollow) throw notRegularFileError(path, 'a symbolic link', options);
    throw error;
  }
  try {
    const opened = await handle.stat();
    if (!opened.isFile()) throw notRegularFileError(path, opened, options);
    return { handle, size: opened.size };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * The content of a regular file with open, fstat, read and close only, for callers that read
 * thousands of files (a push): no look before the open (the fstat of the opened file decides,
 * as in openRegularFile) and no second fstat (readFile asks the size again).
 */
export async function readRegularFileDirectly(path: string, options: RegularFileOptions = {}): Promise<Buffer> {
  const { handle, size } = await openChecked(path, options);
  try {
    const bytes = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await handle.read(bytes, filled, size - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled === size ? bytes : bytes.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

/** The whole content of a regular file (see openRegularFile). */
export async function readRegularFile(path: string, options: RegularFileOptions = {}): Promise<Buffer> {
  const handle = await openRegularFile(path, options);
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** readRegularFile as UTF-8 text. */
export async function readRegularTextFile(path: string, options: RegularFileOptions = {}): Promise<string> {
  return (await readRegularFile(path, options)).toString('utf8');
}

/**
 * The synchronous form, for the few places that must not yield (an exit handler, a heartbeat
 * check); at most `maxBytes` are read.
 */
export function readRegularFileSync(path: string, options: RegularFileOptions & { maxBytes?: number } = {}): Buffer {
  const descriptor = openSync(path, BASE_FLAGS | (options.noFollow ? constants.O_NOFOLLOW : 0));
  try {
    const opened = fstatSync(descriptor);
    if (!opened.isFile()) throw notRegularFileError(path, opened, options);
    const buffer = Buffer.allocUnsafe(Math.min(opened.size, options.maxBytes ?? opened.size));
    let size = 0;
    while (size < buffer.length) {
      const read = readSync(descriptor, buffer, size, buffer.length - size, null);
      if (read === 0) break;
      size += read;
    }
    return buffer.subarray(0, size);
  } finally {
    closeSync(descriptor);
  }
}

/** The error for a path that is there but is not a regular file. */
export function notRegularFileError(path: string, kind: Stats | string, options: RegularFileOptions = {}): A4cAdminError {
  const description = typeof kind === 'string' ? kind : kind.isDirectory() ? 'a folder' : describeSpecialEntry(kind);
  return new A4cAdminError(
    options.code ?? 'UNSAFE_PATH',
    `${options.what ?? 'The file'} ${path} is ${description}, not a regular file; a4c-admin reads only regular files (a pipe or a device could block it forever).`,
    {
      hint: options.hint ?? 'Replace it with a regular file (or fix the path that names it), then run again.',
      details: { path, kind: description },
    },
  );
}
