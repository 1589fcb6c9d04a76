// The indices a4c-admin keeps for itself in an A4C cluster, beside A4C's own and under the same
// prefix: the data-version marker, and the snapshot metadata on servers that cannot keep it in
// the snapshot. They are no A4C data: a dump of the whole cluster holds them, and a migration of
// A4C's documents leaves them out.

/** `<prefix>a4c-admin-data-version`: the data-version marker (one document, `data-version`). */
export function dataVersionMarkerIndexName(prefix = ''): string {
  return `${prefix}a4c-admin-data-version`;
}

/** `<prefix>a4c-admin-snapshot-metadata`: what a backup records of its snapshot where the server keeps no metadata in it. */
export function snapshotMetadataIndexName(prefix = ''): string {
  return `${prefix}a4c-admin-snapshot-metadata`;
}

/** Every index a4c-admin keeps for itself, with the prefix. */
export function toolOwnIndexNames(prefix = ''): string[] {
  return [dataVersionMarkerIndexName(prefix), snapshotMetadataIndexName(prefix)];
}
