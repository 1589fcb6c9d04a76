// The checks of a valid configuration against the file system: folders that overlap once
// symbolic links are resolved, and a CA file that is a readable PEM certificate.
import type { ConfigProblem } from './config-problems.js';
import type { A4cAdminConfig } from './config-schema.js';
import { A4cAdminError } from './errors.js';
import { configuredFolders, describeOverlap, type FolderOverlap, findRealFolderOverlaps } from './folder-overlaps.js';
import { openRegularFile } from './read-regular-file.js';

const OVERLAP_HINT =
  'Give backup.files_dir, exporter.dir, alien4cloud.dir and elasticsearch.repository.location folders of their own, none inside another (e.g. /var/backups/a4c, /var/lib/a4c/export, /opt/alien4cloud/data).';

export function overlapProblem(overlap: FolderOverlap): ConfigProblem {
  return { path: overlap.keys[0], message: describeOverlap(overlap), hint: OVERLAP_HINT };
}

/**
 * The folders must not overlap once symbolic links are resolved either (parseConfig compares the
 * paths as written; this finds a link that leads one folder into another).
 * @throws A4cAdminError CONFIG_INVALID naming both keys.
 */
export async function checkFolderOverlaps(config: A4cAdminConfig, origin = 'configuration'): Promise<void> {
  const overlaps = await findRealFolderOverlaps(configuredFolders(config));
  if (overlaps.length === 0) return;
  const lines = overlaps.map((overlap) => `${describeOverlap(overlap)} once symbolic links are resolved`);
  throw new A4cAdminError(
    'CONFIG_INVALID',
    `Invalid configuration (${origin}): ${lines.length === 1 ? lines[0] : `folders overlap:\n${lines.map((line) => `  - ${line}`).join('\n')}`}.`,
    {
      hint: OVERLAP_HINT,
      details: { origin, problems: overlaps.map((overlap) => ({ ...overlapProblem(overlap), message: describeOverlap(overlap) })) },
    },
  );
}

export async function checkCaFile(config: A4cAdminConfig, origin: string): Promise<void> {
  const caFile = config.elasticsearch.tls?.ca_file;
  if (caFile === undefined) return;
  let head: string;
  try {
    const handle = await openRegularFile(caFile, { what: 'The CA file (elasticsearch.tls.ca_file)', code: 'CONFIG_INVALID' });
    try {
      const buffer = Buffer.alloc(4096);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      head = buffer.subarray(0, bytesRead).toString('latin1');
    } finally {
      await handle.close();
    }
  } catch (error) {
    // Not a regular file (a folder, a fifo that would block the read): said in the same words.
    const kind = error instanceof A4cAdminError ? String(error.details?.kind) : undefined;
    const code = kind === 'a folder' ? 'EISDIR' : kind !== undefined ? `${kind}, not a regular file` : ((error as NodeJS.ErrnoException).code ?? String(error));
    throw new A4cAdminError('CONFIG_INVALID', `Invalid configuration (${origin}): elasticsearch.tls.ca_file ${caFile} cannot be read (${code}).`, {
      hint: 'Point elasticsearch.tls.ca_file (or A4C_ADMIN_ES_CA_FILE) at a readable PEM file, e.g. the http_ca.crt of your nodes.',
      cause: error,
      details: { path: 'elasticsearch.tls.ca_file', file: caFile },
    });
  }
  if (!head.includes('-----BEGIN')) {
    throw new A4cAdminError('CONFIG_INVALID', `Invalid configuration (${origin}): elasticsearch.tls.ca_file ${caFile} is not a PEM certificate.`, {
      hint: 'Give the PEM file (text starting with -----BEGIN CERTIFICATE-----), e.g. config/certs/http_ca.crt of your nodes.',
      details: { path: 'elasticsearch.tls.ca_file', file: caFile },
    });
  }
}
