import { describe, expect, it } from 'vitest';
import { A4cAdminError, errorCategory, isA4cAdminError } from './errors.js';

describe('A4cAdminError', () => {
  it('carries a code, a message, a hint and a cause, and maps to a category', () => {
    const cause = new Error('connect ECONNREFUSED 127.0.0.1:9200');
    const error = new A4cAdminError('CLUSTER_UNREACHABLE', 'Elasticsearch at http://127.0.0.1:9200 does not answer.', {
      hint: 'Check that Elasticsearch runs.',
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('CLUSTER_UNREACHABLE');
    expect(error.hint).toBe('Check that Elasticsearch runs.');
    expect(error.cause).toBe(cause);
    expect(error.category).toBe('cluster');
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ code: 'CLUSTER_UNREACHABLE', hint: 'Check that Elasticsearch runs.' });
  });

  it('is recognised when thrown by another copy of the package', async () => {
    // A second module instance stands for a second copy of @a4c-admin/core in node_modules.
    const specifier = './errors.js?second-copy';
    const copy = (await import(specifier)) as typeof import('./errors.js');
    expect(copy.A4cAdminError).not.toBe(A4cAdminError);
    const foreign = new copy.A4cAdminError('LOCKED', 'Another backup runs.');
    expect(foreign instanceof A4cAdminError).toBe(false);
    expect(isA4cAdminError(foreign)).toBe(true);
    expect(errorCategory(foreign)).toBe('locked');
  });

  it('treats anything else as internal', () => {
    expect(isA4cAdminError(new Error('boom'))).toBe(false);
    expect(isA4cAdminError({ code: 'LOCKED' })).toBe(false);
    expect(errorCategory('a string')).toBe('internal');
  });
});
