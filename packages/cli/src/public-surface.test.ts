// The values `a4c-admin` exports are deliberate: the ready-wired API and what a caller of it
// needs beside it (the error, its codes, the config loaders, the data versions). A name enters
// or leaves only with a change to this list and a changeset; the CLI's own modules never do.
import { describe, expect, it } from 'vitest';
import * as a4cAdmin from './index.js';

const PUBLIC_VALUES = [
  // the ready-wired API
  'backup',
  'restore',
  'verify',
  'list',
  'remove',
  'prune',
  'doctor',
  'migrate',
  'migrateDryRun',
  'migrateExport',
  'rollback',
  'finalize',
  'pluginsVerify',
  'pluginsSwap',
  'push',
  'pull',
  'listRemote',
  'verifyRemote',
  'restoreRemote',
  'removeRemote',
  'pruneRemote',
  // its config
  'loadConfig',
  'resolveConfig',
  // its error
  'A4cAdminError',
  'ERROR_CODES',
  'errorCategory',
  'isA4cAdminError',
  // the data versions it knows
  'KNOWN_DATA_VERSIONS',
  'LATEST_DATA_VERSION',
];

describe('the public surface of a4c-admin', () => {
  it('exports exactly the listed values', () => {
    expect(Object.keys(a4cAdmin).sort()).toEqual([...PUBLIC_VALUES].sort());
  });
});
