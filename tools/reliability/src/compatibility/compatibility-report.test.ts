import { describe, expect, it } from 'vitest';
import { type CompatibilityResults, renderCompatibility } from './compatibility-report.js';

const results: CompatibilityResults = {
  date: '2026-11-30T11:00:00.000Z',
  toolVersion: '0.1.0',
  commit: 'abc1234',
  rerun: 'A4C_COMPAT=all pnpm exec vitest run --project integration x.int.test.ts',
  versions: [
    {
      version: '2.4.6',
      distribution: 'org.elasticsearch.distribution.zip:elasticsearch:2.4.6:zip',
      layout: 'es1',
      layoutNotes: ['`_id.path` left out'],
      loaded: { indices: 24, documents: 192 },
      operations: [
        { operation: 'doctor', command: 'doctor', outcome: 'works', exitCode: 0 },
        {
          operation: 'backup',
          command: 'backup 1.1.0 -n b1',
          outcome: 'refused',
          exitCode: 5,
          code: 'REPOSITORY_VERIFY_FAILED',
          message: 'cannot read | snapshot b1',
          hint: 'check the folder',
        },
      ],
    },
    { version: '6.8.23', distribution: 'x:6.8.23:zip', layout: 'es8', layoutNotes: [], setupError: 'node did not start', operations: [] },
  ],
  migration: {
    source: '1.7.6',
    target: '8.19.21',
    command: 'migrate 1.1.0 --target http://127.0.0.1:9281 --yes',
    result: { operation: 'migrate', command: 'migrate 1.1.0', outcome: 'failed', exitCode: 0, detail: 'toscaelement/indexednodetype read 0 of 3' },
    counts: { types: [{ name: 'toscaelement/indexednodetype', source: 3, read: 0, written: 0, quarantined: 0 }] },
    sourceUnchanged: true,
  },
};

describe('docs/compatibility.md from the results of a run', () => {
  const page = renderCompatibility(results);

  it('gives one row per version with each operation, a refusal with its code', () => {
    expect(page).toContain(
      '| 2.4.6 | `org.elasticsearch.distribution.zip:elasticsearch:2.4.6:zip` | multi-type (A4C 1.x: index + type) | works | **refused** `REPOSITORY_VERIFY_FAILED` | not run |',
    );
    expect(page).toContain('| 6.8.23 | `x:6.8.23:zip` | one index per type | **not run** (set-up failed) |');
  });

  it('says what each refusal said (pipes escaped), the layout notes, and why a version did not run', () => {
    expect(page).toContain('`REPOSITORY_VERIFY_FAILED` cannot read \\| snapshot b1 (hint: check the folder)');
    expect(page).toContain('- layout: `_id.path` left out');
    expect(page).toContain('- set-up failed before any operation: node did not start');
  });

  it('shows a migration that exited 0 without reading every type as failed, type by type', () => {
    expect(page).toContain('**failed**, exit 0.');
    expect(page).toContain('| toscaelement/indexednodetype | 3 | 0 | 0 | 0 |');
    expect(page).toContain('unchanged (every document equal by SHA-256)');
  });

  it('ends with the date, the commit and the command that re-runs it', () => {
    expect(page).toContain('2026-11-30T11:00:00.000Z');
    expect(page).toContain('commit `abc1234`');
    expect(page).toContain('A4C_COMPAT=all pnpm exec vitest run --project integration x.int.test.ts');
  });
});
