// @ts-check
// Builds the SeaweedFS server (`weed`) once from the Go module proxy into a cache folder under
// the home folder, and reuses it afterwards. The module's go.mod has a `replace` directive, so
// `go install pkg@version` refuses it: download the module, copy it somewhere writable, build.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The SeaweedFS module version the tests are run against (it reports itself as 4.53). */
export const SEAWEEDFS_VERSION = 'v0.0.0-20261109003541-7506e5f91cd6';
const MODULE = 'github.com/seaweedfs/seaweedfs';

/** Where the built binary is kept between runs; A4C_S3_HOME overrides it. */
export function seaweedfsCacheDir() {
  return process.env.A4C_S3_HOME ?? join(homedir(), '.cache', 'a4c-admin', 'seaweedfs', SEAWEEDFS_VERSION);
}

/** The path of the cached `weed` binary (present only once a build finished). */
export function weedBinaryPath() {
  return join(seaweedfsCacheDir(), 'weed');
}

/**
 * Returns the path of the `weed` binary, building it first when the cache does not hold it.
 * The binary is renamed into place only once the build succeeded, so a cached one is complete.
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {Promise<{ binary: string, built: boolean }>}
 */
export async function ensureSeaweedfs(options = {}) {
  const log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  const binary = weedBinaryPath();
  if (existsSync(binary)) return { binary, built: false };
  log(
    `SeaweedFS ${SEAWEEDFS_VERSION}: building the S3 test server once from the Go module proxy into ${seaweedfsCacheDir()} ` +
      '(one-time, ~10 min and ~3 GB of memory on 2 cores; cached afterwards)',
  );
  await run('go', ['version']).catch(() => {
    throw new Error('Go is needed once to build the SeaweedFS test server: install Go >= 1.24 (https://go.dev/dl) and retry.');
  });
  const cacheDir = seaweedfsCacheDir();
  await mkdir(cacheDir, { recursive: true });
  const { stdout } = await run('go', ['mod', 'download', '-json', `${MODULE}@${SEAWEEDFS_VERSION}`], {
    env: { ...process.env, GOFLAGS: '-mod=mod' },
    maxBuffer: 16 * 1024 * 1024,
  }).catch((error) => {
    throw new Error(`Could not download ${MODULE}@${SEAWEEDFS_VERSION} from the Go module proxy: ${error.stderr || error.message}`);
  });
  const moduleDir = JSON.parse(stdout).Dir;
  const source = join(cacheDir, 'source');
  await rm(source, { recursive: true, force: true });
  await cp(moduleDir, source, { recursive: true });
  await run('chmod', ['-R', 'u+w', source]);
  const staged = join(cacheDir, `weed.partial-${process.pid}`);
  await run('go', ['build', '-ldflags=-s -w', '-o', staged, './weed'], {
    cwd: source,
    env: { ...process.env, GOFLAGS: '-mod=mod' },
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error) => {
    throw new Error(`Building SeaweedFS failed: ${error.stderr || error.message}`);
  });
  await chmod(staged, 0o755);
  await rename(staged, binary);
  await rm(source, { recursive: true, force: true });
  log(`SeaweedFS built: ${binary}`);
  return { binary, built: true };
}
