// The environment variables the config loader reads, and where each lands in the
// configuration. The table in packages/core/README.md mirrors this list.

/** One documented environment variable and the config path it sets. */
export interface ConfigEnvironmentVariable {
  name: string;
  /** Dotted config path it sets; undefined for A4C_ADMIN_CONFIG (the file itself). */
  path: string | undefined;
  description: string;
  secret?: boolean;
}

export const CONFIG_ENVIRONMENT_VARIABLES: readonly ConfigEnvironmentVariable[] = [
  { name: 'A4C_ADMIN_CONFIG', path: undefined, description: 'Path of admin-tool-config.yml (when no file is passed explicitly).' },
  {
    name: 'A4C_ADMIN_ES_ADDRESSES',
    path: 'elasticsearch.addresses',
    description: 'Comma-separated node URLs (`http://host:9200,...`; `host:port` means http).',
  },
  { name: 'A4C_ADMIN_ES_USERNAME', path: 'elasticsearch.auth.username', description: 'Basic-auth user.' },
  { name: 'A4C_ADMIN_ES_PASSWORD', path: 'elasticsearch.auth.password', description: 'Basic-auth password.', secret: true },
  { name: 'A4C_ADMIN_ES_API_KEY', path: 'elasticsearch.auth.api_key', description: 'API key (base64 `id:key`).', secret: true },
  { name: 'A4C_ADMIN_ES_CA_FILE', path: 'elasticsearch.tls.ca_file', description: 'PEM file of the cluster CA.' },
  { name: 'A4C_ADMIN_ES_FINGERPRINT', path: 'elasticsearch.tls.fingerprint', description: 'SHA-256 fingerprint of the cluster CA.' },
  { name: 'A4C_ADMIN_BACKUP_DIR', path: 'backup.files_dir', description: 'Folder holding the backups.' },
  { name: 'A4C_ADMIN_DATA_DIR', path: 'alien4cloud.dir', description: 'The A4C data folder.' },
  { name: 'A4C_ADMIN_EXPORT_DIR', path: 'exporter.dir', description: 'Folder for exports and migration reports.' },
  { name: 'A4C_ADMIN_A4C_URL', path: 'alien4cloud.url', description: 'A4C URL, used to tell whether A4C is running.' },
  { name: 'A4C_ADMIN_INDEX_PREFIX', path: 'elasticsearch.index_prefix', description: 'Prefix of the A4C index names.' },
  {
    name: 'A4C_ADMIN_TARGET_ES_ADDRESSES',
    path: 'target.addresses',
    description: 'Comma-separated node URLs of the cluster a migration writes into (`migrate --target`).',
  },
  { name: 'A4C_ADMIN_TARGET_ES_USERNAME', path: 'target.auth.username', description: 'Basic-auth user of the target cluster.' },
  { name: 'A4C_ADMIN_TARGET_ES_PASSWORD', path: 'target.auth.password', description: 'Basic-auth password of the target cluster.', secret: true },
  { name: 'A4C_ADMIN_S3_ACCESS_KEY_ID', path: 'remote.access_key_id', description: 'Access key id of the object store (`remote:`).', secret: true },
  { name: 'A4C_ADMIN_S3_SECRET_ACCESS_KEY', path: 'remote.secret_access_key', description: 'Secret access key of the object store (`remote:`).', secret: true },
  { name: 'A4C_ADMIN_TARGET_ES_API_KEY', path: 'target.auth.api_key', description: 'API key of the target cluster (base64 `id:key`).', secret: true },
];

/** Environment variable that sets a config path, for hints ("or set A4C_ADMIN_BACKUP_DIR"). */
export function environmentVariableFor(path: string): string | undefined {
  return CONFIG_ENVIRONMENT_VARIABLES.find((variable) => variable.path === path)?.name;
}
