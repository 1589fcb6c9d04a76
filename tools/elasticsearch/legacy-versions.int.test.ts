// Opt-in (A4C_COMPAT=all): the launcher starts each legacy Elasticsearch that A4C installations
// ran on, one after another, each answers `GET /` with its version and A4C's cluster name, and
// accepts an fs snapshot repository in its path.repo. Skipped by default: five downloads and starts.
import { NODE_SET_START_MS, uniqueName } from '@a4c-admin/test-support';
import { describe, expect, it } from 'vitest';
import { LEGACY_VERSIONS, startNodeSet, stopNodeSet } from './index.mjs';

const enabled = process.env.A4C_COMPAT === 'all';

describe.skipIf(!enabled)('legacy Elasticsearch versions of the launcher (A4C_COMPAT=all)', { timeout: NODE_SET_START_MS }, () => {
  for (const [position, version] of LEGACY_VERSIONS.entries()) {
    it(`starts Elasticsearch ${version}, which answers GET / and registers a snapshot repository in path.repo`, async () => {
      const name = `compat-${version.replaceAll('.', '-')}`;
      try {
        const node = await startNodeSet({ name, version, httpPort: 9271 + position, fresh: true });
        expect(node.clusterName).toBe('escluster');
        const about = await (await fetch(`${node.url}/`)).json();
        expect(about.version.number).toBe(version);
        expect(about.cluster_name).toBe('escluster');
        const repository = uniqueName('repo');
        const registered = await fetch(`${node.url}/_snapshot/${repository}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'fs', settings: { location: `${node.repoPath}/${repository}` } }),
        });
        expect(registered.status, await registered.text()).toBe(200);
      } finally {
        await stopNodeSet(name);
      }
    });
  }
});
