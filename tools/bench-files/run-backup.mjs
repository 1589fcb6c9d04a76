// One timed backupFileTree run in its own process, so that its peak RSS is ours alone. It
// writes its file entries beside the destination (<destination>.files.json); given a previous
// run's destination, it links the files unchanged since that run (the incremental backup).
// Usage: node run-backup.mjs <sourceRoot> <destinationRoot> <concurrency> [<previousDestinationRoot>]
import { readFile, writeFile } from 'node:fs/promises';
import { backupFileTree } from '@a4c-admin/core/internal';

const [sourceRoot, destinationRoot, concurrency, previousRoot] = process.argv.slice(2);
const previous = previousRoot ? { root: previousRoot, files: JSON.parse(await readFile(`${previousRoot}.files.json`, 'utf8')) } : undefined;
const started = process.hrtime.bigint();
const result = await backupFileTree({ sourceRoot, parts: ['csar', 'artifacts'], destinationRoot, concurrency: Number(concurrency), previous });
const ms = Number(process.hrtime.bigint() - started) / 1e6;
await writeFile(`${destinationRoot}.files.json`, JSON.stringify(result.files));
process.stdout.write(
  `${JSON.stringify({ ms, files: result.files.length, bytes: result.bytes, linkedFiles: result.linked.files, maxRssKb: process.resourceUsage().maxRSS })}\n`,
);
