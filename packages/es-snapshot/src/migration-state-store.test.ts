// Which clusters a migration in place may write to is decided before any request: the layout
// question is answered from the server's dialect alone.
import type { Client } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import { dialectFor } from './dialect/server-dialect.js';
import { createMigrationStateStore } from './migration-state-store.js';

/** A client no call may reach: storageLayout must answer without the cluster. */
const unreachable = new Proxy({}, { get: () => () => Promise.reject(new Error('no request expected')) }) as unknown as Client;

describe('the storage layout a migration in place works in', () => {
  it("is A4C's ES 1.x layout on 1.x and one index per type from 7.x", async () => {
    expect(await createMigrationStateStore(unreachable, { dialect: dialectFor('1.7.6') }).storageLayout()).toBe('es1');
    expect(await createMigrationStateStore(unreachable, { dialect: dialectFor('7.17.29') }).storageLayout()).toBe('es8');
    expect(await createMigrationStateStore(unreachable, { dialect: dialectFor('8.19.21') }).storageLayout()).toBe('es8');
  });

  it('is refused on 2.x to 6.x, whose mapping forms a4c-admin does not write, with the way across', async () => {
    for (const version of ['2.4.6', '5.6.16', '6.8.23']) {
      const refused = createMigrationStateStore(unreachable, { dialect: dialectFor(version) }).storageLayout();
      await expect(refused).rejects.toMatchObject({
        code: 'MIGRATION_PATH',
        message: expect.stringContaining(version),
        hint: expect.stringContaining('--target'),
      });
    }
  });
});
