// One vitest run for the whole repo: a `unit` project (no server) and an `integration`
// project whose global setup starts (or reuses) real Elasticsearch nodes.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

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
          // The nodes are shared: files run one after another, two cores are busy enough.
          fileParallelism: false,
          testTimeout: 240_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
