// Extracts a zip into an empty folder, refusing any entry that would land outside it
// (`../`, absolute paths, drive letters) or that is a symbolic link.
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { A4cAdminError } from '@a4c-admin/core';
import { openRegularFile } from '@a4c-admin/core/internal';
import yauzl from 'yauzl';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

function unsafe(zipFile: string, entry: string, why: string): A4cAdminError {
  return new A4cAdminError('UNSAFE_PATH', `The zip ${zipFile} has an entry "${entry}" that ${why}.`, {
    hint: 'Nothing was changed. Use the plugin zip as published; a zip whose entries leave their folder or are symbolic links is refused.',
    details: { zipFile, entry },
  });
}

/** Where an entry goes inside `folder`, or UNSAFE_PATH. */
export function entryPath(folder: string, zipFile: string, name: string): string {
  const normalized = name.replace(/\\/g, '/');
  if (normalized.startsWith('/') || /^[a-zA-Z]:/.test(normalized)) throw unsafe(zipFile, name, 'is an absolute path');
  if (normalized.split('/').includes('..')) throw unsafe(zipFile, name, 'climbs out of its folder with ..');
  const target = resolve(folder, normalized);
  const inside = relative(folder, target);
  if (inside.startsWith(`..${sep}`) || inside === '..' || resolve(folder, inside) !== target) throw unsafe(zipFile, name, 'lands outside the folder');
  return target;
}

function openZip(zipFile: string): Promise<yauzl.ZipFile> {
  return new Promise((resolveOpen, reject) => {
    // decodeStrings (the default) makes yauzl itself refuse absolute and ../ names too.
    yauzl.open(zipFile, { lazyEntries: true, autoClose: true }, (error, zip) => {
      if (error || !zip) reject(error ?? new Error('no zip'));
      else resolveOpen(zip);
    });
  });
}

/** Extracts every entry of `zipFile` into `folder` (created); returns the number of files written. */
export async function extractZip(zipFile: string, folder: string): Promise<number> {
  let zip: yauzl.ZipFile;
  try {
    // yauzl opens the path as it is: a fifo there would block for good, so look at it first.
    await (await openRegularFile(zipFile, { what: 'The plugin zip', code: 'PLUGIN_INVALID' })).close();
    zip = await openZip(zipFile);
  } catch (error) {
    throw new A4cAdminError('PLUGIN_INVALID', `Cannot open the zip ${zipFile}: ${(error as Error).message}`, {
      hint: 'Give the plugin zip as published (a complete, valid zip file).',
      cause: error,
      details: { zipFile },
    });
  }
  await mkdir(folder, { recursive: true });
  let files = 0;
  return new Promise<number>((resolveAll, reject) => {
    const fail = (error: unknown) => {
      zip.close();
      const message = (error as Error).message ?? String(error);
      if (error instanceof A4cAdminError) reject(error);
      else if (/invalid relative path|absolute path|invalid characters/.test(message))
        reject(unsafe(zipFile, message.replace(/^.*?: /, ''), 'is not a safe relative path'));
      else
        reject(
          new A4cAdminError('PLUGIN_INVALID', `Cannot extract ${zipFile}: ${message}`, {
            hint: 'Give the plugin zip as published.',
            cause: error,
            details: { zipFile },
          }),
        );
    };
    zip.on('error', fail);
    zip.on('end', () => resolveAll(files));
    zip.on('entry', (entry: yauzl.Entry) => {
      void (async () => {
        const mode = (entry.externalFileAttributes >>> 16) & 0xffff;
        if ((mode & S_IFMT) === S_IFLNK) throw unsafe(zipFile, entry.fileName, 'is a symbolic link');
        const target = entryPath(folder, zipFile, entry.fileName);
        if (entry.fileName.endsWith('/')) {
          await mkdir(target, { recursive: true });
        } else {
          await mkdir(dirname(target), { recursive: true });
          const input = await new Promise<NodeJS.ReadableStream>((resolveStream, rejectStream) =>
            zip.openReadStream(entry, (error, stream) => (error || !stream ? rejectStream(error) : resolveStream(stream))),
          );
          // Only the permission bits: no setuid, and at least readable by the owner.
          const permissions = mode & 0o777 || 0o644;
          await pipeline(input, createWriteStream(target, { flags: 'wx', mode: permissions | 0o600 }));
          files += 1;
        }
        zip.readEntry();
      })().catch(fail);
    });
    zip.readEntry();
  });
}
