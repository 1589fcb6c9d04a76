// @ts-check
// Finds, downloads once (through Maven, into ~/.m2) and unpacks the Elasticsearch
// distribution that every test, benchmark and demo runs against: the 8.x integ-test zip
// by default, or a legacy version (1.7 to 7.17) on request, fixed once for Java 17.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { mavenCoordinates, mavenPath, versionProfile } from './versions.mjs';

const run = promisify(execFile);

/** The server version the project is tested on; A4C_ES_VERSION overrides it. */
export const DEFAULT_VERSION = '8.19.21';

/** Written into an unpacked distribution once its Java 17 fixes are in, so a half-fixed one is never used. */
const PREPARED_MARKER = '.a4c-prepared';

/** Where everything the launcher writes lives: world-traversable, since the node runs as another user. */
export function launcherHome() {
  return process.env.A4C_ES_HOME ?? '/var/tmp/a4c-admin-es';
}

/**
 * Where the nodes' own folders live (data, logs, config copy, snapshot repository, pid files):
 * A4C_ES_NODES_HOME, else `nodes/` under the launcher's home. The integration setup points it
 * at a RAM-backed folder (tools/elasticsearch/test-nodes-home.mjs): the distributions stay on disk.
 */
export function nodesHome() {
  return process.env.A4C_ES_NODES_HOME ?? join(launcherHome(), 'nodes');
}

/**
 * Lets the node's system user reach `folder` (a node set's folder): it and the folders above it
 * that the launcher made are opened to others for traversal and reading.
 * @param {string} folder
 */
export async function makeTraversable(folder) {
  const folders = [launcherHome(), nodesHome(), folder].filter((path) => existsSync(path));
  await run('chmod', ['a+rx', ...new Set(folders)]);
}

/** @param {string} version */
export function cachedZipPath(version) {
  return mavenPath(versionProfile(version).distribution);
}

/** The Java that runs the nodes (and compiles the 1.x fix): ES_JAVA_HOME, JAVA_HOME, or the `java` on the PATH. */
export async function javaHome() {
  if (process.env.ES_JAVA_HOME) return process.env.ES_JAVA_HOME;
  if (process.env.JAVA_HOME) return process.env.JAVA_HOME;
  const { stdout } = await run('bash', ['-c', 'readlink -f "$(command -v java)"']);
  const java = stdout.trim();
  if (!java) throw new Error('No Java found: install Java 17 or set ES_JAVA_HOME.');
  return java.replace(/\/bin\/java$/, '');
}

/** @param {import('./versions.mjs').MavenArtifact} artifact @param {string} version */
async function download(artifact, version) {
  await run(
    'mvn',
    ['-B', '-q', 'org.apache.maven.plugins:maven-dependency-plugin:3.6.1:get', `-Dartifact=${mavenCoordinates(artifact)}`, '-Dtransitive=false'],
    { maxBuffer: 64 * 1024 * 1024 },
  ).catch((error) => {
    throw new Error(
      `Could not download Elasticsearch ${version} (${mavenCoordinates(artifact)}) with Maven: ${error.stderr || error.stdout || error.message}\n` +
        'Check that `mvn` is installed and Maven Central is reachable, or set A4C_ES_VERSION to a neighbouring 8.19.x patch.',
    );
  });
  if (!existsSync(mavenPath(artifact))) throw new Error(`Maven reported success but ${mavenPath(artifact)} is missing.`);
}

/**
 * Returns the folder of an unpacked distribution, downloading the zip only when the
 * Maven cache does not hold it yet. A legacy version is fixed for Java 17 while still in
 * its staging folder, so the cached copy is either complete and fixed, or absent.
 * @param {{ version?: string, log?: (line: string) => void }} [options]
 * @returns {Promise<{ home: string, version: string, downloaded: boolean }>}
 */
export async function ensureDistribution(options = {}) {
  const version = options.version ?? process.env.A4C_ES_VERSION ?? DEFAULT_VERSION;
  const profile = versionProfile(version);
  const log = options.log ?? (() => {});
  const zip = mavenPath(profile.distribution);
  let downloaded = false;
  if (existsSync(zip)) {
    log(`distribution ${version}: found in the Maven cache (${zip})`);
  } else {
    log(`distribution ${version}: downloading from Maven Central into ~/.m2 (once)`);
    await download(profile.distribution, version);
    downloaded = true;
  }
  for (const extra of profile.extras) {
    if (!existsSync(mavenPath(extra))) await download(extra, version);
  }

  const distributions = join(launcherHome(), 'dist');
  const home = join(distributions, `elasticsearch-${version}`);
  const complete = existsSync(join(home, 'lib')) && (!profile.prepare || existsSync(join(home, PREPARED_MARKER)));
  if (!complete) {
    await mkdir(distributions, { recursive: true, mode: 0o755 });
    // Unpack beside the final place and rename, so a killed unpack never looks complete.
    const staging = join(distributions, `.unpack-${version}-${process.pid}`);
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    await run('unzip', ['-q', zip, '-d', staging], { maxBuffer: 64 * 1024 * 1024 });
    const [inner] = await readdir(staging);
    if (!inner) throw new Error(`The distribution zip ${zip} is empty.`);
    if (profile.prepare) {
      await profile.prepare({ home: join(staging, inner), version, java: await javaHome(), log });
      await writeFile(join(staging, inner, PREPARED_MARKER), `${new Date().toISOString()}\n`);
    }
    await rm(home, { recursive: true, force: true });
    await rename(join(staging, inner), home);
    await rm(staging, { recursive: true, force: true });
    for (const name of await readdir(join(home, 'bin'))) await chmod(join(home, 'bin', name), 0o755);
    await run('chmod', ['-R', 'a+rX', home]);
    log(`distribution ${version}: unpacked into ${home}`);
  }
  return { home, version, downloaded };
}
