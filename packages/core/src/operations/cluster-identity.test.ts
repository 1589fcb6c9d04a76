import { describe, expect, it } from 'vitest';
import type { A4cAdminConfig } from '../config-schema.js';
import type { ClusterInspector } from '../ports.js';
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
