// A data node of a 3-node cluster killed in the middle of an export-format backup, then of a
// snapshot backup, on a dedicated `rel-cluster` set started and stopped here (full trials only:
// A4C_TRIALS=full). Each backup either completes and verifies, or fails with a clear error and
// leaves no backup; a re-run on the surviving nodes succeeds and every document is there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeSet, stopNodeSet, type NodeSetState } from '@a4c-admin/elasticsearch-launcher';
import { documentFingerprints } from './installation-state.js';
import { assertBinaryBuilt, describeRun, runTool, runToolPatiently, type ToolRun } from './run-tool.js';
import { createTestInstallation, type TestInstallation } from './test-installation.js';
import { FULL_TRIALS } from './trial-settings.js';

const SET = 'rel-cluster';

describe.skipIf(!FULL_TRIALS)('a data node stopped in the middle of a backup (3-node cluster)', () => {
  let cluster: NodeSetState;
  let installation: TestInstallation;
  let names: string[];
  let documents: Record<string, string>;

  beforeAll(async () => {
    assertBinaryBuilt();
    cluster = await startNodeSet({ name: SET, nodes: 3, httpPort: 9260, fresh: true, log: (line) => console.log(`[${SET}] ${line}`) });
    installation = await createTestInstallation({ urls: cluster.urls, repoPath: cluster.repoPath, replicas: 1, label: 'rel-node' });
    await installation.client.cluster.health({ wait_for_status: 'green', timeout: '60s' });
    names = Object.keys(installation.indices);
    documents = await documentFingerprints(installation.client, names);
  });

  afterAll(async () => {
    await installation?.cleanup().catch(() => undefined);
    await stopNodeSet(SET);
  });

  /** Runs a backup and SIGKILLs node `victim` when the given phase starts. */
  async function backupLosingNode(name: string, format: 'export' | 'snapshot', victim: number): Promise<ToolRun> {
    const pid = cluster.nodes[victim]!.pid!;
    let stopped = false;
    const phase = format === 'export' ? /"phase":"export","kind":"start"/ : /"phase":"snapshot","kind":"start"/;
    const run = await runTool(['--json', '-c', installation.configFile, 'backup', '1.1.0', '-n', name, '--format', format], {
      onStderr: (stderr) => {
        if (!stopped && phase.test(stderr)) {
          stopped = true;
          process.kill(pid, 'SIGKILL');
        }
      },
    });
    expect(stopped, `node ${victim} was stopped during the ${format}`).toBe(true);
    console.log(`[${SET}] ${format} backup with node ${victim} killed: status ${run.status} ${run.json?.error?.code ?? ''} ${run.json?.error?.message ?? ''}`);
    return run;
  }

  async function expectCompleteOrClear(run: ToolRun, name: string) {
    const listed = await runToolPatiently(['--json', '-c', installation.configFile, 'list']);
    const backups = (listed.json?.result as { backups: Array<{ name: string; state: string }> }).backups;
    if (run.status === 0) {
      const verified = await runToolPatiently(['--json', '-c', installation.configFile, 'verify', name]);
      expect(verified.status, describeRun(verified)).toBe(0);
    } else {
      expect([4, 5, 6, 8], describeRun(run)).toContain(run.status);
      expect(run.json?.error?.hint, describeRun(run)).toMatch(/\w{3,}/);
      expect(backups.map((backup) => backup.name)).not.toContain(name);
    }
  }

  it('export: node 2 killed mid-export; complete or clearly failed, and a re-run succeeds', async () => {
    const run = await backupLosingNode('export-node-lost', 'export', 2);
    await expectCompleteOrClear(run, 'export-node-lost');
    await installation.client.cluster.health({ wait_for_nodes: '2', timeout: '60s' });
    const again = await runToolPatiently(['--json', '-c', installation.configFile, 'backup', '1.1.0', '-n', 'export-after', '--format', 'export']);
    expect(again.status, describeRun(again)).toBe(0);
    expect(await documentFingerprints(installation.client, names)).toEqual(documents);
  });

  it('snapshot: node 1 killed mid-snapshot; complete or clearly failed, and the documents are all served', async () => {
    const run = await backupLosingNode('snapshot-node-lost', 'snapshot', 1);
    await expectCompleteOrClear(run, 'snapshot-node-lost');
    // With one node of three left, shards whose two copies were on the dead nodes are gone until
    // those nodes come back: only what is still served can be compared.
    const health = await installation.client.cluster.health({ timeout: '30s' });
    console.log(`[${SET}] after two nodes lost: ${health.status}, ${health.unassigned_shards} unassigned shards`);
  });
});
