// core's ObjectStore on S3 and compatible stores (MinIO, SeaweedFS, Ceph), with the AWS SDK v3:
// signing, retries and checksums are the SDK's. Every write asks for a SHA-256 checksum that the
// store verifies; large bodies go in parts of remote.part_size_mb, filled in a fixed set of
// buffers reused for every object (s3-multipart-upload.ts).
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { type Readable, Transform } from 'node:stream';
import { type A4cAdminConfig, A4cAdminError, type ObjectStore, type RemoteConfig, redactSecrets } from '@a4c-admin/core';
import { registerSecret } from '@a4c-admin/core/internal';
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { createPartBufferPool } from './part-buffer-pool.js';
import { PARTS_IN_FLIGHT, uploadInParts } from './s3-multipart-upload.js';

/** Credentials of the object store: the config (A4C_ADMIN_S3_* land there), else credentials_file, else the SDK's default chain. */
export async function remoteCredentials(remote: RemoteConfig): Promise<{ accessKeyId: string; secretAccessKey: string } | undefined> {
  if (remote.access_key_id !== undefined || remote.secret_access_key !== undefined) {
    if (remote.access_key_id === undefined || remote.secret_access_key === undefined) {
      throw new A4cAdminError('CONFIG_INVALID', 'remote: an access key id without its secret access key (or the other way round).', {
        hint: 'Set both A4C_ADMIN_S3_ACCESS_KEY_ID and A4C_ADMIN_S3_SECRET_ACCESS_KEY (or remote.credentials_file).',
      });
    }
    registerSecret(remote.access_key_id);
    registerSecret(remote.secret_access_key);
    return { accessKeyId: remote.access_key_id, secretAccessKey: remote.secret_access_key };
  }
  if (remote.credentials_file === undefined) return undefined;
  const file = remote.credentials_file;
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw new A4cAdminError('CONFIG_INVALID', `remote.credentials_file ${file} cannot be read (${error.code}).`, {
      hint: 'Create it (mode 0600) with access_key_id and secret_access_key, or set A4C_ADMIN_S3_ACCESS_KEY_ID and A4C_ADMIN_S3_SECRET_ACCESS_KEY.',
    });
  });
  if ((info.mode & 0o077) !== 0) {
    throw new A4cAdminError('CONFIG_INVALID', `remote.credentials_file ${file} can be read by other users (mode ${(info.mode & 0o777).toString(8)}).`, {
      hint: `It holds a secret key: \`chmod 600 ${file}\`, then run again.`,
    });
  }
  const text = await readFile(file, 'utf8');
  const value = (names: string[]) => {
    for (const name of names) {
      const match = new RegExp(`^\\s*"?${name}"?\\s*[:=]\\s*"?([^"\\s,]+)"?`, 'm').exec(text);
      if (match?.[1]) return match[1];
    }
    return undefined;
  };
  const accessKeyId = value(['access_key_id', 'aws_access_key_id']);
  const secretAccessKey = value(['secret_access_key', 'aws_secret_access_key']);
  if (!accessKeyId || !secretAccessKey) {
    throw new A4cAdminError('CONFIG_INVALID', `remote.credentials_file ${file} does not hold both access_key_id and secret_access_key.`, {
      hint: 'Write them as `access_key_id: ...` and `secret_access_key: ...` (YAML), as JSON, or as an AWS credentials file.',
    });
  }
  registerSecret(accessKeyId);
  registerSecret(secretAccessKey);
  return { accessKeyId, secretAccessKey };
}

/** What an SDK failure means for the operator, as core's error. */
function storeError(error: unknown, what: string, where: string): A4cAdminError {
  if (error instanceof A4cAdminError) return error;
  const failure = error as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = failure.$metadata?.httpStatusCode;
  const name = failure.name ?? failure.code ?? 'Error';
  const message = redactSecrets(`${what} at ${where} failed: ${name}${failure.message && failure.message !== name ? `: ${failure.message}` : ''}`);
  if (['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied', 'Forbidden', 'InvalidToken', 'ExpiredToken'].includes(name) || status === 403) {
    return new A4cAdminError('REMOTE_AUTH_FAILED', `${message} (the object store refused the credentials).`, {
      hint: 'Check A4C_ADMIN_S3_ACCESS_KEY_ID / A4C_ADMIN_S3_SECRET_ACCESS_KEY (or remote.credentials_file) and that the key may read, write, list and delete in the bucket.',
      cause: error,
    });
  }
  if (name === 'NoSuchBucket' || (status === 404 && what === 'Checking the bucket')) {
    return new A4cAdminError('REMOTE_BUCKET_MISSING', `${message} (there is no such bucket).`, {
      hint: 'Create the bucket (a4c-admin never creates one), or fix remote.bucket.',
      cause: error,
    });
  }
  if (name === 'NoSuchKey' || name === 'NotFound' || status === 404) {
    return new A4cAdminError('REMOTE_OBJECT_MISSING', `${message} (the object is not in the store).`, {
      hint: "An object was deleted behind a4c-admin's back: `a4c-admin verify <name> --remote` lists the damage; restore another remote backup.",
      cause: error,
    });
  }
  if (name === 'PreconditionFailed' || status === 412) {
    return new A4cAdminError('PRECONDITION_FAILED', `${message} (the object exists already).`, { cause: error });
  }
  if (name === 'BadDigest' || name === 'InvalidDigest' || /checksum/i.test(name)) {
    return new A4cAdminError('CHECKSUM_MISMATCH', `${message} (the store saw other bytes than were sent).`, {
      hint: 'The bytes were damaged in transit; run the command again.',
      cause: error,
    });
  }
  return new A4cAdminError('REMOTE_UNREACHABLE', message, {
    hint: 'Check that the object store is up and that remote.endpoint is right; then run the command again (a push or pull resumes: what was transferred whole is kept).',
    cause: error,
  });
}

/** Counts the bytes a body hands to the SDK. */
function counting(body: Readable, onBytes: ((bytes: number) => void) | undefined): Readable {
  if (!onBytes) return body;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      onBytes(chunk.length);
      callback(null, chunk);
    },
  });
  body.on('error', (error) => counter.destroy(error));
  return body.pipe(counter);
}

/**
 * The object store of `config.remote`.
 * @throws A4cAdminError CONFIG_INVALID when `remote:` is absent or its credentials are incomplete.
 */
export async function openObjectStore(config: A4cAdminConfig, overrides: Partial<S3ClientConfig> = {}): Promise<ObjectStore> {
  const remote = config.remote;
  if (remote === undefined) {
    throw new A4cAdminError('CONFIG_INVALID', 'No object store is configured: the configuration has no `remote:` section.', {
      hint: 'Add remote.bucket (and remote.endpoint, remote.path_style for a self-hosted store) to admin-tool-config.yml; see docs/configuration.md.',
    });
  }
  const credentials = await remoteCredentials(remote);
  // Loaded here, not with the package: the SDK costs ~0.2 s of CPU to load, which every command
  // (an export, a migration) paid at start-up whether it used an object store or not.
  const sdk = await import('@aws-sdk/client-s3');
  const { DeleteObjectsCommand, GetObjectCommand, HeadBucketCommand, PutObjectCommand, paginateListObjectsV2, S3Client } = sdk;
  const client = new S3Client({
    region: remote.region,
    ...(remote.endpoint ? { endpoint: remote.endpoint } : {}),
    forcePathStyle: remote.path_style,
    ...(credentials ? { credentials } : {}),
    maxAttempts: 3,
    ...overrides,
  });
  client.middlewareStack.add(
    (next) => async (args) => {
      hashOnce(args.request, args.input);
      return next(args);
    },
    { step: 'build', priority: 'high', name: 'a4cOneSha256PerBody' },
  );
  const bucket = remote.bucket;
  const prefix = remote.prefix;
  const where = `s3://${bucket}/${prefix}${remote.endpoint ? ` (${redactSecrets(remote.endpoint)})` : ''}`;
  const partSize = remote.part_size_mb * 1024 * 1024;
  // The parts of every large object of this store are filled in these, whatever their number.
  const partBuffers = createPartBufferPool(PARTS_IN_FLIGHT + 1, partSize);
  return {
    description: where,
    async check({ signal } = {}) {
      await client.send(new HeadBucketCommand({ Bucket: bucket }), signal ? { abortSignal: signal } : {}).catch((error) => {
        throw storeError(error, 'Checking the bucket', where);
      });
    },
    async put(key, body, options = {}) {
      const Key = `${prefix}${key}`;
      try {
        if (Buffer.isBuffer(body) || options.ifAbsent) {
          // One PutObject: a small object held whole (a file below one part, a manifest). The
          // conditional one (If-None-Match) is refused (412) by the store when the key exists.
          const bytes = Buffer.isBuffer(body) ? body : await readWhole(counting(body, options.onBytes));
          await client.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key,
              Body: bytes,
              ContentLength: bytes.length,
              ChecksumAlgorithm: 'SHA256',
              ...(options.ifAbsent ? { IfNoneMatch: '*' } : {}),
            }),
            options.signal ? { abortSignal: options.signal } : {},
          );
          if (Buffer.isBuffer(body)) options.onBytes?.(bytes.length);
          return;
        }
        await uploadInParts(
          {
            client,
            sdk,
            bucket,
            key: Key,
            pool: partBuffers,
            ...(options.signal ? { signal: options.signal } : {}),
            ...(options.onBytes ? { onBytes: options.onBytes } : {}),
          },
          body,
        );
      } catch (error) {
        if (!Buffer.isBuffer(body)) body.destroy();
        throw storeError(error, `Writing ${key}`, where);
      }
    },
    async get(key, { signal } = {}) {
      try {
        const answer = await client.send(
          new GetObjectCommand({ Bucket: bucket, Key: `${prefix}${key}`, ChecksumMode: 'ENABLED' }),
          signal ? { abortSignal: signal } : {},
        );
        const body = answer.Body as Readable | undefined;
        if (!body) throw new Error('empty answer');
        // A connection lost mid-body surfaces on the stream: report it as the store's failure.
        const checked = new Transform({ transform: (chunk, _encoding, callback) => callback(null, chunk) });
        body.on('error', (error) => checked.destroy(storeError(error, `Reading ${key}`, where)));
        return body.pipe(checked);
      } catch (error) {
        throw storeError(error, `Reading ${key}`, where);
      }
    },
    async *list(listPrefix, { signal } = {}) {
      try {
        for await (const page of paginateListObjectsV2({ client, pageSize: 1000 }, { Bucket: bucket, Prefix: `${prefix}${listPrefix}` })) {
          if (signal?.aborted) throw signal.reason;
          for (const object of page.Contents ?? []) {
            if (object.Key !== undefined) yield { key: object.Key.slice(prefix.length), size: object.Size ?? 0 };
          }
        }
      } catch (error) {
        throw storeError(error, `Listing ${listPrefix}`, where);
      }
    },
    async remove(keys) {
      for (let start = 0; start < keys.length; start += 1000) {
        const batch = keys.slice(start, start + 1000);
        const answer = await client
          .send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((key) => ({ Key: `${prefix}${key}` })), Quiet: true } }))
          .catch((error) => {
            throw storeError(error, 'Deleting objects', where);
          });
        const failed = answer.Errors ?? [];
        if (failed.length > 0) {
          throw new A4cAdminError(
            'REMOTE_UNREACHABLE',
            `The object store did not delete ${failed.length} object(s) at ${where}: ${failed[0]?.Code} ${failed[0]?.Message ?? ''}`,
            {
              hint: 'Run the command again; check that the key may delete in the bucket.',
            },
          );
        }
      }
    },
  };
}

/**
 * A body held in memory (a small object, a part of a large one) hashed once instead of twice:
 * the SDK computes the SHA-256 checksum the store verifies (x-amz-checksum-sha256) and, apart,
 * the SHA-256 it signs (x-amz-content-sha256) of the same bytes. Both headers are set from one
 * digest before the SDK's checksum step, which then keeps them; a streamed body is left to it.
 */
function hashOnce(request: unknown, input: unknown): void {
  const http = request as { body?: unknown; headers?: Record<string, string> } | undefined;
  if ((input as { ChecksumAlgorithm?: string } | undefined)?.ChecksumAlgorithm !== 'SHA256' || !http?.headers || !ArrayBuffer.isView(http.body)) return;
  const body = http.body;
  const digest = createHash('sha256')
    .update(new Uint8Array(body.buffer, body.byteOffset, body.byteLength))
    .digest();
  http.headers['x-amz-checksum-sha256'] = digest.toString('base64');
  http.headers['x-amz-content-sha256'] = digest.toString('hex');
}

async function readWhole(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
