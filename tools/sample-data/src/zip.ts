// Zip archives (csar files, plugin archives, jars) with a fixed timestamp, so that the
// same seed always gives byte-identical archives.
import yazl from 'yazl';

const FIXED_TIME = new Date('2016-02-08T12:00:00Z');

export interface ZipEntry {
  path: string;
  content: Buffer | string;
}

export function createZip(entries: readonly ZipEntry[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) {
    const content = typeof entry.content === 'string' ? Buffer.from(entry.content, 'utf8') : entry.content;
    zip.addBuffer(content, entry.path, { mtime: FIXED_TIME, mode: 0o100644 });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    zip.outputStream.on('data', (part: Buffer) => parts.push(part));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(parts)));
  });
}
