// Bulk loads go faster without refreshes and replicas: switch both off for the load and
// put the index's own values back afterwards, whatever happens.
import type { Client } from '@elastic/elasticsearch';
import type { ServerDialect } from './dialect/server-dialect.js';
import { flattenSettings } from './flatten-settings.js';
import { wrapElasticsearchError } from './wrap-elasticsearch-error.js';

/**
 * Below this many documents the two settings updates cost more than they save: each is a
 * cluster-state update that the master applies one at a time (about 8 per migrated index
 * made a 34-index A4C migration take a minute on a 3-node cluster).
 */
export const SMALL_LOAD_DOCUMENTS = 20_000;

/** What an unset setting means, for servers before 5.0 that cannot reset one with null. */
const DEFAULTS_BEFORE_5 = { refresh_interval: '1s', number_of_replicas: 1 };

type LoadSettings = { refresh_interval: unknown; number_of_replicas: unknown };

export async function withLoadSettings<T>(client: Client, dialect: ServerDialect, index: string, load: () => Promise<T>): Promise<T> {
  let previous: LoadSettings;
  try {
    const answer = (await client.indices.getSettings({ index, name: ['index.refresh_interval', 'index.number_of_replicas'] })) as Record<
      string,
      { settings?: Record<string, unknown> }
    >;
    previous = ownLoadSettings(Object.values(answer)[0]?.settings ?? {}, dialect);
    await client.indices.putSettings({ index, settings: { index: { refresh_interval: '-1', number_of_replicas: 0 } } });
  } catch (error) {
    throw wrapElasticsearchError(error, `preparing ${index} for a bulk load`);
  }
  return loadThenPutBack(client, index, previous, load);
}

/** The index's own refresh interval and replicas in `settings` (nested or flat), or what puts an unset one back. */
function ownLoadSettings(settings: Record<string, unknown>, dialect: ServerDialect): LoadSettings {
  const flat = withIndexPrefix(flattenSettings(settings));
  // null puts a setting that was never set back to Elasticsearch's default (from 5.0; before, the default itself).
  const unset = (key: keyof typeof DEFAULTS_BEFORE_5) => (dialect.nullResetsSetting ? null : DEFAULTS_BEFORE_5[key]);
  return {
    refresh_interval: flat['index.refresh_interval'] ?? unset('refresh_interval'),
    number_of_replicas: flat['index.number_of_replicas'] ?? unset('number_of_replicas'),
  };
}

/** Flat setting names as `index.*`: Elasticsearch reads `number_of_shards` as `index.number_of_shards`. */
function withIndexPrefix(flat: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(flat).map(([key, value]) => [key.startsWith('index.') ? key : `index.${key}`, value]));
}

/**
 * The settings to create an index with when a large load follows: its own, without refreshes
 * and replicas. Born that way, the index needs no settings read and update before its load
 * (two requests, one a cluster-state update); `loadIntoNewIndex` puts its own values back.
 */
export function settingsForLoad(settings: Record<string, unknown> | undefined): Record<string, unknown> {
  return { ...withIndexPrefix(flattenSettings(settings ?? {})), 'index.refresh_interval': '-1', 'index.number_of_replicas': 0 };
}

/**
 * Runs the load of an index created with `settingsForLoad(settings)`, then puts the refresh
 * interval and replicas of `settings` back and refreshes it, whatever happens.
 */
export function loadIntoNewIndex<T>(
  client: Client,
  dialect: ServerDialect,
  index: string,
  settings: Record<string, unknown> | undefined,
  load: () => Promise<T>,
): Promise<T> {
  return loadThenPutBack(client, index, ownLoadSettings(settings ?? {}, dialect), load);
}

async function loadThenPutBack<T>(client: Client, index: string, previous: LoadSettings, load: () => Promise<T>): Promise<T> {
  let result: T;
  let loadFailed = true;
  try {
    result = await load();
    loadFailed = false;
  } finally {
    try {
      await client.indices.putSettings({ index, settings: { index: previous as never } });
      await client.indices.refresh({ index });
    } catch (error) {
      // An error of the load itself matters more than this one: only throw when the load went well.
      // biome-ignore lint/correctness/noUnsafeFinally: the load's own error, when there is one, is the one to report
      if (!loadFailed) throw wrapElasticsearchError(error, `restoring the settings of ${index} after a bulk load`);
    }
  }
  return result;
}
