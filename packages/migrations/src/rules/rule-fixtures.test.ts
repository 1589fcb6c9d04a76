// Fixture pairs per rule: test-fixtures/rules/<case>.input.json -> <case>.output.json.
import { readdirSync, readFileSync } from 'node:fs';
import { isA4cAdminError, type StoredDocument } from '@a4c-admin/core';
import { describe, expect, it } from 'vitest';
import { FIXTURES_FOLDER } from '../fixtures.test-support.js';
import { STEP_1_2_0 } from '../steps/step-1.2.0.js';
import { type RuleCounts, transformDocument } from '../transform-document.js';

interface FixtureInput {
  index: string;
  facts?: Record<string, unknown>;
  document: StoredDocument;
}
type FixtureOutput = { document: StoredDocument; counts: RuleCounts } | { error: { code: string; rule: string } };

const folder = `${FIXTURES_FOLDER}rules/`;
const cases = readdirSync(folder)
  .filter((file) => file.endsWith('.input.json'))
  .map((file) => file.replace(/\.input\.json$/, ''))
  .sort();
const read = <T>(file: string): T => JSON.parse(readFileSync(folder + file, 'utf8')) as T;

describe('rule fixtures of the 1.1.0 -> 1.2.0 step', () => {
  it.each(cases)('%s', (name) => {
    const input = read<FixtureInput>(`${name}.input.json`);
    const output = read<FixtureOutput>(`${name}.output.json`);
    if ('error' in output) {
      let thrown: unknown;
      try {
        transformDocument(STEP_1_2_0, input.index, input.document, input.facts);
      } catch (error) {
        thrown = error;
      }
      expect(isA4cAdminError(thrown)).toBe(true);
      if (!isA4cAdminError(thrown)) return;
      expect(thrown.code).toBe(output.error.code);
      expect(thrown.details).toMatchObject({ index: input.index, id: input.document.id, rule: output.error.rule });
      expect(thrown.message).toContain(input.document.id);
      expect(thrown.hint).toBeTruthy();
      return;
    }
    const result = transformDocument(STEP_1_2_0, input.index, input.document, input.facts);
    expect(result.document).toEqual(output.document);
    expect(result.counts).toEqual(output.counts);
  });

  it('covers every rule of the step with at least one fixture that changes something', () => {
    const exercised = new Set<string>();
    for (const name of cases) {
      const output = read<FixtureOutput>(`${name}.output.json`);
      if ('counts' in output) for (const rule of Object.keys(output.counts)) exercised.add(rule);
      else exercised.add(output.error.rule);
    }
    for (const rule of STEP_1_2_0.rules) expect(exercised, rule.id).toContain(rule.id);
    // R6 (location resource templates) is composition of R3/R1: it has its own fixture.
    expect(cases.some((name) => name.startsWith('r6-'))).toBe(true);
  });
});
