// Every shell block of README.md and docs/*.md runs as written, so the docs cannot drift
// from the tool. Each document gets one sample A4C installation (nine of its indices) on the real node; its blocks
// run in the document's order with bash, in the installation folder (where the default
// `config/admin-tool-config.yml` is), `a4c-admin` on PATH being the clone's linked binary
// (node_modules/.bin/a4c-admin, through docs-runner-a4c-admin.mjs, which records each run).
// Every a4c-admin command must exit 0 unless the doc shows it failing (`# error:` under it),
// and any other command of the block must succeed.
//
// A block that cannot run here carries `<!-- docs-runner: skip: <reason> -->` right above its
// fence; an unmarked block with a command the runner does not know fails the test, so that a
// new block is either run or says why not. The only rewrites (each checked to apply): the
// clone's forms of the binary (`pnpm a4c-admin`, `npx a4c-admin`) become `a4c-admin` (one test
// checks that those forms work in the clone), and a document's example paths and addresses
// become the test installation's (DOCUMENTS below).
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tierSample } from '@a4c-admin/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { FEW_SAMPLE_INDICES } from '../api/installation.test-support.js';
import { buildProviderArchive, createE2eInstallation, describeRun, type E2eInstallation } from './binary.test-support.js';
import { blockProblem, clonesToInstalled, isToolCommand, shellBlocks } from './doc-shell-blocks.test-support.js';

const execFileAsync = promisify(execFile);
const REPOSITORY = fileURLToPath(new URL('../../../../', import.meta.url));
/** The link `pnpm install` makes from the root devDependency on the workspace's a4c-admin. */
const LINKED_BINARY = join(REPOSITORY, 'node_modules', '.bin', 'a4c-admin');
const RECORDING_WRAPPER = fileURLToPath(new URL('./docs-runner-a4c-admin.mjs', import.meta.url));
/** Generous: a migration took 3 minutes on a machine at load 20 (seconds when quiet). */
const BLOCK_TIMEOUT_MS = 600_000;
const DOCUMENT_TIMEOUT_MS = 1_500_000;

interface DocumentSetup {
  /** Example values of the document and what they become here; each must occur in the document. */
  rewrites?: (installation: E2eInstallation) => Array<[string, string]>;
  /** Makes the files the document assumes exist. */
  prepare?: (installation: E2eInstallation) => Promise<void>;
}

const providerArchive = (name: string) => async (installation: E2eInstallation) => buildProviderArchive(installation, join(installation.folder, name));

/** An a4c-admin export of the sample's 1.1.0 indices at `<installation>/<name>` (outside the backups folder: no backup of that name). */
async function exportFolder(installation: E2eInstallation, name: string): Promise<void> {
  const exported = await installation.run(['backup', '1.1.0', '--format', 'export', '-n', name]);
  if (exported.code !== 0) throw new Error(`the export for the doc's ${name} failed:\n${describeRun(exported)}`);
  await rename(join(installation.backupDir, name), join(installation.folder, name));
}

/** What each document needs beyond the sample installation. A document not listed runs with none. */
const DOCUMENTS: Record<string, DocumentSetup> = {
  'docs/getting-started.md': { prepare: providerArchive('alien4cloud-cloudify3-provider-1.2.0.zip') },
  'docs/migrating-1.1.0-to-1.2.0.md': {
    prepare: async (installation) => {
      await providerArchive('alien4cloud-cloudify3-provider-1.2.0.zip')(installation);
      await exportFolder(installation, 'export110');
      await exportFolder(installation, 'a4c-dump');
    },
    rewrites: (installation) => [
      ['/opt/alien4cloud/backups/export110', join(installation.folder, 'export110')],
      ['/opt/alien4cloud/export-1.2.0', join(installation.folder, 'export-1.2.0')],
      // The test installation's indices carry its unique prefix, as `prod-` in the doc.
      ['--export-prefix prod-', `--export-prefix ${installation.prefix}`],
    ],
  },
  'docs/cli.md': {
    prepare: async (installation) => {
      await providerArchive('alien4cloud-cloudify3-provider-1.2.0.zip')(installation);
      await providerArchive('provider.zip')(installation);
      await exportFolder(installation, 'dump');
    },
    rewrites: (installation) => [
      ['-c /opt/a4c-admin/config/admin-tool-config.yml', `-c ${installation.configFile}`],
      // The pluginPathId of the sample's cloudify 3 plugin.
      ['112a6d4c-1744-496e-b837-76ac2199f7d1', '4f1c2d3e-aa10-4b2c-8d3e-5f6a7b8c9d0e'],
    ],
  },
};

async function documents(): Promise<string[]> {
  const docs = (await readdir(join(REPOSITORY, 'docs'))).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`);
  return ['README.md', ...docs.sort()];
}

/** The document's text with its rewrites applied; a rewrite that finds nothing fails loudly. */
function rewritten(document: string, text: string, rewrites: Array<[string, string]>): string {
  let result = text;
  for (const [from, to] of rewrites) {
    if (!result.includes(from)) throw new Error(`${document}: the rewrite of "${from}" found nothing: the doc changed, update DOCUMENTS in ${import.meta.url}`);
    result = result.replaceAll(from, to);
  }
  return result;
}

interface Invocation {
  args: string[];
  status: number;
  onTerminal: boolean;
  questions: number;
  stdout: string;
  stderr: string;
}

interface BlockRun {
  status: number | null;
  output: string;
  invocations: Invocation[];
  failures: string[];
}

async function runBlock(folder: string, script: string, log: string, bin: string): Promise<BlockRun> {
  await writeFile(log, '');
  const scriptFile = join(folder, 'docs-block.sh');
  // An ERR trap records every other command that fails; the a4c-admin runs are in the log.
  await writeFile(
    scriptFile,
    `trap 'case "$BASH_COMMAND" in a4c-admin*) ;; *) echo "docs-runner-failed: $? $BASH_COMMAND" >> "$A4C_DOCS_FAILURES" ;; esac' ERR\n${script}\n`,
  );
  const failuresFile = `${log}.failures`;
  await writeFile(failuresFile, '');
  const { NO_COLOR: _noColor, FORCE_COLOR: _forceColor, A4C_ADMIN_CONFIG: _config, ...environment } = process.env;
  const result = await new Promise<{ status: number | null; output: string }>((resolve, reject) => {
    const child = spawn('bash', [scriptFile], {
      cwd: folder,
      env: { ...environment, PATH: `${bin}:${process.env.PATH}`, A4C_DOCS_BINARY: LINKED_BINARY, A4C_DOCS_LOG: log, A4C_DOCS_FAILURES: failuresFile },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so that a block that overruns is stopped with everything it started.
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      output += `\ndocs-runner: the block overran ${BLOCK_TIMEOUT_MS / 1000} s and was killed`;
      process.kill(-child.pid!, 'SIGKILL');
    }, BLOCK_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, output });
    });
  });
  const invocations = (await readFile(log, 'utf8'))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Invocation);
  const failures = (await readFile(failuresFile, 'utf8')).split('\n').filter((line) => line !== '');
  return { ...result, invocations, failures };
}

function describeInvocation(invocation: Invocation): string {
  return `a4c-admin ${invocation.args.join(' ')} exited ${invocation.status}${invocation.onTerminal ? ` (on a terminal, ${invocation.questions} question(s) answered y)` : ''}\n--- stdout (end)\n${invocation.stdout}\n--- stderr (end)\n${invocation.stderr}`;
}

describe('the shell blocks of README.md and docs/', async () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it('the clone forms of the binary work: pnpm a4c-admin, pnpm exec a4c-admin, npx a4c-admin', async () => {
    for (const form of [
      ['pnpm', 'a4c-admin'],
      ['pnpm', 'exec', 'a4c-admin'],
      ['npx', '--no-install', 'a4c-admin'],
    ]) {
      const { stdout } = await execFileAsync(form[0]!, [...form.slice(1), '--version'], { cwd: REPOSITORY });
      expect(stdout.trim(), form.join(' ')).toMatch(/^\d+\.\d+\.\d+/);
    }
  });

  const withBlocks: Array<{ document: string; markdown: string; blocks: ReturnType<typeof shellBlocks> }> = [];
  for (const document of await documents()) {
    const markdown = await readFile(join(REPOSITORY, document), 'utf8');
    const blocks = shellBlocks(markdown);
    if (blocks.length > 0) withBlocks.push({ document, markdown, blocks });
  }
  // Each document runs its blocks on an installation of its own, for minutes: the default tier
  // runs the README and one other document, picked by a seed that changes every run (printed in
  // the test names; successive CI runs cover every document), A4C_TRIALS=full all of them.
  // (doc-shell-blocks.test.ts checks every block of every document is runnable or marked.)
  const sample = tierSample(withBlocks, ({ document }) => (document === 'README.md' ? 'README' : 'docs'), 1);
  it(`runs ${sample.description}`, () => expect(sample.rows.length).toBeGreaterThan(0));

  for (const { document, markdown, blocks } of sample.rows) {
    it(
      `${document}: every block runs, or is marked with the reason it cannot`,
      async () => {
        const setup = DOCUMENTS[document] ?? {};
        const unmarked = blocks.filter((block) => block.marker === undefined);
        for (const block of blocks) {
          const problem = blockProblem(block);
          if (problem) throw new Error(`${document}:${block.line}: ${problem}`);
        }
        if (unmarked.length === 0) return;

        // A document whose blocks never run a4c-admin (only `export`s) needs no sample installation.
        const usesTool = unmarked.some((block) => block.commands.some((command) => isToolCommand(command.text)));
        let folder: string;
        let text = markdown;
        if (usesTool) {
          // A few indices: the documents show commands, and no command of theirs depends on how many
          // indices there are (those they name, application, topology and user, are among them).
          const installation = await createE2eInstallation({ indices: FEW_SAMPLE_INDICES });
          cleanups.push(() => installation.cleanup());
          await setup.prepare?.(installation);
          text = rewritten(document, markdown, setup.rewrites?.(installation) ?? []);
          folder = installation.folder;
        } else {
          const scratch = await mkdtemp(join(tmpdir(), 'a4c-docs-'));
          cleanups.push(() => rm(scratch, { recursive: true, force: true }));
          folder = scratch;
        }
        const bin = await mkdtemp(join(folder, 'bin-'));
        await symlink(RECORDING_WRAPPER, join(bin, 'a4c-admin'));
        const log = join(folder, 'docs-runner.log');
        // The rewritten document keeps its line numbers, so its blocks match the original's one to one.
        const runnable = shellBlocks(text).filter((block) => block.marker === undefined);

        for (const block of runnable) {
          const where = `${document}:${block.line}`;
          const result = await runBlock(folder, clonesToInstalled(block.body), log, bin);
          const transcript = `--- the block as run\n${clonesToInstalled(block.body)}\n--- its output\n${result.output}`;
          const expected = block.commands.filter((command) => isToolCommand(command.text));
          if (result.invocations.length !== expected.length)
            throw new Error(`${where}: expected ${expected.length} a4c-admin run(s), saw ${result.invocations.length}\n${transcript}`);
          expected.forEach((command, index) => {
            const invocation = result.invocations[index]!;
            const ok = command.failureShown ? invocation.status !== 0 : invocation.status === 0;
            if (!ok)
              throw new Error(
                `${document}:${command.line}: \`${command.text}\` ${command.failureShown ? 'should fail as the doc shows, but' : ''} ${describeInvocation(invocation)}\n${transcript}`,
              );
          });
          if (result.failures.length > 0) throw new Error(`${where}: a command of the block failed: ${result.failures.join('; ')}\n${transcript}`);
          const lastFails = expected.at(-1)?.failureShown === true;
          if (result.status !== 0 && !lastFails) throw new Error(`${where}: the block exited ${result.status}\n${transcript}`);
        }
        await rm(log, { force: true });
      },
      DOCUMENT_TIMEOUT_MS,
    );
  }
});
