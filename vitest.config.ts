// One vitest run for the whole repo: a `unit` project (no server) and an `integration`
// project whose global setup starts (or reuses) real Elasticsearch nodes.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { testWorkers } from './tools/elasticsearch/test-workers.mjs';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Tests import sibling packages by name; point those names at the sources so that tests
// never run against a stale build.
const alias = [
  { find: /^@a4c-admin\/core$/, replacement: source('./packages/core/src/index.ts') },
  { find: /^@a4c-admin\/core\/internal$/, replacement: source('./packages/core/src/internal.ts') },
  { find: /^@a4c-admin\/es-snapshot$/, replacement: source('./packages/es-snapshot/src/index.ts') },
  { find: /^@a4c-admin\/es-snapshot\/internal$/, replacement: source('./packages/es-snapshot/src/internal.ts') },
  { find: /^@a4c-admin\/migrations$/, replacement: source('./packages/migrations/src/index.ts') },
  { find: /^@a4c-admin\/migrations\/internal$/, replacement: source('./packages/migrations/src/internal.ts') },
  { find: /^@a4c-admin\/sample-data$/, replacement: source('./tools/sample-data/src/index.ts') },
];

export default defineConfig({
  test: {
    // Files run two at a time (vitest's default here would be one: cores - 1). In the
    // integration project each worker has its own nodes (tools/elasticsearch/test-workers.mjs).
    maxWorkers: testWorkers(),
    minWorkers: 1,
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'tools/**/*.test.{ts,mjs}'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**', '**/dist/**'],
          testTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['packages/*/src/**/*.int.test.ts', 'tools/**/*.int.test.{ts,mjs}'],
          exclude: ['**/node_modules/**', '**/dist/**'],
          globalSetup: ['./tools/elasticsearch/vitest-setup.mjs'],
          testTimeout: 240_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
