// A data node of a 3-node cluster killed in the middle of a backup and in the middle of a
// restore, in both formats (snapshot, export), each on a fresh dedicated `rel-cluster` set
// started and stopped here (a 3-node cluster survives the loss of one node only). Full trials
// only: A4C_TRIALS=full. Each run either completes (and verifies, or serves every document),
// or fails with a clear error and leaves nothing that looks whole; a re-run on the two
// surviving nodes succeeds and every document (and file) is there.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type NodeSetState, startNodeSet, stopNodeSet } from '@a4c-admin/elasticsearch-launcher';
import { NODE_SET_START_MS } from '@a4c-admin/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { documentFingerprints, treeState } from './installation-state.js';
import { assertBinaryBuilt, describeRun, runTool, runToolPatiently, type ToolRun } from './run-tool.js';
import { createTestInstallation, type TestInstallation } from './test-installation.js';
import { FULL_TRIALS } from './trial-settings.js';

const SET = 'rel-cluster';
const FORMATS = ['export', 'snapshot'] as const;
/** The progress event that says the Elasticsearch part of a restore has begun, per format. */
const RESTORE_PHASE = { export: 'import', snapshot: 'snapshot' } as const;

interface ClusterInstallation {
  cluster: NodeSetState;
  installation: TestInstallation;
  names: string[];
  documents: Record<string, string>;
  /** The node to kill: not the tool's first address, so the tool must carry on through the others. */
  victim: NodeSetState['nodes'][number];
  /** A config that names the two nodes left, as an operator would write after losing one. */
  survivorsConfig: () => Promise<string>;
}

// Each test starts its own 3-node cluster: its budget is the launcher's readiness wait, not vitest's default.
describe.skipIf(!FULL_TRIALS)('a data node stopped in the middle of a backup or a restore (3-node cluster)', { timeout: NODE_SET_START_MS }, () => {
  let installation: TestInstallation | undefined;

  afterEach(async () => {
    await installation?.cleanup().catch(() => undefined);
    installation = undefined;
    await stopNodeSet(SET);
  });

  async function freshCluster(label: string): Promise<ClusterInstallation> {
    assertBinaryBuilt();
    const cluster = await startNodeSet({ name: SET, nodes: 3, httpPort: 9260, fresh: true, log: (line) => console.log(`[${SET}] ${line}`) });
    installation = await createTestInstallation({ urls: cluster.urls, repoPath: cluster.repoPath, replicas: 1, label });
    await installation.client.cluster.health({ wait_for_status: 'green', timeout: '60s' });
    const names = Object.keys(installation.indices);
    const victim = cluster.nodes[2]!;
    const survivors = cluster.urls.filter((url) => !url.endsWith(`:${victim.httpPort}`));
    const own = installation;
    return {
      cluster,
      installation,
      names,
      documents: await documentFingerprints(installation.client, names),
      victim,
      survivorsConfig: () => own.writeConfig({ addresses: survivors }, `${own.root}/config/survivors.yml`),
    };
  }

  /** Runs the tool and SIGKILLs the victim node when the given progress event appears. */
  async function runKillingNode(setup: ClusterInstallation, args: string[], phase: string): Promise<ToolRun> {
    let stopped = false;
    const started = new RegExp(`"phase":"${phase}","kind":"start"`);
    const run = await runTool(['--json', '-c', setup.installation.configFile, ...args], {
      onStderr: (stderr) => {
        if (!stopped && started.test(stderr)) {
          stopped = true;
          process.kill(setup.victim.pid!, 'SIGKILL');
        }
      },
    });
    expect(stopped, `node ${setup.victim.name} was stopped during the ${phase} phase\n${describeRun(run)}`).toBe(true);
    console.log(
      `[${SET}] ${args.join(' ')} with ${setup.victim.name} killed: status ${run.status} ${run.json?.error?.code ?? ''} ${run.json?.error?.message ?? ''}`,
    );
    await setup.installation.client.cluster.health({ wait_for_nodes: '2', wait_for_status: 'yellow', timeout: '90s' });
    return run;
  }

  for (const format of FORMATS) {
    it(`backup (${format}): a node killed when the ${format} starts; complete or clearly failed, then a re-run succeeds with every document`, async () => {
      const setup = await freshCluster('rel-node');
      const run = await runKillingNode(setup, ['backup', '1.1.0', '-n', `${format}-node-lost`, '--format', format], format);
      if (run.status === 0) {
        const verified = await runToolPatiently(['--json', '-c', setup.installation.configFile, 'verify', `${format}-node-lost`]);
        expect(verified.status, describeRun(verified)).toBe(0);
      } else {
        expectClearFailure(run);
        const listed = await runToolPatiently(['--json', '-c', setup.installation.configFile, 'list']);
        const backups = (listed.json?.result as { backups?: Array<{ name: string; state: string }> } | undefined)?.backups ?? [];
        expect(backups.filter((backup) => backup.state === 'complete').map((backup) => backup.name)).not.toContain(`${format}-node-lost`);
      }
      const again = await runToolPatiently(['--json', '-c', await setup.survivorsConfig(), 'backup', '1.1.0', '-n', `${format}-after`, '--format', format]);
      expect(again.status, describeRun(again)).toBe(0);
      expect(await documentFingerprints(setup.installation.client, setup.names)).toEqual(setup.documents);
    });

    it(`restore (${format}): a node killed when the ${RESTORE_PHASE[format]} starts; complete or clearly failed, then a re-run brings every document and file back`, async () => {
      const setup = await freshCluster('rel-node-restore');
      const { installation: own } = setup;
      const backup = await runToolPatiently(['--json', '-c', own.configFile, 'backup', '1.1.0', '-n', `${format}-base`, '--format', format]);
      expect(backup.status, describeRun(backup)).toBe(0);
      const files = await treeState(own.dataDir);
      // Damage the installation so that the restore has indices and files to bring back.
      await own.client.indices.delete({ index: [`${own.prefix}application`, `${own.prefix}topology`] });
      await rm(join(own.dataDir, 'images'), { recursive: true, force: true });

      const run = await runKillingNode(setup, ['restore', '1.1.0', '-n', `${format}-base`, '--yes'], RESTORE_PHASE[format]);
      if (run.status === 0) {
        expect(await documentFingerprints(own.client, setup.names), 'a restore that reported success serves every document').toEqual(setup.documents);
      } else {
        expectClearFailure(run);
      }
      const again = await runToolPatiently(['--json', '-c', await setup.survivorsConfig(), 'restore', '1.1.0', '-n', `${format}-base`, '--yes']);
      expect(again.status, describeRun(again)).toBe(0);
      expect(await documentFingerprints(own.client, setup.names)).toEqual(setup.documents);
      expect(await treeState(own.dataDir)).toEqual(files);
    });
  }
});

/** A failure an operator can act on: an Elasticsearch/backup exit status, a message and a hint. */
function expectClearFailure(run: ToolRun): void {
  expect([4, 5, 6, 8], describeRun(run)).toContain(run.status);
  expect(run.json?.error?.message, describeRun(run)).toMatch(/\w{3,}/);
  expect(run.json?.error?.hint, describeRun(run)).toMatch(/\w{3,}/);
}
