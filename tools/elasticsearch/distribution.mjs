// @ts-check
// Finds, downloads once (through Maven, into ~/.m2) and unpacks the Elasticsearch
// integ-test distribution that every test, benchmark and demo runs against.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The server version the project is tested on; A4C_ES_VERSION overrides it. */
export const DEFAULT_VERSION = '8.19.21';

/** Where everything the launcher writes lives: world-traversable, since the node runs as another user. */
export function launcherHome() {
  return process.env.A4C_ES_HOME ?? '/var/tmp/a4c-admin-es';
}

/** @param {string} version */
export function cachedZipPath(version) {
  const m2 = process.env.MAVEN_REPOSITORY ?? join(homedir(), '.m2', 'repository');
  return join(m2, 'org', 'elasticsearch', 'distribution', 'integ-test-zip', 'elasticsearch', version, `elasticsearch-${version}.zip`);
}

/**
 * Returns the folder of an unpacked distribution, downloading the zip only when the
 * Maven cache does not hold it yet.
 * @param {{ version?: string, log?: (line: string) => void }} [options]
 * @returns {Promise<{ home: string, version: string, downloaded: boolean }>}
 */
export async function ensureDistribution(options = {}) {
  const version = options.version ?? process.env.A4C_ES_VERSION ?? DEFAULT_VERSION;
  const log = options.log ?? (() => {});
  const zip = cachedZipPath(version);
  let downloaded = false;
  if (existsSync(zip)) {
    log(`distribution ${version}: found in the Maven cache (${zip})`);
  } else {
    log(`distribution ${version}: downloading from Maven Central into ~/.m2 (once)`);
    await run(
      'mvn',
      [
        '-B',
        '-q',
        'org.apache.maven.plugins:maven-dependency-plugin:3.6.1:get',
        `-Dartifact=org.elasticsearch.distribution.integ-test-zip:elasticsearch:${version}:zip`,
        '-Dtransitive=false',
      ],
      { maxBuffer: 64 * 1024 * 1024 },
    ).catch((error) => {
      throw new Error(
        `Could not download Elasticsearch ${version} with Maven: ${error.stderr || error.stdout || error.message}\n` +
          'Check that `mvn` is installed and Maven Central is reachable, or set A4C_ES_VERSION to a neighbouring 8.19.x patch.',
      );
    });
    if (!existsSync(zip)) throw new Error(`Maven reported success but ${zip} is missing.`);
    downloaded = true;
  }

  const distributions = join(launcherHome(), 'dist');
  const home = join(distributions, `elasticsearch-${version}`);
  if (!existsSync(join(home, 'lib'))) {
    await mkdir(distributions, { recursive: true, mode: 0o755 });
    // Unpack beside the final place and rename, so a killed unpack never looks complete.
    const staging = join(distributions, `.unpack-${version}-${process.pid}`);
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    await run('unzip', ['-q', zip, '-d', staging], { maxBuffer: 64 * 1024 * 1024 });
    const [inner] = await readdir(staging);
    if (!inner) throw new Error(`The distribution zip ${zip} is empty.`);
    await rm(home, { recursive: true, force: true });
    await rename(join(staging, inner), home);
    await rm(staging, { recursive: true, force: true });
    for (const name of await readdir(join(home, 'bin'))) await chmod(join(home, 'bin', name), 0o755);
    await run('chmod', ['-R', 'a+rX', home]);
    log(`distribution ${version}: unpacked into ${home}`);
  }
  return { home, version, downloaded };
}
