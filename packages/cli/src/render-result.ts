// Turns an operation's result into text for people (the JSON form is the result itself):
// summary lines, ok/warn/fail checks with their fix, a table of backups, or fields.

import { formatBytes } from './format-bytes.js';
import type { OperationResult } from './operations.js';
import type { OutputStyle } from './output-style.js';

/** A doctor check as core reports it (`detail`, `fix`); `message`/`hint` are accepted too. */
interface Check {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail?: string;
  fix?: string;
  message?: string;
  hint?: string;
}

export function renderResult(result: OperationResult, style: OutputStyle): string {
  const lines: string[] = [];
  const { summary, checks, backups, ...rest } = result as { summary?: unknown; checks?: unknown; backups?: unknown } & Record<string, unknown>;
  if (Array.isArray(checks)) lines.push(...renderChecks(checks as Check[], style));
  if (Array.isArray(backups)) lines.push(...renderTable(backups as Record<string, unknown>[]));
  if (typeof summary === 'string') lines.push(summary);
  else if (Array.isArray(summary)) lines.push(...summary.map(String));
  // Without a summary, the remaining fields are the answer.
  if (summary === undefined) lines.push(...renderFields(rest, ''));
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

function renderChecks(checks: Check[], style: OutputStyle): string[] {
  const badge = { ok: style.green('ok  '), warn: style.yellow('warn'), fail: style.red('fail') };
  return checks.flatMap((check) => {
    const detail = check.detail ?? check.message;
    const fix = check.fix ?? check.hint;
    return [
      `${badge[check.status] ?? check.status} ${check.name}${detail ? `: ${detail}` : ''}`,
      ...(fix && check.status !== 'ok' ? [`     fix: ${fix}`] : []),
    ];
  });
}

/** A plain text table; columns are every key found in the rows, in first-seen order. */
export function renderTable(rows: Record<string, unknown>[]): string[] {
  if (rows.length === 0) return ['(none)'];
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cells = rows.map((row) =>
    columns.map((column) => (column === 'bytes' && typeof row[column] === 'number' ? formatBytes(row[column]) : formatCell(row[column]))),
  );
  const widths = columns.map((column, index) => Math.max(column.length, ...cells.map((row) => row[index]!.length)));
  const line = (values: string[]) =>
    values
      .map((value, index) => value.padEnd(widths[index]!))
      .join('  ')
      .trimEnd();
  return [line(columns.map((column) => column.toUpperCase())), ...cells.map(line)];
}

function formatCell(value: unknown): string {
  if (value === undefined || value === null) return '-';
  if (Array.isArray(value)) return value.map(formatCell).join(',');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function renderFields(value: Record<string, unknown>, indent: string): string[] {
  return Object.entries(value).flatMap(([name, item]) => {
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
      return [`${indent}${name}:`, ...renderFields(item as Record<string, unknown>, `${indent}  `)];
    }
    return [`${indent}${name}: ${formatCell(item)}`];
  });
}
