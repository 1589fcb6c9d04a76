// The index writer's operations on many indices at once. Each index operation is a
// cluster-state update that the master applies one after another (~45 ms each on a quiet
// single node, seconds under load): a migration of A4C's 34 indices that blocked, deleted,
// created and cloned them one request at a time spent most of its time waiting for those.
// Here a block, a settings change or a delete of many indices is one request, and creations
// and clones go several at once without waiting for their shards, then wait for all of them in
// one cluster health request. Used by the migration (index-writer.ts) and the import of a
// whole installation (import-index.ts).
import type { IndexDefinition } from '@a4c-admin/core';
import { mapConcurrently } from '@a4c-admin/core/internal';
import type { Client } from '@elastic/elasticsearch';
import { DEFAULT_DIALECT, type ServerDialect } from './dialect/server-dialect.js';
import { flattenSettings } from './flatten-settings.js';
import { wrapElasticsearchError } from './wrap-elasticsearch-error.js';

/** Names a request line holds at most: a whole A4C installation is ~40, a URL stays far below 4 KB. */
const NAMES_PER_REQUEST = 100;
/** Creations (or clones) sent at once: the master batches the ones it finds queued. */
const CREATIONS_IN_FLIGHT = 8;
/** Mapping updates sent at once (small requests the master batches). */
const MAPPING_UPDATES_IN_FLIGHT = 40;
/** Between two looks at the new indices' primaries. */
const STARTED_POLL_MS = 50;
/** How long the new indices' primaries may take to start (a busy node takes seconds). */
const STARTED_TIMEOUT_MS = 120_000;

function groupsOf(indices: readonly string[]): string[][] {
  const groups: string[][] = [];
  for (let start = 0; start < indices.length; start += NAMES_PER_REQUEST) groups.push(indices.slice(start, start + NAMES_PER_REQUEST));
  return groups;
}

function described(indices: readonly string[]): string {
  return indices.length === 1 ? indices[0]! : `${indices.length} indices (${indices.slice(0, 3).join(', ')}${indices.length > 3 ? ', ...' : ''})`;
}

/** Blocks (or unblocks) writes on every index: one request (per hundred names). */
export async function setWriteBlocks(client: Client, indices: readonly string[], blocked: boolean, dialect: ServerDialect = DEFAULT_DIALECT): Promise<void> {
  for (const group of groupsOf(indices)) {
    try {
      // Before 7.9 the block is only a setting; removing it goes through the settings on every version.
      if (blocked && dialect.addBlockApi) await client.indices.addBlock({ index: group.join(','), block: 'write' });
      else await client.indices.putSettings({ index: group, settings: { index: { blocks: { write: blocked } } } });
    } catch (error) {
      throw wrapElasticsearchError(error, `${blocked ? 'blocking' : 'unblocking'} writes on ${described(group)}`);
    }
  }
}

/** The index blocks that stop A4C from reading or writing an index. */
const BLOCKS = ['write', 'read_only', 'read_only_allow_delete', 'read', 'metadata'];

/**
 * Lifts the blocks of every index: one settings read (per hundred names), then one update for
 * each set of blocks found (a restore of an installation whose indices carry none sends no
 * update at all). Returns the blocks lifted, by index, for the indices that had any.
 */
export async function liftAllBlocks(client: Client, indices: readonly string[], dialect: ServerDialect = DEFAULT_DIALECT): Promise<Record<string, string[]>> {
  const lifted: Record<string, string[]> = {};
  for (const group of groupsOf(indices)) {
    try {
      // Flattened here rather than with flat_settings, which 5.x refuses on a settings read by name.
      const answer = (await client.indices.getSettings({ index: group, name: 'index.blocks.*' })) as Record<string, { settings?: Record<string, unknown> }>;
      const bySet = new Map<string, string[]>();
      // By the answer's names: concrete ones, also where an alias was asked.
      for (const [index, found] of Object.entries(answer)) {
        const settings = flattenSettings(found.settings ?? {});
        const set = BLOCKS.filter((block) => String(settings[`index.blocks.${block}`]) === 'true');
        if (set.length === 0) continue;
        lifted[index] = set;
        bySet.set(set.join(','), [...(bySet.get(set.join(',')) ?? []), index]);
      }
      // null resets a setting to its default (no block). Before 5.0, false says the same.
      const value = dialect.nullResetsSetting ? null : false;
      for (const [set, blocked] of bySet)
        await client.indices.putSettings({ index: blocked, settings: Object.fromEntries(set.split(',').map((block) => [`index.blocks.${block}`, value])) });
    } catch (error) {
      throw wrapElasticsearchError(error, `lifting the blocks of ${described(group)}`);
    }
  }
  return lifted;
}

/** Deletes every index in one request (per hundred names); a missing one is no error. */
export async function deleteIndices(client: Client, indices: readonly string[]): Promise<void> {
  for (const group of groupsOf(indices)) {
    try {
      await client.indices.delete({ index: group, ignore_unavailable: true }, { ignore: [404] });
    } catch (error) {
      throw wrapElasticsearchError(error, `deleting ${described(group)}`);
    }
  }
}

/**
 * Waits until the primary shards of every index have started. Health's yellow is not enough:
 * the primary of a new index counts as yellow while unassigned or initializing (measured on
 * 8.19: 20 clones at once, health yellow, 12 of them answering a count with 503
 * no_shard_available; the node starts 2 clones' shards at a time), so the indices' own numbers
 * are read (`level=indices`, every generation has it) until each has all its primaries active.
 */
export async function waitForPrimaries(
  client: Client,
  indices: readonly string[],
  signal?: AbortSignal,
  /** While the indices are being created: which exist yet, when the creations have ended (settled), whom to tell of each start. */
  watch?: { ready: () => readonly string[]; creating: Promise<unknown>; onStarted?: (index: string) => void },
): Promise<void> {
  const deadline = Date.now() + STARTED_TIMEOUT_MS;
  const started = new Set<string>();
  let creationsEnded = watch === undefined;
  void watch?.creating.then(() => {
    creationsEnded = true;
  });
  for (;;) {
    const asked = (watch ? watch.ready() : indices).filter((index) => !started.has(index));
    for (const group of groupsOf(asked)) {
      let answer: { indices?: Record<string, { number_of_shards?: number; active_primary_shards?: number }> };
      try {
        answer = (await client.cluster.health({ index: group, level: 'indices' }, { signal })) as typeof answer;
      } catch (error) {
        throw wrapElasticsearchError(error, `waiting for the shards of ${described(group)}`);
      }
      for (const index of group) {
        const health = answer.indices?.[index];
        if (!health || (health.active_primary_shards ?? 0) < (health.number_of_shards ?? 1)) continue;
        started.add(index);
        watch?.onStarted?.(index);
      }
    }
    if (started.size === indices.length) return;
    // A failed creation: the creator reports it; nothing more will start.
    if (creationsEnded && watch && watch.ready().length < indices.length) return;
    if (Date.now() > deadline) {
      throw wrapElasticsearchError(
        new Error(`their primary shards did not start within ${STARTED_TIMEOUT_MS / 1000} s`),
        `waiting for the shards of ${described(indices.filter((index) => !started.has(index)))}`,
      );
    }
    // While creations are still answering, the next one to look at may be seconds away: a
    // creation answered wakes the loop no sooner than this anyway (the node starts its shard after).
    await Promise.race([new Promise((resolve) => setTimeout(resolve, STARTED_POLL_MS)), ...(creationsEnded || !watch ? [] : [watch.creating])]);
  }
}

/**
 * Creates every index, several at once, each answered once the cluster state holds it (not
 * its shards: `wait_for_active_shards=0`), and returns once all their primaries have started.
 * The primaries are watched while the creations are still going (the node starts new
 * primaries 4 at a time, `node_initial_primaries_recoveries`: the last of 39 starts seconds
 * after the first), and `onStarted` hears of each index as soon as its primaries are active, so
 * that a caller can write into it while the others are still being created.
 */
export async function createIndices(
  client: Client,
  indices: readonly { index: string; definition: IndexDefinition }[],
  dialect: ServerDialect = DEFAULT_DIALECT,
  signal?: AbortSignal,
  onStarted?: (index: string) => void,
): Promise<void> {
  // The parameter exists from 5.0; 1.x answers a creation once the cluster state holds it anyway.
  const noWait = dialect.major >= 5 ? { wait_for_active_shards: 0 } : {};
  const created: string[] = [];
  const creations = mapConcurrently(
    indices,
    CREATIONS_IN_FLIGHT,
    async ({ index, definition }) => {
      try {
        await client.indices.create(
          { index, mappings: definition.mappings as never, settings: definition.settings as never, aliases: definition.aliases as never, ...noWait },
          { signal },
        );
      } catch (error) {
        throw wrapElasticsearchError(error, `creating index ${index}`);
      }
      created.push(index);
    },
    { signal },
  );
  const allCreated = creations.then(
    () => true,
    () => true,
  );
  // Only the indices already created are asked about: a health request naming a missing index waits for it.
  const watching = waitForPrimaries(
    client,
    indices.map(({ index }) => index),
    signal,
    {
      ready: () => created,
      creating: allCreated,
      onStarted,
    },
  );
  // Neither is left running behind the other's failure; the creations' error comes first.
  const [creating, started] = await Promise.allSettled([creations, watching]);
  if (creating.status === 'rejected') throw creating.reason;
  if (started.status === 'rejected') throw started.reason;
}

/** One clone of a write-blocked index: its copy's name, the `_meta` it is born with, its settings (replicas). */
export interface IndexClone {
  source: string;
  target: string;
  meta?: Record<string, unknown>;
  settings?: Record<string, unknown>;
}

/**
 * `_clone` of each pair (7.4+; the sources write-blocked): every source marked first, then the
 * clones several at once, then one wait for all their shards, and each copy asked until it
 * answers a search.
 */
export async function cloneIndices(
  client: Client,
  clones: readonly IndexClone[],
  untilSearchable: (index: string) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  // A mappings change, which the write block allows; set before the clones, so that no copy is
  // ever without it. One request an index (each has its own `_meta`, which an update replaces),
  // all at once: the master applies the mapping updates it finds queued in one cluster-state
  // update (measured: 8 at a time behind the creations took 1-1.5 s a batch).
  await mapConcurrently(
    clones.filter(({ meta }) => meta !== undefined),
    MAPPING_UPDATES_IN_FLIGHT,
    async ({ source, meta }) => {
      try {
        await client.indices.putMapping({ index: source, _meta: meta }, { signal });
      } catch (error) {
        throw wrapElasticsearchError(error, `marking ${source} before cloning it`);
      }
    },
  );
  await mapConcurrently(clones, CREATIONS_IN_FLIGHT, async ({ source, target, settings }) => {
    // The copy would inherit the write block: it is created without it.
    const cloneSettings = { ...flattenSettings(settings ?? {}), 'index.blocks.write': null };
    try {
      await client.indices.clone({ index: source, target, settings: cloneSettings as never, wait_for_active_shards: 0 }, { signal });
    } catch (error) {
      throw wrapElasticsearchError(error, `cloning index ${source} into ${target}`);
    }
  });
  const targets = clones.map(({ target }) => target);
  await waitForPrimaries(client, targets, signal);
  await mapConcurrently(targets, CREATIONS_IN_FLIGHT, untilSearchable);
}
