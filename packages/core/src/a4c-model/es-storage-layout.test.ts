import { describe, expect, it } from 'vitest';
import { type DataVersion, KNOWN_DATA_VERSIONS } from './data-versions.js';
import { ES1_STORAGE_LAYOUT, es1IndexNames, es1LocationOf, storageLayoutOf } from './es-storage-layout.js';
import { a4cIndexNames } from './index-names.js';
import { a4cIndexNamesIn } from './layout-index-names.js';

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

describe('which layout a cluster uses', () => {
  it('is the ES 1.x layout on Elasticsearch 1.x-5.x, one index per type from 6.x (and when the version is unknown)', () => {
    expect(['1.7.6', '2.4.6', '5.6.16', '6.8.23', '7.17.29', '8.19.21', 'unknown', undefined].map(storageLayoutOf)).toEqual([
      'es1',
      'es1',
      'es1',
      'es8',
      'es8',
      'es8',
      'es8',
      'es8',
    ]);
  });

  it('names the ES 1.x indices of a version (with the prefix), and where each ES 8 name lives there', () => {
    const version = KNOWN_DATA_VERSIONS[0]!;
    const names = es1IndexNames(version, 'p-');
    expect(names).toContain('p-toscaelement');
    expect(names).toContain('p-alienaudit');
    expect(names).not.toContain('p-indexednodetype');
    expect(new Set(names).size).toBe(names.length);
    expect(a4cIndexNamesIn('es1', version, 'p-')).toEqual(names);
    expect(a4cIndexNamesIn('es8', version, 'p-')).toEqual(a4cIndexNames(version, 'p-'));
    expect(es1LocationOf('indexednodetype', version)).toEqual({ es1Index: 'toscaelement', es1Type: 'indexednodetype', es8Index: 'indexednodetype' });
    expect(es1LocationOf('nothing', version)).toBeUndefined();
  });
});
