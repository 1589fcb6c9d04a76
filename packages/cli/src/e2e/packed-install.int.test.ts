// What npm users get: the four publishable packages packed as tarballs (`pnpm pack` turns the
// `workspace:*` ranges into versions), installed with npm into an empty folder; the binary
// runs through npx and the API imports by the package name. Third-party dependencies come
// from the registry (or npm's cache, --prefer-offline). About 15 s.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt } from './binary.test-support.js';

const execFileAsync = promisify(execFile);
const packagesFolder = fileURLToPath(new URL('../../../', import.meta.url));
const PUBLISHED = ['core', 'es-snapshot', 'migrations', 'cli'];

describe('the packed a4c-admin package', () => {
  let folder: string;
  let app: string;
  const run = (command: string, args: string[], env: Record<string, string> = {}) =>
    execFileAsync(command, args, { cwd: app, env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 });

  beforeAll(async () => {
    assertBuilt();
    folder = await mkdtemp(join(tmpdir(), 'a4c-packed-'));
    const tarballs = join(folder, 'tarballs');
    app = join(folder, 'app');
    await mkdir(tarballs);
    await mkdir(app);
    for (const name of PUBLISHED) {
      await execFileAsync('pnpm', ['pack', '--pack-destination', tarballs], { cwd: join(packagesFolder, name) });
    }
    await writeFile(join(app, 'package.json'), `${JSON.stringify({ name: 'empty-app', private: true, type: 'module' })}\n`);
    const files = (await readdir(tarballs)).map((file) => join(tarballs, file));
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...files]);
  }, 180_000);

  afterAll(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('installs with ranges npm understands (no workspace: left) and only dist files', async () => {
    const installed = JSON.parse(await readFile(join(app, 'node_modules', 'a4c-admin', 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      bin: Record<string, string>;
    };
    expect(Object.values(installed.dependencies).filter((range) => range.startsWith('workspace:'))).toEqual([]);
    expect(installed.dependencies['@a4c-admin/core']).toMatch(/^\^?\d+\.\d+\.\d+/);
    expect(installed.bin).toEqual({ 'a4c-admin': './bin/a4c-admin.js' });
    expect((await readdir(join(app, 'node_modules', 'a4c-admin'))).sort()).toEqual(expect.arrayContaining(['bin', 'dist', 'package.json']));
    expect(await readdir(join(app, 'node_modules', 'a4c-admin'))).not.toContain('src');
  });

  it('runs `npx a4c-admin --help` and a command that needs no cluster', async () => {
    const help = await run('npx', ['--no-install', 'a4c-admin', '--help']);
    expect(help.stdout).toMatch(/^Usage: a4c-admin \[options\] \[command\]/);
    expect(help.stdout).toContain('Examples:');
    const validate = await run('npx', ['--no-install', 'a4c-admin', 'config', 'validate', '--json'], {
      A4C_ADMIN_DATA_DIR: join(folder, 'data'),
      A4C_ADMIN_BACKUP_DIR: join(folder, 'backups'),
    });
    expect(JSON.parse(validate.stdout)).toMatchObject({ ok: true, command: 'config validate', result: { valid: true, file: null } });
  });

  it('imports the ready-wired API by its package name', async () => {
    const { stdout } = await run(process.execPath, ['-e', "import('a4c-admin').then((m) => console.log(typeof m.backup, typeof m.restore, typeof m.runCli))"]);
    expect(stdout.trim()).toBe('function function function');
  });
});
