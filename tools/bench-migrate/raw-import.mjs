// The raw _bulk ceiling of the migration benchmarks (bench.mjs, bench-es1.mjs): the pre-built bodies
// of the three big indices sent by curl into fresh ES 8 indices, counted, then deleted.
import { mappingsForVersion } from '../../packages/migrations/dist/index.js';
import { rawBulkCommand, timed } from '../bench-es/bench-tools.mjs';

/**
 * Creates `<prefix>raw-<name>` for each name of `counts` (the mappings of `version`, 1.1.0 by
 * default; refresh off), times the curl _bulk of the bodies in `bodies` into them, checks each
 * holds its count and deletes them; returns the timed run.
 */
export async function timedRawImport(client, url, bodies, prefix, counts, version = '1.1.0') {
  const mappings110 = mappingsForVersion(version);
  const indices = Object.keys(counts).map((name) => [name, `${prefix}raw-${name}`]);
  for (const [name, index] of indices) {
    await client.indices.create({
      index,
      mappings: mappings110[name].mappings,
      settings: { index: { number_of_shards: 1, number_of_replicas: 0, refresh_interval: '-1' } },
    });
  }
  const run = timed('bash', [
    '-c',
    rawBulkCommand(
      url,
      bodies,
      indices.map(([, index]) => index),
    ),
  ]);
  for (const [name, index] of indices) {
    const held = (await client.count({ index })).count;
    if (held !== counts[name]) throw new Error(`raw bulk: ${index} holds ${held}, ${counts[name]} expected`);
  }
  await client.indices.delete({ index: indices.map(([, index]) => index).join(',') });
  return run;
}
