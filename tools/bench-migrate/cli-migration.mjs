// The CLI path of a first migration of the sample installation: `a4c-admin migrate 1.1.0` as an
// operator runs it (the pre-migration backup, the checks, the lock, the migration), beside the
// same command with --skip-backup (the backup named instead of made), each on a fresh sample
// installation (34 plain indices, 432 documents, its data folder), timed from the process's
// start to its exit. --cpu-prof <folder> writes a V8 CPU profile of each run there; --timeline
// <file> appends each run's --json output, every line stamped with the seconds since the start.
//
// Usage: node tools/bench-migrate/cli-migration.mjs --url http://127.0.0.1:9453 --repo-path <the node's path.repo> [--rounds 1] [--cpu-prof <folder>] [--timeline <file>]
// Needs the built packages (pnpm build). Deletes the indices and folders it creates, and every
// snapshot of the node's `a4c-admin` repository (use a node of your own).

import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectElasticsearch } from '../../packages/es-snapshot/dist/index.js';
import { argument } from '../bench-es/bench-tools.mjs';
import { setUpSampleInstallation } from '../sample-data/dist/index.js';
import { exitWithUsageOnHelp } from '../usage-on-help.mjs';

exitWithUsageOnHelp(import.meta.url);

const url = argument('url', 'http://127.0.0.1:9291');
const repoPath = argument('repo-path', undefined);
const rounds = Number(argument('rounds', '1'));
const cpuProfiles = argument('cpu-prof', undefined);
const binary = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));

/** Runs the CLI; its wall time from spawn to exit, and its last JSON line. */
function cli(configFile, args, profileName) {
  const started = performance.now();
  const profiling = cpuProfiles ? ['--cpu-prof', '--cpu-prof-dir', cpuProfiles, '--cpu-prof-name', `${profileName}.cpuprofile`] : [];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...profiling, binary, '--json', '-c', configFile, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let errors = '';
    child.stdout.on('data', (chunk) => {
      // Each line stamped with the seconds since the spawn: where the command's time goes.
      const at = ((performance.now() - started) / 1000).toFixed(2);
      output += String(chunk)
        .split('\n')
        .filter(Boolean)
        .map((line) => `${at} ${line}\n`)
        .join('');
    });
    child.stderr.on('data', (chunk) => {
      errors += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0) reject(new Error(`a4c-admin ${args.join(' ')} exited ${code}: ${errors.slice(-2000)}${output.slice(-2000)}`));
      else resolve({ seconds, output });
    });
  });
}

/** A file that receives each run's stamped --json output. */
const timeline = argument('timeline', undefined);
const variants = [
  { label: 'migrate 1.1.0 (backup made)', args: () => ['migrate', '1.1.0', '--yes', '--a4c-stopped'], backupFirst: false },
  { label: 'migrate 1.1.0 --skip-backup', args: () => ['migrate', '1.1.0', '--yes', '--a4c-stopped', '--skip-backup', 'before'], backupFirst: true },
];

for (let round = 1; round <= rounds; round += 1) {
  for (const variant of variants) {
    const prefix = `cmig-${Date.now().toString(36)}-`;
    const folder = mkdtempSync(join(tmpdir(), 'a4c-cli-migration-'));
    const { client } = await connectElasticsearch({ addresses: [url] });
    try {
      const installation = await setUpSampleInstallation({ node: url, folder, prefix, repositoryPath: repoPath });
      let backup = '';
      if (variant.backupFirst) {
        const made = await cli(installation.configFile, ['backup', '1.1.0', '-n', 'before'], `backup-${round}`);
        backup = `; the backup it names took ${made.seconds.toFixed(2)} s`;
      }
      const profileName = `${variant.backupFirst ? 'skip-backup' : 'with-backup'}-${round}`;
      const { seconds, output } = await cli(installation.configFile, variant.args(), profileName);
      if (timeline) appendFileSync(timeline, `== round ${round}: ${variant.label}\n${output}`);
      console.log(`round ${round}: ${variant.label} ${seconds.toFixed(2)} s${backup}`);
    } finally {
      await client.indices.delete({ index: `${prefix}*`, expand_wildcards: 'all' }).catch(() => undefined);
      // The configured repository (a4c-admin) of this node: its backups' and rollback's snapshots.
      await client.snapshot.delete({ repository: 'a4c-admin', snapshot: '*' }).catch(() => undefined);
      await client.close();
      rmSync(folder, { recursive: true, force: true });
    }
  }
}
