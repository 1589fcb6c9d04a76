// What npm users get: the four publishable packages packed as tarballs (`pnpm pack` turns the
// `workspace:*` ranges into versions), installed with npm into an empty folder; the binary
// runs through npx and the API imports by the package name, from a strict TypeScript module
// and from CommonJS. Third-party dependencies come from the registry (or npm's cache,
// --prefer-offline). About 20 s.
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
/** The repository's compiler and Node types: the consumer compiles as a caller's project would, nothing more installed. */
const TSC = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
const NODE_TYPES = fileURLToPath(new URL('../../node_modules/@types', import.meta.url));

/**
 * A caller's strict TypeScript module: every import is from `a4c-admin` alone (its error class,
 * codes, option, result and progress types), and it runs: a missing config file is the
 * library's CONFIG_NOT_FOUND, recognised by `instanceof` and by `isA4cAdminError`.
 */
const STRICT_CONSUMER = `import {
  A4cAdminError,
  ERROR_CODES,
  isA4cAdminError,
  backup,
  list,
  restore,
  verify,
  LATEST_DATA_VERSION,
  type A4cAdminConfigInput,
  type BackupOptions,
  type BackupResult,
  type BackupSummary,
  type ErrorCode,
  type MigrateOptions,
  type ProgressEvent,
  type RestoreOptions,
  type RestoreResult,
  type VerifyResult,
} from 'a4c-admin';

const config: A4cAdminConfigInput = {
  elasticsearch: { addresses: ['http://127.0.0.1:9200'] },
  backup: { files_dir: '/opt/alien4cloud/backups/files' },
  alien4cloud: { dir: '/opt/alien4cloud/data' },
};
const events: ProgressEvent[] = [];
const backupOptions: BackupOptions = { name: 'nightly-1', format: 'export', onProgress: (event) => events.push(event) };
const restoreOptions: RestoreOptions = { name: 'nightly-1', dryRun: true, parts: [] };
const migrateOptions: MigrateOptions = { from: '1.1.0', to: LATEST_DATA_VERSION };
export async function nightly(): Promise<[BackupResult, BackupSummary[], RestoreResult]> {
  return [await backup(config, backupOptions), await list(config), await restore(config, restoreOptions)];
}

const expected: ErrorCode = 'CONFIG_NOT_FOUND';
try {
  const result: VerifyResult = await verify('/nonexistent/admin-tool-config.yml', { name: 'nightly-1' });
  console.log('unexpected', result.ok);
} catch (error) {
  if (!isA4cAdminError(error)) throw error;
  console.log(error.code === expected, ERROR_CODES[error.code], error instanceof A4cAdminError, typeof error.hint, migrateOptions.from);
}
`;

/** A caller's CommonJS script: the API by require(), or the one line that says to use import(). */
const COMMONJS_CONSUMER = `const a4c = require('a4c-admin');
const error = new a4c.A4cAdminError('USAGE', 'a test');
console.log(JSON.stringify({ backup: typeof a4c.backup, restore: typeof a4c.restore, isError: a4c.isA4cAdminError(error), category: error.category }));
`;
/** The one line a Node that cannot require an ES module gets. */
const ESM_ONLY_MESSAGE =
  /^Error: a4c-admin is an ES module and this Node cannot require\(\) one \(Node 20\.19\+ and 22\.12\+ can\): use `const \{ backup \} = await import\('a4c-admin'\)`/m;

describe('the packed a4c-admin package', () => {
  let folder: string;
  let app: string;
  let tarballs: string;
  const run = (command: string, args: string[], env: Record<string, string> = {}) =>
    execFileAsync(command, args, { cwd: app, env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 });

  beforeAll(async () => {
    assertBuilt();
    folder = await mkdtemp(join(tmpdir(), 'a4c-packed-'));
    tarballs = join(folder, 'tarballs');
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

  it('packs a README and the license in every tarball, and no made-up repository', async () => {
    for (const file of await readdir(tarballs)) {
      const { stdout } = await execFileAsync('tar', ['tzf', join(tarballs, file)]);
      expect(stdout.split('\n'), file).toEqual(expect.arrayContaining(['package/README.md', 'package/LICENSE', 'package/package.json']));
      const { stdout: manifest } = await execFileAsync('tar', ['xzfO', join(tarballs, file), 'package/package.json']);
      expect(JSON.parse(manifest), file).not.toHaveProperty('repository');
      const { stdout: license } = await execFileAsync('tar', ['xzfO', join(tarballs, file), 'package/LICENSE']);
      expect(license, file).toContain('Apache License\n                           Version 2.0, January 2004');
      expect(license, file).toContain('END OF TERMS AND CONDITIONS');
    }
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

  it('imports the ready-wired API by its package name, and nothing of the CLI', async () => {
    const { stdout } = await run(process.execPath, [
      '-e',
      "import('a4c-admin').then((m) => console.log(typeof m.backup, typeof m.restore, typeof m.A4cAdminError, typeof m.runCli, typeof m.wiredOperations))",
    ]);
    expect(stdout.trim()).toBe('function function function undefined undefined');
  });

  it('compiles a strict TypeScript caller (NodeNext) that imports everything from a4c-admin, and runs it', async () => {
    await writeFile(join(app, 'consumer.mts'), STRICT_CONSUMER);
    const compilerOptions = {
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'es2022',
      lib: ['es2023'],
      types: ['node'],
      typeRoots: [NODE_TYPES],
      outDir: 'out',
      skipLibCheck: true,
    };
    await writeFile(join(app, 'tsconfig.json'), `${JSON.stringify({ compilerOptions, files: ['consumer.mts'] }, null, 2)}\n`);
    await run(process.execPath, [TSC, '-p', 'tsconfig.json']).catch((error: { stdout?: string }) => {
      throw new Error(`the strict consumer does not compile:\n${error.stdout}`);
    });
    const { stdout } = await run(process.execPath, [join(app, 'out', 'consumer.mjs')]);
    expect(stdout.trim()).toBe('true config true string 1.1.0');
  });

  it('gives a CommonJS caller the API by require(), or one line saying to use import()', async () => {
    await writeFile(join(app, 'consumer.cjs'), COMMONJS_CONSUMER);
    const api = JSON.stringify({ backup: 'function', restore: 'function', isError: true, category: 'usage' });
    const required = await run(process.execPath, ['consumer.cjs']).then(
      ({ stdout }) => stdout.trim(),
      (error: { stderr?: string }) => error.stderr ?? '',
    );
    // Node 20.19+ and 22.12+ require an ES module (they say so in process.features); an older one cannot.
    if ((process.features as { require_module?: boolean }).require_module === true) {
      expect(required).toBe(api);
      // The message as an older Node shows it: this Node with require(esm) turned off.
      const refused = await run(process.execPath, ['--no-experimental-require-module', 'consumer.cjs']).then(
        () => '',
        (error: { stderr?: string }) => error.stderr ?? '',
      );
      expect(refused).toMatch(ESM_ONLY_MESSAGE);
    } else {
      expect(required).toMatch(ESM_ONLY_MESSAGE);
    }
  });
});
