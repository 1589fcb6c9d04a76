// @ts-check
// The tests' own look at a server's objects, with its own credentials: read, write, delete
// and list keys behind the tool's back (the faults an operator or an attacker could cause).
import { DeleteObjectCommand, GetObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { s3ClientFor } from './server.mjs';

/**
 * @param {import('./server.mjs').S3ServerState} state
 * @param {string} bucket
 */
export function bucketObjects(state, bucket) {
  const client = s3ClientFor(state);
  return {
    /** @param {string} key @returns {Promise<Buffer>} */
    async read(key) {
      const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return Buffer.from(await /** @type {any} */ (answer.Body).transformToByteArray());
    },
    /** @param {string} key @param {Buffer} body */
    async write(key, body) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    /** @param {string} key */
    async remove(key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
    /** @returns {Promise<string[]>} */
    async keys() {
      /** @type {string[]} */
      const keys = [];
      /** @type {string | undefined} */
      let token;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
        for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
        token = page.NextContinuationToken;
      } while (token);
      return keys;
    },
    /** Keys of the multipart uploads begun and neither completed nor aborted (their parts take room, unlisted). @returns {Promise<string[]>} */
    async uploadsInProgress() {
      const answer = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
      return (answer.Uploads ?? []).map((upload) => upload.Key ?? '');
    },
    close() {
      client.destroy();
    },
  };
}
