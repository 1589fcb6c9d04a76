// Which concrete indices a name (index, alias or wildcard) stands for, on any server: the
// resolve-index API from 7.9, the `_cat` listings of indices and aliases before (every
// generation has them, closed indices included).
import type { Client } from '@elastic/elasticsearch';
import { DEFAULT_DIALECT, type ServerDialect } from './dialect/server-dialect.js';
import { wrapElasticsearchError } from './wrap-elasticsearch-error.js';

/** A name as the cluster sees it: the concrete indices it stands for, and whether it is an alias. */
export interface ResolvedName {
  indices: string[];
  alias: boolean;
}

/** The indices and aliases of a cluster, as the `_cat` listings give them (servers before 7.9). */
export interface CatListing {
  indices: string[];
  /** Alias -> its indices. */
  aliases: Map<string, string[]>;
}

/** Reads `_cat/indices` and `_cat/aliases` answers (text, one entry a line, columns asked with `h=`). */
export function parseCatListing(indicesText: string, aliasesText: string): CatListing {
  const lines = (text: string) =>
    text
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((columns) => columns[0] !== '');
  const indices = [...new Set(lines(indicesText).map((columns) => columns[0]!))].sort();
  const aliases = new Map<string, string[]>();
  for (const [alias, index] of lines(aliasesText)) {
    if (!alias || !index) continue;
    aliases.set(alias, [...(aliases.get(alias) ?? []), index].sort());
  }
  return { indices, aliases };
}

/** A name or wildcard expression (`*` only, as Elasticsearch's) as a test on names. */
export function nameMatcher(pattern: string): (name: string) => boolean {
  const expression = new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return (name) => expression.test(name);
}

/** What `name` stands for in a `_cat` listing: an alias's indices, the index itself, the indices a wildcard matches. */
export function resolveInListing(listing: CatListing, name: string): ResolvedName {
  const alias = listing.aliases.get(name);
  if (alias) return { indices: alias, alias: true };
  const matches = nameMatcher(name);
  return { indices: listing.indices.filter(matches), alias: false };
}

async function catListing(client: Client): Promise<CatListing> {
  const text = async (path: string, columns: string) =>
    String(await client.transport.request({ method: 'GET', path, querystring: { h: columns } }, { headers: { accept: 'text/plain' } }));
  const [indices, aliases] = await Promise.all([text('/_cat/indices', 'index'), text('/_cat/aliases', 'alias,index')]);
  return parseCatListing(indices, aliases);
}

/** For each name: the concrete indices it stands for now ([] when nothing answers to it). */
export async function resolveNames(
  client: Client,
  names: string[],
  dialect: ServerDialect = DEFAULT_DIALECT,
  context = 'resolving',
): Promise<Record<string, ResolvedName>> {
  const result: Record<string, ResolvedName> = {};
  if (!dialect.resolveIndexApi) {
    let listing: CatListing;
    try {
      listing = await catListing(client);
    } catch (error) {
      throw wrapElasticsearchError(error, `${context} ${names.join(', ')}`);
    }
    for (const name of names) result[name] = resolveInListing(listing, name);
    return result;
  }
  // The names without a wildcard in one request: a name that answers to nothing is skipped
  // (ignore_unavailable), and each is found again in the answer by its exact name.
  const exact = names.filter((name) => !name.includes('*'));
  if (exact.length > 1) {
    const answer = await client.indices
      .resolveIndex({ name: exact.join(','), expand_wildcards: ['open', 'closed'], ignore_unavailable: true })
      .catch(() => undefined);
    if (answer) {
      for (const name of exact) {
        const alias = answer.aliases?.find((entry) => entry.name === name);
        result[name] = alias
          ? { indices: [...alias.indices].sort(), alias: true }
          : { indices: (answer.indices ?? []).some((entry) => entry.name === name) ? [name] : [], alias: false };
      }
    }
  }
  // Wildcards one by one (what a pattern matches is the answer as a whole), and every name again
  // where the batched request failed, so that the error names the one at fault.
  for (const name of names.filter((candidate) => result[candidate] === undefined)) {
    try {
      const answer = await client.indices.resolveIndex({ name, expand_wildcards: ['open', 'closed'] }, { ignore: [404] });
      const alias = answer.aliases?.find((entry) => entry.name === name);
      result[name] = alias
        ? { indices: [...alias.indices].sort(), alias: true }
        : { indices: (answer.indices ?? []).map((entry) => entry.name).sort(), alias: false };
    } catch (error) {
      throw wrapElasticsearchError(error, `${context} ${name}`);
    }
  }
  return result;
}
