import { readFile } from 'node:fs/promises';
import { TOOL_VERSION } from '@a4c-admin/core';
import { expect, it } from 'vitest';

it('TOOL_VERSION is the version in package.json (bump both together)', async () => {
  const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  expect(TOOL_VERSION).toBe(manifest.version);
});
