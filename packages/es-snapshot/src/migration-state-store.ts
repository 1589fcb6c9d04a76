// The MigrationStateStore port over Elasticsearch: the data-version marker (one document
// in its own index), alias resolution and atomic alias swaps.
import { A4cAdminError, type AliasAction, type IndexOwnershipFacts, type MigrationStateStore, storageLayoutOf } from '@a4c-admin/core';
import { dataVersionMarkerIndexName, ownershipMarkOf, parseDataVersionMarker } from '@a4c-admin/core/internal';
import type { Client } from '@elastic/elasticsearch';
import { DEFAULT_DIALECT, documentPath, markerIndexMappings, type ServerDialect } from './dialect/server-dialect.js';
import { resolveNames } from './index-resolution.js';
import { rawRequest } from './raw-request.js';
import { ensureToolIndex } from './tool-index.js';
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

    async prepareMarker() {
      try {
        await ensureToolIndex(client, markerIndex, markerIndexMappings(dialect, MARKER_TYPE));
      } catch (error) {
        throw wrapElasticsearchError(error, `creating the data-version marker index ${markerIndex}`);
      }
    },

    async writeMarker(marker) {
      try {
        // History keys are index names: not mapped, so that they never grow the mapping.
        await ensureToolIndex(client, markerIndex, markerIndexMappings(dialect, MARKER_TYPE));
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
      // Before 7.x there is no remove_index: the indices are deleted first, since an alias cannot
      // take the name of an index that still exists, then the alias actions go in one atomic
      // request. Dying in between leaves those names absent (the port's contract says so).
      const deleted = dialect.aliasRemoveIndex ? [] : actions.flatMap((action) => ('removeIndex' in action ? [action.removeIndex.index] : []));
      // The aliases of a deleted index go with it: removing them after would name a missing index.
      const atomic = dialect.aliasRemoveIndex
        ? actions
        : actions.filter((action) => !('removeIndex' in action) && !('remove' in action && deleted.includes(action.remove.index)));
      let deletedFirst = false;
      try {
        if (deleted.length > 0) {
          await client.indices.delete({ index: deleted }, { ignore: [404] });
          deletedFirst = true;
        }
        if (atomic.length > 0)
          await client.indices.updateAliases({
            actions: atomic.map((action: AliasAction) => {
              if ('add' in action) return { add: { index: action.add.index, alias: action.add.alias } };
              if ('remove' in action) return { remove: { index: action.remove.index, alias: action.remove.alias } };
              return { remove_index: { index: action.removeIndex.index } };
            }),
          });
      } catch (error) {
        const wrapped = wrapElasticsearchError(error, 'updating aliases');
        const said = deletedFirst
          ? `no alias was changed, but ${deleted.join(', ')} were deleted first (this Elasticsearch has no remove_index)`
          : 'no alias was changed: the update is all or nothing';
        throw new A4cAdminError(wrapped.code, `${wrapped.message} (${said})`, {
          hint: wrapped.hint,
          details: { ...wrapped.details, actions },
          cause: error,
        });
      }
    },

    async storageLayout() {
      // Asked by the migrations in place only: where a4c-admin cannot write A4C's indices, say so before any change.
      if (!dialect.migratesInPlace) {
        throw new A4cAdminError(
          'MIGRATION_PATH',
          `a4c-admin migrates in place on Elasticsearch 1.x (where A4C ran) and 7.x or later; this cluster runs ${dialect.version}, whose mapping form it does not write. Nothing was changed.`,
          {
            hint: 'Migrate into another cluster instead: `a4c-admin migrate <from> --target <url of an Elasticsearch 8>` reads this one and never writes to it.',
            details: { version: dialect.version },
          },
        );
      }
      return storageLayoutOf(dialect.version);
    },

    async listIndices(pattern) {
      const resolved = await resolveNames(client, [pattern], dialect, 'listing the indices matching');
      return resolved[pattern]!.alias ? [] : resolved[pattern]!.indices;
    },

    async ownership(indices) {
      if (indices.length === 0) return {};
      const context = `reading who made ${indices.join(', ')}`;
      try {
        const path = `/${indices.map(encodeURIComponent).join(',')}`;
        const [mappings, settings] = await Promise.all([
          client.transport.request({ method: 'GET', path: `${path}/_mapping` }) as Promise<Record<string, { mappings?: Record<string, unknown> }>>,
          client.transport.request({ method: 'GET', path: `${path}/_settings/index.provided_name` }) as Promise<
            Record<string, { settings?: { index?: { provided_name?: string } } }>
          >,
        ]);
        return Object.fromEntries(
          indices.map((index) => {
            const facts: IndexOwnershipFacts = {};
            const mark = ownershipMarkOf(mappings[index]?.mappings);
            if (mark) facts.mark = mark;
            const providedName = settings[index]?.settings?.index?.provided_name;
            if (providedName !== undefined) facts.providedName = providedName;
            return [index, facts];
          }),
        );
      } catch (error) {
        throw wrapElasticsearchError(error, context);
      }
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
