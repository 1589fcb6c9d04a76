// A vitest config for scripts/test-projects.sh's own test: three small projects whose files
// pass, fail in a beforeAll hook, or fail to load. Never part of the repository's test run.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = fileURLToPath(new URL('.', import.meta.url));
const project = (name, include) => ({ test: { name, root: here, include } });

export default defineConfig({
  test: {
    projects: [
      project('passing', ['passing.fixture.mjs']),
      project('failing-hook', ['passing.fixture.mjs', 'failing-hook.fixture.mjs']),
      project('failing-load', ['passing.fixture.mjs', 'failing-load.fixture.mjs']),
    ],
  },
});
