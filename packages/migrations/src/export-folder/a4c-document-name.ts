// The A4C name (ES 8 layout, no prefix) of an exported document. An export of an ES 8 cluster
// names it by its index; an export of A4C's own ES 1.x cluster (elasticdump, or a4c-admin's
// export of a multi-type cluster) names the ES 1.x index and the mapping type, e.g.
// `toscaelement` + `indexednodetype`: core's ES1_STORAGE_LAYOUT says which ES 8 index that is.
import { baseIndexName, ES1_STORAGE_LAYOUT, isKnownDataVersion } from '@a4c-admin/core';
import { withoutVersionSuffix } from '@a4c-admin/core/internal';

export type A4cNameOf = (line: { index: string | undefined; type: string | undefined; fileStem: string }) => string;

/** Names documents of an export of `version`, made with index prefix `prefix`. */
export function a4cNameResolver(version: string, prefix: string): A4cNameOf {
  const es8IndexOf = new Map<string, string>();
  if (isKnownDataVersion(version)) {
    for (const row of ES1_STORAGE_LAYOUT[version]) es8IndexOf.set(typeKey(row.es1Index, row.es1Type), row.es8Index);
  }
  return ({ index, type, fileStem }) => {
    const name = withoutVersionSuffix(baseIndexName(index ?? fileStem, prefix), version);
    // ES 7+ exports say `_doc` (or nothing): only a pair of the ES 1.x layout is renamed.
    return (type !== undefined && es8IndexOf.get(typeKey(name, type))) || name;
  };
}

function typeKey(index: string, type: string): string {
  return `${index}\u0000${type}`;
}
