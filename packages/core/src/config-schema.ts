// The schema of admin-tool-config.yml. The seed's file (dotted keys such as
// `exporter.dir`) loads as written once the loader has expanded dotted keys; everything
// beyond the seed has a description and, where one makes sense, a default.
import { z } from 'zod';

/** The parts of the A4C data folder a backup copies by default (never upload/ nor elasticsearch/). */
export const DEFAULT_DATA_PARTS = ['csar', 'artifacts', 'images', 'plugins', 'work/plugins'] as const;
/** Parts that are never copied: temporary uploads and an embedded node's data (the snapshot covers it). */
export const FORBIDDEN_DATA_PARTS = ['upload', 'elasticsearch'] as const;

const absolutePath = (what: string) =>
  z
    .string()
    .min(1, `${what} is empty`)
    .refine((value) => value.startsWith('/'), { message: `${what} must be an absolute path` });

const authSchema = z
  .strictObject({
    username: z.string().min(1).optional().describe('User for HTTP basic authentication.'),
    password: z.string().min(1).optional().describe('Password for basic authentication. Prefer A4C_ADMIN_ES_PASSWORD.'),
    api_key: z.string().min(1).optional().describe('Elasticsearch API key (the base64 "id:key" form). Prefer A4C_ADMIN_ES_API_KEY.'),
  })
  .describe('Credentials: basic auth (username + password) or an API key, not both.');

const tlsSchema = z
  .strictObject({
    ca_file: absolutePath('elasticsearch.tls.ca_file').optional().describe('PEM file of the CA that signed the cluster certificate.'),
    fingerprint: z
      .string()
      .regex(/^([0-9A-Fa-f]{2}:?){32}$/, 'must be a SHA-256 fingerprint: 64 hex digits, colons allowed')
      .optional()
      .describe('SHA-256 fingerprint of the CA certificate, as printed by Elasticsearch at first start.'),
    verify: z.boolean().default(true).describe('Check the server certificate. Turn off only for a throw-away test cluster.'),
  })
  .describe('TLS settings for https:// addresses.');

const repositorySchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, "-" and "_"')
      .default('a4c-admin')
      .describe('Name of the fs snapshot repository registered in Elasticsearch.'),
    location: z.string().min(1).default('a4c-admin').describe('Folder of the repository: absolute, or relative to the first `path.repo` entry of the nodes.'),
    max_snapshot_bytes_per_sec: z.string().default('1gb').describe('Snapshot throttle per node (Elasticsearch defaults to 40mb).'),
    max_restore_bytes_per_sec: z.string().default('1gb').describe('Restore throttle per node, applied during restores and put back afterwards.'),
  })
  .describe('The fs snapshot repository (under `path.repo` on every node).');

export const elasticsearchSchema = z
  .strictObject({
    cluster_name: z
      .string()
      .min(1, 'elasticsearch.cluster_name is empty')
      .optional()
      .describe('Expected cluster name; the tool refuses a cluster with another name.'),
    addresses: z
      .array(z.url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' }))
      .min(1, 'elasticsearch.addresses lists no node')
      .default(['http://localhost:9200'])
      .describe('HTTP addresses of the nodes. The seed\'s "host:port,host:port" string is accepted (http:// is assumed).'),
    auth: authSchema.optional(),
    tls: tlsSchema.optional(),
    request_timeout_ms: z.number().int().positive().default(60_000).describe('Timeout of one HTTP request, in milliseconds.'),
    max_retries: z
      .number()
      .int()
      .min(0)
      .max(20)
      .default(3)
      .describe(
        'Retries of one request that failed on a connection error or an answer 429/502/503/504 (not a timeout: the request may still run), with a backoff from 250 ms doubling up to 8 s and at most 30 s of pauses in all (docs/reliability.md, "Retries").',
      ),
    index_prefix: z
      .string()
      .regex(/^[a-z0-9_-]*$/, 'lower-case letters, digits, "-" and "_"')
      .default('')
      .describe("Prefix of the A4C index names (A4C's own `elasticsearch.prefix`)."),
    repository: repositorySchema.prefault({}),
  })
  .describe('How to reach the Elasticsearch cluster that holds the A4C indices.');

/**
 * The cluster a migration writes into when it carries the data to another Elasticsearch (the
 * A4C 1.x cluster stays the source, `elasticsearch:`, and is only read). Same keys as
 * `elasticsearch:` but the snapshot repository, the addresses are required (a target is never
 * guessed) and the index prefix defaults to the source's.
 */
export const targetSchema = elasticsearchSchema
  // A migration takes no snapshot of its target.
  .omit({ repository: true })
  .extend({
    addresses: z
      .array(z.url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' }))
      .min(1, 'target.addresses lists no node')
      .describe('HTTP addresses of the target nodes (a "host:port,host:port" string is accepted, as for elasticsearch.addresses).'),
    index_prefix: z
      .string()
      .regex(/^[a-z0-9_-]*$/, 'lower-case letters, digits, "-" and "_"')
      .optional()
      .describe('Prefix of the A4C index names in the target; elasticsearch.index_prefix when absent.'),
  })
  .describe(
    "The Elasticsearch cluster `a4c-admin migrate` writes into when it carries the data to another cluster (e.g. from A4C's ES 1.x to ES 8); `elasticsearch:` is then the source, only read. Absent: migrations run in place.",
  );

/**
 * An S3-compatible object store that backups are pushed to (`a4c-admin push`) and read back
 * from (`--remote`). Credentials come from the environment or a file, never from the
 * command line; they are redacted from every output like the other secrets.
 */
export const remoteSchema = z
  .strictObject({
    endpoint: z
      .url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' })
      .optional()
      .describe('URL of the S3 endpoint (MinIO, SeaweedFS, Ceph...); absent: AWS S3 of `region`.'),
    bucket: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name: 3-63 lower-case letters, digits, "." and "-"')
      .describe('Bucket that holds the backups (it must exist: the tool never creates one).'),
    prefix: z
      .string()
      .regex(/^([A-Za-z0-9._-]+\/)*$/, 'empty, or folder names each ending with "/" (e.g. "a4c/prod/")')
      .default('')
      .describe('Key prefix of everything the tool writes in the bucket, so that several installations can share one.'),
    region: z.string().min(1).default('us-east-1').describe('Region of the bucket (any value for most S3-compatible stores).'),
    path_style: z
      .boolean()
      .default(false)
      .describe('Address the bucket as `endpoint/bucket/key` instead of `bucket.endpoint/key` (MinIO, SeaweedFS and most self-hosted stores need true).'),
    access_key_id: z.string().min(1).optional().describe('Access key id. Prefer A4C_ADMIN_S3_ACCESS_KEY_ID or credentials_file.'),
    secret_access_key: z.string().min(1).optional().describe('Secret access key. Prefer A4C_ADMIN_S3_SECRET_ACCESS_KEY or credentials_file.'),
    credentials_file: absolutePath('remote.credentials_file')
      .optional()
      .describe(
        'A file (mode 0600) holding `access_key_id` and `secret_access_key` as YAML or JSON, or an AWS credentials file ([default] profile). Used when the keys are not set otherwise; without any, the AWS SDK default chain applies.',
      ),
    concurrency: z.number().int().min(1).max(64).default(8).describe('Objects (and parts of one large object) transferred at the same time.'),
    allow_unencrypted: z
      .boolean()
      .default(false)
      .describe(
        'Push backups without encryption. Backups carry secrets (orchestrator credentials, passwords in the config files): without an `encryption:` key a push is refused unless this is true.',
      ),
    part_size_mb: z
      .number()
      .int()
      .min(5)
      .max(512)
      .default(16)
      .describe('Size of one part of a multipart upload, in MiB; a file larger than one part is uploaded in parts.'),
  })
  .describe('An S3-compatible object store for off-host copies of the backups (`a4c-admin push`, `--remote`).');

export const configSchema = z
  .strictObject({
    elasticsearch: elasticsearchSchema.prefault({}),
    target: targetSchema.optional(),
    poller: z
      .strictObject({
        scroll: z
          .strictObject({
            lease: z.number().int().positive().default(120).describe('Seconds a point in time (or scroll) is kept open between pages.'),
            batch_size: z
              .number()
              .int()
              .min(1)
              .max(10_000)
              .optional()
              .describe(
                'Documents fetched a page. By default 5000 when exporting (the bytes pass through: fewer round trips to a remote cluster), 2000 when documents are read to be changed (migration).',
              ),
          })
          .prefault({}),
      })
      .prefault({})
      .describe('How documents are read out of Elasticsearch (export, migration).'),
    exporter: z
      .strictObject({
        dir: absolutePath('exporter.dir').optional().describe('Where exports and migration reports are written.'),
      })
      .prefault({}),
    backup: z
      .strictObject({
        files_dir: absolutePath('backup.files_dir').describe('Where backups are stored: one folder per backup, holding the manifest and the copied files.'),
        parts: z
          .array(
            z
              .string()
              .min(1)
              .refine((part) => !part.startsWith('/') && !part.split('/').includes('..'), {
                message: 'must be a folder relative to alien4cloud.dir, without ".."',
              })
              .refine((part) => !(FORBIDDEN_DATA_PARTS as readonly string[]).includes(part.split('/')[0] ?? ''), {
                message: 'upload/ (temporary files) and elasticsearch/ (covered by the snapshot) are never backed up',
              }),
          )
          .default([...DEFAULT_DATA_PARTS])
          .describe('Folders of alien4cloud.dir to back up, relative to it.'),
        config_files: z
          .array(absolutePath('backup.config_files[]'))
          .default([])
          .describe('Configuration files to include (the A4C yaml, the Elasticsearch yaml).'),
        concurrency: z.number().int().min(1).max(64).default(8).describe('Files copied at the same time.'),
      })
      .describe('Where and what to back up.'),
    encryption: z
      .strictObject({
        key_file: absolutePath('encryption.key_file')
          .optional()
          .describe(
            'File holding the encryption key: 32 random bytes written as 64 hex digits or 44 base64 characters on one line (`openssl rand -hex 32`), mode 0600. Not a passphrase.',
          ),
        key_env: z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name')
          .default('A4C_ADMIN_ENCRYPTION_KEY')
          .describe('Environment variable holding the key (same form as the file) when key_file is not set. Give one of the two, not both.'),
      })
      .optional()
      .describe(
        'The key that encrypts what leaves the host (AES-256-GCM; docs/security.md, "Encryption"). Only its id (a fingerprint that reveals nothing about it) is ever printed or stored.',
      ),
    alien4cloud: z
      .strictObject({
        dir: absolutePath('alien4cloud.dir').describe('The A4C data folder (csar, artifacts, images, plugins, work).'),
        url: z
          .url({ protocol: /^https?$/ })
          .optional()
          .describe("A4C's URL; a restore refuses to run while it answers (unless hot)."),
      })
      .describe('The Alien4Cloud installation.'),
    remote: remoteSchema.optional(),
  })
  .describe('a4c-admin configuration (admin-tool-config.yml).');

/** The configuration after defaults: what every operation receives. */
export type A4cAdminConfig = z.infer<typeof configSchema>;
/** The configuration as written in a file or passed by a script, before defaults. */
export type A4cAdminConfigInput = z.input<typeof configSchema>;
export type ElasticsearchConfig = A4cAdminConfig['elasticsearch'];
export type TargetConfig = NonNullable<A4cAdminConfig['target']>;
export type RemoteConfig = NonNullable<A4cAdminConfig['remote']>;
