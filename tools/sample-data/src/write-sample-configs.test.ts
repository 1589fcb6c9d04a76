import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema } from '@a4c-admin/core';
import yaml from 'js-yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { writeSampleConfigs } from './write-sample-configs.js';

let folder: string | undefined;
afterEach(async () => {
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('writeSampleConfigs', () => {
  it('writes an admin-tool-config.yml that the config schema accepts, pointing at the given node and folders', async () => {
    folder = await mkdtemp(join(tmpdir(), 'a4c-sample-configs-'));
    const written = await writeSampleConfigs({ folder, node: 'http://127.0.0.1:9200', indexPrefix: 'demo-', repositoryPath: '/var/tmp/repo' });
    const config = configSchema.parse(yaml.load(await readFile(written.configFile, 'utf8')));
    expect(config.elasticsearch.addresses).toEqual(['http://127.0.0.1:9200']);
    expect(config.elasticsearch.index_prefix).toBe('demo-');
    expect(config.alien4cloud.dir).toBe(join(folder, 'data'));
    expect(config.backup.files_dir).toBe(join(folder, 'backups'));
    expect(config.backup.config_files).toEqual([written.alien4cloudConfigFile, written.elasticsearchConfigFile]);
    for (const file of config.backup.config_files) await access(file);
    const elasticsearch = yaml.load(await readFile(written.elasticsearchConfigFile, 'utf8')) as Record<string, unknown>;
    expect(elasticsearch['path.repo']).toEqual(['/var/tmp/repo']);
    const alien4cloud = yaml.load(await readFile(written.alien4cloudConfigFile, 'utf8')) as { elasticSearch: { hosts: string; prefix: string } };
    expect(alien4cloud.elasticSearch).toMatchObject({ hosts: '127.0.0.1:9300', prefix: 'demo-' });
  });
});
