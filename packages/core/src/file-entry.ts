// One file of a backup as the manifest records it: where it sits (relative, posix), how
// big it is, its mode at the source and its SHA-256.
import { z } from 'zod';

/**
 * True for a relative posix path that stays inside its root: no "..", no ".", no empty segment,
 * no NUL. A backslash is an ordinary character of a Linux file name (A4C writes some), not a
 * separator: it is allowed.
 */
export function isSafeRelativePath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.includes('\0')) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

export const fileEntrySchema = z.strictObject({
  path: z
    .string()
    .refine(isSafeRelativePath, 'must be a relative posix path without "..", "." or empty segments')
    .describe('Path relative to the backed-up root, "/"-separated.'),
  size: z.number().int().min(0).describe('Bytes.'),
  mode: z.number().int().min(0).max(0o7777).describe('Permission bits at the source (restored as they were).'),
  mtimeMs: z
    .number()
    .optional()
    .describe(
      'Modification time of the source file when it was read (ms since the epoch, fraction kept). The next backup hard-links this copy while the source keeps this size and time; absent in backups written before incremental ones.',
    ),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits')
    .describe('SHA-256 of the content.'),
});

/** One copied file: relative posix path, size, source mode, source modification time, SHA-256. */
export type FileEntry = z.infer<typeof fileEntrySchema>;

export const folderEntrySchema = z.strictObject({
  path: z
    .string()
    .refine(isSafeRelativePath, 'must be a relative posix path without "..", "." or empty segments')
    .describe('Folder path relative to the backed-up root, "/"-separated.'),
  mode: z.number().int().min(0).max(0o7777).describe('Permission bits at the source (restored as they were).'),
});

/** One folder of a backed-up tree (empty ones included), with its mode at the source. */
export type FolderEntry = z.infer<typeof folderEntrySchema>;
