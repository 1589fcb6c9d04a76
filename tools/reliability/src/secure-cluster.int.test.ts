// A node, then a 3-node cluster, with security and TLS on (HTTP and transport; certificates
// made in the setup with openssl, the elastic password in the keystore): backup, restore and
// migrate through the binary with basic auth, an API key, a CA file and a CA fingerprint;
// wrong password, expired API key and wrong CA give clear errors; and no secret appears in
// anything the tool wrote.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createCertificates, type NodeSetState, startNodeSet, stopNodeSet } from '@a4c-admin/elasticsearch-launcher';
import { NODE_SET_START_MS } from '@a4c-admin/test-support';
import { Client } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentFingerprints, treeState } from './installation-state.js';
import { assertBinaryBuilt, describeRun, runTool, type ToolRun } from './run-tool.js';
import { countFiles, findSecrets, secretForms } from './secret-leaks.js';
import { createTestInstallation, type TestInstallation } from './test-installation.js';
import { FULL_TRIALS } from './trial-settings.js';

/** Where each secured set listens: the cluster takes three ports from its first. */
const TOPOLOGIES = [
  { set: 'rel-secure', port: 9252, nodes: 1, label: 'node' },
  { set: 'rel-secure-cluster', port: 9255, nodes: 3, label: '3-node cluster' },
];
const INDICES = ['application', 'csar', 'plugin', 'orchestrator', 'orchestratorconfiguration', 'topology', 'indexednodetype', 'user'];

// The secured 3-node cluster is in the full tier (A4C_TRIALS=full): three TLS nodes take minutes
// to start on a small machine, and the single secured node covers the same code paths.
for (const { set: SET, port: PORT, nodes, label } of TOPOLOGIES)
  describe.runIf(nodes === 1 || FULL_TRIALS)(`a secured ${label} (security + TLS)`, () => {
    const password = `Rel-${randomBytes(12).toString('base64url')}`;
    let node: NodeSetState;
    let installation: TestInstallation;
    let scratch: string;
    let apiKey: { id: string; api_key: string; encoded: string };
    const runs: ToolRun[] = [];
    const forms: string[] = [];

    async function tool(args: string[], elasticsearch: Record<string, unknown>, env: Record<string, string> = {}): Promise<ToolRun> {
      const file = await installation.writeConfig(elasticsearch, join(scratch, `config-${runs.length}.yml`));
      const run = await runTool(['--json', '-c', file, ...args], { env });
      runs.push(run);
      return run;
    }

    beforeAll(async () => {
      assertBinaryBuilt();
      node = await startNodeSet({ name: SET, nodes, httpPort: PORT, fresh: true, security: { password }, log: (line) => console.log(`[${SET}] ${line}`) });
      await untilEveryNodeAuthenticates(node.urls, password, await readFile(node.caFile!));
      installation = await createTestInstallation({
        urls: node.urls,
        repoPath: node.repoPath,
        indices: INDICES,
        // On the cluster every shard has a copy on another node, as in production.
        replicas: nodes > 1 ? 1 : 0,
        label: SET,
        client: { auth: { username: 'elastic', password }, tls: { ca: await readFile(node.caFile!) } },
      });
      scratch = await mkdtemp(join(tmpdir(), 'a4c-rel-secure-scratch-'));
      forms.push(...secretForms({ password, username: 'elastic' }));
      // API keys live in the .security index: the launcher installs the analysis plugin it needs.
      const created = await installation.client.security.createApiKey({ name: 'a4c-admin-reliability' });
      apiKey = { id: created.id, api_key: created.api_key, encoded: created.encoded };
      forms.push(...secretForms({ apiKey: apiKey.encoded, apiKeyParts: [apiKey.api_key] }));
    }, NODE_SET_START_MS);

    afterAll(async () => {
      await installation?.cleanup().catch(() => undefined);
      if (scratch) await rm(scratch, { recursive: true, force: true });
      await stopNodeSet(SET);
    });

    const basicWithCa = () => ({ auth: { username: 'elastic' }, tls: { ca_file: node.caFile } });

    it('backs up (snapshot) with basic auth and a CA file, the password from the environment', async () => {
      const run = await tool(['backup', '1.1.0', '-n', 'secure-basic'], basicWithCa(), { A4C_ADMIN_ES_PASSWORD: password });
      expect(run.status, describeRun(run)).toBe(0);
    });

    it('backs up (export) with basic auth and the CA fingerprint only', async () => {
      const run = await tool(
        ['backup', '1.1.0', '-n', 'secure-export', '--format', 'export'],
        { auth: { username: 'elastic' }, tls: { fingerprint: node.caFingerprint } },
        { A4C_ADMIN_ES_PASSWORD: password },
      );
      expect(run.status, describeRun(run)).toBe(0);
    });

    it('backs up with an API key (from the environment) and the CA fingerprint', async () => {
      const run = await tool(['backup', '1.1.0', '-n', 'secure-key'], { tls: { fingerprint: node.caFingerprint } }, { A4C_ADMIN_ES_API_KEY: apiKey.encoded });
      expect(run.status, describeRun(run)).toBe(0);
    });

    it('restores with basic auth (password in a 0600 config file) after indices and files were lost', async () => {
      const names = Object.keys(installation.indices);
      const documents = await documentFingerprints(installation.client, names);
      const files = await treeState(installation.dataDir);
      await installation.client.indices.delete({ index: [`${installation.prefix}application`, `${installation.prefix}topology`] });
      await rm(join(installation.dataDir, 'images'), { recursive: true, force: true });
      const run = await tool(['restore', '1.1.0', '-n', 'secure-basic', '--yes'], { auth: { username: 'elastic', password }, tls: { ca_file: node.caFile } });
      expect(run.status, describeRun(run)).toBe(0);
      expect(run.stderr, 'a 0600 config file gets no permission warning').not.toMatch(/other users can read/);
      expect(await documentFingerprints(installation.client, names)).toEqual(documents);
      expect(await treeState(installation.dataDir)).toEqual(files);
    });

    it('restores the export backup with the API key and the CA file', async () => {
      const names = Object.keys(installation.indices);
      const documents = await documentFingerprints(installation.client, names);
      await installation.client.indices.delete({ index: `${installation.prefix}csar` });
      const run = await tool(['restore', '1.1.0', '-n', 'secure-export', '--yes'], { tls: { ca_file: node.caFile } }, { A4C_ADMIN_ES_API_KEY: apiKey.encoded });
      expect(run.status, describeRun(run)).toBe(0);
      expect(await documentFingerprints(installation.client, names)).toEqual(documents);
    });

    it('migrates 1.1.0 -> 1.2.0 with basic auth and the CA file (its pre-migration backup included)', async () => {
      const run = await tool(['migrate', '1.1.0', '--to', '1.2.0'], basicWithCa(), { A4C_ADMIN_ES_PASSWORD: password });
      expect(run.status, describeRun(run)).toBe(0);
      expect(run.json?.result).toMatchObject({ status: 'migrated', from: '1.1.0', to: '1.2.0' });
    });

    // The API key and the fingerprint are each shown on a backup and a restore above; the
    // rollback and second migration through them are the full tier's (a minute on a busy machine).
    it.runIf(FULL_TRIALS)('rolls back, then migrates again, with the API key and the CA fingerprint', async () => {
      const key = { A4C_ADMIN_ES_API_KEY: apiKey.encoded };
      const rollback = await tool(['migrate', '1.1.0', '--rollback', '--yes'], { tls: { fingerprint: node.caFingerprint } }, key);
      expect(rollback.status, describeRun(rollback)).toBe(0);
      const again = await tool(['migrate', '1.1.0', '--skip-backup', 'secure-basic'], { tls: { fingerprint: node.caFingerprint } }, key);
      expect(again.status, describeRun(again)).toBe(0);
      expect(again.json?.result).toMatchObject({ status: 'migrated', from: '1.1.0', to: '1.2.0' });
    });

    it('refuses a wrong password: AUTH_FAILED, exit 4', async () => {
      const run = await tool(['list'], basicWithCa(), { A4C_ADMIN_ES_PASSWORD: `${password}-wrong` });
      const withBackup = await tool(['backup', '-n', 'never'], basicWithCa(), { A4C_ADMIN_ES_PASSWORD: `${password}-wrong` });
      for (const refused of [run, withBackup]) {
        expect({ status: refused.status, code: refused.json?.error?.code }, describeRun(refused)).toEqual({ status: 4, code: 'AUTH_FAILED' });
        expect(refused.json?.error?.message).toMatch(/refused the credentials/);
        expect(refused.json?.error?.hint).toMatch(/elasticsearch\.auth/);
      }
    });

    it('refuses an expired API key: AUTH_FAILED, exit 4', async () => {
      const expiring = await installation.client.security.createApiKey({ name: 'a4c-admin-reliability-expiring', expiration: '1s' });
      forms.push(...secretForms({ apiKey: expiring.encoded, apiKeyParts: [expiring.api_key] }));
      await sleep(2500);
      const run = await tool(['backup', '-n', 'never-expired'], { tls: { ca_file: node.caFile } }, { A4C_ADMIN_ES_API_KEY: expiring.encoded });
      expect({ status: run.status, code: run.json?.error?.code }, describeRun(run)).toEqual({ status: 4, code: 'AUTH_FAILED' });
      expect(run.json?.error?.hint).toMatch(/api_key|API_KEY/);
    });

    it('refuses a certificate signed by another CA: TLS_FAILED, exit 4 (CA file and fingerprint)', async () => {
      const other = await createCertificates(join(scratch, 'other-ca'));
      const byFile = await tool(
        ['backup', '-n', 'never-ca'],
        { auth: { username: 'elastic' }, tls: { ca_file: other.caFile } },
        { A4C_ADMIN_ES_PASSWORD: password },
      );
      const byFingerprint = await tool(
        ['backup', '-n', 'never-fp'],
        { auth: { username: 'elastic' }, tls: { fingerprint: other.caFingerprint } },
        { A4C_ADMIN_ES_PASSWORD: password },
      );
      const noCa = await tool(['backup', '-n', 'never-none'], { auth: { username: 'elastic' } }, { A4C_ADMIN_ES_PASSWORD: password });
      for (const run of [byFile, byFingerprint, noCa]) {
        expect({ status: run.status, code: run.json?.error?.code }, describeRun(run)).toEqual({ status: 4, code: 'TLS_FAILED' });
        expect(run.json?.error?.hint).toMatch(/ca_file|fingerprint/);
      }
    });

    it('never shows the password or an API key: stdout, stderr, backups, exports', async () => {
      // Every run above is scanned (12; 14 in the full tier, with the rollback and second migration):
      // a scan of fewer runs than that would pass without having looked.
      expect(runs.length).toBeGreaterThanOrEqual(FULL_TRIALS ? 14 : 12);
      const texts = Object.fromEntries(
        runs.flatMap((run, position) => [
          [`run ${position} stdout`, run.stdout],
          [`run ${position} stderr`, run.stderr],
        ]),
      );
      const folders = [installation.backupDir, installation.exportDir];
      const hits = await findSecrets(forms, texts, folders);
      console.log(`[${SET}] secret scan: ${runs.length} runs, ${await countFiles(folders)} files, ${forms.length} secret forms: ${hits.length} hits`);
      expect(hits).toEqual([]);
    });
  });

/**
 * Right after a fresh secured cluster starts, a node can refuse the elastic password for a
 * moment (seen once on three nodes, in the test's own set-up): wait until every node accepts it.
 */
async function untilEveryNodeAuthenticates(urls: string[], password: string, ca: Buffer, patienceMs = 90_000): Promise<void> {
  const deadline = Date.now() + patienceMs;
  for (const url of urls) {
    const client = new Client({ node: url, auth: { username: 'elastic', password }, tls: { ca } });
    try {
      for (;;) {
        try {
          await client.security.authenticate();
          break;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await sleep(1000);
        }
      }
    } finally {
      await client.close();
    }
  }
}
