// One timed backupFileTree run in its own process, so that its peak RSS is ours alone.
// Usage: node run-backup.mjs <sourceRoot> <destinationRoot> <concurrency>
import { backupFileTree } from '@a4c-admin/core/internal';

const [sourceRoot, destinationRoot, concurrency] = process.argv.slice(2);
const started = process.hrtime.bigint();
const result = await backupFileTree({ sourceRoot, parts: ['csar', 'artifacts'], destinationRoot, concurrency: Number(concurrency) });
const ms = Number(process.hrtime.bigint() - started) / 1e6;
process.stdout.write(`${JSON.stringify({ ms, files: result.files.length, bytes: result.bytes, maxRssKb: process.resourceUsage().maxRSS })}\n`);
