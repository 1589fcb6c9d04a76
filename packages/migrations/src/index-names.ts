// How A4C names map to concrete indices: the name (with the configured prefix) is an alias
// pointing at a versioned index, `<prefix><name>-v<version>`.

/** The name A4C uses (an alias once migrated, a plain index in a 1.1.0 installation). */
export function a4cIndexName(name: string, prefix = ''): string {
  return `${prefix}${name}`;
}

/** The concrete index holding the data of `name` at `version`. */
export function versionedIndexName(name: string, version: string, prefix = ''): string {
  return `${prefix}${name}-v${version}`;
}
