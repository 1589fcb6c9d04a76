// The build every package shares; each package's tsup.config.ts adds only what differs.
import type { Options } from 'tsup';

export function packageBuild(overrides: Options = {}): Options {
  return {
    entry: ['src/index.ts'],
    format: ['esm'],
    target: 'node20',
    dts: true,
    sourcemap: true,
    clean: true,
    // Sibling packages stay external so that one copy of each error class exists at run time.
    skipNodeModulesBundle: true,
    ...overrides,
  };
}
