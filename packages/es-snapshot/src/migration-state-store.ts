// The MigrationStateStore port over Elasticsearch: the data-version marker (one document
// in its own index), alias resolution and atomic alias swaps.
import { A4cAdminError, type AliasAction, type DataVersionMarker, type MigrationStateStore } from '@a4c-admin/core';
import { parseDataVersionMarker } from '@a4c-admin/core/internal';
import type { Client } from '@elastic/elasticsearch';
import { wrapElasticsearchError } from './wrap-elasticsearch-error.js';

export interface MigrationStateStoreOptions {
  /** Prefix of the A4C indices (elasticsearch.index_prefix); the marker index carries it too. */
  prefix?: string;
  /** Name of the marker index; `<prefix>a4c-admin-data-version` by default. */
  markerIndex?: string;
}

const MARKER_ID = 'data-version';

export function createMigrationStateStore(client: Client, options: MigrationStateStoreOptions = {}): MigrationStateStore {
  const markerIndex = options.markerIndex ?? `${options.prefix ?? ''}a4c-admin-data-version`;

  return {
    async readMarker() {
      let answer;
      try {
        answer = await client.get<unknown>({ index: markerIndex, id: MARKER_ID }, { ignore: [404] });
      } catch (error) {
        throw wrapElasticsearchError(error, `reading the data-version marker in ${markerIndex}`);
      }
      // Checked here, so that no command meets a damaged marker deep inside its work.
      return answer.found ? parseDataVersionMarker(answer._source, markerIndex) : undefined;
    },

    async writeMarker(marker) {
      try {
        const exists = await client.indices.exists({ index: markerIndex });
        if (!exists) {
          await client.indices
            .create({
              index: markerIndex,
              // History keys are index names: not mapped, so that they never grow the mapping.
              mappings: { dynamic: false, properties: { version: { type: 'keyword' }, updatedAt: { type: 'date' } } },
              settings: { index: { number_of_shards: 1, auto_expand_replicas: '0-1' } },
            })
            .catch((error: unknown) => {
              // Another process created it between our check and our create: fine.
              if ((error as { meta?: { body?: { error?: { type?: string } } } }).meta?.body?.error?.type !== 'resource_already_exists_exception') throw error;
            });
        }
        await client.index({ index: markerIndex, id: MARKER_ID, document: marker, refresh: 'wait_for' });
      } catch (error) {
        throw wrapElasticsearchError(error, `writing the data-version marker in ${markerIndex}`);
      }
    },

    async resolve(names) {
      const result: Record<string, string[]> = {};
      for (const name of names) {
        try {
          const answer = await client.indices.resolveIndex({ name, expand_wildcards: ['open', 'closed'] }, { ignore: [404] });
          const alias = answer.aliases?.find((entry) => entry.name === name);
          if (alias) result[name] = [...alias.indices].sort();
          else result[name] = (answer.indices ?? []).filter((entry) => entry.name === name).map((entry) => entry.name);
        } catch (error) {
          throw wrapElasticsearchError(error, `resolving ${name}`);
        }
      }
      return result;
    },

    async updateAliases(actions) {
      if (actions.length === 0) return;
      try {
        await client.indices.updateAliases({
          actions: actions.map((action: AliasAction) => {
            if ('add' in action) return { add: { index: action.add.index, alias: action.add.alias } };
            if ('remove' in action) return { remove: { index: action.remove.index, alias: action.remove.alias } };
            return { remove_index: { index: action.removeIndex.index } };
          }),
        });
      } catch (error) {
        const wrapped = wrapElasticsearchError(error, 'updating aliases');
        throw new A4cAdminError(wrapped.code, `${wrapped.message} (no alias was changed: the update is all or nothing)`, {
          hint: wrapped.hint,
          details: { ...wrapped.details, actions },
          cause: error,
        });
      }
    },

    async listIndices(pattern) {
      try {
        const answer = await client.indices.resolveIndex({ name: pattern, expand_wildcards: ['open', 'closed'] }, { ignore: [404] });
        return (answer.indices ?? []).map((entry) => entry.name).sort();
      } catch (error) {
        throw wrapElasticsearchError(error, `listing the indices matching ${pattern}`);
      }
    },
  };
}
