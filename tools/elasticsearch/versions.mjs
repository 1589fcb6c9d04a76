// @ts-check
// What each Elasticsearch major needs to run here: which Maven Central artifact holds it,
// what must be fixed in it once for Java 17, and how a node of it takes its settings.
// The measured facts behind every entry are in ../shared/design/legacy-elasticsearch.md
// (workspace root); the project's own 8.x keeps the integ-test zip it always used.
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The legacy versions the launcher knows by heart (any patch of their majors works the same way). */
export const LEGACY_VERSIONS = ['1.7.6', '2.4.6', '5.6.16', '6.8.23', '7.17.29'];

/** The Elasticsearch that A4C 1.x embedded: the legacy node the integration tests and the sample ES 1.x installation run on. */
export const A4C_1X_ELASTICSEARCH_VERSION = '1.7.6';

/** A4C 1.x's default cluster name (its elasticsearch.yml): a 1.x node of another name sees none of A4C's data. */
export const A4C_LEGACY_CLUSTER_NAME = 'escluster';

/**
 * @typedef {{ groupId: string, artifactId: string, version: string, type: string, classifier?: string }} MavenArtifact
 * @typedef {{ home: string, version: string, java: string, log: (line: string) => void }} PrepareContext
 * @typedef {{
 *   version: string,
 *   major: number,
 *   legacy: boolean,
 *   distribution: MavenArtifact,
 *   extras: MavenArtifact[],
 *   prepare?: (context: PrepareContext) => Promise<void>,
 *   defaultClusterName: (setName: string) => string,
 *   defaultHeap: string,
 *   settingsStyle: 'system-properties' | 'flags' | 'config-folder',
 *   environment: (options: { java: string, heap: string, config: string, tmp: string }) => string[],
 *   nodeSettings: (node: { httpPort: number, transportPort: number }) => Record<string, unknown>,
 * }} VersionProfile
 */

/** @param {MavenArtifact} artifact */
export function mavenCoordinates(artifact) {
  return [artifact.groupId, artifact.artifactId, artifact.version, artifact.type, artifact.classifier].filter(Boolean).join(':');
}

/** Where Maven keeps `artifact` once downloaded. @param {MavenArtifact} artifact */
export function mavenPath(artifact) {
  const m2 = process.env.MAVEN_REPOSITORY ?? join(homedir(), '.m2', 'repository');
  const file = `${artifact.artifactId}-${artifact.version}${artifact.classifier ? `-${artifact.classifier}` : ''}.${artifact.type}`;
  return join(m2, ...artifact.groupId.split('.'), artifact.artifactId, artifact.version, file);
}

/** @param {string} version */
function majorOf(version) {
  const match = /^(\d+)\.\d+\.\d+$/.exec(version);
  if (!match) throw new Error(`"${version}" is not an Elasticsearch version (expected major.minor.patch, e.g. 1.7.6 or 8.19.21).`);
  return Number(match[1]);
}

/**
 * The profile of one version: 8.x and 7.x run the integ-test zip; 1.x, 2.x and 5.x their
 * full zip; 6.x the OSS zip (its integ-test zip lacks the keyword tokenizer A4C's analyzer needs).
 * @param {string} version
 * @returns {VersionProfile}
 */
export function versionProfile(version) {
  const major = majorOf(version);
  /** @param {string} groupId @param {string} [artifactId] */
  const zip = (groupId, artifactId = 'elasticsearch') => ({ groupId, artifactId, version, type: 'zip' });
  const loopback = { 'network.host': '127.0.0.1', 'action.destructive_requires_name': false };
  // Disks here are sometimes nearly full; the watermarks would turn indices read-only.
  const noDiskWatermarks = { 'cluster.routing.allocation.disk.threshold_enabled': false };
  /** Zen discovery pinging only itself, so that two helpers' `escluster` nodes never join. @param {{ transportPort: number }} node */
  const zenAlone = (node) => ({ 'discovery.zen.ping.unicast.hosts': [`127.0.0.1:${node.transportPort}`] });
  const common = { legacy: true, version, major, extras: [], defaultClusterName: () => A4C_LEGACY_CLUSTER_NAME };

  if (major >= 8) {
    return {
      ...common,
      legacy: false,
      distribution: zip('org.elasticsearch.distribution.integ-test-zip'),
      defaultClusterName: (setName) => `a4c-${setName}`,
      defaultHeap: '512m',
      settingsStyle: 'config-folder',
      environment: ({ java, heap, config, tmp }) => [
        `ES_JAVA_HOME=${java}`,
        `ES_PATH_CONF=${config}`,
        `ES_TMPDIR=${tmp}`,
        `ES_JAVA_OPTS=-Xms${heap} -Xmx${heap}`,
      ],
      nodeSettings: () => ({}),
    };
  }
  if (major === 1) {
    return {
      ...common,
      distribution: zip('org.elasticsearch'),
      extras: [{ groupId: 'org.elasticsearch', artifactId: 'elasticsearch', version, type: 'jar', classifier: 'sources' }],
      prepare: prepareElasticsearch1,
      defaultHeap: '256m',
      settingsStyle: 'system-properties',
      environment: ({ java, heap }) => [`JAVA_HOME=${java}`, `ES_MIN_MEM=${heap}`, `ES_MAX_MEM=${heap}`],
      nodeSettings: (node) => ({
        ...loopback,
        ...noDiskWatermarks,
        'http.port': node.httpPort,
        'transport.tcp.port': node.transportPort,
        'discovery.zen.ping.multicast.enabled': false,
        ...zenAlone(node),
      }),
    };
  }
  if (major === 2) {
    return {
      ...common,
      distribution: zip('org.elasticsearch.distribution.zip'),
      prepare: createMissingFolders,
      defaultHeap: '256m',
      settingsStyle: 'system-properties',
      environment: ({ java, heap }) => [`JAVA_HOME=${java}`, `ES_MIN_MEM=${heap}`, `ES_MAX_MEM=${heap}`, 'ES_GC_OPTS=-XX:+UseSerialGC'],
      nodeSettings: (node) => ({ ...loopback, ...noDiskWatermarks, 'http.port': node.httpPort, 'transport.tcp.port': node.transportPort, ...zenAlone(node) }),
    };
  }
  if (major === 5) {
    return {
      ...common,
      distribution: zip('org.elasticsearch.distribution.zip'),
      prepare: prepareElasticsearch5,
      defaultHeap: '512m',
      settingsStyle: 'flags',
      environment: ({ java, heap }) => [`JAVA_HOME=${java}`, `ES_JAVA_OPTS=-Xms${heap} -Xmx${heap}`],
      nodeSettings: (node) => ({ ...loopback, ...noDiskWatermarks, 'http.port': node.httpPort, 'transport.tcp.port': node.transportPort, ...zenAlone(node) }),
    };
  }
  if (major === 6) {
    return {
      ...common,
      distribution: zip('org.elasticsearch.distribution.zip', 'elasticsearch-oss'),
      defaultHeap: '512m',
      settingsStyle: 'config-folder',
      environment: ({ java, heap, config, tmp }) => [`JAVA_HOME=${java}`, `ES_PATH_CONF=${config}`, `ES_TMPDIR=${tmp}`, `ES_JAVA_OPTS=-Xms${heap} -Xmx${heap}`],
      nodeSettings: (node) => ({ ...loopback, ...noDiskWatermarks, 'http.port': node.httpPort, 'transport.tcp.port': node.transportPort, ...zenAlone(node) }),
    };
  }
  if (major === 7) {
    return {
      ...common,
      distribution: zip('org.elasticsearch.distribution.integ-test-zip'),
      defaultHeap: '512m',
      settingsStyle: 'config-folder',
      environment: ({ java, heap, config, tmp }) => [
        `ES_JAVA_HOME=${java}`,
        `ES_PATH_CONF=${config}`,
        `ES_TMPDIR=${tmp}`,
        `ES_JAVA_OPTS=-Xms${heap} -Xmx${heap}`,
      ],
      nodeSettings: (node) => ({
        ...loopback,
        ...noDiskWatermarks,
        'http.port': node.httpPort,
        'transport.port': node.transportPort,
        'discovery.type': 'single-node',
        'xpack.security.enabled': false,
      }),
    };
  }
  throw new Error(`Elasticsearch ${version} is not supported by the launcher: use 8.x or one of ${LEGACY_VERSIONS.join(', ')}.`);
}

/** The GC flags Java 17 no longer knows; 1.x's bin/elasticsearch.in.sh hard-codes them. */
const REMOVED_GC_FLAGS = /UseParNewGC|UseConcMarkSweepGC|CMSInitiatingOccupancyFraction|UseCMSInitiatingOccupancyOnly/;

/**
 * ES 1.x on Java 17: drop the CMS/ParNew lines of bin/elasticsearch.in.sh, and put first
 * on the class path a JvmInfo compiled from the sources jar with its getBootClassPath()
 * call guarded (that call throws on Java 9+, and the node dies in JvmInfo.<clinit>).
 * @param {PrepareContext} context
 */
async function prepareElasticsearch1({ home, version, java, log }) {
  const includeFile = join(home, 'bin', 'elasticsearch.in.sh');
  const lines = (await readFile(includeFile, 'utf8')).split('\n');
  const fixes = join(home, 'a4c-java17-fixes');
  const kept = lines
    .filter((line) => !REMOVED_GC_FLAGS.test(line))
    // The compiled fix goes first, so that it shadows the class inside elasticsearch-1.x.jar.
    .map((line) =>
      line.startsWith('ES_CLASSPATH=$ES_CLASSPATH:')
        ? line.replace('ES_CLASSPATH=$ES_CLASSPATH:', 'ES_CLASSPATH=$ES_HOME/a4c-java17-fixes:$ES_CLASSPATH:')
        : line,
    );
  if (!kept.some((line) => line.includes('a4c-java17-fixes'))) throw new Error(`${includeFile} has no ES_CLASSPATH line to extend: not a 1.x distribution?`);
  await writeFile(includeFile, kept.join('\n'));

  const sourcesJar = mavenPath({ groupId: 'org.elasticsearch', artifactId: 'elasticsearch', version, type: 'jar', classifier: 'sources' });
  const { stdout: source } = await run('unzip', ['-p', sourcesJar, 'org/elasticsearch/monitor/jvm/JvmInfo.java'], { maxBuffer: 8 * 1024 * 1024 });
  const call = 'info.bootClassPath = runtimeMXBean.getBootClassPath();';
  if (!source.includes(call)) throw new Error(`JvmInfo.java of ${sourcesJar} no longer has the line to guard (${call}).`);
  const guarded = source.replace(call, `info.bootClassPath = runtimeMXBean.isBootClassPathSupported() ? runtimeMXBean.getBootClassPath() : "";`);
  const sources = join(fixes, 'src');
  await mkdir(join(sources, 'org', 'elasticsearch', 'monitor', 'jvm'), { recursive: true });
  const javaFile = join(sources, 'org', 'elasticsearch', 'monitor', 'jvm', 'JvmInfo.java');
  await writeFile(javaFile, guarded);
  await run(join(java, 'bin', 'javac'), ['-nowarn', '--release', '8', '-cp', `${join(home, 'lib')}/*`, '-d', fixes, javaFile], { maxBuffer: 8 * 1024 * 1024 });
  log(`distribution ${version}: Java 17 fixes applied (GC flags dropped, JvmInfo recompiled into ${fixes})`);
}

/**
 * ES 2.x and 5.x check at start that their plugins and scripts folders are there, and the zip has
 * none; the node user cannot create them in the shared, read-only distribution.
 * @param {PrepareContext} context
 */
async function createMissingFolders({ home }) {
  for (const folder of ['plugins', join('config', 'scripts')]) await mkdir(join(home, folder), { recursive: true });
}

/**
 * ES 5.x on Java 17: config/jvm.options asks for CMS, which Java 17 no longer has, and
 * pre-touches the heap; the heap itself comes from ES_JAVA_OPTS.
 * @param {PrepareContext} context
 */
async function prepareElasticsearch5(context) {
  const { home } = context;
  await createMissingFolders(context);
  const file = join(home, 'config', 'jvm.options');
  const lines = (await readFile(file, 'utf8')).split('\n');
  const kept = lines
    .map((line) => (line.includes('UseConcMarkSweepGC') ? '-XX:+UseSerialGC' : line))
    .filter((line) => !/CMSInitiatingOccupancyFraction|UseCMSInitiatingOccupancyOnly|AlwaysPreTouch|^-Xm[sx]/.test(line));
  await writeFile(file, kept.join('\n'));
}
