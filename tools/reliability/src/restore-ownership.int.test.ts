// A full restore removes what it knows is A4C's, and nothing else. Other applications share
// the cluster: their indices may carry names that look like a migration's leftovers
// (`<prefix>user-visits` next to A4C's `user`, `<prefix>application-v2-archive`), and even the
// exact name the tool would give one. Through the built binary on the real node, with the
// default empty prefix and with a prefix, snapshot and export backups, before and after a
// migration / rollback cycle: every bystander survives, while the tool's own leftovers go.

import { toolVersionedIndexNames } from '@a4c-admin/core/internal';
import { testElasticsearch, tierSample } from '@a4c-admin/test-support';
import type { Client } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentFingerprints } from './installation-state.js';
import { assertBinaryBuilt, describeRun, runToolPatiently, type ToolRun } from './run-tool.js';
import { createTestInstallation, type TestInstallation } from './test-installation.js';

const A4C = ['application', 'csar', 'topology', 'user'];
/** Names another application could well choose: each starts with `<an A4C name>-v`. */
const LOOKALIKES = ['user-visits', 'csar-vault', 'application-v2-archive', 'topology-vintage'];

function expectExit(run: ToolRun, status: number): void {
  expect(run.status, describeRun(run)).toBe(status);
}

// Each variant costs a minute on a busy machine: the default tier runs one, picked by a seed
// that changes from run to run (successive CI runs cover both), A4C_TRIALS=full both.
const VARIANTS = tierSample(
  [
    { variant: 'the default empty prefix', emptyPrefix: true },
    { variant: 'a prefix', emptyPrefix: false },
  ],
  () => 'prefix',
  1,
);

describe.each(VARIANTS.rows)(`a full restore with $variant (${VARIANTS.description})`, ({ emptyPrefix }) => {
  let installation: TestInstallation;
  let client: Client;
  let prefix: string;
  let configFile: string;
  let bystanders: string[] = [];

  const tool = async (...args: string[]) => runToolPatiently(['-c', configFile, ...args]);

  beforeAll(async () => {
    assertBinaryBuilt();
    const es = testElasticsearch();
    installation = await createTestInstallation({
      urls: [es.url],
      repoPath: es.repoPath || '/var/tmp/a4c-admin-es/nodes/test/repo',
      indices: A4C,
      label: 'rel-owner',
    });
    client = installation.client;
    prefix = emptyPrefix ? '' : installation.prefix;
    bystanders = LOOKALIKES.map((name) => `${prefix}${name}`);
    if (emptyPrefix) {
      // The same A4C indices under their bare names, as a default installation has them.
      for (const name of A4C) {
        await removeExactly(client, [name]);
        const mappings = await client.indices.getMapping({ index: installation.prefix + name });
        await client.indices.create({ index: name, mappings: Object.values(mappings)[0]!.mappings, settings: { number_of_shards: 1, number_of_replicas: 0 } });
        // No _reindex module in the test distribution: the sample indices fit in one page.
        const hits = (await client.search({ index: installation.prefix + name, size: 10_000 })).hits.hits;
        if (hits.length > 0)
          await client.bulk({ refresh: true, operations: hits.flatMap((hit) => [{ index: { _index: name, _id: hit._id } }, hit._source as object]) });
      }
      configFile = await installation.writeConfig({ index_prefix: '' }, `${installation.root}/config/empty-prefix.yml`);
    } else {
      configFile = installation.configFile;
    }
    for (const bystander of bystanders) {
      await client.index({ index: bystander, id: 'theirs', document: { owner: 'another application', index: bystander }, refresh: true });
    }
  });

  afterAll(async () => {
    if (!installation) return;
    if (emptyPrefix) {
      // Exact names only: with the empty prefix a wildcard would reach other suites' indices.
      await removeExactly(client, [...A4C, ...bystanders, ...toolVersionedIndexNames(''), 'a4c-admin-data-version']);
    }
    await installation.cleanup();
  });

  it('leaves every look-alike index untouched, snapshot and export, before and after a migration and its rollback', async () => {
    const theirs = await documentFingerprints(client, bystanders);
    const ours = await documentFingerprints(
      client,
      A4C.map((name) => prefix + name),
    );
    expect(Object.values(theirs).every((fingerprint) => fingerprint.startsWith('1 '))).toBe(true);

    expectExit(await tool('backup', '1.1.0', '-n', 'owner-snapshot'), 0);
    expectExit(await tool('backup', '1.1.0', '-n', 'owner-export', '--format', 'export'), 0);

    // An index with the very name the tool gives its versioned indices, made by someone else.
    const sameName = `${prefix}application-v1.2.0`;
    await client.index({ index: sameName, id: 'theirs', document: { owner: 'another application' }, refresh: true });
    for (const backup of ['owner-snapshot', 'owner-export']) {
      const dryRun = await tool('--json', 'restore', '1.1.0', '-n', backup, '--dry-run');
      expectExit(dryRun, 0);
      const plan = (dryRun.json!.result as { plan: { strays: string[]; indices: Array<{ removes: string[] }> } }).plan;
      const removed = [...plan.strays, ...plan.indices.flatMap((index) => index.removes)];
      for (const bystander of [...bystanders, sameName]) expect(removed, `${backup}: the plan removes ${bystander}`).not.toContain(bystander);
      expectExit(await tool('restore', '1.1.0', '-n', backup, '--yes'), 0);
      expect(await documentFingerprints(client, bystanders), `after restoring ${backup}`).toEqual(theirs);
      expect((await documentFingerprints(client, [sameName]))[sameName]).toMatch(/^1 /);
      expect(
        await documentFingerprints(
          client,
          A4C.map((name) => prefix + name),
        ),
      ).toEqual(ours);
    }
    await client.indices.delete({ index: sameName });

    // A migration, its rollback, a restore; then a migration and a restore of the other format.
    for (const [backup, rollBack] of [
      ['owner-snapshot', true],
      ['owner-export', false],
    ] as const) {
      expectExit(await tool('migrate', '1.1.0', '--skip-backup', 'owner-snapshot'), 0);
      if (rollBack) expectExit(await tool('migrate', '1.1.0', '--rollback', '--yes'), 0);
      // The tool's own leftovers: versioned indices that a restore of a 1.1.0 backup removes.
      const leftovers = (await client.cat.indices({ index: `${prefix}*-v1.*`, format: 'json', h: 'index' }))
        .map((row) => row.index!)
        .filter((index) => toolVersionedIndexNames(prefix).includes(index));
      expect(leftovers.length, 'the migration made versioned indices').toBeGreaterThan(A4C.length);
      const restored = await tool('restore', '1.1.0', '-n', backup, '--yes');
      expectExit(restored, 0);
      expect(await documentFingerprints(client, bystanders), `after the migration${rollBack ? ', the rollback' : ''} and a restore of ${backup}`).toEqual(
        theirs,
      );
      expect(
        await documentFingerprints(
          client,
          A4C.map((name) => prefix + name),
        ),
      ).toEqual(ours);
      for (const leftover of leftovers) expect(await client.indices.exists({ index: leftover }), `${leftover} is the tool's and is removed`).toBe(false);
    }
  });
});

async function removeExactly(client: Client, indices: string[]): Promise<void> {
  for (const index of indices) {
    await client.indices.delete({ index }, { ignore: [404] }).catch(() => undefined);
  }
}
