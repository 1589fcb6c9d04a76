// Where a migration across clusters gets its source and its target. The source is the configured
// `elasticsearch:` cluster, only read; THE one place its IndexReader is made (an ES 1.x source gets
// a reader that answers the A4C names of the ES 8 layout here). The target is `target:` (or
// `migrate --target <url>`), opened like any cluster of the tool.
import { type A4cAdminConfig, A4cAdminError } from '@a4c-admin/core';
import { redactUrlCredentials } from '@a4c-admin/core/internal';
import type { MigrationSource } from '@a4c-admin/migrations';
import { withBackends } from './open-backends.js';
import { resolveConfig } from './resolve-config.js';

/** Runs `work` with the source cluster's reader of the A4C indices; the cluster's identity is checked first. */
export async function withMigrationSource<T>(config: A4cAdminConfig, work: (source: MigrationSource) => Promise<T>, signal?: AbortSignal): Promise<T> {
  return withBackends(
    config,
    // es-snapshot's a4cReader: the A4C names of the ES 8 layout on any source (on ES 1.x-5.x, each
    // name's type in its ES 1.x index: indexednodetype in toscaelement), the plain reader elsewhere.
    ({ a4cReader }) =>
      work({ reader: a4cReader, indexPrefix: config.elasticsearch.index_prefix, description: describeAddresses(config.elasticsearch.addresses) }),
    { signal },
  );
}

/**
 * The configuration of the target cluster as a configuration of its own (its `elasticsearch:`
 * is the target), or undefined for a migration in place. `url` (`--target`) replaces the
 * configured addresses; credentials and TLS come only from `target:`, never from the source's.
 */
export async function targetClusterConfig(config: A4cAdminConfig, url?: string): Promise<A4cAdminConfig | undefined> {
  const target = url === undefined ? config.target : { ...config.target, addresses: [url] };
  if (target === undefined) return undefined;
  const { index_prefix, ...connection } = target;
  const resolved = await resolveConfig({
    ...config,
    target: undefined,
    elasticsearch: { ...connection, index_prefix: index_prefix ?? config.elasticsearch.index_prefix, repository: config.elasticsearch.repository },
  });
  const same = (address: string) => config.elasticsearch.addresses.some((source) => sameNode(source, address));
  if (resolved.elasticsearch.addresses.some(same) && resolved.elasticsearch.index_prefix === config.elasticsearch.index_prefix) {
    throw new A4cAdminError('USAGE', 'The target of the migration is the source cluster itself, with the same index prefix.', {
      hint: 'Give the address of another cluster (or another target index_prefix); to migrate in place, run `a4c-admin migrate <from>` without a target.',
      details: { target: resolved.elasticsearch.addresses.map(redactUrlCredentials) },
    });
  }
  return resolved;
}

export function describeAddresses(addresses: readonly string[]): string {
  return addresses.map(redactUrlCredentials).join(', ');
}

function sameNode(left: string, right: string): boolean {
  try {
    const a = new URL(left);
    const b = new URL(right);
    return a.protocol === b.protocol && a.host === b.host;
  } catch {
    return left === right;
  }
}
