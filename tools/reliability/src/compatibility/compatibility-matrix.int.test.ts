// Opt-in (A4C_COMPAT=all): the compatibility matrix of docs/compatibility.md, from a real run.
// For each Elasticsearch A4C installations may sit on (1.7.6 ... 7.17.29), one node at a time:
// the sample A4C 1.1.0 installation in the layout that version holds, then the built binary
// through doctor, backup (snapshot), verify, list, backup --format export, verify, and a restore
// after an index is deleted (judged by the documents read back over plain HTTP). Then 1.1.0 data
// from the 1.x node is migrated into the 8.19 node of the run (--target). Nothing stops at the
// first failure: every outcome, refusal code and message is recorded, written as JSON to
// /var/tmp/a4c-compat/results.json and rendered into docs/compatibility.md.
import { execFileSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATA_VERSION_1_1_0, ES1_STORAGE_LAYOUT } from '@a4c-admin/core';
import { LEGACY_VERSIONS, startNodeSet, stopNodeSet, versionProfile } from '@a4c-admin/elasticsearch-launcher';
import { generateDataFolder } from '@a4c-admin/sample-data';
import { testElasticsearch } from '@a4c-admin/test-support';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { assertBinaryBuilt, BINARY, runTool, type ToolRun } from '../run-tool.js';
import { type CompatibilityResults, type MigrationResult, type OperationResult, renderCompatibility, type VersionResult } from './compatibility-report.js';
import { documentHashes, hashDifferences } from './document-hashes.js';
import { httpJson, type LoadedSample, layoutOfMajor, loadLegacySample } from './legacy-sample-loader.js';

const enabled = process.env.A4C_COMPAT === 'all';
/** HTTP port of the legacy node (its transport port is the next one): one node runs at a time. */
const HTTP_PORT = Number(process.env.A4C_COMPAT_PORT ?? 9283);
/** Node names: `<prefix>-1-7-6`, ... (so that parallel runs by several people never share one). */
const NODE_PREFIX = process.env.A4C_COMPAT_NODE_PREFIX ?? 'compat-matrix';
/** A comma-separated subset (e.g. `1.7.6,6.8.23`) while working on the matrix; all by default. */
const VERSIONS = process.env.A4C_COMPAT_VERSIONS?.split(',') ?? LEGACY_VERSIONS;
const RESULTS_FOLDER = process.env.A4C_COMPAT_RESULTS ?? '/var/tmp/a4c-compat';
const DOCUMENT = fileURLToPath(new URL('../../../../docs/compatibility.md', import.meta.url));
const RERUN = [
  'pnpm run build',
  'node tools/elasticsearch/cli.mjs start --name compat-es8 --port 9281',
  'A4C_COMPAT=all A4C_TEST_ES1=0 A4C_TEST_CLUSTER=0 \\',
  '  A4C_TEST_ES_URL=http://127.0.0.1:9281 A4C_TEST_ES_REPO=/var/tmp/a4c-admin-es/nodes/compat-es8/repo \\',
  '  pnpm exec vitest run --project integration tools/reliability/src/compatibility/compatibility-matrix.int.test.ts',
  'node tools/elasticsearch/cli.mjs stop --name compat-es8',
  '# A4C_COMPAT_PORT (default 9283, and the next port) and A4C_COMPAT_NODE_PREFIX name the legacy nodes.',
].join('\n');

/**
 * Error categories in which the tool declines (bad input, a precondition, a check that did not
 * pass, a lock); the others (cluster, partial, cancelled, internal) are an operation that failed.
 */
const REFUSALS = new Set(['usage', 'config', 'precondition', 'verification', 'locked']);

/** What one run of the binary says, as a row of the matrix; `check` judges a run that exited 0. */
function outcomeOf(operation: string, run: ToolRun, check?: () => Promise<string | undefined> | string | undefined): Promise<OperationResult> {
  const base: OperationResult = {
    operation,
    command: run.args.slice(3).join(' '),
    outcome: 'failed',
    exitCode: run.status,
    durationMs: run.durationMs,
  };
  const error = run.json?.error;
  if (run.status === 0 && run.json?.ok) {
    return Promise.resolve(check?.()).then((problem) => (problem ? { ...base, outcome: 'failed', detail: problem } : { ...base, outcome: 'works' }));
  }
  if (error) {
    return Promise.resolve({
      ...base,
      outcome: REFUSALS.has(error.category) ? 'refused' : 'failed',
      code: error.code,
      message: error.message,
      ...(error.hint ? { hint: error.hint } : {}),
    });
  }
  return Promise.resolve({ ...base, detail: `no JSON answer${run.signal ? ` (${run.signal})` : ''}; stderr: ${run.stderr.slice(-800)}` });
}

function failure(operation: string, command: string, error: unknown): OperationResult {
  return { operation, command, outcome: 'failed', detail: `the check itself failed: ${(error as Error).message}` };
}

interface Installation {
  url: string;
  configFile: string;
  /** The same with a `target:` section, for the migration into 8.19. */
  acrossConfigFile: string | undefined;
  loaded: LoadedSample;
}

async function writeInstallation(
  folder: string,
  url: string,
  repoPath: string,
  clusterName: string,
  loaded: LoadedSample,
  target?: { url: string; prefix: string },
): Promise<Installation> {
  const dataDir = join(folder, 'alien4cloud');
  await generateDataFolder({ root: dataDir, seed: 'compat' });
  const config = {
    elasticsearch: { addresses: [url], cluster_name: clusterName, repository: { name: 'compat', location: join(repoPath, 'compat') } },
    exporter: { dir: join(folder, 'export') },
    backup: { files_dir: join(folder, 'backups') },
    alien4cloud: { dir: dataDir },
  };
  // Two configs: a `target:` section sends every migrate across, and the in-place one must stay in place.
  const configFile = join(folder, 'a4c-admin.json');
  await writeFile(configFile, `${JSON.stringify(config, null, 2)}\n`);
  const acrossConfigFile = join(folder, 'a4c-admin-across.json');
  if (target)
    await writeFile(acrossConfigFile, `${JSON.stringify({ ...config, target: { addresses: [target.url], index_prefix: target.prefix } }, null, 2)}\n`);
  return { url, configFile, acrossConfigFile: target ? acrossConfigFile : undefined, loaded };
}

describe.skipIf(!enabled)('compatibility matrix: the built a4c-admin on Elasticsearch 1.7.6 to 7.17.29, and 1.7.6 -> 8.19 (A4C_COMPAT=all)', () => {
  const results: CompatibilityResults = {
    date: new Date().toISOString(),
    toolVersion: '',
    commit: '',
    rerun: RERUN,
    versions: [],
  };
  let target: { url: string; repoPath: string };

  beforeAll(async () => {
    assertBinaryBuilt();
    target = testElasticsearch();
    results.toolVersion = execFileSync(process.execPath, [BINARY, '--version'], { encoding: 'utf8' }).trim();
    results.commit = execFileSync('git', ['describe', '--always', '--dirty'], { encoding: 'utf8', cwd: fileURLToPath(new URL('.', import.meta.url)) }).trim();
    await mkdir(RESULTS_FOLDER, { recursive: true });
  });

  afterAll(async () => {
    await writeFile(join(RESULTS_FOLDER, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    await writeFile(DOCUMENT, renderCompatibility(results));
  });

  for (const version of VERSIONS) {
    it(`records what works on Elasticsearch ${version}`, async () => {
      const profile = versionProfile(version);
      const { distribution } = profile;
      const layout = layoutOfMajor(profile.major);
      const record: VersionResult = {
        version,
        distribution: `${distribution.groupId}:${distribution.artifactId}:${distribution.version}:${distribution.type}`,
        layout,
        layoutNotes: [],
        operations: [],
      };
      results.versions.push(record);
      const name = `${NODE_PREFIX}-${version.replaceAll('.', '-')}`;
      const folder = join(RESULTS_FOLDER, version);
      await rm(folder, { recursive: true, force: true });
      await mkdir(folder, { recursive: true });
      let installation: Installation;
      try {
        // ES 2.x refuses field names with dots, which A4C 1.1.0 documents have (e.g. the TOSCA interface names
        // under deployment topologies); 2.4 takes them with this JVM property. Its bin/elasticsearch passes
        // ES_JAVA_OPTS to the JVM, and the launcher's node inherits this process's environment.
        const allowDots = profile.major === 2;
        if (allowDots) process.env.ES_JAVA_OPTS = '-Dmapper.allow_dots_in_name=true';
        const node = await startNodeSet({ name, version, httpPort: HTTP_PORT, transportPort: HTTP_PORT + 1, fresh: true }).finally(() => {
          if (allowDots) delete process.env.ES_JAVA_OPTS;
        });
        const loaded = await loadLegacySample(node.url, profile.major);
        record.layoutNotes = [
          ...(allowDots
            ? [
                "node started with `-Dmapper.allow_dots_in_name=true`: ES 2.x refuses the dotted field names of A4C 1.1.0 documents (`Field name [tosca.interfaces.node.lifecycle.Standard] cannot contain '.'`)",
              ]
            : []),
          ...loaded.notes,
        ];
        record.loaded = { indices: Object.keys(loaded.indices).length, documents: Object.values(loaded.indices).reduce((sum, count) => sum + count, 0) };
        const migrationTarget = profile.major === 1 ? { url: target.url, prefix: `compat-${Date.now().toString(36)}-` } : undefined;
        installation = await writeInstallation(folder, node.url, node.repoPath, node.clusterName ?? 'escluster', loaded, migrationTarget);
        try {
          await runOperations(installation, record);
          if (migrationTarget) results.migration = await runMigration(installation, version, migrationTarget);
        } catch (error) {
          record.setupError = `the run stopped: ${(error as Error).stack ?? error}`;
        }
      } catch (error) {
        record.setupError = (error as Error).message;
      } finally {
        await stopNodeSet(name).catch(() => undefined);
      }
    }, 900_000);
  }
});

async function runOperations(installation: Installation, record: VersionResult): Promise<void> {
  const { url, configFile, loaded } = installation;
  const names = Object.keys(loaded.indices);
  const tool = (args: string[]) => runTool(['--json', '-c', configFile, ...args], { timeoutMs: 300_000 });
  const add = (result: OperationResult) => record.operations.push(result);
  const version = DATA_VERSION_1_1_0;

  add(await outcomeOf('doctor', await tool(['doctor'])));
  add(await outcomeOf('backup', await tool(['backup', version, '-n', 'b1'])));
  // Without b1, what follows from it is recorded as it ran, with that said.
  const made = record.operations.at(-1)?.outcome === 'works';
  const withoutB1 = (result: OperationResult): OperationResult =>
    made ? result : { ...result, detail: [result.detail, 'b1 was not made (the backup above did not work)'].filter(Boolean).join('; ') };
  add(withoutB1(await outcomeOf('verify', await tool(['verify', 'b1']))));
  const listed = await tool(['list']);
  add(
    withoutB1(
      await outcomeOf('list', listed, () => {
        const backups = (listed.json?.result as { backups?: { name: string; state: string }[] } | undefined)?.backups ?? [];
        return !made || backups.some((backup) => backup.name === 'b1') ? undefined : `b1 is not listed (${JSON.stringify(backups).slice(0, 300)})`;
      }),
    ),
  );
  add(await outcomeOf('export', await tool(['backup', version, '-n', 'e1', '--format', 'export'])));
  add(await outcomeOf('verify export', await tool(['verify', 'e1'])));

  // Restore: the biggest index deleted, then b1 restored; every document must come back.
  const victim = names.reduce((biggest, name) => ((loaded.indices[name] ?? 0) > (loaded.indices[biggest] ?? 0) ? name : biggest));
  const restoreCommand = `restore ${version} -n b1 --yes (after deleting ${victim})`;
  try {
    const before = await documentHashes(url, names);
    await httpJson(url, 'DELETE', `/${victim}`);
    const restored = await tool(['restore', version, '-n', 'b1', '--yes']);
    const result = await outcomeOf('restore', restored, async () => {
      const differences = hashDifferences(before, await documentHashes(url, names));
      return differences.length > 0 ? `documents not equal after the restore: ${differences.join('; ')}` : undefined;
    });
    add(withoutB1({ ...result, command: restoreCommand }));
  } catch (error) {
    add(failure('restore', restoreCommand, error));
  }

  // In place, as the seed did, then back: the installation's own documents must come back exactly.
  const rollbackCommand = `migrate ${version} --rollback --yes`;
  try {
    const before = await documentHashes(url, names);
    add(withoutB1(await outcomeOf('migrate in place', await tool(['migrate', version, '--skip-backup', 'b1', '--yes']))));
    const rolledBack = await tool(['migrate', version, '--rollback', '--yes']);
    add(
      await outcomeOf('rollback', rolledBack, async () => {
        const differences = hashDifferences(before, await documentHashes(url, names));
        return differences.length > 0 ? `documents not equal after the rollback: ${differences.join('; ')}` : undefined;
      }),
    );
  } catch (error) {
    add(failure('rollback', rollbackCommand, error));
  }
}

/** Per 1.1.0 type: documents in the ES 1.x source (index/type) against what the migration says it read, wrote and set aside. */
async function migrationCounts(url: string, result: unknown): Promise<NonNullable<MigrationResult['counts']>> {
  const steps = (result as { steps?: { indices?: Record<string, { read: number; written: number; quarantined: number }> }[] } | undefined)?.steps ?? [];
  const reported = steps[0]?.indices ?? {};
  const types: NonNullable<MigrationResult['counts']>['types'] = [];
  for (const row of ES1_STORAGE_LAYOUT[DATA_VERSION_1_1_0]) {
    const counted = await fetch(`${url}/${row.es1Index}/${row.es1Type}/_count`);
    const source = counted.ok ? Number(((await counted.json()) as { count: number }).count) : 0;
    const step = reported[row.es8Index];
    types.push({ name: `${row.es1Index}/${row.es1Type}`, source, read: step?.read ?? 0, written: step?.written ?? 0, quarantined: step?.quarantined ?? 0 });
  }
  return { types };
}

async function runMigration(installation: Installation, sourceVersion: string, target: { url: string; prefix: string }): Promise<MigrationResult> {
  const { url, loaded } = installation;
  const configFile = installation.acrossConfigFile ?? installation.configFile;
  const names = Object.keys(loaded.indices);
  // `GET /` is not served by the 8.x integ-test distribution; the node info is.
  const about = (await httpJson(target.url, 'GET', '/_nodes/_local')) as { nodes: Record<string, { version: string }> };
  const args = ['migrate', DATA_VERSION_1_1_0, '--target', target.url, '--yes'];
  const migration: MigrationResult = {
    source: sourceVersion,
    target: Object.values(about.nodes)[0]?.version ?? '8.x',
    command: `${args.join(' ')} (target.index_prefix ${target.prefix})`,
    result: { operation: 'migrate', command: args.join(' '), outcome: 'not run' },
  };
  try {
    const before = await documentHashes(url, names);
    const run = await runTool(['--json', '-c', configFile, ...args], { timeoutMs: 600_000 });
    migration.result = await outcomeOf('migrate', run, async () => {
      migration.counts = await migrationCounts(url, run.json?.result);
      const short = migration.counts.types.filter((type) => type.read !== type.source);
      return short.length > 0
        ? `exit 0, but not every source document was read: ${short.map((type) => `${type.name} read ${type.read} of ${type.source}`).join(', ')}`
        : undefined;
    });
    migration.sourceUnchanged = hashDifferences(before, await documentHashes(url, names)).length === 0;
    const indices = (await httpJson(target.url, 'GET', `/_cat/indices/${target.prefix}*?format=json&h=index,docs.count`)) as unknown as {
      index: string;
      'docs.count': string;
    }[];
    migration.targetIndices = Object.fromEntries(indices.map((entry) => [entry.index, Number(entry['docs.count'])]));
    if (migration.result.outcome === 'works' && migration.counts) {
      const { types } = migration.counts;
      const total = (key: 'source' | 'read' | 'written' | 'quarantined') => types.reduce((sum, type) => sum + type[key], 0);
      migration.result.detail = `${total('read')} of ${total('source')} source documents read (every type), ${total('written')} written, ${total('quarantined')} quarantined`;
    }
  } catch (error) {
    migration.error = `the check itself failed: ${(error as Error).message}`;
  }
  return migration;
}
