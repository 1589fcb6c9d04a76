// `a4c-admin completion bash|zsh` under a real bash (COMP_WORDS as the shell sets them on Tab),
// and `a4c-admin config init`: the starter and the converted seed load with the tool's own
// loader; an existing file is never replaced without --force.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '@a4c-admin/core';
import { commandExists, SEED_ADMIN_TOOL_CONFIG } from '@a4c-admin/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli.js';
import type { CliIo } from './command-runtime.js';

const execFileAsync = promisify(execFile);

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'a4c-admin-completion-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: { isTTY: false, write: (chunk: string) => out.push(chunk) },
    stderr: { isTTY: false, write: (chunk: string) => err.push(chunk) },
    env: {},
    cwd: folder,
    signal: new AbortController().signal,
  } as CliIo;
  const code = await runCli(args, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** What bash offers on Tab after `line` (the last word is the one being completed). */
async function bashCompletes(script: string, line: string): Promise<string[]> {
  const words = line.split(' ');
  const program = `${script}
COMP_WORDS=(${words.map((word) => `'${word}'`).join(' ')})
COMP_CWORD=${words.length - 1}
complete -p a4c-admin
_a4c_admin
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const { stdout } = await execFileAsync('bash', ['--norc', '--noprofile', '-c', program]);
  const [registration, ...offered] = stdout.trim().split('\n');
  expect(registration).toBe('complete -F _a4c_admin a4c-admin');
  return offered.filter((word) => word !== '');
}

describe('a4c-admin completion', () => {
  it.skipIf(!commandExists('bash'))('bash: the commands, the subcommands, the options of a command, files after an option that takes one', async () => {
    const { code, stdout: script } = await cli(['completion', 'bash']);
    expect(code).toBe(0);
    expect(await bashCompletes(script, 'a4c-admin ')).toEqual(
      expect.arrayContaining(['backup', 'restore', 'migrate', 'verify', 'list', 'delete', 'prune', 'doctor', 'plugins', 'config', 'completion']),
    );
    expect(await bashCompletes(script, 'a4c-admin re')).toEqual(['restore']);
    expect(await bashCompletes(script, 'a4c-admin config ')).toEqual(['validate', 'schema', 'show', 'init']);
    expect(await bashCompletes(script, 'a4c-admin completion ')).toEqual(['bash', 'zsh']);
    expect((await bashCompletes(script, 'a4c-admin restore 1.1.0 -n b110 --conf')).sort()).toEqual(['--config', '--config-files-to']);
    expect(await bashCompletes(script, 'a4c-admin -c x.yml config init --')).toEqual(expect.arrayContaining(['--from', '--output', '--force', '--json']));
    await writeFile(join(folder, 'seed-config.yml'), 'x');
    expect(await bashCompletes(script, `a4c-admin config init --from ${folder}/seed-`)).toEqual([`${folder}/seed-config.yml`]);
  });

  it('zsh: a #compdef script with the same commands and options (zsh itself when installed)', async () => {
    const { code, stdout: script } = await cli(['completion', 'zsh']);
    expect(code).toBe(0);
    expect(script.startsWith('#compdef a4c-admin\n')).toBe(true);
    expect(script).toContain('"config") echo "validate schema show init" ;;');
    expect(script).toMatch(/"restore"\) echo "[^"]*--config-files-to[^"]*" ;;/);
    expect(script).toContain('compdef _a4c_admin a4c-admin');
    // `path` is zsh's PATH array: a function that set it would break the shell.
    expect(script).not.toMatch(/\blocal path\b|\bpath=/);
    if (commandExists('zsh')) await execFileAsync('zsh', ['-n', '-c', script]);
  });

  it('refuses a shell it does not know (usage, 2)', async () => {
    const { code, stderr } = await cli(['completion', 'fish']);
    expect(code).toBe(2);
    expect(stderr).toContain('bash, zsh');
  });
});

describe('a4c-admin config init', () => {
  it('writes a commented starter that the loader reads, and never replaces a file without --force', async () => {
    const file = join(folder, 'starter', 'admin-tool-config.yml');
    const written = await cli(['config', 'init', '-o', file]);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toContain(`wrote ${file}`);
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/^# admin-tool-config.yml/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const { config } = await loadConfig({ file, env: {} });
    expect(config.elasticsearch.addresses).toEqual(['http://127.0.0.1:9200']);
    expect(config.alien4cloud.dir).toBe('/opt/alien4cloud/data');

    await writeFile(file, 'mine: true\n');
    const refused = await cli(['config', 'init', '-o', file]);
    expect(refused.code).toBe(5);
    expect(refused.stderr).toContain(`${file} exists already`);
    expect(refused.stderr).toContain('--force');
    expect(await readFile(file, 'utf8')).toBe('mine: true\n');
    expect((await cli(['config', 'init', '-o', file, '--force'])).code).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it("converts the seed's file: comments kept, the transport port 9300 moved to 9200, loadable", async () => {
    const seed = SEED_ADMIN_TOOL_CONFIG;
    const seedFile = join(folder, 'seed-admin-tool-config.yml');
    await writeFile(seedFile, seed);
    const file = join(folder, 'converted.yml');
    const run = await cli(['config', 'init', '--from', seedFile, '-o', file]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('2 transport-port addresses moved to 9200');
    const text = await readFile(file, 'utf8');
    expect(text).toContain('# Addresses of elasticsearch cluster nodes\n  addresses: 129.185.67.37:9200,129.185.67.26:9200\n');
    const { config } = await loadConfig({ file, env: {} });
    expect(config.elasticsearch.addresses).toEqual(['http://129.185.67.37:9200', 'http://129.185.67.26:9200']);
    expect(config.elasticsearch.cluster_name).toBe('alien4cloud');
    expect(config.poller.scroll).toEqual({ lease: 120, batch_size: 100 });
  });

  it('prints to stdout with -o -', async () => {
    const run = await cli(['config', 'init', '-o', '-']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^# admin-tool-config.yml/);
  });
});
