// Every subcommand of the built `a4c-admin` binary, run as a child process against the real
// node and one sample A4C 1.1.0 installation: the seed's spellings, `--json` (one document on
// stdout, NDJSON events on stderr), plain output in a pipe, and the exit status of each
// category of failure. The tests run in order and share the installation, as an operator's
// session would.

import { execFile } from 'node:child_process';
import { appendFile, readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createElasticsearchClient } from '@a4c-admin/es-snapshot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { treeFingerprint } from '../api/installation.test-support.js';
import {
  type BinaryRun,
  buildProviderArchive,
  createE2eInstallation,
  describeRun,
  type E2eInstallation,
  ESCAPE_SEQUENCE,
  parseEvents,
  parseJsonResult,
  runBinary,
} from './binary.test-support.js';

const execFileAsync = promisify(execFile);

function expectExit(run: BinaryRun, code: number): void {
  expect(run.code, describeRun(run)).toBe(code);
}

describe('the a4c-admin binary against a real node', () => {
  let installation: E2eInstallation;
  let client: ReturnType<typeof createElasticsearchClient>;
  const index = (name: string) => `${installation.prefix}${name}`;
  const count = async (name: string) => (await client.count({ index: index(name) })).count;
  const exists = (name: string) => client.indices.exists({ index: index(name) });
  const listed = async () =>
    parseJsonResult<{ backups: Array<{ name: string; state: string }> }>(await installation.run(['list', '--json'])).result.backups.map(
      (backup) => `${backup.name}:${backup.state}`,
    );

  beforeAll(async () => {
    installation = await createE2eInstallation();
    client = createElasticsearchClient({ addresses: [installation.url] });
  });

  afterAll(async () => {
    await client?.close();
    await installation?.cleanup();
  });

  it('prints its version and help with examples, without a configuration', async () => {
    const packageJson = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const version = await runBinary(['--version']);
    expectExit(version, 0);
    expect(version.stdout.trim()).toBe(packageJson.version);

    const help = await runBinary(['--help']);
    expectExit(help, 0);
    for (const command of ['backup', 'restore', 'migrate', 'verify', 'list', 'delete', 'prune', 'doctor', 'plugins', 'config']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    expect(help.stdout).toContain('Exit status:');
    for (const command of [['backup'], ['restore'], ['migrate'], ['plugins', 'swap'], ['prune']]) {
      const commandHelp = await runBinary([...command, '--help']);
      expectExit(commandHelp, 0);
      expect(commandHelp.stdout, command.join(' ')).toMatch(/Examples:\n {2}\$ a4c-admin /);
    }
  });

  it('validates the configuration and prints its JSON Schema', async () => {
    const text = await installation.run(['config', 'validate']);
    expectExit(text, 0);
    expect(text.stdout).toContain(`ok: ${installation.configFile} is a valid configuration`);

    const json = parseJsonResult<{ valid: boolean; config: { alien4cloud: { dir: string }; elasticsearch: { index_prefix: string } } }>(
      await installation.run(['config', 'validate', '--json']),
    );
    expect(json).toMatchObject({ ok: true, command: 'config validate', result: { valid: true } });
    expect(json.result.config.alien4cloud.dir).toBe(installation.dataDir);
    expect(json.result.config.elasticsearch.index_prefix).toBe(installation.prefix);

    const schema = await runBinary(['config', 'schema']);
    expectExit(schema, 0);
    const parsed = JSON.parse(schema.stdout) as { $schema: string; properties: Record<string, unknown>; required: string[] };
    expect(parsed.$schema).toMatch(/json-schema\.org/);
    expect(Object.keys(parsed.properties)).toEqual(expect.arrayContaining(['elasticsearch', 'backup', 'alien4cloud', 'exporter', 'poller']));

    const invalid = join(installation.folder, 'invalid.yml');
    await writeFile(invalid, 'elasticsearch:\n  addresses: [ftp://nowhere]\n');
    const refused = await runBinary(['-c', invalid, 'config', 'validate']);
    expectExit(refused, 3);
    expect(refused.stderr).toMatch(/error: Invalid configuration .*3 problems/);
    expect(refused.stderr).toContain('elasticsearch.addresses[0]: must be an http:// or https:// URL');
  });

  it('runs doctor: one plain line per check in a pipe, the same checks as JSON', async () => {
    const text = await installation.run(['doctor']);
    expectExit(text, 0);
    expect(text.stdout + text.stderr).not.toMatch(ESCAPE_SEQUENCE);
    expect(text.stdout).toMatch(/^ok +cluster: /m);
    expect(text.stdout).toMatch(new RegExp(`^ok +snapshot repository: ${installation.repositoryName} .*verified by 1 node`, 'm'));
    expect(text.stdout).toMatch(/^ok +lock: no operation running/m);

    const json = parseJsonResult<{ ok: boolean; checks: Array<{ name: string; status: string; fix?: string }> }>(await installation.run(['doctor', '--json']));
    expect(json.result.ok).toBe(true);
    expect(json.result.checks.map((check) => check.name)).toEqual(
      expect.arrayContaining(['cluster', 'snapshot repository', 'data folder', 'backup folder', 'lock']),
    );
    for (const check of json.result.checks) {
      expect(['ok', 'warn', 'fail']).toContain(check.status);
      if (check.status !== 'ok') expect(check.fix, check.name).toBeTruthy();
    }
  });

  it("backs up with the seed's spelling, printing plain progress lines in a pipe", async () => {
    const run = await installation.run(['-backup', '1.1.0', '-n', 'backup110']);
    expectExit(run, 0);
    expect(run.stdout).toContain(`backup "backup110" of A4C 1.1.0`);
    expect(run.stdout).toMatch(/34 indices, \d+ documents in snapshot backup110/);
    // Not a terminal: no escape codes, no carriage returns redrawing a bar; lines that say when steps start and end.
    expect(run.stdout + run.stderr).not.toMatch(ESCAPE_SEQUENCE);
    expect(run.stderr).not.toContain('\r');
    for (const phase of ['preflight', 'snapshot', 'files', 'manifest']) {
      expect(run.stderr).toMatch(new RegExp(`^\\[ *\\d+\\.\\ds\\] backup ${phase} started`, 'm'));
      expect(run.stderr).toMatch(new RegExp(`^\\[ *\\d+\\.\\ds\\] backup ${phase} done`, 'm'));
    }
    expect((await stat(join(installation.backupDir, 'backup110', 'manifest.json'))).isFile()).toBe(true);
  });

  it('backs up with --json: one result document on stdout, NDJSON progress events on stderr', async () => {
    const run = await installation.run(['backup', '1.1.0', '-n', 'second', '--json']);
    expectExit(run, 0);
    const output = parseJsonResult<{
      name: string;
      version: string;
      format: string;
      indices: Array<{ name: string; docCount: number }>;
      files: number;
      folder: string;
    }>(run);
    expect(output).toMatchObject({ ok: true, command: 'backup', result: { name: 'second', version: '1.1.0', format: 'snapshot' } });
    expect(output.result.indices).toHaveLength(34);
    expect(output.result.indices.find((entry) => entry.name === index('application'))?.docCount).toBe(await count('application'));
    expect(output.result.folder).toBe(join(installation.backupDir, 'second'));

    const events = parseEvents(run);
    expect(events.length).toBeGreaterThan(5);
    for (const event of events) {
      expect(['progress', 'warning']).toContain(event.type);
      if (event.type === 'progress') {
        expect(typeof event.operation).toBe('string');
        expect(typeof event.elapsedMs).toBe('number');
        expect(['start', 'progress', 'end', 'info', 'warning']).toContain(event.kind);
      }
    }
    const backupPhases = events.filter((event) => event.operation === 'backup' && event.kind === 'end').map((event) => event.phase);
    expect(backupPhases).toEqual(['preflight', 'snapshot', 'files', 'manifest']);
    const filesEnd = events.find((event) => event.operation === 'files' && event.kind === 'end');
    expect(filesEnd).toMatchObject({ done: output.result.files });

    expect(await listed()).toEqual(['second:complete', 'backup110:complete']);
    const table = await installation.run(['list']);
    expectExit(table, 0);
    expect(table.stdout).toMatch(/^NAME +STATE +VERSION +FORMAT/);
    expect(table.stdout).toMatch(/^second +complete +1\.1\.0 +snapshot/m);
  });

  it('verifies a backup, by argument and by -n', async () => {
    const text = await installation.run(['verify', 'backup110']);
    expectExit(text, 0);
    expect(text.stdout).toMatch(/backup "backup110" is whole: manifest, \d+ files, 2 config files, snapshot backup110 SUCCESS/);
    const json = parseJsonResult<{ ok: boolean }>(await installation.run(['verify', '-n', 'second', '--json']));
    expect(json).toMatchObject({ ok: true, command: 'verify', result: { ok: true } });
  });

  it('plans a restore with --dry-run and changes nothing, then restores with the seed spelling', async () => {
    const documents = await count('application');
    const files = await treeFingerprint(installation.dataDir);
    const image = Object.keys(files).find((path) => path.startsWith('images/'))!;
    await client.indices.delete({ index: index('application') });
    await unlink(join(installation.dataDir, image));

    const dryRun = await installation.run(['restore', '1.1.0', '-n', 'backup110', '--dry-run', '--json', '--yes']);
    expectExit(dryRun, 0);
    const plan = parseJsonResult<{ plan: { indices: Array<{ name: string; action: string }>; parts: Array<{ part: string }> } }>(dryRun).result.plan;
    expect(plan.indices).toHaveLength(34);
    expect(plan.indices.find((entry) => entry.name === index('application'))).toBeTruthy();
    expect(plan.parts.map((part) => part.part)).toEqual(['csar', 'artifacts', 'images', 'plugins', 'work/plugins']);
    expect(await exists('application')).toBe(false);
    expect((await treeFingerprint(installation.dataDir))[image]).toBeUndefined();

    const restored = await installation.run(['-restore', '1.1.0', '-n', 'backup110', '--yes']);
    expectExit(restored, 0);
    expect(restored.stdout).toMatch(/restored "backup110" \(A4C 1\.1\.0\)/);
    expect(await count('application')).toBe(documents);
    expect(await treeFingerprint(installation.dataDir)).toEqual(files);
  });

  it('restores only the chosen --indices and --parts', async () => {
    const files = await treeFingerprint(installation.dataDir);
    const image = Object.keys(files).find((path) => path.startsWith('images/'))!;
    const artifact = Object.keys(files).find((path) => path.startsWith('artifacts/'))!;
    const users = await count('user');
    await client.indices.delete({ index: [index('application'), index('topology'), index('user')] });
    await unlink(join(installation.dataDir, image));
    await unlink(join(installation.dataDir, artifact));

    const run = await installation.run(['restore', '1.1.0', '-n', 'backup110', '--indices', 'application,topology', '--parts', 'images', '--json', '--yes']);
    expectExit(run, 0);
    const result = parseJsonResult<{ plan: { indices: Array<{ name: string }>; parts: Array<{ part: string }> } }>(run).result;
    expect(result.plan.indices.map((entry) => entry.name)).toEqual([index('application'), index('topology')]);
    expect(result.plan.parts.map((part) => part.part)).toEqual(['images']);
    expect(await exists('application')).toBe(true);
    expect(await exists('topology')).toBe(true);
    expect(await exists('user')).toBe(false);
    const after = await treeFingerprint(installation.dataDir);
    expect(after[image]).toBe(files[image]);
    expect(after[artifact]).toBeUndefined();

    // Put the rest back for the next tests (and show that the rest restores on its own).
    expectExit(await installation.run(['restore', '1.1.0', '-n', 'backup110', '--indices', 'user', '--parts', 'artifacts', '--yes']), 0);
    expect(await count('user')).toBe(users);
    expect(await treeFingerprint(installation.dataDir)).toEqual(files);
  });

  it('leaves the config files as they are with --no-config-files (a restore on a new host)', async () => {
    const configFile = installation.alien4cloudConfigFile;
    const original = await readFile(configFile, 'utf8');
    await appendFile(configFile, '# edited on the new host\n');
    const edited = await readFile(configFile, 'utf8');
    try {
      const dryRun = await installation.run(['restore', '1.1.0', '-n', 'backup110', '--no-config-files', '--dry-run', '--json']);
      expectExit(dryRun, 0);
      expect(parseJsonResult<{ plan: { configFiles: string[] } }>(dryRun).result.plan.configFiles).toEqual([]);
      expectExit(await installation.run(['restore', '1.1.0', '-n', 'backup110', '--indices', 'user', '--parts', 'artifacts', '--no-config-files', '--yes']), 0);
      expect(await readFile(configFile, 'utf8')).toBe(edited);
      // Without the flag the backup's copy goes back.
      expectExit(await installation.run(['restore', '1.1.0', '-n', 'backup110', '--indices', 'user', '--parts', 'artifacts', '--yes']), 0);
      expect(await readFile(configFile, 'utf8')).toBe(original);
    } finally {
      await writeFile(configFile, original);
    }
  });

  it('refuses a --hot restore that would touch orchestrator or plugin data, and allows a harmless one', async () => {
    const files = await treeFingerprint(installation.dataDir);
    const refused = await installation.run(['restore', '1.1.0', '-n', 'backup110', '--hot', '--yes']);
    expectExit(refused, 5);
    expect(refused.stderr).toMatch(/error: A hot restore would change orchestrator or plugin data \(.*orchestrator.*plugin/);
    expect(refused.stderr).toMatch(/hint: Stop A4C and restore without --hot, or limit the restore with --indices \/ --parts/);
    const json = parseJsonResult(await installation.run(['restore', '1.1.0', '-n', 'backup110', '--hot', '--json', '--yes']));
    expect(json).toMatchObject({ ok: false, command: 'restore', error: { code: 'PRECONDITION_FAILED', category: 'precondition', exitCode: 5 } });
    expect(await treeFingerprint(installation.dataDir)).toEqual(files);

    const harmless = await installation.run(['restore', '1.1.0', '-n', 'backup110', '--hot', '--indices', 'application', '--parts', 'images', '--yes']);
    expectExit(harmless, 0);
  });

  it('exits with the status of each category of failure, and says what to do', async () => {
    const usage = await runBinary(['frobnicate']);
    expectExit(usage, 2);
    expect(usage.stderr).toContain("error: unknown command 'frobnicate'");
    expectExit(await installation.run(['restore', '1.1.0', '--yes']), 2);
    const usageJson = parseJsonResult(await installation.run(['restore', '1.1.0', '--json', '--yes']));
    expect(usageJson).toMatchObject({ ok: false, command: 'restore', error: { code: 'USAGE', category: 'usage', exitCode: 2 } });
    const both = await installation.run(['migrate', '1.1.0', '--rollback', '--finalize', '--yes']);
    expectExit(both, 2);
    expect(both.stderr).toContain('--rollback and --finalize cannot be used together');

    // config: no file where the seed kept it, none given.
    const noConfig = await runBinary(['list'], { cwd: installation.dataDir });
    expectExit(noConfig, 3);
    expect(noConfig.stderr).toMatch(/error: No configuration: .*config\/admin-tool-config\.yml does not exist/);
    expectExit(await runBinary(['-c', join(installation.folder, 'nowhere.yml'), 'list']), 3);

    // cluster: nothing listens at the address (no retries, so that the test stays short).
    const deadConfig = join(installation.folder, 'dead-cluster.yml');
    const config = JSON.parse(await readFile(installation.configFile, 'utf8')) as { elasticsearch: Record<string, unknown> };
    await writeFile(deadConfig, JSON.stringify({ ...config, elasticsearch: { ...config.elasticsearch, addresses: ['http://127.0.0.1:9'], max_retries: 0 } }));
    const dead = await runBinary(['-c', deadConfig, 'backup', '1.1.0', '-n', 'never', '--json']);
    expectExit(dead, 4);
    expect(parseJsonResult(dead).error).toMatchObject({ code: 'CLUSTER_UNREACHABLE', category: 'cluster', exitCode: 4 });

    // precondition: unknown backup, wrong version, a name already taken.
    const unknown = await installation.run(['restore', '1.1.0', '-n', 'nosuchbackup', '--yes']);
    expectExit(unknown, 5);
    expect(unknown.stderr).toMatch(/^error: .*nosuchbackup/m);
    expect(unknown.stderr).toMatch(/^hint: /m);
    expect(parseJsonResult(await installation.run(['restore', '1.2.0', '-n', 'backup110', '--json', '--yes'])).error).toMatchObject({
      code: 'VERSION_MISMATCH',
      exitCode: 5,
    });
    expect(parseJsonResult(await installation.run(['backup', '1.1.0', '-n', 'backup110', '--json'])).error).toMatchObject({
      code: 'BACKUP_EXISTS',
      exitCode: 5,
    });
    expectExit(await installation.run(['delete', 'nosuchbackup', '--yes']), 5);

    // verification: a file of a backup altered after the fact.
    const manifest = JSON.parse(await readFile(join(installation.backupDir, 'second', 'manifest.json'), 'utf8')) as { files: Array<{ path: string }> };
    const stored = join(installation.backupDir, 'second', 'files', manifest.files[0]!.path);
    const original = await readFile(stored);
    await appendFile(stored, 'tampered');
    const tampered = await installation.run(['verify', 'second', '--json']);
    expectExit(tampered, 6);
    expect(parseJsonResult(tampered)).toMatchObject({ ok: false, command: 'verify' });
    expect(parseJsonResult(tampered).error).toMatchObject({ code: 'CHECKSUM_MISMATCH', category: 'verification', exitCode: 6 });
    await writeFile(stored, original);
    expectExit(await installation.run(['verify', 'second']), 0);

    // locked: a live process (this one) holds the lock of the backup folder.
    const lockFile = join(installation.backupDir, '.a4c-admin.lock');
    const now = new Date().toISOString();
    await writeFile(
      lockFile,
      `${JSON.stringify({ owner: `${userInfo().username}@${hostname()}`, operation: 'backup', host: hostname(), pid: process.pid, startedAt: now, heartbeatAt: now, token: 'e2e' })}\n`,
    );
    try {
      const locked = await installation.run(['backup', '1.1.0', '-n', 'while-locked']);
      expectExit(locked, 7);
      expect(locked.stderr).toMatch(new RegExp(`error: .*held by "backup" \\(pid ${process.pid}`));
    } finally {
      await unlink(lockFile);
    }
    expect(await listed()).toEqual(['second:complete', 'backup110:complete']);

    // partial: a document no rule can transform stops the migration half-way: the 1.1.0 view
    // stays, and stays writable, so the operator can follow the hint and delete the document.
    await client.index({
      index: index('indexednodetype'),
      id: 'broken:1.0',
      document: { elementId: 'broken', archiveVersion: '1.0', properties: 'not a map' },
      refresh: true,
    });
    const partial = await installation.run(['migrate', '1.1.0', '--skip-backup', 'backup110', '--json']);
    expectExit(partial, 8);
    expect(parseJsonResult(partial).error).toMatchObject({ code: 'TRANSFORM_FAILED', category: 'partial', exitCode: 8, details: { id: 'broken:1.0' } });
    const aliases = await client.indices.getAlias({ name: index('indexednodetype') }, { ignore: [404] });
    expect(Object.keys(aliases).filter((name) => name.endsWith('-v1.2.0'))).toEqual([]);
    await client.delete({ index: index('indexednodetype'), id: 'broken:1.0', refresh: true });
  });

  it('migrates: --dry-run changes nothing, -migrate swaps to 1.2.0, --rollback and --finalize', async () => {
    const nodeTypes = await count('indexednodetype');
    const layout = async () => {
      const indices = await client.cat.indices({ index: `${installation.prefix}*`, h: 'index,docs.count', format: 'json' });
      const aliases = await client.cat.aliases({ name: `${installation.prefix}*`, h: 'alias,index', format: 'json' });
      return { indices: indices.map((row) => `${row.index}=${row['docs.count']}`).sort(), aliases: aliases.map((row) => `${row.alias}->${row.index}`).sort() };
    };
    const before = await layout();
    const dryRun = await installation.run(['migrate', '1.1.0', '--dry-run']);
    expectExit(dryRun, 0);
    expect(dryRun.stdout).toMatch(/^dry run 1\.1\.0 -> 1\.2\.0: nothing was changed in the cluster$/m);
    // Counts per rule and per index, and where the full report is.
    expect(dryRun.stdout).toMatch(/^step 1\.1\.0 -> 1\.2\.0: \d+ documents read in \d+ indices, \d+ would be written, 0 would fail$/m);
    expect(dryRun.stdout).toMatch(/^ {4}RULE +DOCUMENTS$/m);
    expect(dryRun.stdout).toMatch(/^ {4}R1-property-default +\d+$/m);
    expect(dryRun.stdout).toMatch(/^ {4}INDEX +READ +WRITE +FAIL$/m);
    expect(dryRun.stdout).toMatch(/^ {4}indexednodetype +\d+ +\d+ +0$/m);
    expect(dryRun.stdout).toMatch(/^full report: .*migration-dry-run-\d+\/report\.json/m);
    expect(await layout()).toEqual(before);

    const migrated = await installation.run(['-migrate', '1.1.0']);
    expectExit(migrated, 0);
    expect(migrated.stdout).toMatch(/migrated 1\.1\.0 -> 1\.2\.0: \d+ documents \(pre-migration backup: (pre-migrate-\d+)\)/);
    const preMigration = /pre-migration backup: (pre-migrate-\d+)/.exec(migrated.stdout)![1]!;
    expect(await listed()).toContain(`${preMigration}:complete`);
    expect(Object.keys(await client.indices.getAlias({ name: index('indexednodetype') }))).toEqual([`${index('indexednodetype')}-v1.2.0`]);
    expect(await count('indexednodetype')).toBe(nodeTypes);
    // 1.2.0 keeps TOSCA properties as a list of {key, value}.
    const migratedType = await client.search<{ properties?: unknown }>({ index: index('indexednodetype'), size: 100 });
    expect(migratedType.hits.hits.some((hit) => Array.isArray(hit._source?.properties))).toBe(true);

    const rollback = await installation.run(['migrate', '1.1.0', '--rollback', '--json', '--yes']);
    expectExit(rollback, 0);
    expect(parseJsonResult(rollback)).toMatchObject({ ok: true, command: 'migrate' });
    expect(Object.keys(await client.indices.getAlias({ name: index('indexednodetype') }))).toEqual([`${index('indexednodetype')}-v1.1.0`]);

    expectExit(await installation.run(['migrate', '1.1.0', '--skip-backup', 'backup110']), 0);
    const finalize = await installation.run(['migrate', '1.1.0', '--finalize', '--yes']);
    expectExit(finalize, 0);
    expect(finalize.stdout).toMatch(/finalized 1\.2\.0: deleted 34 pre-migration indices/);
    expect(await client.indices.exists({ index: `${index('indexednodetype')}-v1.1.0` })).toBe(false);
    // The marker now says 1.2.0: a backup without a version takes it from there.
    const after = parseJsonResult<{ version: string }>(await installation.run(['backup', '-n', 'after-migration', '--json']));
    expect(after.result.version).toBe('1.2.0');
    // Going back to the 1.1.0 backup would also delete what 1.2.0 added: the dry run says so.
    const backToOld = await installation.run(['restore', '1.1.0', '-n', 'backup110', '--dry-run', '--yes']);
    expectExit(backToOld, 0);
    expect(backToOld.stdout).toMatch(
      // The strays follow, one per line, indented: the 1.2.0 index the migration added.
      new RegExp(
        `would delete \\d+ ind(?:ex|ices) the backup does not hold \\(added since, e\\.g\\. by a migration\\):\\n(?: {2}.*\\n)*? {2}${index('suggestionentry')}-v1\\.2\\.0$`,
        'm',
      ),
    );
  });

  it('verifies plugins and swaps a plugin\u2019s code with an archive built here', async () => {
    const verified = parseJsonResult<{ checked: number; ok: boolean }>(await installation.run(['plugins', 'verify', '--json']));
    expect(verified.result).toMatchObject({ checked: 2, ok: true });

    // The 1.2.0 provider: the 1.1.0 plugin's files with a new version and new code.
    const archive = join(installation.folder, 'alien4cloud-cloudify3-provider-1.2.0.zip');
    await buildProviderArchive(installation, archive);

    const before = await treeFingerprint(join(installation.dataDir, 'work'));
    const dryRun = await installation.run(['plugins', 'swap', 'alien-cloudify-3-orchestrator', '--archive', archive, '--dry-run']);
    expectExit(dryRun, 0);
    expect(dryRun.stdout).toMatch(/dry run: would replace .*work\/plugins\/content\/[0-9a-f-]+ \(plugin alien-cloudify-3-orchestrator:1\.1\.0\)/);
    expect(await treeFingerprint(join(installation.dataDir, 'work'))).toEqual(before);

    const swapped = parseJsonResult<{ folder: string; previous: string; descriptor: { id: string; version: string } }>(
      await installation.run(['plugins', 'swap', 'alien-cloudify-3-orchestrator', '--archive', archive, '--json']),
    );
    expect(swapped.result.descriptor).toMatchObject({ id: 'alien-cloudify-3-orchestrator', version: '1.2.0' });
    expect(await readFile(join(swapped.result.folder, 'ui', 'plugin.js'), 'utf8')).toBe('// cloudify 3 provider 1.2.0\n');
    expect(await readFile(join(swapped.result.previous, 'META-INF', 'plugin.yml'), 'utf8')).toMatch(/^version: 1\.1\.0$/m);

    const notAPlugin = join(installation.folder, 'not-a-plugin.zip');
    await execFileAsync('zip', ['-qj', notAPlugin, installation.configFile]);
    const invalid = await installation.run(['plugins', 'swap', 'alien-cloudify-3-orchestrator', '--archive', notAPlugin]);
    expectExit(invalid, 6);
    expect(invalid.stderr).toMatch(/error: .*is not an A4C plugin/);
  });

  it('prunes with --dry-run (nothing deleted), then for real; deletes by name', async () => {
    const before = await listed();
    expect(before.length).toBeGreaterThanOrEqual(4);
    const dryRun = await installation.run(['prune', '--keep-last', '2', '--dry-run', '--yes']);
    expectExit(dryRun, 0);
    expect(dryRun.stdout).toMatch(new RegExp(`would delete ${before.length - 2}: `));
    expect(await listed()).toEqual(before);

    const noRule = await installation.run(['prune']);
    expectExit(noRule, 2);

    const pruned = parseJsonResult<{ deleted: string[]; kept: Array<{ name: string }> }>(
      await installation.run(['prune', '--keep-last', '2', '--json', '--yes']),
    );
    expect(pruned.result.kept.map((entry) => entry.name)).toEqual(before.slice(0, 2).map((entry) => entry.split(':')[0]));
    expect(pruned.result.deleted).toHaveLength(before.length - 2);
    expect(await listed()).toEqual(before.slice(0, 2));
    const snapshots = await client.snapshot.get({ repository: installation.repositoryName, snapshot: '_all' });
    expect(snapshots.snapshots!.map((snapshot) => snapshot.snapshot).sort()).toEqual(
      before
        .slice(0, 2)
        .map((entry) => entry.split(':')[0])
        .sort(),
    );

    const [newest] = before[0]!.split(':');
    const deleted = await installation.run(['delete', newest!, '--yes']);
    expectExit(deleted, 0);
    expect(await listed()).toEqual(before.slice(1, 2));
    await expect(stat(join(installation.backupDir, newest!))).rejects.toThrow();
  });

  it('leaves no partial folder nor lock in backup.files_dir', async () => {
    // Migrations share backup.files_dir's lock now (no `.migration/` folder); nothing hidden may stay behind.
    const entries = await readdir(installation.backupDir);
    expect(entries.filter((entry) => entry.startsWith('.') && entry !== '.migration')).toEqual([]);
    expect(await readdir(join(installation.backupDir, '.migration')).catch(() => [])).toEqual([]);
  });
});
