// The bad-input corpus: what an operator (or a damaged disk) can hand the tool, one row
// each, with the answer the tool owes: exit status, error code, a message that names the
// problem, and a hint. Every row must also leave the folders and the cluster as they were.
import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { computeManifestSha256 } from '@a4c-admin/core/internal';
import yazl from 'yazl';
import type { TestInstallation } from './test-installation.js';

export interface CorpusContext {
  installation: TestInstallation;
  /** A folder for bad config files and archives, outside every compared tree. */
  scratch: string;
  /** Names of the good backups made once for the corpus. */
  snapshotBackup: string;
  exportBackup: string;
  /** A port where nothing listens, and the URL of an HTTP server that is not Elasticsearch. */
  deadUrl: string;
  notElasticsearchUrl: string;
}

export interface BadInput {
  area: 'arguments' | 'config' | 'backup folder' | 'export files' | 'data folder' | 'plugin archive';
  title: string;
  /** Prepares the damage; runs before the "before" state is taken. Returns the arguments (without --json). */
  prepare(context: CorpusContext): Promise<string[]>;
  /** Undoes the damage, after the comparison. */
  undo?(context: CorpusContext): Promise<void>;
  /** Whether `-c <config>` is added (false when the row passes its own). */
  withConfig?: boolean;
  expected: { status: number; code: string; message: RegExp; hint?: RegExp };
}

const USAGE = 2;
const CONFIG = 3;
const CLUSTER = 4;
const PRECONDITION = 5;
const VERIFICATION = 6;

/** A copy of a good backup under a new name, to damage without touching the original. */
async function copyBackup(context: CorpusContext, from: string, to: string): Promise<string> {
  const folder = join(context.installation.backupDir, to);
  await cp(join(context.installation.backupDir, from), folder, { recursive: true });
  return folder;
}

const removeBackup = (name: string) => async (context: CorpusContext) => rm(join(context.installation.backupDir, name), { recursive: true, force: true });

async function editManifest(folder: string, edit: (manifest: Record<string, any>) => void, rehash: boolean): Promise<void> {
  const file = join(folder, 'manifest.json');
  const manifest = JSON.parse(await readFile(file, 'utf8'));
  edit(manifest);
  if (rehash) manifest.manifestSha256 = computeManifestSha256(manifest);
  await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
}

/** A config file in the scratch folder: `-c <it>` is returned. */
async function configFile(context: CorpusContext, name: string, content: string | ((good: Record<string, any>) => unknown)): Promise<string[]> {
  const file = join(context.scratch, name);
  if (typeof content === 'string') await writeFile(file, content);
  else await writeFile(file, JSON.stringify(content(JSON.parse(await readFile(context.installation.configFile, 'utf8')))));
  return ['-c', file];
}

/** The first export chunk of a backup folder. */
async function firstChunk(folder: string): Promise<string> {
  const chunk = (await readdir(join(folder, 'export'))).filter((name) => name.endsWith('.ndjson.gz')).sort()[0];
  if (!chunk) throw new Error(`no chunk in ${folder}/export`);
  return join(folder, 'export', chunk);
}

/** A zip with one unsafe entry: yazl refuses such names, so a same-length safe one is patched in both headers. */
async function zipWith(entries: { name: string; content: string; mode?: number }[], patch?: { from: string; to: string }): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) zip.addBuffer(Buffer.from(entry.content), entry.name, entry.mode === undefined ? {} : { mode: entry.mode });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  if (!patch) return bytes;
  if (patch.from.length !== patch.to.length) throw new Error('patched names must have the same length');
  return Buffer.from(bytes.toString('latin1').split(patch.from).join(patch.to), 'latin1');
}

const PLUGIN_YML = 'id: alien-cloudify-3-orchestrator\nname: Cloudify 3 Orchestrator Plugin\nversion: 1.2.0\nconfiguration_class: x.Y\n';
const PLUGIN = 'alien-cloudify-3-orchestrator';

async function pluginArchive(context: CorpusContext, name: string, bytes: Buffer | Promise<Buffer>): Promise<string[]> {
  const file = join(context.scratch, name);
  await writeFile(file, await bytes);
  return ['plugins', 'swap', PLUGIN, '--archive', file];
}

export const BAD_INPUTS: BadInput[] = [
  // ---------------------------------------------------------------- command line
  { area: 'arguments', title: 'unknown command', prepare: async () => ['frobnicate'], expected: { status: USAGE, code: 'USAGE', message: /frobnicate/ } },
  {
    area: 'arguments',
    title: 'unknown flag',
    prepare: async () => ['backup', '1.1.0', '-n', 'x1', '--frobnicate'],
    expected: { status: USAGE, code: 'USAGE', message: /frobnicate/ },
  },
  {
    area: 'arguments',
    title: 'unknown format',
    prepare: async () => ['backup', '1.1.0', '-n', 'x2', '--format', 'tarball'],
    expected: { status: USAGE, code: 'USAGE', message: /tarball/ },
  },
  {
    area: 'arguments',
    title: 'backup name with ..',
    prepare: async () => ['backup', '1.1.0', '-n', '../escape'],
    expected: { status: USAGE, code: 'USAGE', message: /not valid/ },
  },
  {
    area: 'arguments',
    title: 'backup name with /',
    prepare: async () => ['backup', '1.1.0', '-n', 'a/b'],
    expected: { status: USAGE, code: 'USAGE', message: /not valid/ },
  },
  {
    area: 'arguments',
    title: 'backup name with spaces',
    prepare: async () => ['backup', '1.1.0', '-n', 'my backup'],
    expected: { status: USAGE, code: 'USAGE', message: /not valid/ },
  },
  {
    area: 'arguments',
    title: 'backup name in unicode',
    prepare: async () => ['backup', '1.1.0', '-n', 'sauvegarde-été-备份'],
    expected: { status: USAGE, code: 'USAGE', message: /not valid/ },
  },
  {
    area: 'arguments',
    title: 'backup name of 300 characters',
    prepare: async () => ['backup', '1.1.0', '-n', 'a'.repeat(300)],
    expected: { status: USAGE, code: 'USAGE', message: /300 characters/ },
  },
  {
    area: 'arguments',
    title: 'empty backup name',
    prepare: async () => ['backup', '1.1.0', '-n', ''],
    expected: { status: USAGE, code: 'USAGE', message: /empty|not valid/ },
  },
  {
    area: 'arguments',
    title: 'backup name starting with a dot (a hidden folder)',
    prepare: async () => ['backup', '1.1.0', '-n', '.partial-x'],
    expected: { status: USAGE, code: 'USAGE', message: /not valid/ },
  },
  {
    area: 'arguments',
    title: 'backup name in upper case',
    prepare: async () => ['backup', '1.1.0', '-n', 'Backup110'],
    expected: { status: USAGE, code: 'USAGE', message: /not valid/ },
  },
  {
    area: 'arguments',
    title: 'restore name with ..',
    prepare: async () => ['restore', '1.1.0', '-n', '../backups', '--yes'],
    expected: { status: USAGE, code: 'USAGE', message: /not valid/ },
  },
  {
    area: 'arguments',
    title: 'delete name with ../..',
    prepare: async () => ['delete', '../..', '--yes'],
    expected: { status: USAGE, code: 'USAGE', message: /not valid/ },
  },
  { area: 'arguments', title: 'verify name with /', prepare: async () => ['verify', '/etc'], expected: { status: USAGE, code: 'USAGE', message: /not valid/ } },
  {
    area: 'arguments',
    title: 'unknown data version',
    prepare: async () => ['backup', '9.9.9', '-n', 'x3'],
    expected: { status: USAGE, code: 'USAGE', message: /9\.9\.9/ },
  },
  {
    area: 'arguments',
    title: 'malformed data version',
    prepare: async () => ['backup', '1.1', '-n', 'x4'],
    expected: { status: USAGE, code: 'USAGE', message: /1\.1/ },
  },
  {
    area: 'arguments',
    title: 'restore with the wrong version',
    prepare: async (context) => ['restore', '1.2.0', '-n', context.snapshotBackup, '--yes'],
    expected: { status: PRECONDITION, code: 'VERSION_MISMATCH', message: /1\.1\.0.*not 1\.2\.0/ },
  },
  {
    area: 'arguments',
    title: 'restore of a backup that does not exist',
    prepare: async () => ['restore', '1.1.0', '-n', 'nosuchbackup', '--yes'],
    expected: { status: PRECONDITION, code: 'BACKUP_NOT_FOUND', message: /nosuchbackup/ },
  },
  {
    area: 'arguments',
    title: 'restore without a name',
    prepare: async () => ['restore', '1.1.0', '--yes'],
    expected: { status: USAGE, code: 'USAGE', message: /name/ },
  },
  {
    area: 'arguments',
    title: "restore of an index that is not A4C's",
    prepare: async (context) => ['restore', '1.1.0', '-n', context.snapshotBackup, '--indices', 'nosuchindex', '--yes'],
    expected: { status: USAGE, code: 'USAGE', message: /nosuchindex/ },
  },
  {
    area: 'arguments',
    title: 'restore of a part with ..',
    prepare: async (context) => ['restore', '1.1.0', '-n', context.snapshotBackup, '--parts', '../../etc', '--yes'],
    expected: { status: USAGE, code: 'USAGE', message: /\.\./ },
  },
  {
    area: 'arguments',
    title: 'backup of a part with ..',
    prepare: async () => ['backup', '1.1.0', '-n', 'x5', '--parts', '../../etc'],
    expected: { status: USAGE, code: 'USAGE', message: /--parts.*\.\./ },
  },
  {
    area: 'arguments',
    title: 'backup of an absolute part',
    prepare: async () => ['backup', '1.1.0', '-n', 'x6', '--parts', '/etc'],
    expected: { status: USAGE, code: 'USAGE', message: /--parts.*\/etc/ },
  },
  {
    area: 'arguments',
    title: 'backup of upload/ (never backed up)',
    prepare: async () => ['backup', '1.1.0', '-n', 'x7', '--parts', 'upload'],
    expected: { status: USAGE, code: 'USAGE', message: /--parts.*upload.*never backed up/ },
  },
  {
    area: 'arguments',
    title: 'backup under a name already taken',
    prepare: async (context) => ['backup', '1.1.0', '-n', context.snapshotBackup],
    expected: { status: PRECONDITION, code: 'BACKUP_EXISTS', message: /already exists/ },
  },
  {
    area: 'arguments',
    title: 'migration to an older version',
    prepare: async () => ['migrate', '1.2.0', '--to', '1.1.0'],
    expected: { status: PRECONDITION, code: 'MIGRATION_PATH', message: /1\.1\.0/ },
  },
  {
    area: 'arguments',
    title: 'migration to a version this tool does not know',
    prepare: async () => ['migrate', '1.1.0', '--to', '9.9.9', '--skip-backup', 'good-snapshot'],
    expected: { status: PRECONDITION, code: 'MIGRATION_PATH', message: /9\.9\.9/ },
  },
  {
    area: 'arguments',
    title: 'migration with --rollback and --finalize',
    prepare: async () => ['migrate', '1.1.0', '--rollback', '--finalize', '--yes'],
    expected: { status: USAGE, code: 'USAGE', message: /rollback|finalize/ },
  },
  {
    area: 'arguments',
    title: 'migration relying on a backup that does not exist',
    prepare: async () => ['migrate', '1.1.0', '--skip-backup', 'nosuchbackup'],
    expected: { status: PRECONDITION, code: 'BACKUP_NOT_FOUND', message: /nosuchbackup/ },
  },
  {
    area: 'arguments',
    title: 'prune with a negative count',
    prepare: async () => ['prune', '--keep-last', '-1', '--yes'],
    expected: { status: USAGE, code: 'USAGE', message: /keep-last|-1/ },
  },
  {
    area: 'arguments',
    title: 'prune with a count that is not a number',
    prepare: async () => ['prune', '--keep-last', 'many', '--yes'],
    expected: { status: USAGE, code: 'USAGE', message: /many/ },
  },
  {
    area: 'arguments',
    title: 'a config file that does not exist',
    withConfig: false,
    prepare: async (context) => ['-c', join(context.scratch, 'missing.yml'), 'list'],
    expected: { status: CONFIG, code: 'CONFIG_NOT_FOUND', message: /missing\.yml/ },
  },

  // ---------------------------------------------------------------- config files
  {
    area: 'config',
    title: 'an empty config file',
    withConfig: false,
    prepare: async (context) => [...(await configFile(context, 'empty.yml', '')), 'list'],
    expected: { status: CONFIG, code: 'CONFIG_INVALID', message: /empty|backup\.files_dir|alien4cloud/ },
  },
  {
    area: 'config',
    title: 'a config that is a directory',
    withConfig: false,
    prepare: async (context) => {
      await mkdir(join(context.scratch, 'config-folder.yml'), { recursive: true });
      return ['-c', join(context.scratch, 'config-folder.yml'), 'list'];
    },
    expected: { status: CONFIG, code: 'CONFIG_NOT_FOUND', message: /is a folder, not a file/ },
  },
  {
    area: 'config',
    title: 'YAML that does not parse',
    withConfig: false,
    prepare: async (context) => [...(await configFile(context, 'broken.yml', 'elasticsearch:\n  addresses: [http://x\n  : :')), 'list'],
    expected: { status: CONFIG, code: 'CONFIG_INVALID', message: /YAML|yaml|parse/ },
  },
  {
    area: 'config',
    title: 'YAML with a JavaScript tag',
    withConfig: false,
    prepare: async (context) => [
      ...(await configFile(context, 'tagged.yml', 'backup:\n  files_dir: !!js/function "function () { process.exit(42) }"\n')),
      'list',
    ],
    expected: { status: CONFIG, code: 'CONFIG_INVALID', message: /js\/function|tag/ },
  },
  {
    area: 'config',
    title: 'binary garbage',
    withConfig: false,
    prepare: async (context) => [...(await configFile(context, 'garbage.yml', '\u0000\u0001\u0002\u00ff\ufffd%%%:\t\u0007')), 'list'],
    expected: { status: CONFIG, code: 'CONFIG_INVALID', message: /./ },
  },
  {
    area: 'config',
    title: 'a YAML list instead of a mapping',
    withConfig: false,
    prepare: async (context) => [...(await configFile(context, 'list.yml', '- a\n- b\n')), 'list'],
    expected: { status: CONFIG, code: 'CONFIG_INVALID', message: /./ },
  },
  {
    area: 'config',
    title: 'an alias bomb (billion laughs)',
    withConfig: false,
    prepare: async (context) => {
      const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
      for (let level = 1; level < 9; level++)
        lines.push(
          `${String.fromCharCode(97 + level)}: &${String.fromCharCode(97 + level)} [${Array(9)
            .fill(`*${String.fromCharCode(96 + level)}`)
            .join(',')}]`,
        );
      return [...(await configFile(context, 'bomb.yml', `${lines.join('\n')}\n`)), 'list'];
    },
    expected: { status: CONFIG, code: 'CONFIG_INVALID', message: /./ },
  },
  {
    area: 'config',
    title: 'a misspelt section',
    withConfig: false,
    prepare: async (context) => [...(await configFile(context, 'typo.yml', (good) => ({ ...good, elasticsaerch: good.elasticsearch }))), 'list'],
    expected: { status: CONFIG, code: 'CONFIG_INVALID', message: /elasticsaerch/ },
  },
  {
    area: 'config',
    title: 'a relative backup.files_dir',
    withConfig: false,
    prepare: async (context) => [
      ...(await configFile(context, 'relative.yml', (good) => ({ ...good, backup: { ...good.backup, files_dir: 'backups' } }))),
      'list',
    ],
    expected: { status: CONFIG, code: 'CONFIG_INVALID', message: /files_dir.*absolute/ },
  },
  {
    area: 'config',
    title: 'an ftp:// address',
    withConfig: false,
    prepare: async (context) => [
      ...(await configFile(context, 'ftp.yml', (good) => ({ ...good, elasticsearch: { ...good.elasticsearch, addresses: ['ftp://127.0.0.1:21'] } }))),
      'list',
    ],
    expected: { status: CONFIG, code: 'CONFIG_INVALID', message: /addresses/ },
  },
  {
    area: 'config',
    title: 'an API key and a password together',
    withConfig: false,
    prepare: async (context) => [
      ...(await configFile(context, 'both-auth.yml', (good) => ({
        ...good,
        elasticsearch: { ...good.elasticsearch, auth: { username: 'elastic', password: 'p4ss-w0rd-corpus', api_key: 'a2V5OnNlY3JldA==' } },
      }))),
      'doctor',
    ],
    expected: { status: CONFIG, code: 'CONFIG_INVALID', message: /both basic auth.*api_key/ },
  },
  {
    area: 'config',
    title: 'a username without a password',
    withConfig: false,
    prepare: async (context) => [
      ...(await configFile(context, 'no-password.yml', (good) => ({ ...good, elasticsearch: { ...good.elasticsearch, auth: { username: 'elastic' } } }))),
      'doctor',
    ],
    expected: { status: CONFIG, code: 'CONFIG_INVALID', message: /password/ },
  },
  {
    area: 'config',
    title: 'a malformed TLS fingerprint',
    withConfig: false,
    prepare: async (context) => [
      ...(await configFile(context, 'fingerprint.yml', (good) => ({ ...good, elasticsearch: { ...good.elasticsearch, tls: { fingerprint: 'AB:CD' } } }))),
      'list',
    ],
    expected: { status: CONFIG, code: 'CONFIG_INVALID', message: /fingerprint/ },
  },
  {
    area: 'config',
    title: 'a CA file that does not exist',
    withConfig: false,
    prepare: async (context) => [
      ...(await configFile(context, 'ca.yml', (good) => ({
        ...good,
        elasticsearch: { ...good.elasticsearch, tls: { ca_file: join(context.scratch, 'no-ca.pem') } },
      }))),
      'doctor',
    ],
    expected: { status: CONFIG, code: 'CONFIG_INVALID', message: /no-ca\.pem/ },
  },
  {
    area: 'config',
    title: 'max_retries out of range',
    withConfig: false,
    prepare: async (context) => [
      ...(await configFile(context, 'retries.yml', (good) => ({ ...good, elasticsearch: { ...good.elasticsearch, max_retries: 1000 } }))),
      'list',
    ],
    expected: { status: CONFIG, code: 'CONFIG_INVALID', message: /max_retries/ },
  },
  {
    area: 'config',
    title: 'an index prefix in upper case',
    withConfig: false,
    prepare: async (context) => [
      ...(await configFile(context, 'prefix.yml', (good) => ({ ...good, elasticsearch: { ...good.elasticsearch, index_prefix: 'A4C-' } }))),
      'list',
    ],
    expected: { status: CONFIG, code: 'CONFIG_INVALID', message: /index_prefix/ },
  },
  {
    area: 'config',
    title: 'backup.parts reaching out with ..',
    withConfig: false,
    prepare: async (context) => [
      ...(await configFile(context, 'parts.yml', (good) => ({ ...good, backup: { ...good.backup, parts: ['csar', '../../etc'] } }))),
      'list',
    ],
    expected: { status: CONFIG, code: 'CONFIG_INVALID', message: /parts/ },
  },
  {
    area: 'config',
    title: 'a repository name with a slash',
    withConfig: false,
    prepare: async (context) => [
      ...(await configFile(context, 'repository.yml', (good) => ({
        ...good,
        elasticsearch: { ...good.elasticsearch, repository: { ...good.elasticsearch.repository, name: '../x' } },
      }))),
      'list',
    ],
    expected: { status: CONFIG, code: 'CONFIG_INVALID', message: /repository/ },
  },
  {
    area: 'config',
    title: 'a config file listed in backup.config_files that is a directory',
    withConfig: false,
    prepare: async (context) => [
      ...(await configFile(context, 'config-files.yml', (good) => ({ ...good, backup: { ...good.backup, config_files: ['/etc'] } }))),
      'backup',
      '1.1.0',
      '-n',
      'x8',
    ],
    expected: { status: PRECONDITION, code: 'UNSAFE_PATH', message: /\/etc.*not a regular file/ },
  },
  {
    area: 'config',
    title: 'a data folder that does not exist',
    withConfig: false,
    prepare: async (context) => [
      ...(await configFile(context, 'no-data.yml', (good) => ({ ...good, alien4cloud: { dir: join(context.scratch, 'no-such-data') } }))),
      'backup',
      '1.1.0',
      '-n',
      'x9',
    ],
    expected: { status: PRECONDITION, code: 'PRECONDITION_FAILED', message: /no-such-data/ },
  },
  {
    area: 'config',
    title: 'a port where nothing listens',
    withConfig: false,
    prepare: async (context) => [
      ...(await configFile(context, 'dead.yml', (good) => ({
        ...good,
        elasticsearch: { ...good.elasticsearch, addresses: [context.deadUrl], max_retries: 0 },
      }))),
      'backup',
      '1.1.0',
      '-n',
      'x10',
    ],
    expected: { status: CLUSTER, code: 'CLUSTER_UNREACHABLE', message: /Cannot reach Elasticsearch/ },
  },
  {
    area: 'config',
    title: 'an HTTP server that is not Elasticsearch',
    withConfig: false,
    prepare: async (context) => [
      ...(await configFile(context, 'not-es.yml', (good) => ({
        ...good,
        elasticsearch: { ...good.elasticsearch, addresses: [context.notElasticsearchUrl], max_retries: 0 },
      }))),
      'backup',
      '1.1.0',
      '-n',
      'x11',
    ],
    expected: { status: CLUSTER, code: 'ES_REQUEST_FAILED', message: /./ },
  },
  {
    area: 'config',
    title: 'a repository outside path.repo',
    withConfig: false,
    prepare: async (context) => [
      ...(await configFile(context, 'outside.yml', (good) => ({
        ...good,
        elasticsearch: {
          ...good.elasticsearch,
          repository: { name: `${good.elasticsearch.repository.name}-out`, location: join(context.scratch, 'outside-repo') },
        },
      }))),
      'backup',
      '1.1.0',
      '-n',
      'x12',
    ],
    expected: { status: PRECONDITION, code: 'REPOSITORY_NOT_ALLOWED', message: /path\.repo/ },
  },

  // ---------------------------------------------------------------- backup folders
  {
    area: 'backup folder',
    title: 'manifest missing',
    prepare: async (context) => {
      await rm(join(await copyBackup(context, context.snapshotBackup, 'no-manifest'), 'manifest.json'));
      return ['restore', '1.1.0', '-n', 'no-manifest', '--yes'];
    },
    undo: removeBackup('no-manifest'),
    expected: { status: VERIFICATION, code: 'BACKUP_INVALID', message: /not a complete backup/ },
  },
  {
    area: 'backup folder',
    title: 'manifest truncated',
    prepare: async (context) => {
      const folder = await copyBackup(context, context.snapshotBackup, 'cut-manifest');
      await truncate(join(folder, 'manifest.json'), 200);
      return ['restore', '1.1.0', '-n', 'cut-manifest', '--yes'];
    },
    undo: removeBackup('cut-manifest'),
    expected: { status: VERIFICATION, code: 'BACKUP_INVALID', message: /manifest/ },
  },
  {
    area: 'backup folder',
    title: 'manifest edited by hand (a count changed, hash left)',
    prepare: async (context) => {
      await editManifest(await copyBackup(context, context.snapshotBackup, 'edited'), (manifest) => (manifest.indices[0].docCount += 1), false);
      return ['restore', '1.1.0', '-n', 'edited', '--yes'];
    },
    undo: removeBackup('edited'),
    expected: { status: VERIFICATION, code: 'BACKUP_INVALID', message: /manifest/ },
  },
  {
    area: 'backup folder',
    title: 'manifest from a newer tool version',
    prepare: async (context) => {
      await editManifest(
        await copyBackup(context, context.snapshotBackup, 'from-future'),
        (manifest) => {
          manifest.formatVersion = 99;
          manifest.tool = { ...manifest.tool, version: '99.0.0' };
        },
        true,
      );
      return ['restore', '1.1.0', '-n', 'from-future', '--yes'];
    },
    undo: removeBackup('from-future'),
    expected: { status: PRECONDITION, code: 'VERSION_MISMATCH', message: /99\.0\.0, newer than/ },
  },
  {
    area: 'backup folder',
    title: 'manifest listing a file at ../../etc/passwd (hash recomputed)',
    prepare: async (context) => {
      await editManifest(
        await copyBackup(context, context.snapshotBackup, 'traversal'),
        (manifest) => {
          manifest.files[0].path = '../../etc/passwd';
        },
        true,
      );
      return ['restore', '1.1.0', '-n', 'traversal', '--yes'];
    },
    undo: removeBackup('traversal'),
    expected: { status: VERIFICATION, code: 'BACKUP_INVALID', message: /\.\.|passwd/ },
  },
  {
    area: 'backup folder',
    title: 'manifest restoring a config file to /etc/cron.d (hash recomputed)',
    prepare: async (context) => {
      await editManifest(
        await copyBackup(context, context.snapshotBackup, 'config-elsewhere'),
        (manifest) => {
          manifest.configFiles[0].path = '/etc/cron.d/a4c-admin-corpus';
        },
        true,
      );
      return ['restore', '1.1.0', '-n', 'config-elsewhere', '--yes'];
    },
    undo: removeBackup('config-elsewhere'),
    expected: { status: PRECONDITION, code: 'UNSAFE_PATH', message: /cron\.d.*not listed in backup\.config_files/ },
  },
  {
    area: 'backup folder',
    title: 'a backed-up file altered',
    prepare: async (context) => {
      const folder = await copyBackup(context, context.snapshotBackup, 'altered');
      const manifest = JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8'));
      const entry = manifest.files.find((file: { type?: string; size?: number }) => (file.size ?? 0) > 0);
      await writeFile(join(folder, 'files', entry.stored ?? entry.path), 'tampered', { flag: 'a' });
      return ['restore', '1.1.0', '-n', 'altered', '--yes'];
    },
    undo: removeBackup('altered'),
    expected: { status: VERIFICATION, code: 'CHECKSUM_MISMATCH', message: /changed since the backup/ },
  },
  {
    area: 'backup folder',
    title: 'a backed-up file deleted',
    prepare: async (context) => {
      const folder = await copyBackup(context, context.snapshotBackup, 'file-gone');
      const manifest = JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8'));
      const entry = manifest.files.find((file: { size?: number }) => (file.size ?? 0) > 0);
      await rm(join(folder, 'files', entry.stored ?? entry.path));
      return ['restore', '1.1.0', '-n', 'file-gone', '--yes'];
    },
    undo: removeBackup('file-gone'),
    expected: { status: VERIFICATION, code: 'CHECKSUM_MISMATCH', message: /missing|changed/ },
  },
  {
    area: 'backup folder',
    title: 'a backed-up file replaced by a symlink to /etc/passwd',
    prepare: async (context) => {
      const folder = await copyBackup(context, context.snapshotBackup, 'file-link');
      const manifest = JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8'));
      const entry = manifest.files.find((file: { size?: number }) => (file.size ?? 0) > 0);
      const stored = join(folder, 'files', entry.stored ?? entry.path);
      await rm(stored);
      await symlink('/etc/passwd', stored);
      return ['restore', '1.1.0', '-n', 'file-link', '--yes'];
    },
    undo: removeBackup('file-link'),
    expected: { status: VERIFICATION, code: 'CHECKSUM_MISMATCH', message: /./ },
  },
  {
    area: 'backup folder',
    title: 'a backup "folder" that is a regular file',
    prepare: async (context) => {
      await writeFile(join(context.installation.backupDir, 'plain-file'), 'not a backup');
      return ['restore', '1.1.0', '-n', 'plain-file', '--yes'];
    },
    undo: removeBackup('plain-file'),
    expected: { status: PRECONDITION, code: 'BACKUP_NOT_FOUND', message: /no backup folder .*plain-file/ },
  },
  {
    area: 'backup folder',
    title: 'the snapshot of a backup deleted behind its back',
    prepare: async (context) => {
      const folder = await copyBackup(context, context.snapshotBackup, 'no-snapshot');
      await editManifest(
        folder,
        (manifest) => {
          manifest.snapshot.name = 'snapshot-that-never-was';
        },
        true,
      );
      return ['restore', '1.1.0', '-n', 'no-snapshot', '--yes'];
    },
    undo: removeBackup('no-snapshot'),
    expected: { status: PRECONDITION, code: 'SNAPSHOT_NOT_FOUND', message: /snapshot-that-never-was/ },
  },

  // ---------------------------------------------------------------- export files
  {
    area: 'export files',
    title: 'a truncated NDJSON chunk',
    prepare: async (context) => {
      const chunk = await firstChunk(await copyBackup(context, context.exportBackup, 'cut-chunk'));
      await truncate(chunk, 20);
      return ['restore', '1.1.0', '-n', 'cut-chunk', '--yes'];
    },
    undo: removeBackup('cut-chunk'),
    expected: { status: VERIFICATION, code: 'CHECKSUM_MISMATCH', message: /chunk|changed|ndjson/ },
  },
  {
    area: 'export files',
    title: 'a chunk with a wrong checksum (valid gzip, other documents)',
    prepare: async (context) => {
      const chunk = await firstChunk(await copyBackup(context, context.exportBackup, 'other-chunk'));
      await writeFile(chunk, gzipSync('{"index":{"_id":"intruder"}}\n{"evil":true}\n'));
      return ['restore', '1.1.0', '-n', 'other-chunk', '--yes'];
    },
    undo: removeBackup('other-chunk'),
    expected: { status: VERIFICATION, code: 'CHECKSUM_MISMATCH', message: /chunk|changed|ndjson/ },
  },
  {
    area: 'export files',
    title: 'a chunk missing',
    prepare: async (context) => {
      await rm(await firstChunk(await copyBackup(context, context.exportBackup, 'lost-chunk')));
      return ['restore', '1.1.0', '-n', 'lost-chunk', '--yes'];
    },
    undo: removeBackup('lost-chunk'),
    expected: { status: VERIFICATION, code: 'CHECKSUM_MISMATCH', message: /missing|chunk|ndjson/ },
  },
  {
    area: 'export files',
    title: 'the export manifest truncated',
    prepare: async (context) => {
      const folder = await copyBackup(context, context.exportBackup, 'cut-export-manifest');
      await truncate(join(folder, 'export', 'export-manifest.json'), 100);
      return ['restore', '1.1.0', '-n', 'cut-export-manifest', '--yes'];
    },
    undo: removeBackup('cut-export-manifest'),
    expected: { status: VERIFICATION, code: 'EXPORT_INVALID', message: /export-manifest\.json is not valid JSON/ },
  },
  {
    area: 'export files',
    title: 'verify of an export backup with a truncated chunk',
    prepare: async (context) => {
      await truncate(await firstChunk(await copyBackup(context, context.exportBackup, 'verify-cut')), 10);
      return ['verify', 'verify-cut'];
    },
    undo: removeBackup('verify-cut'),
    expected: { status: VERIFICATION, code: 'CHECKSUM_MISMATCH', message: /./ },
  },

  // ---------------------------------------------------------------- data folder
  {
    area: 'data folder',
    title: 'a symlink to /etc inside the data folder',
    prepare: async (context) => {
      await symlink('/etc', join(context.installation.dataDir, 'csar', 'etc-link'));
      return ['backup', '1.1.0', '-n', 'with-etc-link'];
    },
    undo: async (context) => rm(join(context.installation.dataDir, 'csar', 'etc-link'), { force: true }),
    expected: { status: PRECONDITION, code: 'UNSAFE_PATH', message: /etc-link/ },
  },
  {
    area: 'data folder',
    title: 'a part of the data folder that is a symlink to /etc',
    prepare: async (context) => {
      await symlink('/etc', join(context.installation.dataDir, 'images-elsewhere'));
      return ['backup', '1.1.0', '-n', 'part-link', '--parts', 'images-elsewhere'];
    },
    undo: async (context) => rm(join(context.installation.dataDir, 'images-elsewhere'), { force: true }),
    expected: { status: PRECONDITION, code: 'UNSAFE_PATH', message: /images-elsewhere/ },
  },
  {
    area: 'data folder',
    title: 'a FIFO inside the data folder',
    prepare: async (context) => {
      const { execFileSync } = await import('node:child_process');
      execFileSync('mkfifo', [join(context.installation.dataDir, 'artifacts', 'a-fifo')]);
      return ['backup', '1.1.0', '-n', 'with-fifo'];
    },
    undo: async (context) => rm(join(context.installation.dataDir, 'artifacts', 'a-fifo'), { force: true }),
    expected: { status: PRECONDITION, code: 'UNSAFE_PATH', message: /a-fifo/ },
  },

  // ---------------------------------------------------------------- plugin archives
  {
    area: 'plugin archive',
    title: 'a plugin zip with a ../ entry',
    prepare: async (context) =>
      pluginArchive(
        context,
        'traversal.zip',
        zipWith(
          [
            { name: 'META-INF/plugin.yml', content: PLUGIN_YML },
            { name: 'xx/evil.sh', content: 'echo owned' },
          ],
          { from: 'xx/evil.sh', to: '../evil.sh' },
        ),
      ),
    expected: { status: PRECONDITION, code: 'UNSAFE_PATH', message: /evil\.sh/ },
  },
  {
    area: 'plugin archive',
    title: 'a plugin zip with an absolute entry',
    prepare: async (context) =>
      pluginArchive(
        context,
        'absolute.zip',
        zipWith(
          [
            { name: 'META-INF/plugin.yml', content: PLUGIN_YML },
            { name: 'tmp/a4c-corpus-evil', content: 'x' },
          ],
          { from: 'tmp/a4c-corpus-evil', to: '/tmp/a4c-corpus-evi' },
        ),
      ),
    expected: { status: PRECONDITION, code: 'UNSAFE_PATH', message: /a4c-corpus-evi/ },
  },
  {
    area: 'plugin archive',
    title: 'a plugin zip with a symlink entry to /etc/passwd',
    prepare: async (context) =>
      pluginArchive(
        context,
        'symlink.zip',
        zipWith([
          { name: 'META-INF/plugin.yml', content: PLUGIN_YML },
          { name: 'lib/passwd', content: '/etc/passwd', mode: 0o120777 },
        ]),
      ),
    expected: { status: PRECONDITION, code: 'UNSAFE_PATH', message: /passwd|symlink|link/ },
  },
  {
    area: 'plugin archive',
    title: 'a plugin archive that is not a zip',
    prepare: async (context) => pluginArchive(context, 'not-a-zip.zip', Buffer.from('this is not a zip file')),
    expected: { status: VERIFICATION, code: 'PLUGIN_INVALID', message: /zip/ },
  },
  {
    area: 'plugin archive',
    title: 'a plugin zip without META-INF/plugin.yml',
    prepare: async (context) => pluginArchive(context, 'no-yml.zip', zipWith([{ name: 'lib/code.jar', content: 'x' }])),
    expected: { status: VERIFICATION, code: 'PLUGIN_INVALID', message: /plugin\.yml/ },
  },
  {
    area: 'plugin archive',
    title: 'a plugin zip of another plugin',
    prepare: async (context) =>
      pluginArchive(context, 'other.zip', zipWith([{ name: 'META-INF/plugin.yml', content: PLUGIN_YML.replace(PLUGIN, 'some-other-plugin') }])),
    expected: { status: VERIFICATION, code: 'PLUGIN_INVALID', message: /holds plugin "some-other-plugin", not "alien-cloudify-3-orchestrator"/ },
  },
  {
    area: 'plugin archive',
    title: 'a plugin archive that does not exist',
    prepare: async (context) => ['plugins', 'swap', PLUGIN, '--archive', join(context.scratch, 'missing.zip')],
    expected: { status: VERIFICATION, code: 'PLUGIN_INVALID', message: /missing\.zip.*ENOENT/ },
  },
  {
    area: 'plugin archive',
    title: 'a plugin that is not installed',
    prepare: async (context) =>
      pluginArchive(context, 'unknown-plugin.zip', zipWith([{ name: 'META-INF/plugin.yml', content: PLUGIN_YML }])).then((args) => [
        'plugins',
        'swap',
        'no-such-plugin',
        ...args.slice(3),
      ]),
    expected: { status: USAGE, code: 'USAGE', message: /No plugin "no-such-plugin"/ },
  },
  // Issue 12, classes 2 and 3: only what a4c-admin made is deleted; folders of the config apart.
  {
    area: 'config',
    title: 'backup.files_dir the same folder as alien4cloud.dir (trailing slash)',
    withConfig: false,
    prepare: async (context) => [
      ...(await configFile(context, 'files-is-data.yml', (good) => ({ ...good, backup: { ...good.backup, files_dir: `${good.alien4cloud.dir}/` } }))),
      'list',
    ],
    expected: { status: CONFIG, code: 'CONFIG_INVALID', message: /backup\.files_dir.*same folder as alien4cloud\.dir/, hint: /folders of their own/ },
  },
  {
    area: 'config',
    title: 'exporter.dir inside backup.files_dir',
    withConfig: false,
    prepare: async (context) => [
      ...(await configFile(context, 'export-in-backups.yml', (good) => ({ ...good, exporter: { dir: join(good.backup.files_dir, 'export') } }))),
      'delete',
      context.snapshotBackup,
      '--yes',
    ],
    expected: { status: CONFIG, code: 'CONFIG_INVALID', message: /backup\.files_dir.*contains exporter\.dir/ },
  },
  {
    area: 'config',
    title: 'an absolute repository location holding the data folder',
    withConfig: false,
    prepare: async (context) => [
      ...(await configFile(context, 'repo-holds-data.yml', (good) => ({
        ...good,
        elasticsearch: { ...good.elasticsearch, repository: { ...good.elasticsearch.repository, location: join(good.alien4cloud.dir, '..') } },
      }))),
      'backup',
      '1.1.0',
      '-n',
      'never',
    ],
    expected: { status: CONFIG, code: 'CONFIG_INVALID', message: /alien4cloud\.dir.*inside elasticsearch\.repository\.location/ },
  },
  {
    area: 'backup folder',
    title: 'delete of a folder in backup.files_dir that a4c-admin did not make',
    prepare: async (context) => {
      await mkdir(join(context.installation.backupDir, 'operator-notes', 'sub'), { recursive: true });
      await writeFile(join(context.installation.backupDir, 'operator-notes', 'sub', 'notes.txt'), 'mine\n');
      return ['delete', 'operator-notes', '--yes'];
    },
    undo: removeBackup('operator-notes'),
    expected: { status: PRECONDITION, code: 'UNSAFE_PATH', message: /operator-notes is not a backup made by a4c-admin/, hint: /only the backups it made/ },
  },
  {
    area: 'backup folder',
    title: "delete, from another backup.files_dir, of a name whose snapshot is another folder's backup",
    withConfig: false,
    prepare: async (context) => [
      ...(await configFile(context, 'other-files-dir.yml', (good) => ({
        ...good,
        backup: { ...good.backup, files_dir: join(context.scratch, 'other-backups') },
      }))),
      'delete',
      context.snapshotBackup,
      '--yes',
    ],
    expected: { status: PRECONDITION, code: 'BACKUP_NOT_FOUND', message: /no backup named/, hint: /left alone/ },
  },
  // ---------------------------------------------------------------- issue 12: consent, secrets, the right cluster
  {
    area: 'config',
    title: 'a cluster_name of another cluster, for a restore',
    withConfig: false,
    prepare: async (context) => [
      ...(await configFile(context, 'other-cluster-restore.yml', (good: any) => ({
        ...good,
        elasticsearch: { ...good.elasticsearch, cluster_name: 'someone-elses-cluster' },
      }))),
      'restore',
      '1.1.0',
      '-n',
      context.snapshotBackup,
      '--yes',
    ],
    expected: { status: PRECONDITION, code: 'PRECONDITION_FAILED', message: /named ".+", not "someone-elses-cluster"/, hint: /addresses/ },
  },
  {
    area: 'config',
    title: 'a cluster_name of another cluster, for a delete',
    withConfig: false,
    prepare: async (context) => [
      ...(await configFile(context, 'other-cluster-delete.yml', (good: any) => ({ ...good, elasticsearch: { ...good.elasticsearch, cluster_name: 'prod' } }))),
      'delete',
      context.exportBackup,
      '--yes',
    ],
    expected: { status: PRECONDITION, code: 'PRECONDITION_FAILED', message: /not "prod"/ },
  },
  {
    area: 'config',
    title: 'a cluster_name of another cluster, for a migrate --finalize',
    withConfig: false,
    prepare: async (context) => [
      ...(await configFile(context, 'other-cluster-finalize.yml', (good: any) => ({
        ...good,
        elasticsearch: { ...good.elasticsearch, cluster_name: 'staging' },
      }))),
      'migrate',
      '1.1.0',
      '--finalize',
      '--yes',
    ],
    expected: { status: PRECONDITION, code: 'PRECONDITION_FAILED', message: /not "staging"/ },
  },
  {
    area: 'arguments',
    title: 'a restore from a script without --yes',
    prepare: async (context) => ['restore', '1.1.0', '-n', context.snapshotBackup],
    expected: { status: USAGE, code: 'USAGE', message: /restore .*confirmation/, hint: /--yes/ },
  },
  {
    area: 'arguments',
    title: 'a delete from a script without --yes',
    prepare: async (context) => ['delete', context.exportBackup],
    expected: { status: USAGE, code: 'USAGE', message: /delete .*confirmation/, hint: /--yes/ },
  },
  {
    area: 'arguments',
    title: 'a prune from a script without --yes',
    prepare: async () => ['prune', '--keep-last', '1'],
    expected: { status: USAGE, code: 'USAGE', message: /prune .*confirmation/, hint: /--yes/ },
  },
  {
    area: 'arguments',
    title: 'a migrate --rollback from a script without --yes',
    prepare: async () => ['migrate', '1.1.0', '--rollback'],
    expected: { status: USAGE, code: 'USAGE', message: /rollback .*confirmation/, hint: /--yes/ },
  },
  {
    area: 'arguments',
    title: 'a migrate --finalize with --dry-run (it has none)',
    prepare: async () => ['migrate', '1.1.0', '--finalize', '--dry-run', '--yes'],
    expected: { status: USAGE, code: 'USAGE', message: /--dry-run cannot be used/ },
  },
  {
    area: 'config',
    title: 'an A4C yaml whose server.port answers as another program',
    withConfig: false,
    prepare: async (context) => {
      const a4cYaml = join(context.scratch, 'alien4cloud-other-port.yml');
      await writeFile(a4cYaml, `directories:\n  alien: ${context.installation.dataDir}\nserver:\n  port: ${new URL(context.notElasticsearchUrl).port}\n`);
      return [
        ...(await configFile(context, 'a4c-other-port.yml', (good: any) => ({
          ...good,
          backup: { ...good.backup, config_files: [...good.backup.config_files, a4cYaml] },
        }))),
        'restore',
        '1.1.0',
        '-n',
        context.snapshotBackup,
        '--yes',
      ];
    },
    expected: { status: PRECONDITION, code: 'A4C_STATE_UNKNOWN', message: /Cannot tell whether Alien4Cloud is stopped/, hint: /--a4c-stopped/ },
  },
  {
    area: 'config',
    title: 'an alien4cloud.url that answers, for a migrate',
    withConfig: false,
    prepare: async (context) => [
      ...(await configFile(context, 'a4c-url-answers.yml', (good: any) => ({
        ...good,
        alien4cloud: { ...good.alien4cloud, url: context.notElasticsearchUrl },
      }))),
      'migrate',
      '1.1.0',
      '--yes',
    ],
    expected: { status: PRECONDITION, code: 'A4C_RUNNING', message: /Alien4Cloud is running/ },
  },

  // ------------------------------------------- issue 12, class 6: the export manifest is hashed
  // Only export/export-manifest.json edited, manifest.json left alone: its recorded SHA-256 no
  // longer matches, so verify says damaged and restore refuses before changing anything.
  ...(
    [
      ['restore', 'its index list', (manifest: ExportManifestJson) => manifest.indices.pop()],
      ['restore', 'a mapping', (manifest: ExportManifestJson) => Object.assign(manifest.indices[0]!.definition.mappings, { dynamic: 'true' })],
      ['verify', 'a document count', (manifest: ExportManifestJson) => (manifest.indices[0]!.count += 1)],
      ['restore', 'an index renamed', (manifest: ExportManifestJson) => (manifest.indices[0]!.index = `${manifest.indices[0]!.index}-planted`)],
    ] as const
  ).map(
    ([command, what, edit], position): BadInput => ({
      area: 'export files',
      title: `${command} of an export backup whose export manifest alone was edited (${what})`,
      prepare: async (context) => {
        const name = `edited-export-manifest-${position}`;
        await editExportManifest(await copyBackup(context, context.exportBackup, name), edit);
        return command === 'verify' ? ['verify', name] : ['restore', '1.1.0', '-n', name, '--yes'];
      },
      undo: removeBackup(`edited-export-manifest-${position}`),
      expected: { status: VERIFICATION, code: 'CHECKSUM_MISMATCH', message: /export manifest changed since the backup: export\/export-manifest\.json/ },
    }),
  ),
  // Both manifests forged consistently (hashes recomputed): the hashes prove nothing, but the
  // restore still writes only A4C indices, and the other application's index is untouched.
  ...(['export', 'snapshot'] as const).map((format): BadInput => {
    const name = `forged-foreign-${format}`;
    const foreign = (prefix: string) => `${prefix}${format === 'export' ? 'user-visits' : 'csar-vault'}`;
    return {
      area: format === 'export' ? 'export files' : 'backup folder',
      title: `${format === 'export' ? 'an' : 'a'} ${format} backup forged (hashes recomputed) to restore into another application's index`,
      prepare: async (context) => {
        const { prefix, client } = context.installation;
        const target = foreign(prefix);
        await client.index({ index: target, id: 'theirs', document: { owner: 'another application' }, refresh: true });
        const folder = await copyBackup(context, format === 'export' ? context.exportBackup : context.snapshotBackup, name);
        const victim = `${prefix}${format === 'export' ? 'user' : 'csar'}`;
        const exportManifestSha256 =
          format === 'export'
            ? await editExportManifest(folder, (manifest) => {
                for (const entry of manifest.indices) if (entry.index === victim) Object.assign(entry, { index: target, concreteIndex: target });
              })
            : undefined;
        await editManifest(
          folder,
          (manifest) => {
            for (const entry of manifest.indices) if (entry.name === victim) entry.name = target;
            for (const chunk of manifest.export?.chunks ?? []) if (chunk.index === victim) chunk.index = target;
            if (exportManifestSha256) manifest.export.manifestSha256 = exportManifestSha256;
          },
          true,
        );
        return ['restore', '1.1.0', '-n', name, '--yes'];
      },
      undo: async (context) => {
        await removeBackup(name)(context);
        await context.installation.client.indices.delete({ index: foreign(context.installation.prefix) }, { ignore: [404] });
      },
      // A snapshot cannot hold the other index: verification already refuses the forged name.
      expected:
        format === 'export'
          ? { status: VERIFICATION, code: 'EXPORT_INVALID', message: /names indices that are not A4C indices.*user-visits.*Nothing was changed/ }
          : { status: VERIFICATION, code: 'CHECKSUM_MISMATCH', message: /lacks indices .*csar-vault/ },
    };
  }),

  // ---------------------------------------------------------------- issue 12: data folder side of restore, special files
  {
    area: 'data folder',
    title: 'restore: a part of the data folder that is a symlink to a folder elsewhere (refused before any index is touched)',
    prepare: async (context) => {
      const aside = join(context.scratch, 'plugins-elsewhere');
      await cp(join(context.installation.dataDir, 'plugins'), aside, { recursive: true });
      await rm(join(context.installation.dataDir, 'plugins'), { recursive: true });
      await symlink(aside, join(context.installation.dataDir, 'plugins'));
      return ['restore', '1.1.0', '-n', context.snapshotBackup, '--yes'];
    },
    undo: async (context) => {
      await rm(join(context.installation.dataDir, 'plugins'), { force: true });
      await cp(join(context.scratch, 'plugins-elsewhere'), join(context.installation.dataDir, 'plugins'), { recursive: true });
      await rm(join(context.scratch, 'plugins-elsewhere'), { recursive: true, force: true });
    },
    expected: { status: PRECONDITION, code: 'UNSAFE_PATH', message: /plugins is a symbolic link/ },
  },
  {
    area: 'data folder',
    title: 'restore --dry-run of an export backup: a part that is a file',
    prepare: async (context) => {
      await cp(join(context.installation.dataDir, 'images'), join(context.scratch, 'images-aside'), { recursive: true });
      await rm(join(context.installation.dataDir, 'images'), { recursive: true });
      await writeFile(join(context.installation.dataDir, 'images'), 'a file where a folder belongs\n');
      return ['restore', '1.1.0', '-n', context.exportBackup, '--dry-run'];
    },
    undo: async (context) => {
      await rm(join(context.installation.dataDir, 'images'), { force: true });
      await cp(join(context.scratch, 'images-aside'), join(context.installation.dataDir, 'images'), { recursive: true });
      await rm(join(context.scratch, 'images-aside'), { recursive: true, force: true });
    },
    expected: { status: PRECONDITION, code: 'UNSAFE_PATH', message: /images is a file/ },
  },
  {
    area: 'data folder',
    title: 'backup: a file name that is not UTF-8 (refused in preflight, named escaped)',
    prepare: async (context) => {
      await writeFile(Buffer.concat([Buffer.from(`${join(context.installation.dataDir, 'csar')}/r`), Buffer.from([0xe9, 0xff]), Buffer.from('sum.yml')]), 'x');
      return ['backup', '1.1.0', '-n', 'latin1-name'];
    },
    undo: async (context) => {
      for (const name of await readdir(Buffer.from(join(context.installation.dataDir, 'csar')), { encoding: 'buffer' })) {
        if (name.includes(0xe9)) await rm(Buffer.concat([Buffer.from(`${join(context.installation.dataDir, 'csar')}/`), name]));
      }
    },
    expected: { status: PRECONDITION, code: 'UNSAFE_PATH', message: /csar\/r\\xe9\\xffsum\.yml.*not valid UTF-8/ },
  },
  {
    area: 'config',
    title: 'the config file is a FIFO (no hang)',
    withConfig: false,
    prepare: async (context) => {
      const { execFileSync } = await import('node:child_process');
      const path = join(context.scratch, 'fifo-config.yml');
      await rm(path, { force: true });
      execFileSync('mkfifo', [path]);
      return ['-c', path, 'list'];
    },
    undo: async (context) => rm(join(context.scratch, 'fifo-config.yml'), { force: true }),
    expected: { status: CONFIG, code: 'CONFIG_INVALID', message: /fifo-config\.yml is a named pipe/ },
  },
  {
    area: 'backup folder',
    title: 'verify: manifest.json is a FIFO (no hang)',
    prepare: async (context) => {
      const { execFileSync } = await import('node:child_process');
      const folder = await copyBackup(context, context.snapshotBackup, 'fifo-manifest');
      await rm(join(folder, 'manifest.json'));
      execFileSync('mkfifo', [join(folder, 'manifest.json')]);
      return ['verify', 'fifo-manifest'];
    },
    undo: removeBackup('fifo-manifest'),
    expected: { status: VERIFICATION, code: 'BACKUP_INVALID', message: /manifest\.json is a named pipe/ },
  },
  {
    area: 'config',
    title: 'backup: a FIFO listed in backup.config_files (refused in preflight)',
    prepare: async (context) => {
      const { execFileSync } = await import('node:child_process');
      const path = join(context.scratch, 'listed-fifo.yml');
      await rm(path, { force: true });
      execFileSync('mkfifo', [path]);
      const args = await configFile(context, 'config-with-fifo.yml', (good) => ({ ...good, backup: { ...(good.backup as object), config_files: [path] } }));
      return [...args, 'backup', '1.1.0', '-n', 'listed-fifo'];
    },
    withConfig: false,
    undo: async (context) => rm(join(context.scratch, 'listed-fifo.yml'), { force: true }),
    expected: { status: PRECONDITION, code: 'UNSAFE_PATH', message: /listed-fifo\.yml is a named pipe/ },
  }, // A migration deletes a half-built index of its own before building it again: never one of
  // that exact name that another application made.
  {
    area: 'arguments',
    title: 'a migrate whose 1.2.0 index name is taken by an index a4c-admin did not make',
    prepare: async (context) => {
      await context.installation.client.index({
        index: `${context.installation.prefix}application-v1.2.0`,
        id: 'theirs',
        document: { owner: 'another application' },
        refresh: true,
      });
      return ['migrate', '1.1.0'];
    },
    undo: async (context) => {
      await context.installation.client.indices.delete({ index: `${context.installation.prefix}application-v1.2.0` }, { ignore: [404] });
    },
    expected: { status: PRECONDITION, code: 'PRECONDITION_FAILED', message: /application-v1\.2\.0, which a4c-admin did not make/, hint: /rename it/ },
  },
];

interface ExportManifestJson {
  indices: Array<{ index: string; concreteIndex: string; count: number; definition: { mappings: Record<string, unknown> }; chunks: Array<{ file: string }> }>;
}

/** Edits a backup's export/export-manifest.json; returns the SHA-256 of the new text (for a forger who rehashes). */
async function editExportManifest(folder: string, edit: (manifest: ExportManifestJson) => unknown): Promise<string> {
  const file = join(folder, 'export', 'export-manifest.json');
  const manifest = JSON.parse(await readFile(file, 'utf8')) as ExportManifestJson;
  edit(manifest);
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  await writeFile(file, text, { mode: 0o600 });
  return createHash('sha256').update(text).digest('hex');
}

/**
 * A copy of an export backup whose first chunk holds `lines(index)` instead, with its checksum
 * recomputed in both manifests: what only an edit by hand (or a bug of the exporter) produces.
 * Checksums cannot catch it; the restore meets it only while importing.
 */
export async function forgeExportChunk(context: CorpusContext, name: string, lines: (index: string) => string): Promise<void> {
  const folder = await copyBackup(context, context.exportBackup, name);
  const chunk = await firstChunk(folder);
  const chunkName = chunk.split('/').pop()!;
  const index = chunkName.replace(/-\d{5}\.ndjson\.gz$/, '');
  const bytes = gzipSync(lines(index));
  await writeFile(chunk, bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const exportManifestFile = join(folder, 'export', 'export-manifest.json');
  const exportManifest = JSON.parse(await readFile(exportManifestFile, 'utf8'));
  for (const index of exportManifest.indices)
    for (const entry of index.chunks) if (entry.file === chunkName) Object.assign(entry, { sha256, bytes: bytes.length });
  const exportManifestText = `${JSON.stringify(exportManifest, null, 2)}\n`;
  await writeFile(exportManifestFile, exportManifestText);
  await editManifest(
    folder,
    (manifest) => {
      for (const entry of manifest.export.chunks ?? []) if (String(entry.file).endsWith(chunkName)) Object.assign(entry, { sha256, bytes: bytes.length });
      for (const entry of manifest.export.chunks ?? []) {
        if (String(entry.file).endsWith('export-manifest.json')) entry.sha256 = createHash('sha256').update(exportManifestText).digest('hex');
      }
      manifest.export.manifestSha256 = createHash('sha256').update(exportManifestText).digest('hex');
    },
    true,
  );
}
