// The standalone executable (tools/standalone/build.mjs: Node's single executable application)
// works on a host without Node: built once, then run with a PATH whose only `node` is a decoy
// that leaves a mark and fails, against the real node and a sample A4C installation. It prints
// its help and version, runs doctor and a small backup, and exits as docs/exit-codes.md says.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEW_SAMPLE_INDICES } from '../api/installation.test-support.js';
import { type BinaryRun, createE2eInstallation, describeRun, type E2eInstallation, runExecutable } from './binary.test-support.js';

const execFileAsync = promisify(execFile);
const BUILD_SCRIPT = fileURLToPath(new URL('../../../../tools/standalone/build.mjs', import.meta.url));

function expectExit(run: BinaryRun, code: number): void {
  expect(run.code, describeRun(run)).toBe(code);
}

/** PATH without any folder that holds a `node`, and a decoy `node` first, which marks that it ran. */
async function pathWithoutNode(folder: string, mark: string): Promise<string> {
  const decoys = join(folder, 'decoy-bin');
  await mkdir(decoys);
  await writeFile(join(decoys, 'node'), `#!/bin/sh\necho "$0 $*" >> '${mark}'\nexit 99\n`);
  await chmod(join(decoys, 'node'), 0o755);
  const others = (process.env.PATH ?? '').split(delimiter).filter((entry) => entry !== '' && !existsSync(join(entry, 'node')));
  return [decoys, ...others].join(delimiter);
}

describe('the standalone executable, on a host without Node', () => {
  let folder: string;
  let executable: string;
  let installation: E2eInstallation;
  let mark: string;
  let env: Record<string, string | undefined>;
  const run = (args: readonly string[]) => runExecutable(executable, args, { env });

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'a4c-standalone-'));
    executable = join(folder, 'a4c-admin');
    // Side by side: the build is mostly postject's CPU, the installation mostly the node's.
    [, installation] = await Promise.all([
      execFileAsync(process.execPath, [BUILD_SCRIPT, '--output', executable]),
      createE2eInstallation({ indices: FEW_SAMPLE_INDICES }),
    ]);
    mark = join(folder, 'node-ran');
    // No NODE_OPTIONS or NODE_PATH either: the executable must not need them.
    env = { PATH: await pathWithoutNode(folder, mark), NODE_OPTIONS: undefined, NODE_PATH: undefined };
  });

  afterAll(async () => {
    await installation?.cleanup();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('prints its version and help, and exits 2 on a usage error', async () => {
    const packageJson = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const version = await run(['--version']);
    expectExit(version, 0);
    expect(version.stdout.trim()).toBe(packageJson.version);
    // No "ExperimentalWarning: Single executable application ..." from Node.
    expect(version.stderr).toBe('');

    const help = await run(['--help']);
    expectExit(help, 0);
    for (const command of ['backup', 'restore', 'migrate', 'verify', 'list', 'delete', 'prune', 'doctor', 'plugins', 'config']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }

    expectExit(await run(['no-such-command']), 2);
  });

  it('runs doctor against the real node, and exits 3 without a configuration', async () => {
    const doctor = await run(['-c', installation.configFile, 'doctor']);
    expectExit(doctor, 0);
    expect(doctor.stdout).toMatch(/^ok +cluster: /m);
    expect(doctor.stdout).toMatch(new RegExp(`^ok +snapshot repository: ${installation.repositoryName} `, 'm'));

    expectExit(await run(['-c', join(folder, 'missing.yml'), 'doctor']), 3);
  });

  it('backs up and verifies a backup', async () => {
    const backup = await run(['-c', installation.configFile, 'backup', '1.1.0', '-n', 'standalone']);
    expectExit(backup, 0);
    expect((await stat(join(installation.backupDir, 'standalone', 'manifest.json'))).isFile()).toBe(true);
    const verify = await run(['-c', installation.configFile, 'verify', 'standalone']);
    expectExit(verify, 0);
    expect(verify.stdout).toMatch(/backup "standalone" is whole/);
  });

  it('never ran a node', async () => {
    const calls = existsSync(mark) ? await readFile(mark, 'utf8') : '';
    expect(calls).toBe('');
  });
});
