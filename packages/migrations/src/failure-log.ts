// Documents set aside (quarantined) or failed, appended to an NDJSON file of a report folder
// as they happen, so that memory stays flat however many there are.
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { A4cAdminError, isA4cAdminError, type StoredDocument } from '@a4c-admin/core';

/** The rule a failed document names when the target mappings, not a transform rule, refused it. */
export const TARGET_MAPPING_RULE = 'target-mapping';

export interface FailedDocument {
  index: string;
  id: string;
  rule: string;
  error: string;
  document: StoredDocument;
}

export interface FailureLog {
  readonly file: string;
  readonly count: number;
  add(failure: FailedDocument): Promise<void>;
  close(): Promise<void>;
}

export async function openFailureLog(folder: string, fileName: string): Promise<FailureLog> {
  await mkdir(folder, { recursive: true });
  const file = join(folder, fileName);
  let stream: WriteStream | undefined;
  let count = 0;
  const fail = (error: unknown) =>
    new A4cAdminError('FILESYSTEM', `Cannot write failed documents to ${file}: ${(error as Error).message}`, {
      hint: 'Check that the report folder is writable and has free space.',
      cause: error,
      details: { file },
    });
  return {
    file,
    get count() {
      return count;
    },
    async add(failure) {
      // Opened on the first failure: a clean run leaves no empty file behind.
      stream ??= createWriteStream(file, { flags: 'w' });
      const line = `${JSON.stringify(failure)}\n`;
      count += 1;
      if (!stream.write(line)) {
        await new Promise<void>((resolve, reject) => {
          stream!.once('drain', resolve);
          stream!.once('error', (error) => reject(fail(error)));
        });
      }
    },
    async close() {
      if (!stream) return;
      const open = stream;
      await new Promise<void>((resolve, reject) => {
        open.once('error', (error) => reject(fail(error)));
        open.end(() => resolve());
      });
    },
  };
}

/** The failure record of a TRANSFORM_FAILED error. */
export function failureOf(index: string, document: StoredDocument, error: unknown): FailedDocument {
  const rule = isA4cAdminError(error) && typeof error.details?.rule === 'string' ? error.details.rule : 'unknown';
  return { index, id: document.id, rule, error: (error as Error).message, document };
}
