// The names a cluster's A4C indices have in its own layout: what backup snapshots or exports
// and what restore accepts. The ES 8 names on 6.x and later, the ES 1.x indices on 1.x-5.x.
import { type A4cStorageLayout, allEs1IndexNames, es1IndexNames } from './es-storage-layout.js';
import { a4cIndexNames, allA4cIndexNames } from './index-names.js';

/** The A4C indices of a data version in `layout`, with the configured prefix. */
export function a4cIndexNamesIn(layout: A4cStorageLayout, version: string, prefix = ''): string[] {
  return layout === 'es1' ? es1IndexNames(version, prefix) : a4cIndexNames(version, prefix);
}

/** Every A4C index name of any known data version in `layout`, with the prefix (each once). */
export function allA4cIndexNamesIn(layout: A4cStorageLayout, prefix = ''): string[] {
  return layout === 'es1' ? allEs1IndexNames(prefix) : allA4cIndexNames(prefix);
}
