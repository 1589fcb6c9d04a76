// A 1.1.0 document that every transform rule accepts but the 1.2.0 mappings reject (a value a
// field's new type cannot hold, in a field 1.1.0 did not map): the dry run must report it, the
// migration must fail before its alias swap with a hint naming only options the CLI has, and
// `--quarantine` must set it aside and finish. Through the built binary on the real node, with
// two such documents of two kinds (a date field, a boolean field inside a transformed list).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { testElasticsearch } from '@a4c-admin/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBinaryBuilt, describeRun, runToolPatiently, type ToolRun } from './run-tool.js';
import { createTestInstallation, type TestInstallation } from './test-installation.js';

describe('a document the target mappings reject', () => {
  let installation: TestInstallation;
  let helpOptions: Set<string>;
  const bad = { csar: 'rejected-date:1.0', indexednodetype: 'rejected-boolean:1.0' };

  const tool = (...args: string[]) => runToolPatiently(['--json', '-c', installation.configFile, ...args]);
  const aliasesOf = async (name: string) => Object.keys(await installation.client.indices.getAlias({ name: installation.prefix + name }, { ignore: [404] }));
  /** Every `--option` a hint names must be one `a4c-admin migrate --help` lists. */
  const expectRealOptions = (run: ToolRun) => {
    const hint = run.json?.error?.hint ?? '';
    for (const option of hint.match(/--[a-z][a-z-]*/g) ?? []) expect(helpOptions, `the hint names ${option}: ${hint}`).toContain(option);
  };

  beforeAll(async () => {
    assertBinaryBuilt();
    const es = testElasticsearch();
    installation = await createTestInstallation({
      urls: [es.url],
      repoPath: es.repoPath || '/var/tmp/a4c-admin-es/nodes/test/repo',
      indices: ['csar', 'indexednodetype', 'user'],
      label: 'rel-reject',
    });
    const { client, prefix } = installation;
    // Real sample documents, each with one value the 1.2.0 mappings refuse; 1.1.0 does not map those fields.
    const csar = (await client.search<Record<string, unknown>>({ index: `${prefix}csar`, size: 1 })).hits.hits[0]!._source!;
    await client.index({ index: `${prefix}csar`, id: bad.csar, document: { ...csar, importDate: 'last tuesday' }, refresh: true });
    const nodeType = (await client.search<Record<string, unknown>>({ index: `${prefix}indexednodetype`, size: 1 })).hits.hits[0]!._source!;
    await client.index({
      index: `${prefix}indexednodetype`,
      id: bad.indexednodetype,
      document: { ...nodeType, elementId: 'rejected-boolean', properties: { size: { type: 'integer', required: 'perhaps' } } },
      refresh: true,
    });
    const help = await runToolPatiently(['migrate', '--help']);
    helpOptions = new Set(help.stdout.match(/--[a-z][a-z-]*/g) ?? []);
    expect(helpOptions).toContain('--quarantine');
    expect((await tool('backup', '1.1.0', '-n', 'before-rejects')).status).toBe(0);
  });

  afterAll(async () => {
    await installation?.cleanup();
  });

  it('is reported by the dry run, stops the migration before its swap, and is set aside by --quarantine', async () => {
    const { client, prefix } = installation;
    const counts = {
      csar: (await client.count({ index: `${prefix}csar` })).count,
      indexednodetype: (await client.count({ index: `${prefix}indexednodetype` })).count,
    };

    // 1. The dry run names both documents, and changes nothing.
    const indicesBefore = (await client.cat.indices({ index: `${prefix}*`, format: 'json', h: 'index' })).map((row) => row.index).sort();
    const dryRun = await tool('migrate', '1.1.0', '--dry-run');
    expect(dryRun.status, describeRun(dryRun)).toBe(0);
    const report = dryRun.json!.result as {
      failed: number;
      files: { failures?: string };
      steps: Array<{ indices: Record<string, { read: number; failed: number }> }>;
    };
    expect(report.failed, describeRun(dryRun)).toBe(2);
    expect(report.steps[0]!.indices.csar).toMatchObject({ read: counts.csar, failed: 1 });
    expect(report.steps[0]!.indices.indexednodetype).toMatchObject({ read: counts.indexednodetype, failed: 1 });
    const failures = (await readFile(report.files.failures!, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { index: string; id: string; rule: string; error: string });
    expect(failures.map((failure) => [failure.index, failure.id, failure.rule]).sort()).toEqual([
      ['csar', bad.csar, 'target-mapping'],
      ['indexednodetype', bad.indexednodetype, 'target-mapping'],
    ]);
    expect(failures.find((failure) => failure.index === 'csar')!.error).toMatch(/importDate.*date|date.*importDate/);
    expect((await client.cat.indices({ index: `${prefix}*`, format: 'json', h: 'index' })).map((row) => row.index).sort()).toEqual(indicesBefore);

    // 2. Without --quarantine: refused before the swap, with a hint that names real options.
    const failed = await tool('migrate', '1.1.0', '--skip-backup', 'before-rejects');
    expect(failed.status, describeRun(failed)).not.toBe(0);
    expect(failed.json?.error?.code, describeRun(failed)).toBe('IMPORT_REJECTED');
    expect(failed.json?.error?.message).toMatch(/does not fit the 1\.2\.0 mappings/);
    expect(failed.json?.error?.hint).toMatch(/--quarantine/);
    expectRealOptions(failed);
    for (const name of ['csar', 'indexednodetype'])
      expect(
        (await aliasesOf(name)).every((index) => !index.endsWith('-v1.2.0')),
        name,
      ).toBe(true);
    expect((await client.count({ index: `${prefix}csar` })).count).toBe(counts.csar);

    // 3. With --quarantine: both set aside, the rest migrated.
    const migrated = await tool('migrate', '1.1.0', '--skip-backup', 'before-rejects', '--quarantine');
    expect(migrated.status, describeRun(migrated)).toBe(0);
    const steps = (migrated.json!.result as { steps: Array<{ indices: Record<string, { quarantined: number; written: number }> }> }).steps;
    expect(steps[0]!.indices.csar).toMatchObject({ quarantined: 1, written: counts.csar - 1 });
    expect(steps[0]!.indices.indexednodetype).toMatchObject({ quarantined: 1, written: counts.indexednodetype - 1 });
    expect(await aliasesOf('csar')).toEqual([`${prefix}csar-v1.2.0`]);
    expect((await client.count({ index: `${prefix}csar` })).count).toBe(counts.csar - 1);
    const folder = join(installation.exportDir, 'quarantine');
    const setAside = await Promise.all(
      (await readdir(folder)).map(async (file) =>
        (await readFile(join(folder, file), 'utf8'))
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as { id: string; rule: string }),
      ),
    );
    expect(
      setAside
        .flat()
        .map((entry) => `${entry.id} ${entry.rule}`)
        .sort(),
    ).toEqual([`${bad.csar} target-mapping`, `${bad.indexednodetype} target-mapping`].sort());
  });
});
