#!/usr/bin/env node
// Builds a4c-admin as one executable file for hosts without Node 20: Node's single executable
// application (SEA). The CLI and all its dependencies are bundled into one CommonJS script
// (Node 20's SEA runs exactly one CommonJS script and can load only built-in modules), that
// script becomes a blob, and the blob is injected into a copy of the node binary running this
// build (or --node). The result runs on any host of the same platform and architecture with
// a glibc as recent as that node's; it needs no Node, npm or network there.
//
// Usage (after `pnpm run build`): node tools/standalone/build.mjs [--output <file>] [--node <binary>]
//   --output  where to write it (default dist-standalone/a4c-admin-<platform>-<arch>)
//   --node    the Node 20+ binary to copy (default: the one running this script), e.g. a build
//             for an older glibc; it must run on this machine, which writes its blob.
// Prints the path and size of the executable on stdout.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const repository = fileURLToPath(new URL('../../', import.meta.url));
/** The fuse that Node looks for to know it carries a blob: Node's documented constant. */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

const { values } = parseArgs({ options: { output: { type: 'string' }, node: { type: 'string' } } });
const output = resolve(values.output ?? join(repository, 'dist-standalone', `a4c-admin-${process.platform}-${process.arch}`));
const baseNode = resolve(values.node ?? process.execPath);
const nodeVersion = quietly(baseNode, ['--version']).trim();
if (Number.parseInt(nodeVersion.slice(1), 10) < 20) throw new Error(`${baseNode} is Node ${nodeVersion}: the executable needs Node 20 or newer`);
mkdirSync(dirname(output), { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'a4c-admin-standalone-'));
try {
  const script = await bundleCli(join(work, 'a4c-admin.cjs'));
  // The blob. The experimental warning is Node's, not the operator's concern: off.
  const blob = join(work, 'a4c-admin.blob');
  const seaConfig = join(work, 'sea-config.json');
  writeFileSync(seaConfig, JSON.stringify({ main: script, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true }, null, 2));
  quietly(baseNode, ['--experimental-sea-config', seaConfig]);
  // A copy of the node binary with the blob injected. postject's ELF library warns about note
  // sections it does not know; harmless, so shown only if the injection fails.
  rmSync(output, { force: true });
  copyFileSync(baseNode, output);
  chmodSync(output, 0o755);
  const postject = createRequire(import.meta.url).resolve('postject/dist/cli.js');
  quietly(process.execPath, [postject, output, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE]);
} finally {
  rmSync(work, { recursive: true, force: true });
}

const megabytes = (statSync(output).size / 1024 / 1024).toFixed(1);
console.log(`${output} (${megabytes} MB, Node ${nodeVersion.slice(1)}, ${process.platform}-${process.arch})`);

/**
 * The CLI and everything it imports as one CommonJS file. The entry is the CLI's source; the
 * sibling packages resolve to their built dist (hence `pnpm run build` first), the npm
 * dependencies to node_modules.
 */
async function bundleCli(script) {
  const bundle = await build({
    entryPoints: [join(repository, 'packages/cli/src/bin.ts')],
    outfile: script,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    legalComments: 'none',
    logLevel: 'warning',
    // import.meta is empty in CommonJS: code that finds files beside itself would break in
    // the executable, which has none; fail the build rather than ship that.
    logOverride: { 'empty-import-meta': 'error' },
    metafile: true,
  });
  // Anything left to `require` at run time would fail inside the executable unless it is built in.
  const unbundled = Object.values(bundle.metafile.outputs)
    .flatMap((out) => out.imports)
    .filter((imported) => imported.external && !isBuiltin(imported.path));
  if (unbundled.length > 0) throw new Error(`not bundled, would fail in the executable: ${unbundled.map((i) => i.path).join(', ')}`);
  return script;
}

/** Runs a build step and returns its stdout, showing its output only when it fails. */
function quietly(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    throw new Error(`${[command, ...args].join(' ')} failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`})`);
  }
  return result.stdout;
}
