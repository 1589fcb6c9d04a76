import { readFile } from 'node:fs/promises';
import { configJsonSchema } from '@a4c-admin/core';
import { describe, expect, it } from 'vitest';

describe('config.schema.json', () => {
  it('is up to date with the zod schema (run `pnpm --filter @a4c-admin/core run schema` when this fails)', async () => {
    const committed = JSON.parse(await readFile(new URL('../config.schema.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(configJsonSchema());
  });

  it('describes the seed spellings: dotted top-level keys and a comma string of addresses', () => {
    const schema = configJsonSchema() as { properties: Record<string, { properties?: Record<string, { anyOf?: unknown[] }> }> };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['exporter.dir', 'backup.files_dir', 'alien4cloud.dir']));
    expect(schema.properties.elasticsearch?.properties?.addresses?.anyOf).toContainEqual(expect.objectContaining({ type: 'string' }));
  });
});
