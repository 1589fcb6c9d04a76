import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { CLI_VERSION } from './cli.js';

it('CLI_VERSION is the version in package.json (the fixed release group keeps it equal to core’s)', async () => {
  const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  expect(CLI_VERSION).toBe(manifest.version);
});
