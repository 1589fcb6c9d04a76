// @ts-check
// Builds and installs our test-only analysis plugin (security-analysis-plugin/), without which
// the integ-test distribution cannot create its `.security` index: no API key, no native user.
// See the comment at the top of its Java source for the details.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { launcherHome } from './distribution.mjs';

const run = promisify(execFile);

export const PLUGIN_NAME = 'a4c-security-analysis';
const SOURCES = fileURLToPath(new URL('./security-analysis-plugin/', import.meta.url));

/** Where built plugin zips are kept, and the scratch folders of builds and installs. */
function pluginBuilds() {
  return join(launcherHome(), 'plugin-builds');
}

/** @param {string} folder @returns {Promise<string[]>} every file under folder, sorted */
async function filesUnder(folder) {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/**
 * The plugin's version: a hash of its sources and of the server version it is built for, so
 * that an edited plugin (or another distribution) is rebuilt and replaces the installed one.
 * @param {string} version
 */
async function sourceHash(version) {
  const hash = createHash('sha256').update(version);
  for (const file of await filesUnder(SOURCES)) hash.update(`\0${relative(SOURCES, file)}\0`).update(await readFile(file));
  return hash.digest('hex').slice(0, 16);
}

/** @param {string} pluginFolder @returns {Promise<string | undefined>} */
async function installedVersion(pluginFolder) {
  try {
    const descriptor = await readFile(join(pluginFolder, 'plugin-descriptor.properties'), 'utf8');
    return /^version=(.*)$/m.exec(descriptor)?.[1]?.trim();
  } catch {
    return undefined;
  }
}

/**
 * Compiles the plugin against the distribution's own jars and zips it, once per version and
 * source hash: the zip is kept under the launcher's home and reused.
 * @param {{ distributionHome: string, version: string, java: string, hash: string, log: (line: string) => void }} options
 */
async function buildPlugin({ distributionHome, version, java, hash, log }) {
  const builds = pluginBuilds();
  const zip = join(builds, `${PLUGIN_NAME}-${version}-${hash}.zip`);
  if (existsSync(zip)) return zip;
  const javac = join(java, 'bin', 'javac');
  const jar = join(java, 'bin', 'jar');
  if (!existsSync(javac) || !existsSync(jar)) {
    throw new Error(`Security needs the ${PLUGIN_NAME} plugin, built with javac and jar, which ${java} lacks: install a JDK 17 or set ES_JAVA_HOME to one.`);
  }
  log(`building the ${PLUGIN_NAME} plugin (once): the integ-test distribution lacks what the .security index needs`);
  const work = await mkdtemp(join(builds, '.build-'));
  try {
    const classes = join(work, 'classes');
    const content = join(work, 'zip');
    await mkdir(content, { recursive: true });
    const javaSources = (await filesUnder(join(SOURCES, 'src'))).filter((file) => file.endsWith('.java'));
    await run(javac, ['--release', '17', '-encoding', 'UTF-8', '-cp', join(distributionHome, 'lib', '*'), '-d', classes, ...javaSources]);
    await run(jar, ['cf', join(content, `${PLUGIN_NAME}.jar`), '-C', classes, '.']);
    const descriptor = (await readFile(join(SOURCES, 'plugin-descriptor.properties'), 'utf8'))
      .replaceAll('@version@', hash)
      .replaceAll('@elasticsearch.version@', version);
    await writeFile(join(content, 'plugin-descriptor.properties'), descriptor);
    // A plugin zip holds its files at the top; M: no manifest, it is not a jar.
    const partial = join(work, 'plugin.zip');
    await run(jar, ['cfM', partial, '-C', content, '.']);
    await rename(partial, zip); // whole or absent, even with concurrent builds
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return zip;
}

/**
 * Makes sure the distribution has the current build of the plugin, building it when needed.
 *
 * It goes into the distribution's plugins/ folder, shared by every node set: Elasticsearch 8.19
 * reads plugins only from <path.home>/plugins (no ES_PLUGINS_DIR nor path.plugins setting, and
 * path.home is where bin/ is), so a per-set plugins folder would need a per-set copy of the
 * distribution. The plugin only adds analysis types, harmless to sets without security.
 *
 * A node starting while `elasticsearch-plugin` writes its `.installing-*` folder into plugins/
 * would fail on it (every entry there is taken for a plugin), so the tool runs on a private
 * home and the finished plugin folder is renamed into place in one step. The tool takes its
 * home from the path of the script it was started by (path.home cannot be given with -E), hence
 * a folder with symlinks to the distribution's bin, lib and modules and its own empty plugins/.
 * @param {{ distributionHome: string, version: string, java: string, log?: (line: string) => void }} options
 * @returns {Promise<{ installed: boolean }>} installed: false when it was already there
 */
export async function ensureSecurityAnalysisPlugin(options) {
  const { distributionHome, version, java } = options;
  const log = options.log ?? (() => {});
  const hash = await sourceHash(version);
  await mkdir(pluginBuilds(), { recursive: true });
  const target = join(distributionHome, 'plugins', PLUGIN_NAME);
  if ((await installedVersion(target)) === hash) return { installed: false };

  const zip = await buildPlugin({ distributionHome, version, java, hash, log });
  const home = await mkdtemp(join(pluginBuilds(), '.install-'));
  try {
    for (const folder of ['bin', 'lib', 'modules']) await symlink(join(distributionHome, folder), join(home, folder));
    await mkdir(join(home, 'plugins'));
    await run(join(home, 'bin', 'elasticsearch-plugin'), ['install', '--batch', `file://${zip}`], {
      env: { ...process.env, ES_JAVA_HOME: java, ES_PATH_CONF: join(distributionHome, 'config') },
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error) => {
      throw new Error(`Could not install the ${PLUGIN_NAME} plugin: ${error.stderr || error.stdout || error.message}`);
    });
    const staged = join(home, 'plugins', PLUGIN_NAME);
    // The nodes run as another user: they must be able to read what root installed.
    await run('chmod', ['-R', 'a+rX', staged]);
    await chmod(join(distributionHome, 'plugins'), 0o755);
    // Another start may have installed it meanwhile; an older build is moved out of the way.
    if ((await installedVersion(target)) === hash) return { installed: false };
    await rename(target, join(home, 'replaced')).catch((error) => {
      if (error.code !== 'ENOENT') throw error;
    });
    try {
      await rename(staged, target);
    } catch (error) {
      if ((await installedVersion(target)) !== hash) throw error;
      return { installed: false };
    }
    log(`installed the ${PLUGIN_NAME} plugin into ${target}`);
    return { installed: true };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
