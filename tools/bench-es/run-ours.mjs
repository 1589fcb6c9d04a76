// Runs one of our operations in its own process, so that its peak RSS is its own.
// Usage: node run-ours.mjs export <url> <index> <folder> | import <url> <folder> <targetIndex>
//        node run-ours.mjs export-all <url> <folder> <slices|auto> <index>...   (exportIndices: the library under `backup --format export`)
//        node run-ours.mjs import-all <url> <folder> <suffix>                  (importIndices, each index as <index><suffix>)
import { createElasticsearchClient, exportIndex, exportIndices, importIndex, importIndices } from '@a4c-admin/es-snapshot';

const [operation, url, first, second, ...rest] = process.argv.slice(2);
const client = createElasticsearchClient({ addresses: [url], request_timeout_ms: 300_000 });
const started = performance.now();
let documents;
let bytes = 0;
if (operation === 'export') {
  const result = await exportIndex(client, { index: first, folder: second });
  documents = result.count;
  bytes = result.chunks.reduce((sum, chunk) => sum + chunk.bytes, 0);
} else if (operation === 'export-all') {
  const manifest = await exportIndices(client, { indices: rest, folder: first, ...(second === 'auto' ? {} : { slices: Number(second) }) });
  documents = manifest.indices.reduce((sum, entry) => sum + entry.count, 0);
  bytes = manifest.indices.flatMap((entry) => entry.chunks).reduce((sum, chunk) => sum + chunk.bytes, 0);
} else if (operation === 'import-all') {
  const results = await importIndices(client, { folder: first, targetIndex: (index) => `${index}${second}` });
  documents = results.reduce((sum, result) => sum + result.written, 0);
} else {
  const result = await importIndex(client, { folder: first, targetIndex: second, replace: true });
  documents = result.written;
}
const seconds = (performance.now() - started) / 1000;
await client.close();
process.stdout.write(`${JSON.stringify({ documents, seconds, fileBytes: bytes, maxRssKb: process.resourceUsage().maxRSS })}\n`);
