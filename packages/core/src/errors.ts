// The one error type of a4c-admin: what happened (message), what to do (hint), and a
// closed code that the CLI maps to an exit status.

/** Every failure the tool can report. Closed on purpose: the CLI maps each to an exit status. */
export const ERROR_CODES = {
  USAGE: 'usage',
  CONFIG_INVALID: 'config',
  CONFIG_NOT_FOUND: 'config',
  /** No encryption key is configured, or its file or variable is absent or empty. */
  ENCRYPTION_KEY_MISSING: 'config',
  /** The encryption key is not 32 bytes in hex or base64, or its file is readable by others. */
  ENCRYPTION_KEY_INVALID: 'config',
  CLUSTER_UNREACHABLE: 'cluster',
  CLUSTER_UNHEALTHY: 'cluster',
  AUTH_FAILED: 'cluster',
  TLS_FAILED: 'cluster',
  ES_REQUEST_FAILED: 'cluster',
  /** The object store (`remote:`) could not be reached, or failed a request. */
  REMOTE_UNREACHABLE: 'cluster',
  /** The object store refused the credentials (wrong key, signature, or no permission). */
  REMOTE_AUTH_FAILED: 'cluster',
  /** The bucket of `remote:` does not exist. */
  REMOTE_BUCKET_MISSING: 'precondition',
  REPOSITORY_NOT_ALLOWED: 'precondition',
  REPOSITORY_VERIFY_FAILED: 'precondition',
  SNAPSHOT_IN_PROGRESS: 'precondition',
  A4C_RUNNING: 'precondition',
  A4C_STATE_UNKNOWN: 'precondition',
  VERSION_MISMATCH: 'precondition',
  BACKUP_EXISTS: 'precondition',
  BACKUP_NOT_FOUND: 'precondition',
  SNAPSHOT_NOT_FOUND: 'precondition',
  INDEX_NOT_FOUND: 'precondition',
  DISK_FULL: 'precondition',
  PRECONDITION_FAILED: 'precondition',
  UNSAFE_PATH: 'precondition',
  MIGRATION_PATH: 'precondition',
  /** The data was encrypted with another key (the key ids differ): refused before reading or changing anything. */
  ENCRYPTION_KEY_WRONG: 'precondition',
  BACKUP_INVALID: 'verification',
  CHECKSUM_MISMATCH: 'verification',
  /** An object a remote backup lists is not in the store (deleted behind the tool's back). */
  REMOTE_OBJECT_MISSING: 'verification',
  COUNT_MISMATCH: 'verification',
  EXPORT_INVALID: 'verification',
  PLUGIN_INVALID: 'verification',
  /** An encrypted object fails authentication: altered, truncated, reordered, or another object's bytes. */
  DECRYPTION_FAILED: 'verification',
  /** A manifest's authentication tag does not match its bytes: the listing was altered. */
  MANIFEST_NOT_AUTHENTIC: 'verification',
  LOCKED: 'locked',
  SNAPSHOT_FAILED: 'partial',
  IMPORT_REJECTED: 'partial',
  TRANSFORM_FAILED: 'partial',
  MIGRATION_FAILED: 'partial',
  FILESYSTEM: 'partial',
  /** A restore failed after it changed something: the message says what was changed and how to finish. */
  RESTORE_INCOMPLETE: 'partial',
  CANCELLED: 'cancelled',
  INTERNAL: 'internal',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
/** The family of an error code: what kind of trouble it is, and so which exit status. */
export type ErrorCategory = (typeof ERROR_CODES)[ErrorCode];

const MARKER = Symbol.for('a4c-admin.error');

export interface A4cAdminErrorOptions {
  /** What to do about it, in one or two sentences. */
  hint?: string;
  /** The error this one reports (an Elasticsearch client error, a file-system error). */
  cause?: unknown;
  /** Machine-readable facts (index names, counts, paths). Never secrets. */
  details?: Record<string, unknown>;
}

/**
 * The one error that a4c-admin throws: `message` says what happened, `hint` what to do, and
 * `code` (one of {@link ERROR_CODES}) which failure it is, for a program to act on.
 *
 * @example
 * ```ts
 * import { A4cAdminError } from '@a4c-admin/core'; // or from 'a4c-admin'
 *
 * const error = new A4cAdminError('BACKUP_NOT_FOUND', 'No backup "nightly-9" in /var/backups', { hint: 'List the backups with `a4c-admin list`.' });
 * console.log(error.code, error.category, error.hint);
 * ```
 */
export class A4cAdminError extends Error {
  /** Which failure it is; stable across versions, unlike the message. */
  readonly code: ErrorCode;
  /** What to do about it, in one or two sentences (absent when there is nothing to add). */
  readonly hint: string | undefined;
  /** Machine-readable facts (index names, counts, paths). Never secrets. */
  readonly details: Record<string, unknown> | undefined;
  /** Lets isA4cAdminError recognise errors thrown by another copy of this package. */
  readonly [MARKER] = true;

  constructor(code: ErrorCode, message: string, options: A4cAdminErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'A4cAdminError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
  }

  /** The family of the code (`'cluster'`, `'precondition'`, ...): the CLI's exit status follows from it. */
  get category(): ErrorCategory {
    return ERROR_CODES[this.code];
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, hint: this.hint, details: this.details };
  }
}

/**
 * True for any a4c-admin error, even one from a duplicated copy of @a4c-admin/core (where
 * `instanceof` would say false).
 *
 * @example
 * ```ts
 * import { backup, isA4cAdminError } from 'a4c-admin';
 *
 * try {
 *   await backup('admin-tool-config.yml');
 * } catch (error) {
 *   if (!isA4cAdminError(error)) throw error;
 *   console.error(`${error.code}: ${error.message}`);
 *   if (error.hint) console.error(error.hint);
 *   process.exitCode = error.code === 'LOCKED' ? 75 : 1;
 * }
 * ```
 */
export function isA4cAdminError(value: unknown): value is A4cAdminError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
}

/**
 * The category of any thrown value: unknown errors are internal.
 *
 * @example
 * ```ts
 * import { errorCategory, list } from 'a4c-admin';
 *
 * const backups = await list('admin-tool-config.yml').catch((error: unknown) => {
 *   // A cluster that cannot be reached is worth a retry later; anything else is not.
 *   if (errorCategory(error) === 'cluster') return [];
 *   throw error;
 * });
 * console.log(backups.length);
 * ```
 */
export function errorCategory(value: unknown): ErrorCategory {
  return isA4cAdminError(value) ? ERROR_CODES[value.code] : 'internal';
}
