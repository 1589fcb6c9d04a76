// Off-host backups through the built binary, as an operator's script runs them: push, list,
// verify, restore and prune with --remote against a real SeaweedFS, each --json result checked,
// and the exit statuses an alerting script acts on for a wrong encryption key (5) and wrong
// store credentials (4), with neither secret in any output. The sample installation is small:
// seconds, default tier (the faults and the byte counts are off-host-backup's and off-host-dedupe's).
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startS3Server, stopS3Server } from '@a4c-admin/s3-launcher';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEW_SAMPLE_INDICES } from '../api/installation.test-support.js';
import { type BinaryRun, createE2eInstallation, describeRun, type E2eInstallation, parseEvents, parseJsonResult } from './binary.test-support.js';

const S3_PORT = Number(process.env.A4C_TEST_S3_CLI_PORT ?? 18330);
const SERVER = `test-s3-cli-${S3_PORT}`;
const BUCKET = 'a4c-cli';
/** A cold build of SeaweedFS takes ~10 min on two cores (once; cached in the home folder). */
const FIRST_BUILD_MS = 25 * 60_000;
const KEY_TEXT = '3b5d7f9a1c3e5b7d9f0a2c4e6b8d0f1a3c5e7b9d1f3a5c7e9b0d2f4a6c8e0b1d';
const WRONG_KEY_TEXT = 'f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f';

describe('off-host backups through the binary', () => {
  let server: Awaited<ReturnType<typeof startS3Server>>;
  let installation: E2eInstallation;
  let env: Record<string, string>;
  let wrongKeyConfig = '';
  const outputs: BinaryRun[] = [];

  /** `a4c-admin -c <config> <args> --json` with the store's credentials in the environment, as the docs' recipe does. */
  async function a4c(args: readonly string[], options: { env?: Record<string, string>; config?: string } = {}): Promise<BinaryRun> {
    const run = await installation.run(options.config ? ['-c', options.config, ...args, '--json'] : [...args, '--json'], { env: { ...env, ...options.env } });
    outputs.push(run);
    return run;
  }

  /** The --json result of a run that must succeed. */
  function succeeded<T>(run: BinaryRun): T {
    expect(run.code, describeRun(run)).toBe(0);
    const parsed = parseJsonResult<T>(run);
    expect(parsed.ok).toBe(true);
    return parsed.result;
  }

  beforeAll(async () => {
    server = await startS3Server({ name: SERVER, port: S3_PORT, buckets: [BUCKET], fresh: true, log: (line) => console.log(`[s3] ${line}`) });
    installation = await createE2eInstallation({ indices: FEW_SAMPLE_INDICES });
    env = { A4C_ADMIN_S3_ACCESS_KEY_ID: server.accessKeyId, A4C_ADMIN_S3_SECRET_ACCESS_KEY: server.secretAccessKey };
    const keyFile = join(installation.folder, 'backup.key');
    const wrongKeyFile = join(installation.folder, 'other.key');
    await writeFile(keyFile, `${KEY_TEXT}\n`, { mode: 0o600 });
    await writeFile(wrongKeyFile, `${WRONG_KEY_TEXT}\n`, { mode: 0o600 });
    const config = JSON.parse(await readFile(installation.configFile, 'utf8')) as Record<string, unknown>;
    const remote = { endpoint: server.endpoint, bucket: BUCKET, prefix: 'cli/', path_style: true, concurrency: 4, part_size_mb: 5 };
    await writeFile(installation.configFile, `${JSON.stringify({ ...config, remote, encryption: { key_file: keyFile } }, null, 2)}\n`);
    wrongKeyConfig = join(installation.folder, 'wrong-key-config.yml');
    await writeFile(wrongKeyConfig, `${JSON.stringify({ ...config, remote, encryption: { key_file: wrongKeyFile } }, null, 2)}\n`);
  }, FIRST_BUILD_MS);

  afterAll(async () => {
    await installation?.cleanup();
    await stopS3Server(SERVER, { removeData: true });
  });

  it('pushes, lists, verifies, restores on a bare backup folder and prunes, each with its --json result', async () => {
    succeeded(await a4c(['backup', '1.1.0', '-n', 'nightly-1', '--format', 'export']));
    const pushed = succeeded<{ name: string; alreadyPushed: boolean; uploadedObjects: number; uploadedBytes: number; files: number }>(
      await a4c(['push', 'nightly-1']),
    );
    expect(pushed).toMatchObject({ name: 'nightly-1', alreadyPushed: false });
    expect(pushed.uploadedObjects).toBeGreaterThan(10);
    expect(pushed.uploadedBytes).toBeGreaterThan(0);
    // Pushing it again sends nothing.
    expect(succeeded<{ alreadyPushed: boolean; uploadedBytes: number }>(await a4c(['push', 'nightly-1']))).toMatchObject({
      alreadyPushed: true,
      uploadedBytes: 0,
    });

    const listed = JSON.stringify(succeeded(await a4c(['list', '--remote'])));
    expect(listed).toContain('"nightly-1"');
    expect(listed).toContain('"complete"');
    const verified = succeeded<{ name: string; objects: number }>(await a4c(['verify', 'nightly-1', '--remote']));
    expect(verified.name).toBe('nightly-1');
    expect(verified.objects).toBeGreaterThan(10);

    // A bare host: the local backup is gone, the store has it.
    await rm(join(installation.backupDir, 'nightly-1'), { recursive: true, force: true });
    succeeded(await a4c(['restore', '1.1.0', '-n', 'nightly-1', '--remote', '--yes', '--a4c-stopped']));

    succeeded(await a4c(['backup', '1.1.0', '-n', 'nightly-2', '--format', 'export']));
    succeeded(await a4c(['push', 'nightly-2']));
    const pruned = succeeded<{ deleted: string[]; kept: Array<{ name: string }> }>(await a4c(['prune', '--remote', '--keep-last', '1', '--yes']));
    expect(pruned.deleted).toEqual(['nightly-1']);
    expect(pruned.kept.map((entry) => entry.name)).toEqual(['nightly-2']);
    expect(JSON.stringify(succeeded(await a4c(['list', '--remote'])))).not.toContain('"nightly-1"');
  });

  it('exits 5 for a wrong encryption key and 4 for wrong store credentials, changing nothing and printing neither secret', async () => {
    const wrongKey = await a4c(['verify', 'nightly-2', '--remote'], { config: wrongKeyConfig });
    expect(wrongKey.code, describeRun(wrongKey)).toBe(5);
    expect(parseJsonResult(wrongKey).error).toMatchObject({ code: 'ENCRYPTION_KEY_WRONG', exitCode: 5 });
    const wrongKeyPush = await a4c(['push', 'nightly-2'], { config: wrongKeyConfig });
    expect(wrongKeyPush.code, describeRun(wrongKeyPush)).toBe(5);

    const wrongSecret = 'not-the-secret-key-4567';
    const wrongCredentials = await a4c(['push', 'nightly-2'], { env: { A4C_ADMIN_S3_SECRET_ACCESS_KEY: wrongSecret } });
    expect(wrongCredentials.code, describeRun(wrongCredentials)).toBe(4);
    expect(parseJsonResult(wrongCredentials).error).toMatchObject({ code: 'REMOTE_AUTH_FAILED', exitCode: 4 });
    const wrongList = await a4c(['list', '--remote'], { env: { A4C_ADMIN_S3_SECRET_ACCESS_KEY: wrongSecret } });
    expect(wrongList.code, describeRun(wrongList)).toBe(4);

    // Nothing changed: the remote backup is still there and whole.
    expect(succeeded<{ objects: number }>(await a4c(['verify', 'nightly-2', '--remote'])).objects).toBeGreaterThan(10);
    for (const run of outputs) {
      for (const secret of [server.secretAccessKey, wrongSecret, KEY_TEXT, WRONG_KEY_TEXT]) {
        expect(run.stdout).not.toContain(secret);
        expect(run.stderr).not.toContain(secret);
      }
    }
  });

  it('writes a bounded number of --json progress lines for a push of thousands of files, and always its last count and its end', async () => {
    // A script reading the NDJSON needs the counts, not one line per file (20 000 lines cost a
    // push of 20 000 files seconds of its CPU): at most ten a second, the last and the end kept.
    const folder = join(installation.dataDir, 'artifacts', 'many-small-files');
    await mkdir(folder, { recursive: true });
    const fileCount = 3000;
    for (let file = 0; file < fileCount; file += 1) await writeFile(join(folder, `f${file}.bin`), randomBytes(256));
    succeeded(await a4c(['backup', '1.1.0', '-n', 'many-files', '--format', 'export']));
    const run = await a4c(['push', 'many-files']);
    const pushed = succeeded<{ uploadedObjects: number }>(run);
    expect(pushed.uploadedObjects).toBeGreaterThan(fileCount);
    // Every line of stderr is an event: nothing else (such as the AWS SDK's notice about Node versions) breaks the NDJSON.
    expect(run.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('{'))).toEqual([]);
    const upload = parseEvents(run).filter((event) => event.operation === 'push' && event.phase === 'upload');
    const start = upload.find((event) => event.kind === 'start');
    const end = upload.find((event) => event.kind === 'end');
    expect(end).toMatchObject({ done: pushed.uploadedObjects, total: pushed.uploadedObjects });
    expect(upload.at(-1)).toBe(end);
    const counts = upload.filter((event) => event.kind === 'progress');
    expect(counts.at(-1)).toMatchObject({ done: pushed.uploadedObjects });
    const uploadMs = Number(end?.elapsedMs) - Number(start?.elapsedMs);
    // One count per 100 ms of the phase, plus the first and the last one held back.
    expect(counts.length, `${counts.length} counts in ${uploadMs} ms`).toBeLessThanOrEqual(Math.floor(uploadMs / 100) + 2);
  });
});
