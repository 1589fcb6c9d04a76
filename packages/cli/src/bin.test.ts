// Runs the real built binary (node dist/bin.js) the way an operator or a script does.
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSampleConfigs } from '@a4c-admin/sample-data';
import { commandExists } from '@a4c-admin/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));
const binary = join(packageRoot, 'dist/bin.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [binary, ...args],
      {
        cwd: options.cwd ?? workFolder,
        // A clean environment: no A4C_ADMIN_* of the developer's shell leaks in.
        env: { PATH: process.env.PATH ?? '', HOME: workFolder, ...options.env },
        timeout: 30_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

let workFolder: string;
let configFile: string;
let unreachableConfigFile: string;

beforeAll(async () => {
  // The binary under test is the build output: build it (turbo skips it when nothing changed).
  await new Promise<void>((resolve, reject) => {
    execFile('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=a4c-admin', '--output-logs=errors-only'], { cwd: repositoryRoot }, (error, _stdout, stderr) =>
      error ? reject(new Error(`build failed: ${stderr}`)) : resolve(),
    );
  });
  workFolder = await mkdtemp(join(tmpdir(), 'a4c-admin-cli-'));
  ({ configFile } = await writeSampleConfigs({ folder: join(workFolder, 'config'), node: 'http://127.0.0.1:9200' }));
  ({ configFile: unreachableConfigFile } = await writeSampleConfigs({ folder: join(workFolder, 'unreachable'), node: 'http://127.0.0.1:1' }));
}, 300_000);

afterAll(async () => {
  if (workFolder) await rm(workFolder, { recursive: true, force: true });
});

const ESCAPE = '\u001b[';

describe('a4c-admin binary', () => {
  it('prints its version', async () => {
    const result = await run(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('lists every command and the exit codes in --help', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['backup', 'restore', 'migrate', 'verify', 'list', 'delete', 'prune', 'doctor', 'plugins', 'config']) {
      expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    expect(result.stdout).toMatch(/130 +cancelled/);
    expect(result.stdout).toContain('a4c-admin -backup 1.1.0 -n backup110');
  });

  it.each([
    ['backup'],
    ['restore'],
    ['migrate'],
    ['verify'],
    ['list'],
    ['delete'],
    ['prune'],
    ['doctor'],
    ['plugins'],
    ['plugins', 'verify'],
    ['plugins', 'swap'],
    ['config'],
    ['config', 'validate'],
    ['config', 'schema'],
  ])('shows examples in `%s --help`', async (...command) => {
    const result = await run([...command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Examples:');
    expect(result.stdout).toContain(`$ a4c-admin ${command[0]}`);
  });

  it.each([
    [['bakup'], /unknown command 'bakup'[\s\S]*Did you mean backup\?/],
    [['restore', '1.1.0', '--yes'], /required option '-n, --name <name>' not specified/],
    [['-restore', '1.1.0', '--yes'], /required option '-n, --name <name>' not specified/],
    [['backup', '1.1', '-n', 'x'], /"1.1" is not a version like 1.1.0/],
    [['list', '--frobnicate'], /unknown option '--frobnicate'/],
    [['prune'], /give at least one of --keep-last/],
    [['prune', '--keep-last', 'three', '--yes'], /expected a whole number/],
    [['migrate', '1.1.0', '--rollback', '--finalize', '--yes'], /cannot be used together/],
    [['verify'], /missing backup name/],
    [[], /Usage: a4c-admin/],
  ])('refuses %j with exit status 2 and says why', async (args, message) => {
    const result = await run(['-c', configFile, ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('answers a usage error with JSON on stdout under --json', async () => {
    const result = await run(['--json', 'restore', '1.1.0', '--yes']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, command: 'restore', error: { code: 'USAGE', exitCode: 2 } });
    const bare = await run(['--json', 'plugins']);
    expect(bare.code).toBe(2);
    expect(JSON.parse(bare.stdout)).toMatchObject({ ok: false, error: { code: 'USAGE', message: 'no command given' } });
  });

  it.each([
    [['-backup', '1.1.0', '-n', 'backup110'], 'backup', 'CLUSTER_UNREACHABLE'],
    [['-restore', '1.1.0', '-n', 'backup110', '--yes'], 'restore', 'BACKUP_NOT_FOUND'],
    [['-migrate', '1.1.0'], 'migrate', 'CLUSTER_UNREACHABLE'],
    [['-n', 'backup110', '-restore', '1.1.0', '--yes'], 'restore', 'BACKUP_NOT_FOUND'],
  ])('accepts the seed spelling %j and reaches the %s operation', async (args, command, code) => {
    // Nothing listens on port 1: the operation runs and stops at its first real step.
    const result = await run(['-c', unreachableConfigFile, '--json', ...args]);
    const output = JSON.parse(result.stdout);
    expect(output).toMatchObject({ ok: false, command, error: { code } });
    expect(result.code).toBe(code === 'CLUSTER_UNREACHABLE' ? 4 : 5);
  });

  it('validates a good configuration', async () => {
    const result = await run(['-c', configFile, 'config', 'validate']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`ok: ${configFile} is a valid configuration`);
  });

  it('finds config/admin-tool-config.yml in the working folder, as the seed tool did', async () => {
    const result = await run(['config', 'validate', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, result: { file: configFile } });
  });

  it('prints the validated configuration as JSON with --json, secrets redacted', async () => {
    const folder = join(workFolder, 'secret');
    await mkdir(folder, { recursive: true });
    const file = join(folder, 'admin-tool-config.yml');
    await writeFile(
      file,
      'elasticsearch:\n  addresses: 127.0.0.1:9200\n  auth:\n    username: admin\n    password: s3cr3t-Pa55\nbackup.files_dir: /var/backups/a4c\nalien4cloud.dir: /opt/alien4cloud/data\n',
    );
    await chmod(file, 0o600);
    const result = await run(['-c', file, '--json', 'config', 'validate']);
    expect(result.code).toBe(0);
    const answer = JSON.parse(result.stdout) as {
      ok: boolean;
      result: { valid: boolean; config: { backup: { files_dir: string }; elasticsearch: { addresses: string[] } } };
    };
    expect(answer.ok).toBe(true);
    expect(answer.result.valid).toBe(true);
    expect(answer.result.config.backup.files_dir).toBe('/var/backups/a4c');
    expect(answer.result.config.elasticsearch.addresses).toEqual(['http://127.0.0.1:9200']);
    expect(result.stdout + result.stderr).not.toContain('s3cr3t-Pa55');
  });

  it('refuses a bad configuration with exit status 3, the problems and a hint', async () => {
    const file = join(workFolder, 'bad.yml');
    await writeFile(file, 'elasticsearch:\n  adresses: 127.0.0.1:9200\nbackup.files_dir: relative/folder\n');
    const result = await run(['-c', file, 'config', 'validate']);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: .*bad\.yml/m);
    expect(result.stderr).toMatch(/adresses/);
    expect(result.stderr).toMatch(/^hint: .*elasticsearch\.addresses/m);
    // Not a terminal: no colour codes in what a log file receives.
    expect(result.stderr).not.toContain(ESCAPE);

    const json = await run(['-c', file, '--json', 'config', 'validate']);
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID', category: 'config', exitCode: 3 } });
  });

  it('says where it looked when there is no configuration at all', async () => {
    const empty = await mkdtemp(join(workFolder, 'empty-'));
    const result = await run(['doctor'], { cwd: empty });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(join(empty, 'config/admin-tool-config.yml'));
    expect(result.stderr).toMatch(/^hint: Pass -c <file>/m);
  });

  it('takes the configuration from A4C_ADMIN_CONFIG when -c is absent', async () => {
    const empty = await mkdtemp(join(workFolder, 'env-'));
    const result = await run(['config', 'validate'], { cwd: empty, env: { A4C_ADMIN_CONFIG: configFile } });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(configFile);
  });

  it('runs from environment variables alone when they name the folders', async () => {
    const empty = await mkdtemp(join(workFolder, 'only-env-'));
    const result = await run(['--json', 'config', 'validate'], {
      cwd: empty,
      env: { A4C_ADMIN_DATA_DIR: '/opt/alien4cloud/data', A4C_ADMIN_BACKUP_DIR: '/var/backups/a4c', A4C_ADMIN_ES_ADDRESSES: 'es1:9200,es2:9200' },
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: true,
      result: { file: null, config: { elasticsearch: { addresses: ['http://es1:9200', 'http://es2:9200'] }, backup: { files_dir: '/var/backups/a4c' } } },
    });
  });

  it('prints the JSON Schema of the configuration', async () => {
    const result = await run(['config', 'schema']);
    expect(result.code).toBe(0);
    const schema = JSON.parse(result.stdout) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['elasticsearch', 'backup', 'alien4cloud']));
  });

  // util-linux `script` gives the binary a real pseudo-terminal.
  const hasScript = commandExists('script');

  it.skipIf(!hasScript)('colours errors on a terminal, and not when NO_COLOR or --no-color says so', async () => {
    const file = join(workFolder, 'bad-for-terminal.yml');
    await writeFile(file, 'backup.files_dir: relative\n');
    const onTerminal = (extraArguments: string, env: Record<string, string> = {}) =>
      new Promise<string>((resolve) => {
        const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(binary)} -c ${JSON.stringify(file)} ${extraArguments} config validate`;
        execFile(
          'script',
          ['-qec', command, '/dev/null'],
          { cwd: workFolder, env: { PATH: process.env.PATH ?? '', TERM: 'xterm', ...env } },
          (_error, stdout) => resolve(stdout),
        );
      });
    expect(await onTerminal('')).toContain(`${ESCAPE}31m`);
    expect(await onTerminal('', { NO_COLOR: '1' })).not.toContain(ESCAPE);
    const plain = await onTerminal('--no-color');
    expect(plain).not.toContain(ESCAPE);
    expect(plain).toMatch(/^error: Invalid configuration/m);
  });
});
