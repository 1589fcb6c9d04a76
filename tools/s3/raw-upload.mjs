// @ts-check
// The peer of the push benchmark: an `aws s3 sync`-like raw upload of every file under a
// folder, with the same SDK, part size, checksum and concurrency as `a4c-admin push` (files
// at once, two parts of one file at once), and no hashing or encryption of its own. Like
// `aws s3 sync` (below its multipart_threshold), a file smaller than one part goes in one
// PutObject of the file read whole; a larger one through lib-storage's Upload in parts.
// `--upload-all` sends every file through Upload instead (the peer of the first measurement,
// whose fixed cost per object made small files slower than a PutObject).
// Usage: node raw-upload.mjs <folder> <endpoint> <bucket> <prefix> <concurrency> <part-size-mib> [--upload-all]
// The credentials come from A4C_ADMIN_S3_ACCESS_KEY_ID / A4C_ADMIN_S3_SECRET_ACCESS_KEY.
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';

const [folder, endpoint, bucket, prefix, concurrency, partSizeMib, mode] = process.argv.slice(2);
const partSize = Number(partSizeMib) * 1024 * 1024;
if (!folder || !endpoint || !bucket || prefix === undefined || !concurrency || !partSizeMib) {
  console.error('Usage: node raw-upload.mjs <folder> <endpoint> <bucket> <prefix> <concurrency> <part-size-mib>');
  process.exit(2);
}
const client = new S3Client({
  endpoint,
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: process.env.A4C_ADMIN_S3_ACCESS_KEY_ID ?? '', secretAccessKey: process.env.A4C_ADMIN_S3_SECRET_ACCESS_KEY ?? '' },
  maxAttempts: 3,
});
const files = (await readdir(folder, { recursive: true, withFileTypes: true }))
  .filter((entry) => entry.isFile())
  .map((entry) => join(entry.parentPath, entry.name));
let next = 0;
let bytes = 0;
async function worker() {
  while (next < files.length) {
    const path = /** @type {string} */ (files[next++]);
    const Key = `${prefix}${relative(folder, path)}`;
    if (mode !== '--upload-all' && (await stat(path)).size < partSize) {
      const Body = await readFile(path);
      await client.send(new PutObjectCommand({ Bucket: bucket, Key, Body, ContentLength: Body.length, ChecksumAlgorithm: 'SHA256' }));
      bytes += Body.length;
      continue;
    }
    const body = createReadStream(path);
    body.on('data', (chunk) => {
      bytes += chunk.length;
    });
    await new Upload({
      client,
      params: { Bucket: bucket, Key, Body: body, ChecksumAlgorithm: 'SHA256' },
      partSize,
      queueSize: 2,
      leavePartsOnError: false,
    }).done();
  }
}
await Promise.all(Array.from({ length: Number(concurrency) }, worker));
client.destroy();
console.log(JSON.stringify({ files: files.length, bytes }));
