// A data node of a 3-node cluster killed in the middle of an export-format backup, and in the
// middle of a snapshot backup, each on a fresh dedicated `rel-cluster` set started and stopped
// here (a 3-node cluster survives the loss of one node only). Full trials only: A4C_TRIALS=full.
// Each backup either completes and verifies, or fails with a clear error and leaves no backup;
// a re-run on the two surviving nodes succeeds and every document is still served.
import { afterEach, describe, expect, it } from 'vitest';
import { startNodeSet, stopNodeSet, type NodeSetState } from '@a4c-admin/elasticsearch-launcher';
import { documentFingerprints } from './installation-state.js';
import { assertBinaryBuilt, describeRun, runTool, runToolPatiently, type ToolRun } from './run-tool.js';
import { createTestInstallation, type TestInstallation } from './test-installation.js';
import { FULL_TRIALS } from './trial-settings.js';

const SET = 'rel-cluster';

describe.skipIf(!FULL_TRIALS)('a data node stopped in the middle of a backup (3-node cluster)', () => {
  let installation: TestInstallation | undefined;

  afterEach(async () => {
    await installation?.cleanup().catch(() => undefined);
    installation = undefined;
    await stopNodeSet(SET);
  });

  for (const format of ['export', 'snapshot'] as const) {
    it(`${format}: a node killed when the ${format} starts; complete or clearly failed, then a re-run succeeds with every document`, async () => {
      assertBinaryBuilt();
      const cluster: NodeSetState = await startNodeSet({ name: SET, nodes: 3, httpPort: 9260, fresh: true, log: (line) => console.log(`[${SET}] ${line}`) });
      installation = await createTestInstallation({ urls: cluster.urls, repoPath: cluster.repoPath, replicas: 1, label: 'rel-node' });
      await installation.client.cluster.health({ wait_for_status: 'green', timeout: '60s' });
      const names = Object.keys(installation.indices);
      const documents = await documentFingerprints(installation.client, names);
      // The node the tool's first address is NOT: the tool must carry on through the others.
      const victim = cluster.nodes[2]!;
      const survivors = cluster.urls.filter((url) => !url.endsWith(`:${victim.httpPort}`));
      let stopped = false;
      const phase = new RegExp(`"phase":"${format}","kind":"start"`);
      const run = await runTool(['--json', '-c', installation.configFile, 'backup', '1.1.0', '-n', `${format}-node-lost`, '--format', format], {
        onStderr: (stderr) => {
          if (!stopped && phase.test(stderr)) {
            stopped = true;
            process.kill(victim.pid!, 'SIGKILL');
          }
        },
      });
      expect(stopped, `node ${victim.name} was stopped during the ${format}`).toBe(true);
      console.log(`[${SET}] ${format} backup with ${victim.name} killed: status ${run.status} ${run.json?.error?.code ?? ''} ${run.json?.error?.message ?? ''}`);
      await expectCompleteOrClear(installation, run, `${format}-node-lost`);
      await installation.client.cluster.health({ wait_for_nodes: '2', wait_for_status: 'yellow', timeout: '90s' });
      // The re-run is pointed at the survivors, as an operator would after losing a node.
      const survivorsConfig = await installation.writeConfig({ addresses: survivors }, `${installation.root}/config/survivors.yml`);
      const again = await runToolPatiently(['--json', '-c', survivorsConfig, 'backup', '1.1.0', '-n', `${format}-after`, '--format', format]);
      expect(again.status, describeRun(again)).toBe(0);
      expect(await documentFingerprints(installation.client, names)).toEqual(documents);
    });
  }
});

async function expectCompleteOrClear(installation: TestInstallation, run: ToolRun, name: string): Promise<void> {
  if (run.status === 0) {
    const verified = await runToolPatiently(['--json', '-c', installation.configFile, 'verify', name]);
    expect(verified.status, describeRun(verified)).toBe(0);
    return;
  }
  expect([4, 5, 6, 8], describeRun(run)).toContain(run.status);
  expect(run.json?.error?.message, describeRun(run)).toMatch(/\w{3,}/);
  expect(run.json?.error?.hint, describeRun(run)).toMatch(/\w{3,}/);
  const listed = await runToolPatiently(['--json', '-c', installation.configFile, 'list']);
  const backups = (listed.json?.result as { backups?: Array<{ name: string; state: string }> } | undefined)?.backups ?? [];
  expect(backups.filter((backup) => backup.state === 'complete').map((backup) => backup.name)).not.toContain(name);
}
