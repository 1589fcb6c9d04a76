// Many indices created at once, for a restore or an import of a whole installation (~35
// indices). Each creation is a cluster-state update (~45 ms at best on one node) that, by
// default, also waits for its primary shard: one after another that was 3.6 s for 34 indices.
// Created several at a time without waiting for shards, then ONE cluster-health wait for all of
// them, it is the cluster-state updates alone (the master applies them in batches).
import { A4cAdminError, type IndexDefinition } from '@a4c-admin/core';
import { mapConcurrently } from '@a4c-admin/core/internal';
import type { Client } from '@elastic/elasticsearch';
import type { ServerDialect } from './dialect/server-dialect.js';
import { wrapElasticsearchError } from './wrap-elasticsearch-error.js';

/** Creations in flight: enough for the master to batch them, few enough not to queue behind them. */
const CREATIONS_AT_ONCE = 8;

/** Names a health request holds at most, so that its URL stays short (index names go into the path). */
const NAMES_PER_HEALTH_REQUEST = 50;

export interface IndexToCreate {
  index: string;
  definition: IndexDefinition;
}

/**
 * Creates the indices and returns once every one of their primary shards is active (the
 * state in which they take documents), like a creation waiting for its own shards would.
 */
export async function createIndices(client: Client, dialect: ServerDialect, indices: readonly IndexToCreate[], signal?: AbortSignal): Promise<void> {
  // wait_for_active_shards exists from 5.0; earlier servers answer a creation without waiting anyway.
  const noWait = dialect.major >= 5 ? { wait_for_active_shards: 0 } : {};
  await mapConcurrently(
    indices,
    CREATIONS_AT_ONCE,
    async ({ index, definition }) => {
      try {
        await client.indices.create(
          { index, mappings: definition.mappings as never, settings: definition.settings as never, aliases: definition.aliases as never, ...noWait },
          { signal },
        );
      } catch (error) {
        throw wrapElasticsearchError(error, `creating index ${index}`);
      }
    },
    { signal },
  );
  for (let start = 0; start < indices.length; start += NAMES_PER_HEALTH_REQUEST) {
    const names = indices.slice(start, start + NAMES_PER_HEALTH_REQUEST).map((entry) => entry.index);
    let health: { timed_out?: boolean; status?: string };
    try {
      health = (await client.cluster.health({ index: names, wait_for_status: 'yellow', timeout: '120s' }, { signal })) as typeof health;
    } catch (error) {
      throw wrapElasticsearchError(error, `waiting for the shards of ${names.length} new indices`);
    }
    if (health.timed_out) {
      throw new A4cAdminError(
        'ES_REQUEST_FAILED',
        `The primary shards of ${names.length} new indices (${names.join(', ')}) were not active after 120 s (status ${health.status}).`,
        {
          hint: 'The cluster cannot allocate them (disk watermarks, allocation filters, too few nodes): check GET /_cluster/allocation/explain, then run again.',
          details: { indices: names, status: health.status },
        },
      );
    }
  }
}
