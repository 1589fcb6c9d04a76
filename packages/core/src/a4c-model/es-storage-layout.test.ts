import { describe, expect, it } from 'vitest';
import { type DataVersion, KNOWN_DATA_VERSIONS } from './data-versions.js';
import { ES1_STORAGE_LAYOUT } from './es-storage-layout.js';
import { a4cIndexNames } from './index-names.js';

describe('the ES 1.x storage layout', () => {
  it.each(KNOWN_DATA_VERSIONS)('sends the documents of every ES 1.x type of %s to one of its A4C indices, each index once', (version) => {
    const layout = ES1_STORAGE_LAYOUT[version as DataVersion];
    expect(layout.map((row) => row.es8Index).sort()).toEqual(a4cIndexNames(version));
    expect(new Set(layout.map((row) => `${row.es1Index}/${row.es1Type}`)).size).toBe(layout.length);
  });

  it('keeps the ES 1.x index name where two types are called deploymenttopology', () => {
    const rows = ES1_STORAGE_LAYOUT[KNOWN_DATA_VERSIONS[0] as DataVersion].filter((row) => row.es1Type === 'deploymenttopology');
    expect(rows.map((row) => `${row.es1Index}/${row.es1Type} -> ${row.es8Index}`).sort()).toEqual([
      'deployedtopologies/deploymenttopology -> deployedtopologies',
      'deploymenttopology/deploymenttopology -> deploymenttopology',
    ]);
  });
});
