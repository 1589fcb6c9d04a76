// Export and import of several large indices at once against a node with a small heap: the
// case where the import's bulk requests exceed the node's indexing-pressure limit (10 % of the
// heap) and Elasticsearch answers 429. Checks that the import completes with every document and
// prints the peak RSS of the export and of the import (each in its own process), and how many
// 429 rejections the node counted (`_nodes/stats/indexing_pressure`) during the import.
//
// Usage: node tools/bench-es/bench-import-pressure.mjs --url http://127.0.0.1:9281 [--docs 200000]
//          [--indices 4] [--rounds 1]
// Start the node with a small heap to see the pushback: node tools/elasticsearch/cli.mjs start
// --name <you>-es8 --port <P> --heap 256m. Needs the built packages (pnpm build). Deletes what it creates.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createElasticsearchClient } from '../../packages/es-snapshot/dist/index.js';
import { nodeType } from '../bench-migrate/documents.mjs';
import { exitWithUsageOnHelp } from '../usage-on-help.mjs';
import { argument, timed } from './bench-tools.mjs';

exitWithUsageOnHelp(import.meta.url);

const url = argument('url', 'http://127.0.0.1:9281');
const documents = Number(argument('docs', '200000'));
const indexCount = Number(argument('indices', '4'));
const rounds = Number(argument('rounds', '1'));
const here = dirname(fileURLToPath(import.meta.url));
const runner = join(here, '..', 'bench-migrate', 'run-migrate.mjs');
const prefix = `bench-pressure-${Date.now().toString(36)}-`;
const work = mkdtempSync(join(tmpdir(), 'a4c-bench-pressure-'));
const client = createElasticsearchClient({ addresses: [url], request_timeout_ms: 600_000 });
const names = Array.from({ length: indexCount }, (_, position) => `${prefix}${position}`);
const perIndex = Math.ceil(documents / indexCount);

async function rejections() {
  const stats = await client.nodes.stats({ metric: 'indexing_pressure' });
  return Object.values(stats.nodes).reduce((sum, node) => {
    const memory = node.indexing_pressure?.memory?.total ?? {};
    return sum + (memory.coordinating_rejections ?? 0) + (memory.primary_rejections ?? 0) + (memory.replica_rejections ?? 0);
  }, 0);
}

try {
  console.log(`uptime at start: ${execFileSync('uptime', { encoding: 'utf8' }).trim()}`);
  const heap = Object.values((await client.nodes.stats({ metric: 'jvm' })).nodes).map((node) => node.jvm.mem.heap_max_in_bytes);
  console.log(`node heap: ${heap.map((bytes) => `${Math.round(bytes / 1048576)} MB`).join(', ')}; ${indexCount} indices of ${perIndex} documents`);
  for (const name of names) {
    await client.indices.create({ index: name, settings: { number_of_shards: 1, number_of_replicas: 0, refresh_interval: '-1' } });
    for (let start = 0; start < perIndex; start += 2000) {
      const operations = [];
      for (let i = start; i < Math.min(perIndex, start + 2000); i++) {
        const { id, source } = nodeType(i);
        operations.push({ index: { _index: name, _id: id } }, source);
      }
      const answer = await client.bulk({ operations });
      if (answer.errors) throw new Error(`loading ${name} failed`);
    }
    await client.indices.refresh({ index: name });
  }
  for (let round = 1; round <= rounds; round++) {
    const folder = join(work, `export-${round}`);
    const exported = timed('node', [runner, 'export', url, folder, ...names]);
    const before = await rejections();
    const imported = timed('node', [runner, 'import', url, folder, '-copy']);
    const pushedBack = (await rejections()) - before;
    const written = JSON.parse(imported.stdout.trim().split('\n').at(-1)).documents;
    const counts = await Promise.all(names.map(async (name) => (await client.count({ index: `${name}-copy` })).count));
    const total = counts.reduce((sum, count) => sum + count, 0);
    console.log(
      `round ${round}: export ${exported.seconds.toFixed(1)} s, peak RSS ${Math.round(exported.maxRssKb / 1024)} MB (load ${exported.load.toFixed(2)}); ` +
        `import ${imported.seconds.toFixed(1)} s, peak RSS ${Math.round(imported.maxRssKb / 1024)} MB (load ${imported.load.toFixed(2)}), ` +
        `${pushedBack} indexing-pressure rejections on the node, ${written} written, ${total} counted of ${perIndex * indexCount}`,
    );
    if (total !== perIndex * indexCount) throw new Error(`the import holds ${total} documents, ${perIndex * indexCount} expected`);
    await client.indices.delete({ index: names.map((name) => `${name}-copy`).join(',') });
    rmSync(folder, { recursive: true, force: true });
  }
} finally {
  await client.indices.delete({ index: `${prefix}*` }).catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
  await client.close();
}
