import { readFile } from 'node:fs/promises';
import { A4cAdminError, ERROR_CODES } from '@a4c-admin/core';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES, exitCodeFor } from './exit-codes.js';

describe('exit codes', () => {
  it('gives every error category its own status', () => {
    const statuses = Object.values(EXIT_CODES);
    expect(new Set(statuses).size).toBe(statuses.length);
    expect(statuses).not.toContain(0);
    for (const category of new Set(Object.values(ERROR_CODES))) expect(EXIT_CODES[category]).toBeGreaterThan(0);
  });

  it('maps errors by category, and anything unknown to internal', () => {
    expect(exitCodeFor(new A4cAdminError('LOCKED', 'held'))).toBe(7);
    expect(exitCodeFor(new A4cAdminError('CANCELLED', 'stopped'))).toBe(130);
    expect(exitCodeFor(new Error('boom'))).toBe(1);
  });

  it('matches the table of docs/exit-codes.md', async () => {
    const page = await readFile(new URL('../../../docs/exit-codes.md', import.meta.url), 'utf8');
    const documented = Object.fromEntries([...page.matchAll(/^\| *(\d+) *\| *([a-z]+) *\|/gm)].map((match) => [match[2], Number(match[1])]));
    expect(documented).toEqual(EXIT_CODES);
  });
});
