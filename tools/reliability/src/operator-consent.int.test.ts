// An operator's ordinary mistakes must not destroy anything: a config that leads to another
// cluster, a command run from a script without confirmation, a restore or a migration
// under a live A4C that no `alien4cloud.url` names, and a password in the config or the
// environment. Every refusal is checked against a fingerprint of the folders (every file's
// mode and SHA-256) and of the cluster (indices, counts, aliases, snapshots).
import { spawn } from 'node:child_process';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createTcpServer, type Socket, type Server as TcpServer } from 'node:net';
import { join } from 'node:path';
import { commandExists, testElasticsearch } from '@a4c-admin/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterState, treeState } from './installation-state.js';
import { assertBinaryBuilt, BINARY, describeRun, runToolPatiently, type ToolRun } from './run-tool.js';
import { findSecrets, secretForms } from './secret-leaks.js';
import { createTestInstallation, type TestInstallation } from './test-installation.js';
import { FULL_TRIALS } from './trial-settings.js';

const INDICES = ['application', 'user', 'plugin', 'csar'];

describe('an operator\u2019s ordinary mistakes destroy nothing', () => {
  let installation: TestInstallation;
  let clusterName: string;
  let a4cYaml: string;
  let originalA4cYaml: string;
  const servers: Array<HttpServer | TcpServer> = [];
  const sockets: Socket[] = [];

  const tool = (args: string[], config = installation.configFile, env: Record<string, string> = {}) =>
    runToolPatiently(['-c', config, ...args], { env, timeoutMs: 120_000 });
  const state = async () => ({
    tree: await treeState(installation.root),
    cluster: await clusterState(installation.client, installation.prefix, installation.repository.name),
  });
  const expectRefused = (run: ToolRun, status: number, code: string) => {
    expect(run.status, describeRun(run)).toBe(status);
    expect(run.json?.error?.code, describeRun(run)).toBe(code);
  };

  beforeAll(async () => {
    assertBinaryBuilt();
    const es = testElasticsearch();
    installation = await createTestInstallation({
      urls: [es.url],
      repoPath: es.repoPath || '/var/tmp/a4c-admin-es/nodes/test/repo',
      indices: INDICES,
      label: 'rel-consent',
    });
    clusterName = (await installation.client.cluster.health()).cluster_name;
    a4cYaml = installation.configFiles[0]!;
    originalA4cYaml = await readFile(a4cYaml, 'utf8');
    for (const name of ['older', 'base']) {
      const run = await tool(['--json', 'backup', '1.1.0', '-n', name]);
      expect(run.status, describeRun(run)).toBe(0);
    }
  }, 300_000);

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    await installation?.cleanup();
  });

  /** A port on 127.0.0.1 held by `server` (kept until the suite ends). */
  async function listen(server: HttpServer | TcpServer): Promise<number> {
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }
  /** A port where nothing listens: bound once, then released. */
  async function closedPort(): Promise<number> {
    const server = createTcpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return port;
  }
  const a4cLike = () => listen(createHttpServer((_request, response) => response.end('<html><head><title>Alien4Cloud</title></head></html>')));
  const otherHttp = () => listen(createHttpServer((_request, response) => response.end('hello from another program')));
  const silent = () =>
    listen(
      createTcpServer((socket) => {
        // Accepts and never answers: a hung A4C, or a port forwarded nowhere.
        sockets.push(socket);
      }),
    );

  describe('class 8: a config that leads to another cluster', () => {
    const commands = (base: string): string[][] => [
      ['restore', '1.1.0', '-n', base, '--yes'],
      ['restore', '1.1.0', '-n', base, '--dry-run'],
      ['migrate', '1.1.0', '--yes'],
      ['migrate', '1.1.0', '--dry-run'],
      ['migrate', '1.1.0', '--rollback', '--yes'],
      ['migrate', '1.1.0', '--finalize', '--yes'],
      ['delete', base, '--yes'],
      ['prune', '--keep-last', '1', '--yes'],
      ['verify', base],
      ['list'],
      ['backup', '1.1.0', '-n', 'elsewhere'],
      ['doctor'],
      ['plugins', 'verify'],
    ];

    // The second name is a variation for the full trials (A4C_TRIALS=full): each is 13 runs.
    for (const wrong of FULL_TRIALS ? ['production-a4c', 'renamed-cluster-old'] : ['renamed-cluster-old']) {
      it(`every command that reads or changes the cluster refuses a cluster not named "${wrong}", changing nothing`, async () => {
        const config = await installation.writeConfig({ cluster_name: wrong }, join(installation.root, 'config', `wrong-${wrong}.yml`));
        const before = await state();
        for (const args of commands('base')) {
          const run = await tool(['--json', ...args], config);
          expect(run.status, describeRun(run)).toBe(5);
          expect(run.json?.error?.message, describeRun(run)).toContain(`"${wrong}"`);
          expect(run.json?.error?.message, describeRun(run)).toContain(`"${clusterName}"`);
        }
        expect(await state()).toEqual(before);
      }, 300_000);
    }
  });

  describe('class 11: nothing is removed or replaced without the operator\u2019s yes', () => {
    const destructive: string[][] = [
      ['restore', '1.1.0', '-n', 'base'],
      ['-restore', '1.1.0', '-n', 'older'],
      ['delete', 'base'],
      ['remove', '-n', 'older'],
      ['prune', '--keep-last', '0'],
      ['prune', '--keep-daily', '0', '--keep-weekly', '0'],
      ['migrate', '1.1.0', '--rollback'],
      ['migrate', '1.1.0', '--finalize'],
    ];

    it('a run without a terminal and without --yes is a usage error naming --yes, in text and --json, and changes nothing', async () => {
      const before = await state();
      for (const args of destructive) {
        const json = await tool(['--json', ...args]);
        expectRefused(json, 2, 'USAGE');
        expect(`${json.json?.error?.message} ${json.json?.error?.hint}`).toContain('--yes');
        const text = await tool(args);
        expect(text.status, describeRun(text)).toBe(2);
        expect(text.stderr).toMatch(/error: .*confirmation[\s\S]*hint: .*--yes/);
      }
      // Dry runs never ask.
      expect((await tool(['restore', '1.1.0', '-n', 'base', '--dry-run'])).status).toBe(0);
      expect((await tool(['prune', '--keep-last', '1', '--dry-run'])).status).toBe(0);
      expect(await state()).toEqual(before);
    }, 300_000);

    it.skipIf(!commandExists('script'))(
      'on a terminal it shows the plan and asks: "n" changes nothing, "y" goes ahead',
      async () => {
        const before = await state();
        const declined = await onTerminal(['-c', installation.configFile, 'delete', 'older'], 'n');
        expect(declined.output).toContain('[y/N]');
        expect(declined.output).toMatch(/delete would remove backup "older"/);
        expect(declined.status, declined.output).toBe(130);
        const declinedRestore = await onTerminal(['-c', installation.configFile, 'restore', '1.1.0', '-n', 'base'], '');
        expect(declinedRestore.output).toMatch(/would replace \d+ indices/);
        expect(declinedRestore.status, declinedRestore.output).toBe(130);
        const declinedPrune = await onTerminal(['-c', installation.configFile, 'prune', '--keep-last', '1'], 'no');
        expect(declinedPrune.output).toMatch(/would delete 1: older/);
        expect(declinedPrune.status, declinedPrune.output).toBe(130);
        expect(await state()).toEqual(before);

        const accepted = await onTerminal(['-c', installation.configFile, 'prune', '--keep-last', '1'], 'y');
        expect(accepted.status, accepted.output).toBe(0);
        expect(accepted.output).toMatch(/deleted 1: older/);
        const after = await state();
        expect(Object.keys(after.tree).some((path) => path.startsWith('backups/older'))).toBe(false);
        expect(Object.keys(after.tree).some((path) => path.startsWith('backups/base'))).toBe(true);
        // Taken again for the tests that follow.
        expect((await tool(['backup', '1.1.0', '-n', 'older'])).status).toBe(0);
      },
      300_000,
    );
  });

  describe('class 10: A4C found without alien4cloud.url; unknown is never taken for stopped', () => {
    const withServerPort = async (port: number, dotted: boolean) =>
      writeFile(a4cYaml, `${originalA4cYaml}${dotted ? `server.port: ${port}\nserver.address: 127.0.0.1\n` : `server:\n  port: ${port}\n`}`);

    // Both spellings in the full tier (A4C_TRIALS=full); the dotted one, the harder to read, by default.
    for (const dotted of FULL_TRIALS ? [false, true] : [true]) {
      it(`restore and migrate, with server.port in the A4C yaml (${dotted ? 'dotted keys' : 'nested keys'})`, async () => {
        // A4C answers: refused.
        await withServerPort(await a4cLike(), dotted);
        let before = await state();
        expectRefused(await tool(['--json', 'restore', '1.1.0', '-n', 'base', '--yes']), 5, 'A4C_RUNNING');
        expectRefused(await tool(['--json', 'restore', '1.1.0', '-n', 'base', '--yes', '--a4c-stopped']), 5, 'A4C_RUNNING');
        expectRefused(await tool(['--json', 'migrate', '1.1.0', '--yes']), 5, 'A4C_RUNNING');
        expect(await state()).toEqual(before);

        // Accepts the connection, never answers: unknown, refused without the operator's word.
        await withServerPort(await silent(), dotted);
        before = await state();
        const unknown = await tool(['--json', 'restore', '1.1.0', '-n', 'base', '--yes']);
        expectRefused(unknown, 5, 'A4C_STATE_UNKNOWN');
        expect(unknown.json?.error?.hint).toContain('--a4c-stopped');
        expectRefused(await tool(['--json', 'migrate', '1.1.0', '--yes']), 5, 'A4C_STATE_UNKNOWN');
        expectRefused(await tool(['--json', 'migrate', '1.1.0', '--rollback', '--yes']), 5, 'A4C_STATE_UNKNOWN');
        expect(await state()).toEqual(before);
        const dryRun = await tool(['restore', '1.1.0', '-n', 'base', '--dry-run']);
        expect(dryRun.status, describeRun(dryRun)).toBe(0);
        expect(dryRun.stdout).toMatch(/A4C: unknown .*--a4c-stopped/);
        const vouched = await tool(['--json', 'restore', '1.1.0', '-n', 'base', '--yes', '--a4c-stopped']);
        expect(vouched.status, describeRun(vouched)).toBe(0);

        // Nothing listens anywhere: stopped, the restore runs.
        await withServerPort(await closedPort(), dotted);
        const stopped = await tool(['--json', 'restore', '1.1.0', '-n', 'base', '--yes']);
        expect(stopped.status, describeRun(stopped)).toBe(0);
      }, 300_000);
    }

    it('alien4cloud.url that accepts but never answers, or a guessed port that answers as another program, is unknown', async () => {
      await writeFile(a4cYaml, originalA4cYaml);
      const silentUrl = await installation.writeConfig({}, join(installation.root, 'config', 'silent-url.yml'));
      const config = JSON.parse(await readFile(silentUrl, 'utf8')) as { alien4cloud: Record<string, unknown> };
      config.alien4cloud.url = `http://127.0.0.1:${await silent()}/alien4cloud`;
      await writeFile(silentUrl, JSON.stringify(config), { mode: 0o600 });
      const otherPort = await otherHttp();
      await appendFile(a4cYaml, `server:\n  port: ${otherPort}\n`);
      const before = await state();
      const silentRun = await tool(['--json', 'restore', '1.1.0', '-n', 'base', '--yes'], silentUrl);
      expectRefused(silentRun, 5, 'A4C_STATE_UNKNOWN');
      expect(silentRun.json?.error?.message).toMatch(/did not answer within/);
      const other = await tool(['--json', 'restore', '1.1.0', '-n', 'base', '--yes']);
      expectRefused(other, 5, 'A4C_STATE_UNKNOWN');
      expect(other.json?.error?.message).toMatch(new RegExp(`${otherPort}.*not as Alien4Cloud`));
      expect(await state()).toEqual(before);
      const doctor = await tool(['--json', 'doctor']);
      expect(JSON.stringify(doctor.json)).toMatch(/cannot tell whether A4C runs/);
      await writeFile(a4cYaml, originalA4cYaml);
    }, 300_000);
  });

  describe('class 7: no output path prints a secret', () => {
    // The plain password is a variation for the full trials; the quick run keeps the harder one (/ @ : %40).
    for (const password of FULL_TRIALS ? ['Pl41n-S3cret-value', 's3c/r@t:with%40signs'] : ['s3c/r@t:with%40signs']) {
      it(`a password like ${JSON.stringify(password.replace(/./g, '*'))} never reaches stdout or stderr`, async () => {
        const es = new URL(testElasticsearch().url);
        const encoded = encodeURIComponent(password);
        const apiKey = Buffer.from(`key-id-${password.length}:api-secret-${password.length}-xyz`).toString('base64');
        const forms = [...secretForms({ password, username: 'elastic', apiKey }), ...secretForms({ password: encoded, username: 'elastic' })];
        const inUrl = await installation.writeConfig(
          { addresses: [`http://elastic:${encoded}@${es.host}`] },
          join(installation.root, 'config', 'url-secret.yml'),
        );
        const raw = await installation.writeConfig(
          { addresses: [`http://elastic:${password}@${es.host}`] },
          join(installation.root, 'config', 'raw-secret.yml'),
        );
        const withAuth = await installation.writeConfig({ auth: { username: 'elastic', password } }, join(installation.root, 'config', 'auth-secret.yml'));
        const withKey = await installation.writeConfig(
          { addresses: ['http://127.0.0.1:1'], auth: { api_key: apiKey } },
          join(installation.root, 'config', 'key-secret.yml'),
        );
        const invalid = await installation.writeConfig(
          { addresses: [`http://elastic:${password}@${es.host}`, 'not a url'], auth: { password } },
          join(installation.root, 'config', 'invalid-secret.yml'),
        );
        const unreachable = await installation.writeConfig(
          { addresses: [`http://elastic:${encoded}@127.0.0.1:1`] },
          join(installation.root, 'config', 'unreachable-secret.yml'),
        );
        const runs: ToolRun[] = [];
        for (const config of [inUrl, raw, withAuth, withKey, invalid, unreachable]) {
          for (const args of [
            ['config', 'validate'],
            ['--json', 'config', 'validate'],
            ['config', 'show'],
            ['doctor'],
            ['--json', 'doctor'],
            ['list'],
            ['--json', 'verify', 'base'],
          ]) {
            runs.push(await tool(args, config, { A4C_ADMIN_DEBUG: '1' }));
          }
        }
        // In the environment: the addresses (with a transport port, so that the config error quotes them) and the password.
        runs.push(await tool(['config', 'validate'], installation.configFile, { A4C_ADMIN_ES_ADDRESSES: `http://elastic:${encoded}@127.0.0.1:9300` }));
        runs.push(
          await tool(['--json', 'config', 'validate'], installation.configFile, {
            A4C_ADMIN_ES_ADDRESSES: `http://elastic:${password}@127.0.0.1:9300,${es.host}`,
          }),
        );
        runs.push(
          await tool(['--json', 'list'], installation.configFile, {
            A4C_ADMIN_ES_ADDRESSES: 'http://127.0.0.1:1',
            A4C_ADMIN_ES_USERNAME: 'elastic',
            A4C_ADMIN_ES_PASSWORD: password,
            A4C_ADMIN_DEBUG: '1',
          }),
        );
        expect(runs.some((run) => run.status === 0)).toBe(true);
        expect(runs.some((run) => run.status === 3)).toBe(true);
        expect(runs.some((run) => run.status === 4)).toBe(true);
        const texts = Object.fromEntries(runs.map((run, position) => [`run ${position} (${run.args.join(' ')})`, `${run.stdout}\n${run.stderr}`]));
        expect(await findSecrets(forms, texts, [])).toEqual([]);
      }, 300_000);
    }
  });
});

/**
 * Runs the binary under a pseudo-terminal (util-linux `script`) and types `answer` once the
 * question appears; resolves with everything the terminal showed.
 */
function onTerminal(args: string[], answer: string): Promise<{ status: number | null; output: string }> {
  const quote = (argument: string) => `'${argument.replaceAll("'", "'\\''")}'`;
  const command = `stty cols 200 rows 40; ${[process.execPath, BINARY, ...args].map(quote).join(' ')}`;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...process.env, NO_COLOR: '1', TERM: 'dumb' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let answered = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!answered && output.includes('[y/N]')) {
        answered = true;
        child.stdin.write(`${answer}\r`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, output });
    });
  });
}
