// For tests only (not exported): builds this package's sources into node_modules/.cache
// (git-ignored) so that child processes of a test can run the same code as plain JS.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * Builds both entries (about half a second) and returns the URL of the built `entry` (the
 * public index, or internal for the building blocks). `name` keeps the output folders of test
 * files that run in parallel apart.
 */
export function buildCoreForChildProcesses(name: string, entry: 'index' | 'internal' = 'index'): string {
  const outDir = join(packageRoot, 'node_modules/.cache', `a4c-child-build-${name}`);
  execFileSync(
    join(packageRoot, 'node_modules/.bin/tsup'),
    ['src/index.ts', 'src/internal.ts', '--no-config', '--format', 'esm', '--target', 'node20', '--out-dir', outDir, '--silent'],
    {
      cwd: packageRoot,
    },
  );
  return pathToFileURL(join(outDir, `${entry}.js`)).href;
}
