// The configuration reference is generated: this test fails when docs/configuration.md no
// longer says what core's schema and environment variables say.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { currentConfigReference, ENVIRONMENT_FILE, parseEnvironmentVariables, REFERENCE_FILE } from './generate-config-reference.mjs';

describe('docs/configuration.md', () => {
  it('matches what the generator makes of the current schema (run `node tools/docs/generate-config-reference.mjs`)', () => {
    expect(readFileSync(REFERENCE_FILE, 'utf8')).toBe(currentConfigReference());
  });

  it('lists every environment variable the loader reads', () => {
    const source = readFileSync(ENVIRONMENT_FILE, 'utf8');
    const declared = [...source.matchAll(/name: '(A4C_ADMIN_[A-Z0-9_]+)'/g)].map((match) => match[1]);
    expect(parseEnvironmentVariables(source).map((variable) => variable.name)).toEqual(declared);
  });
});
