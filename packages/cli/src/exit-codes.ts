// The exit status of the a4c-admin binary for each error category: distinct, stable and
// documented (docs/exit-codes.md), so that scripts can tell "retry later" from "fix the config".
import { type ErrorCategory, errorCategory } from '@a4c-admin/core';

/** Exit status per error category; 0 is success. Mirrored in docs/exit-codes.md. */
export const EXIT_CODES: Readonly<Record<ErrorCategory, number>> = {
  internal: 1,
  usage: 2,
  config: 3,
  cluster: 4,
  precondition: 5,
  verification: 6,
  locked: 7,
  partial: 8,
  // 128 + SIGINT, as shells report a command stopped by Ctrl-C.
  cancelled: 130,
};

/** What each category means to an operator, for --help and the docs. */
export const EXIT_CODE_MEANINGS: Readonly<Record<ErrorCategory, string>> = {
  internal: 'unexpected failure (a bug): report it with the --json output',
  usage: 'wrong command line: unknown command or option, missing argument',
  config: 'configuration file missing or invalid',
  cluster: 'Elasticsearch or the object store unreachable, unhealthy, or refused the request (auth, TLS)',
  precondition: 'refused before changing anything: a check failed (A4C running, version mismatch, name taken, ...)',
  verification: 'a backup, checksum or document count does not match',
  locked: 'another a4c-admin operation holds the lock',
  partial: 'failed part-way: see the message for what was done and what was not',
  cancelled: 'stopped by Ctrl-C (SIGINT) or SIGTERM, or a confirmation answered no',
};

export function exitCodeFor(error: unknown): number {
  return EXIT_CODES[errorCategory(error)];
}
