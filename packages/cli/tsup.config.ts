import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/bin.ts'],
  format: ['esm'],
  target: 'node20',
  dts: true,
  sourcemap: true,
  clean: true,
  // Sibling packages stay external so that one copy of each error class exists at run time.
  skipNodeModulesBundle: true,
});
