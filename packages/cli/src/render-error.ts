// Says what went wrong: `error:` + `hint:` lines for people, one JSON object with --json.
// Errors that are not ours are internal: the message, and a hint to report it.
import { errorCategory, isA4cAdminError } from '@a4c-admin/core';
import { exitCodeFor } from './exit-codes.js';
import type { OutputStyle } from './output-style.js';

export interface ErrorDescription {
  code: string;
  category: string;
  message: string;
  hint?: string;
  details?: Record<string, unknown>;
  exitCode: number;
}

const BUG_HINT = 'This looks like a bug in a4c-admin. Run again with A4C_ADMIN_DEBUG=1 for the stack trace and report it.';

export function describeError(error: unknown): ErrorDescription {
  const exitCode = exitCodeFor(error);
  if (isA4cAdminError(error)) {
    return {
      code: error.code,
      category: errorCategory(error),
      message: error.message,
      ...(error.hint ? { hint: error.hint } : {}),
      ...(error.details ? { details: error.details } : {}),
      exitCode,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', category: 'internal', message, hint: BUG_HINT, exitCode };
}

export function renderErrorText(error: unknown, style: OutputStyle, debug: boolean): string {
  const description = describeError(error);
  const label = description.category === 'cancelled' ? 'cancelled:' : 'error:';
  const lines = [`${style.red(style.bold(label))} ${description.message}`];
  if (description.hint) lines.push(`${style.yellow('hint:')} ${description.hint}`);
  if (debug && error instanceof Error && error.stack) lines.push(style.dim(error.stack));
  return `${lines.join('\n')}\n`;
}
