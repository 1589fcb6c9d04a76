import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config-loader.js';
import type { A4cAdminConfig } from '../config-schema.js';
import type { ClusterInspector } from '../ports.js';
import type { BackupBackends } from './backends.js';
import { backup } from './backup.js';
import { assertExpectedCluster } from './cluster-identity.js';

const cluster = (clusterName: string): ClusterInspector => ({
  describe: async () => ({ clusterName, clusterUuid: 'u', version: '8.19.0', status: 'green', nodes: [] }),
});
const config = (name?: string) => ({ elasticsearch: { addresses: ['http://es:9200'], ...(name ? { cluster_name: name } : {}) } }) as unknown as A4cAdminConfig;

describe('assertExpectedCluster', () => {
  it('accepts the named cluster, and any cluster when none is named', async () => {
    await expect(assertExpectedCluster(config('prod'), cluster('prod'))).resolves.toBeUndefined();
    await expect(assertExpectedCluster(config(), { describe: () => Promise.reject(new Error('not asked')) })).resolves.toBeUndefined();
  });

  it('refuses another cluster, naming both', async () => {
    await expect(assertExpectedCluster(config('prod'), cluster('test'))).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      details: { expected: 'prod', actual: 'test' },
    });
  });
});

describe("core's backup, called without the CLI's wiring", () => {
  it('refuses a cluster of another name with the same rule, before it writes anything', async () => {
    const root = await mkdtemp(join(tmpdir(), 'a4c-identity-'));
    try {
      await mkdir(join(root, 'a4c'));
      const named = parseConfig({
        elasticsearch: { addresses: ['http://127.0.0.1:9'], cluster_name: 'prod' },
        backup: { files_dir: join(root, 'backups') },
        alien4cloud: { dir: join(root, 'a4c') },
      });
      // Only the inspector is reached: the refusal comes before any other port is used.
      const backends = { cluster: cluster('test') } as unknown as BackupBackends;
      await expect(backup({ config: named, backends, name: 'b1' })).rejects.toMatchObject({
        code: 'PRECONDITION_FAILED',
        details: { expected: 'prod', actual: 'test' },
      });
      expect(await readdir(root)).toEqual(['a4c']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
