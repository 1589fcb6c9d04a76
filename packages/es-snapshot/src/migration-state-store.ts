// The MigrationStateStore port over Elasticsearch: the data-version marker (one document
// in its own index), alias resolution and atomic alias swaps.
import { A4cAdminError, type AliasAction, type MigrationStateStore } from '@a4c-admin/core';
import { dataVersionMarkerIndexName, parseDataVersionMarker } from '@a4c-admin/core/internal';
import type { Client } from '@elastic/elasticsearch';
import { DEFAULT_DIALECT, documentPath, markerIndexMappings, type ServerDialect } from './dialect/server-dialect.js';
import { resolveNames } from './index-resolution.js';
import { rawRequest } from './raw-request.js';
import { wrapElasticsearchError, wrapElasticsearchResponse } from './wrap-elasticsearch-error.js';

export interface MigrationStateStoreOptions {
  /** Prefix of the A4C indices (elasticsearch.index_prefix); the marker index carries it too. */
  prefix?: string;
  /** Name of the marker index; `<prefix>a4c-admin-data-version` by default. */
  markerIndex?: string;
  /** The connected server's dialect (connectElasticsearch); 8.x when absent. */
  dialect?: ServerDialect;
}

const MARKER_ID = 'data-version';
/** The mapping type of the marker document on servers that have types (before 7.x). */
const MARKER_TYPE = 'marker';

export function createMigrationStateStore(client: Client, options: MigrationStateStoreOptions = {}): MigrationStateStore {
  const markerIndex = options.markerIndex ?? dataVersionMarkerIndexName(options.prefix);
  const dialect = options.dialect ?? DEFAULT_DIALECT;
  const markerPath = documentPath(dialect, markerIndex, MARKER_TYPE, MARKER_ID);

  return {
    async readMarker() {
      let answer: { found?: boolean; _source?: unknown };
      const context = `reading the data-version marker in ${markerIndex}`;
      try {
        const response = await client.transport.request({ method: 'GET', path: markerPath }, { meta: true, ignore: [404] });
        answer = (response.body ?? {}) as typeof answer;
        // 404 is "no such document" or "no such index"; any other error body is a real failure.
        if (response.statusCode === 404 && (answer as { error?: unknown }).error && !isMissingIndex(answer)) {
          throw wrapElasticsearchResponse(404, answer, context);
        }
      } catch (error) {
        throw wrapElasticsearchError(error, context);
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
              mappings: markerIndexMappings(dialect, MARKER_TYPE) as never,
              settings: { index: { number_of_shards: 1, auto_expand_replicas: '0-1' } },
            })
            .catch((error: unknown) => {
              // Another process created it between our check and our create: fine.
              if (!isAlreadyExists((error as { meta?: { body?: unknown } }).meta?.body)) throw error;
            });
        }
        await rawRequest(
          client,
          { method: 'PUT', path: markerPath, querystring: { refresh: dialect.refreshOnWrite }, body: marker },
          `writing the data-version marker in ${markerIndex}`,
        );
      } catch (error) {
        throw wrapElasticsearchError(error, `writing the data-version marker in ${markerIndex}`);
      }
    },

    async resolve(names) {
      const resolved = await resolveNames(client, names, dialect);
      // A name is itself or an alias: never a pattern here.
      return Object.fromEntries(
        names.map((name) => [name, resolved[name]!.alias ? resolved[name]!.indices : resolved[name]!.indices.filter((index) => index === name)]),
      );
    },

    async updateAliases(actions) {
      if (actions.length === 0) return;
      // Before 7.x there is no remove_index: the alias actions go first in one atomic request,
      // then the indices are deleted (a failure in between leaves indices no A4C name answers to).
      const deferred = dialect.aliasRemoveIndex ? [] : actions.flatMap((action) => ('removeIndex' in action ? [action.removeIndex.index] : []));
      const atomic = dialect.aliasRemoveIndex ? actions : actions.filter((action) => !('removeIndex' in action));
      try {
        if (atomic.length > 0)
          await client.indices.updateAliases({
            actions: atomic.map((action: AliasAction) => {
              if ('add' in action) return { add: { index: action.add.index, alias: action.add.alias } };
              if ('remove' in action) return { remove: { index: action.remove.index, alias: action.remove.alias } };
              return { remove_index: { index: action.removeIndex.index } };
            }),
          });
        if (deferred.length > 0) await client.indices.delete({ index: deferred }, { ignore: [404] });
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
      const resolved = await resolveNames(client, [pattern], dialect, 'listing the indices matching');
      return resolved[pattern]!.alias ? [] : resolved[pattern]!.indices;
    },
  };
}

function errorType(body: unknown): string | undefined {
  return (body as { error?: { type?: string } } | undefined)?.error?.type;
}

/** 8.x says index_not_found_exception, 1.x index_missing_exception (or a bare string). */
function isMissingIndex(body: unknown): boolean {
  const error = (body as { error?: unknown } | undefined)?.error;
  if (typeof error === 'string') return /IndexMissingException|index_not_found/.test(error);
  return /index_not_found_exception|index_missing_exception/.test(errorType(body) ?? '');
}

/** Another process created the index first: 8.x says resource_already_exists_exception, 1.x IndexAlreadyExistsException. */
function isAlreadyExists(body: unknown): boolean {
  const error = (body as { error?: unknown } | undefined)?.error;
  if (typeof error === 'string') return /IndexAlreadyExistsException/.test(error);
  return /resource_already_exists_exception|index_already_exists_exception/.test(errorType(body) ?? '');
}
