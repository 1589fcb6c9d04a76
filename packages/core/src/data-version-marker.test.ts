import type { A4cAdminError } from '@a4c-admin/core';
import { parseDataVersionMarker } from '@a4c-admin/core/internal';
import { describe, expect, it } from 'vitest';

const good = {
  version: '1.2.0',
  updatedAt: '2026-11-30T00:00:00Z',
  history: [{ from: '1.1.0', to: '1.2.0', checksum: 'c', startedAt: 's', endedAt: 'e', counts: { csar: 3 } }],
};

const refusal = (raw: unknown) => {
  try {
    parseDataVersionMarker(raw, 'p-a4c-admin-data-version');
  } catch (error) {
    return error as A4cAdminError;
  }
  throw new Error('expected a refusal');
};

describe('parseDataVersionMarker', () => {
  it('returns a good marker as it is', () => {
    expect(parseDataVersionMarker(good, 'm')).toEqual(good);
  });

  for (const [title, raw] of [
    ['no history', { version: '1.1.0', updatedAt: 'x' }],
    ['history not a list', { ...good, history: 'none' }],
    ['a step without counts', { ...good, history: [{ from: '1.1.0', to: '1.2.0' }] }],
    ['the version a number', { ...good, version: 110 }],
    ['not an object', 'garbage'],
    ['null', null],
  ] as const) {
    it(`refuses a damaged marker (${title}) with PRECONDITION_FAILED naming the marker index and what to do`, () => {
      const error = refusal(raw);
      expect(error.code).toBe('PRECONDITION_FAILED');
      expect(error.message).toMatch(/data-version marker in p-a4c-admin-data-version is damaged/);
      expect(error.hint).toMatch(/GET p-a4c-admin-data-version\/_doc\/data-version/);
    });
  }

  for (const version of ['9.9.9', '1.1', 'latest']) {
    it(`refuses a version it does not know (${version}) with VERSION_MISMATCH`, () => {
      const error = refusal({ ...good, version });
      expect(error.code).toBe('VERSION_MISMATCH');
      expect(error.message).toContain(version);
      expect(error.message).toContain('1.1.0');
    });
  }
});
