import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type A4cAdminError, isA4cAdminError, loadConfig, parseConfig, redactConfig, redactSecrets } from '@a4c-admin/core';
import { SEED_ADMIN_TOOL_CONFIG } from '@a4c-admin/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The seed's admin-tool-config.yml, verbatim (comments included).
const SEED = SEED_ADMIN_TOOL_CONFIG;
const SEED_HTTP = SEED.replaceAll(':9300', ':9200');
const MINIMAL = 'backup.files_dir: /b\nalien4cloud.dir: /d\n';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'a4c-config-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

let counter = 0;
async function configFile(text: string, mode = 0o600): Promise<string> {
  counter += 1;
  const file = join(folder, `config-${counter}.yml`);
  await writeFile(file, text, { mode });
  await chmod(file, mode);
  return file;
}

async function loadError(options: Parameters<typeof loadConfig>[0]): Promise<A4cAdminError> {
  try {
    await loadConfig({ env: {}, ...options });
  } catch (error) {
    expect(isA4cAdminError(error)).toBe(true);
    return error as A4cAdminError;
  }
  throw new Error('expected loadConfig to fail');
}

describe('the seed file', () => {
  it('loads as written once its addresses use the HTTP port', async () => {
    const file = await configFile(SEED_HTTP);
    const { config, warnings } = await loadConfig({ file, env: {} });
    expect(config.elasticsearch.cluster_name).toBe('alien4cloud');
    expect(config.elasticsearch.addresses).toEqual(['http://129.185.67.37:9200', 'http://129.185.67.26:9200']);
    expect(config.poller.scroll).toEqual({ lease: 120, batch_size: 100 });
    expect(config.exporter.dir).toBe('/opt/alien4cloud/backups/export');
    expect(config.backup.files_dir).toBe('/opt/alien4cloud/backups/files');
    expect(config.alien4cloud.dir).toBe('/opt/alien4cloud/data');
    // Defaults fill the rest.
    expect(config.backup.parts).toEqual(['csar', 'artifacts', 'images', 'plugins', 'work/plugins']);
    expect(config.elasticsearch.repository.name).toBe('a4c-admin');
    expect(warnings).toEqual([]);
  });

  it('verbatim (transport port 9300) is refused with a hint about HTTP on 9200', async () => {
    const error = await loadError({ file: await configFile(SEED) });
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('elasticsearch.addresses[0]');
    expect(error.message).toContain('elasticsearch.addresses[1]');
    expect(error.message).toContain('transport port (9300)');
    expect(error.hint).toMatch(/HTTP.*9200/);
    expect(error.hint).toContain('http://129.185.67.37:9200');
  });
});

interface BadCase {
  name: string;
  yaml: string;
  code?: 'CONFIG_INVALID' | 'CONFIG_NOT_FOUND';
  message: RegExp;
  hint: RegExp;
  env?: Record<string, string>;
}

const BAD: BadCase[] = [
  { name: 'bad YAML indentation', yaml: 'elasticsearch:\n  cluster_name: a\n addresses: x\n', message: /not valid YAML at line 3/, hint: /indent with spaces/ },
  { name: 'a tab in YAML', yaml: 'backup:\n\tfiles_dir: /b\n', message: /not valid YAML/, hint: /no tabs/ },
  { name: 'a duplicated key', yaml: `${MINIMAL}alien4cloud.dir: /e\n`, message: /not valid YAML.*duplicated mapping key/, hint: /each key once/ },
  { name: 'an empty file', yaml: '', message: /is empty: it holds no settings/, hint: /backup.files_dir/ },
  { name: 'only comments', yaml: '# nothing here\n', message: /is empty/, hint: /alien4cloud.dir/ },
  { name: 'a list at the top', yaml: '- a\n- b\n', message: /must be a mapping of keys \(got a list\)/, hint: /docs\/configuration\.md/ },
  { name: 'a scalar at the top', yaml: 'hello', message: /must be a mapping of keys \(got a string\)/, hint: /docs\/configuration\.md/ },
  {
    name: 'a misspelt top-level key',
    yaml: `${MINIMAL}elasticsaerch:\n  cluster_name: a\n`,
    message: /elasticsaerch: unknown key "elasticsaerch"/,
    hint: /Did you mean "elasticsearch"\?/,
  },
  {
    name: 'a misspelt nested key',
    yaml: `${MINIMAL}elasticsearch:\n  cluster_nme: a\n`,
    message: /elasticsearch.cluster_nme: unknown key/,
    hint: /Did you mean "elasticsearch.cluster_name"\?/,
  },
  {
    name: 'a misspelt dotted key',
    yaml: 'backup.file_dir: /b\nalien4cloud.dir: /d\n',
    message: /backup.file_dir: unknown key "file_dir"/,
    hint: /Did you mean "backup.files_dir"\?/,
  },
  {
    name: 'an unknown key far from any',
    yaml: `${MINIMAL}poller:\n  zzzzzzzzzz: 1\n`,
    message: /poller.zzzzzzzzzz: unknown key/,
    hint: /allowed under poller are: scroll/,
  },
  {
    name: 'the transport port',
    yaml: `${MINIMAL}elasticsearch:\n  addresses: es1:9300\n`,
    message: /addresses\[0\].*transport port/,
    hint: /HTTP.*usually on port 9200/,
  },
  {
    name: 'a non-http URL',
    yaml: `${MINIMAL}elasticsearch:\n  addresses: [ftp://es1:9200]\n`,
    message: /addresses\[0\]: must be an http:\/\/ or https:\/\/ URL \(got "ftp:\/\/es1:9200"\)/,
    hint: /HTTP URLs of the nodes/,
  },
  {
    name: 'an unparsable URL',
    yaml: `${MINIMAL}elasticsearch:\n  addresses: "http://exa mple:9200"\n`,
    message: /addresses\[0\]: must be an http/,
    hint: /HTTP URLs/,
  },
  { name: 'no address at all', yaml: `${MINIMAL}elasticsearch:\n  addresses: " , "\n`, message: /lists no node/, hint: /HTTP URLs/ },
  { name: 'a bad A4C URL', yaml: `${MINIMAL}alien4cloud.url: localhost:8088\n`, message: /alien4cloud.url/, hint: /http:\/\/localhost:8088/ },
  {
    name: 'a relative data dir',
    yaml: 'backup.files_dir: /b\nalien4cloud.dir: data\n',
    message: /alien4cloud.dir: alien4cloud.dir must be an absolute path \(got "data"\)/,
    hint: /absolute path/,
  },
  {
    name: 'a relative backup dir',
    yaml: 'backup.files_dir: ./backups\nalien4cloud.dir: /d\n',
    message: /backup.files_dir must be an absolute path/,
    hint: /absolute path/,
  },
  { name: 'a relative export dir', yaml: `${MINIMAL}exporter.dir: export\n`, message: /exporter.dir must be an absolute path/, hint: /absolute path/ },
  { name: 'a missing backup dir', yaml: 'alien4cloud.dir: /d\n', message: /backup: is required but missing/, hint: /Set `backup` in the config file/ },
  {
    name: 'a missing data dir',
    yaml: 'backup.files_dir: /b\nalien4cloud: {}\n',
    message: /alien4cloud.dir: is required but missing/,
    hint: /A4C_ADMIN_DATA_DIR/,
  },
  { name: 'an empty cluster name', yaml: `${MINIMAL}elasticsearch:\n  cluster_name: ""\n`, message: /cluster_name is empty/, hint: /cluster.name/ },
  {
    name: 'a string where a number goes',
    yaml: `${MINIMAL}poller:\n  scroll:\n    batch_size: many\n`,
    message: /poller.scroll.batch_size: Invalid input: expected number, received string \(got "many"\)/,
    hint: /as a number/,
  },
  { name: 'a batch size out of range', yaml: `${MINIMAL}poller.scroll: {batch_size: 0}\n`, message: /batch_size: .*>=1/, hint: /Fix poller.scroll.batch_size/ },
  {
    name: 'a boolean where a list goes',
    yaml: `${MINIMAL}backup.parts: yes\n`,
    message: /backup.parts: Invalid input: expected array/,
    hint: /csar, artifacts/,
  },
  {
    name: 'the upload folder as a part',
    yaml: `${MINIMAL}backup.parts: [csar, upload]\n`,
    message: /backup.parts\[1\]: upload\/ .* never backed up/,
    hint: /csar, artifacts/,
  },
  {
    name: 'a part escaping the data dir',
    yaml: `${MINIMAL}backup.parts: [../etc]\n`,
    message: /backup.parts\[0\]: must be a folder relative/,
    hint: /work\/plugins/,
  },
  {
    name: 'a bad fingerprint',
    yaml: `${MINIMAL}elasticsearch.tls: {fingerprint: abc}\n`,
    message: /fingerprint: must be a SHA-256/,
    hint: /fingerprint" printed/,
  },
  {
    name: 'both auths',
    yaml: `${MINIMAL}elasticsearch.auth: {username: u, password: p4ss-word, api_key: k3y-value}\n`,
    message: /elasticsearch.auth: both basic auth/,
    hint: /Keep one way/,
  },
  { name: 'a username without password', yaml: `${MINIMAL}elasticsearch.auth: {username: u}\n`, message: /password is missing/, hint: /A4C_ADMIN_ES_PASSWORD/ },
  {
    name: 'a key set twice',
    yaml: 'backup.files_dir: /b\nbackup:\n  files_dir: /c\nalien4cloud.dir: /d\n',
    message: /backup.files_dir: is set twice/,
    hint: /Keep only one/,
  },
  {
    name: 'a bad env address',
    yaml: MINIMAL,
    env: { A4C_ADMIN_ES_ADDRESSES: 'http://:nope' },
    message: /addresses\[0\] \(from A4C_ADMIN_ES_ADDRESSES\)/,
    hint: /HTTP URLs/,
  },
  {
    name: 'an unreadable CA file',
    yaml: `${MINIMAL}elasticsearch.tls: {ca_file: /nonexistent/ca.pem}\n`,
    message: /ca_file \/nonexistent\/ca.pem cannot be read \(ENOENT\)/,
    hint: /readable PEM file/,
  },
  {
    name: 'a CA path that is a folder',
    yaml: `${MINIMAL}elasticsearch.tls: {ca_file: /tmp}\n`,
    message: /ca_file \/tmp cannot be read \(EISDIR\)/,
    hint: /readable PEM file/,
  },
];

describe('bad configurations', () => {
  it('the corpus holds at least 25 cases', () => {
    expect(BAD.length).toBeGreaterThanOrEqual(25);
  });

  it.each(BAD)('$name', async ({ yaml, env, code, message, hint }) => {
    const error = await loadError({ file: await configFile(yaml), env: env ?? {} });
    expect(error.code).toBe(code ?? 'CONFIG_INVALID');
    expect(error.message).toMatch(message);
    expect(error.hint).toMatch(hint);
  });

  it('a missing file is CONFIG_NOT_FOUND', async () => {
    const error = await loadError({ file: join(folder, 'absent.yml') });
    expect(error.code).toBe('CONFIG_NOT_FOUND');
    expect(error.message).toContain('absent.yml does not exist');
    expect(error.hint).toMatch(/Check the path/);
  });

  it('a config path that is a folder is CONFIG_NOT_FOUND', async () => {
    const error = await loadError({ file: folder });
    expect(error.code).toBe('CONFIG_NOT_FOUND');
    expect(error.message).toContain('is a folder, not a file');
    expect(error.hint).toMatch(/path of the YAML file itself/);
  });

  it('a CA file that is not PEM is refused', async () => {
    const ca = join(folder, 'not-a-cert.txt');
    await writeFile(ca, 'hello');
    const error = await loadError({ file: await configFile(`${MINIMAL}elasticsearch.tls: {ca_file: ${ca}}\n`) });
    expect(error.message).toContain('is not a PEM certificate');
  });

  it('lists every problem of a file in one error', async () => {
    const error = await loadError({ file: await configFile('backup.files_dir: rel\nalien4cloud.dir: rel\nfoo: 1\n') });
    expect(error.message).toMatch(/3 problems/);
    expect(error.details?.problems).toHaveLength(3);
  });

  it('never prints secrets, even when a secret is the bad value', async () => {
    const file = await configFile(
      `${MINIMAL}elasticsearch:\n  auth: {username: u, password: s3cr3t-pw, api_key: "s3cr3t-key"}\n  addresses: ["http://u:s3cr3t-pw@es:9300"]\n`,
    );
    const error = await loadError({ file });
    const text = `${error.message} ${error.hint} ${JSON.stringify(error.details)}`;
    expect(text).toContain('***');
    expect(text).not.toContain('s3cr3t');
    // A YAML error quotes no line of the file (which might be the password line).
    const broken = await loadError({ file: await configFile('elasticsearch:\n  auth:\n    password: t0p-s3cr3t\n   username: x\n') });
    expect(`${broken.message} ${broken.hint}`).not.toContain('t0p-s3cr3t');
    // A password of the wrong type is reported without its value.
    const typed = await loadError({ file: await configFile(`${MINIMAL}elasticsearch.auth: {username: u, password: 123456789}\n`) });
    expect(typed.message).toContain('elasticsearch.auth.password');
    expect(typed.message).not.toContain('123456789');
  });
});

describe('the target cluster of a migration across clusters', () => {
  it('is absent unless configured; loads from the file (seed-style addresses) or the environment; needs its addresses', async () => {
    expect((await loadConfig({ file: await configFile(MINIMAL), env: {} })).config.target).toBeUndefined();
    const file = await configFile(`${MINIMAL}target:\n  addresses: es8a:9200,https://es8b:9243\n  auth: { api_key: a2V5OnNlY3JldA== }\n`);
    const { config } = await loadConfig({ file, env: {} });
    expect(config.target).toMatchObject({ addresses: ['http://es8a:9200', 'https://es8b:9243'], auth: { api_key: 'a2V5OnNlY3JldA==' } });
    expect(config.target?.index_prefix).toBeUndefined();
    const fromEnvironment = await loadConfig({ file: await configFile(MINIMAL), env: { A4C_ADMIN_TARGET_ES_ADDRESSES: 'http://es8:9200' } });
    expect(fromEnvironment.config.target?.addresses).toEqual(['http://es8:9200']);
    const error = await loadError({ file: await configFile(`${MINIMAL}target:\n  auth: { username: ops, password: secretTgt1 }\n`), env: {} });
    expect(error.message).toContain('target.addresses');
    expect(error.message).not.toContain('secretTgt1');
  });
});

describe('precedence: options > environment > file > defaults', () => {
  it('applies each layer over the one below', async () => {
    const file = await configFile(`${MINIMAL}elasticsearch:\n  addresses: http://file:9200\n  index_prefix: file\n  cluster_name: from-file\n`);
    const env = { A4C_ADMIN_ES_ADDRESSES: 'env1:9200, https://env2:9243', A4C_ADMIN_INDEX_PREFIX: 'env', A4C_ADMIN_DATA_DIR: '/env-data' };
    const { config } = await loadConfig({ file, env, overrides: { elasticsearch: { index_prefix: 'flag', cluster_name: undefined } } });
    expect(config.elasticsearch.index_prefix).toBe('flag'); // options beat env and file
    expect(config.elasticsearch.addresses).toEqual(['http://env1:9200', 'https://env2:9243']); // env beats file
    expect(config.alien4cloud.dir).toBe('/env-data');
    expect(config.elasticsearch.cluster_name).toBe('from-file'); // an undefined option leaves the file value
    expect(config.elasticsearch.request_timeout_ms).toBe(60_000); // default
  });

  it('reads the file named by A4C_ADMIN_CONFIG, and an explicit file wins over it', async () => {
    const first = await configFile('backup.files_dir: /first\nalien4cloud.dir: /d\n');
    const second = await configFile('backup.files_dir: /second\nalien4cloud.dir: /d\n');
    expect((await loadConfig({ env: { A4C_ADMIN_CONFIG: first } })).config.backup.files_dir).toBe('/first');
    const loaded = await loadConfig({ file: second, env: { A4C_ADMIN_CONFIG: first } });
    expect(loaded.config.backup.files_dir).toBe('/second');
    expect(loaded.file).toBe(second);
    const error = await loadError({ env: { A4C_ADMIN_CONFIG: join(folder, 'nope.yml') } });
    expect(error.message).toContain('(from A4C_ADMIN_CONFIG)');
  });

  it('works without a file from environment alone, and says so when something is missing', async () => {
    const { config, file } = await loadConfig({ env: { A4C_ADMIN_BACKUP_DIR: '/b', A4C_ADMIN_DATA_DIR: '/d', A4C_ADMIN_ES_API_KEY: 'k' } });
    expect(file).toBeUndefined();
    expect(config.elasticsearch.auth?.api_key).toBe('k');
    const error = await loadError({ env: { A4C_ADMIN_DATA_DIR: '/d' } });
    expect(error.hint).toContain('A4C_ADMIN_CONFIG');
  });

  it('an environment API key on top of a file password is the both-auth error, naming the variable', async () => {
    const file = await configFile(`${MINIMAL}elasticsearch.auth: {username: u, password: pw}\n`);
    const error = await loadError({ file, env: { A4C_ADMIN_ES_API_KEY: 'abc' } });
    expect(error.message).toContain('both basic auth');
  });
});

describe('secrets', () => {
  it('warns when a world- or group-readable file holds a password', async () => {
    const text = `${MINIMAL}elasticsearch.auth: {username: u, password: pw}\n`;
    const open = await loadConfig({ file: await configFile(text, 0o644), env: {} });
    expect(open.warnings.join('\n')).toMatch(/other users can read it \(mode 644\).*chmod 600/);
    const closed = await loadConfig({ file: await configFile(text, 0o600), env: {} });
    expect(closed.warnings).toEqual([]);
    // A readable file without secrets is fine.
    expect((await loadConfig({ file: await configFile(MINIMAL, 0o644), env: {} })).warnings).toEqual([]);
  });

  it('redactConfig hides password and API key; redactSecrets hides given strings and URL passwords', () => {
    const config = parseConfig({
      'backup.files_dir': '/b',
      'alien4cloud.dir': '/d',
      elasticsearch: { auth: { username: 'u', password: 'pw-123' }, addresses: 'http://u:pw-123@es:9200' },
    });
    const redacted = redactConfig(config);
    expect(redacted.elasticsearch.auth).toEqual({ username: 'u', password: '***' });
    expect(JSON.stringify(redacted)).not.toContain('pw-123');
    expect(config.elasticsearch.auth?.password).toBe('pw-123'); // the original is untouched
    expect(redactSecrets('failed for key abcdef at https://me:pw@host:9200/x', ['abcdef'])).toBe('failed for key *** at https://me:***@host:9200/x');
  });
});

describe('parseConfig', () => {
  it('accepts nested and dotted spellings alike, with lists of addresses', () => {
    const config = parseConfig({ backup: { files_dir: '/b' }, 'alien4cloud.dir': '/d', 'elasticsearch.addresses': ['es1:9200', 'https://es2:9243'] });
    expect(config.elasticsearch.addresses).toEqual(['http://es1:9200', 'https://es2:9243']);
  });
});
