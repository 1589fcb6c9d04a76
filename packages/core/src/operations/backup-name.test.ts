import { describe, expect, it } from 'vitest';
import { isA4cAdminError } from '../errors.js';
import { defaultBackupName, validateBackupName } from './backup-name.js';

describe('backup names', () => {
  it.each(['backup110', '2026-11-25-before-upgrade', 'a4c-20261125-123456', 'v1.1.0_nightly+1'])('accepts %s', (name) => {
    expect(validateBackupName(name)).toBe(name);
  });

  it.each([
    ['', 'empty'],
    ['..', '".."'],
    ['a/../b', '".."'],
    ['a/b', 'lower-case letters'],
    ['has space', 'lower-case letters'],
    ['Backup', 'lower-case letters'],
    ['_hidden', 'lower-case letters'],
    ['-dash', 'lower-case letters'],
    ['sauvegarde-été', 'lower-case letters'],
    ['x'.repeat(200), 'at most 128'],
  ])('refuses %j with a reason and a hint', (name, reason) => {
    try {
      validateBackupName(name);
      expect.unreachable();
    } catch (error) {
      expect(isA4cAdminError(error) && error.code).toBe('USAGE');
      expect((error as Error).message).toContain(reason);
      expect((error as { hint?: string }).hint).toMatch(/backup110/);
    }
  });

  it('makes sortable, valid default names', () => {
    const early = defaultBackupName(new Date('2026-01-02T03:04:05Z'));
    const late = defaultBackupName(new Date('2026-11-25T12:00:00Z'));
    expect(early).toBe('a4c-20260102-030405');
    expect(validateBackupName(late)).toBe(late);
    expect([late, early].sort()).toEqual([early, late]);
  });
});
