// One slice of a sliced read of an index: several streams over its shards read it faster than
// one (the node fetches for each in parallel). A sliced point in time on 8.x (the slices share
// the caller's point in time), a sliced scroll on 5.x-7.x.
import type { Client } from '@elastic/elasticsearch';
import type { ReadSlice, ServerDialect } from './dialect/server-dialect.js';
import { pointInTimePages } from './point-in-time-pages.js';
import type { RawSearchPage } from './raw-search-page.js';
import { scrollPages } from './scroll-pages.js';

export interface SlicePagesOptions {
  pageSize: number;
  keepAlive: string;
  signal?: AbortSignal;
  /** About this many bytes a page, on point-in-time servers (point-in-time-pages.ts). */
  pageBytes?: number;
}

/** The pages of one slice; the first carries the slice's total. `pitId` is required on point-in-time servers. */
export function slicePages(
  client: Client,
  index: string,
  options: SlicePagesOptions,
  dialect: ServerDialect,
  slice: ReadSlice,
  pitId: string | undefined,
): AsyncGenerator<RawSearchPage> {
  if (dialect.paging === 'point-in-time') {
    if (pitId === undefined) throw new Error('A sliced point-in-time read needs the point in time its slices share.');
    return pointInTimePages(client, index, { ...options, slice: { ...slice, pitId } });
  }
  return scrollPages(client, dialect, index, { ...options, slice });
}
