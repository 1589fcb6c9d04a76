import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// The Elasticsearch client's helpers load Apache Arrow (~430 files) at start for ES|QL's Arrow
// output, which a4c-admin never asks for: the binary gets a stub that fails if it ever were.
// (Replaced when loaded, not when resolved: tsup's native-module plugin resolves any `*.node`
// import, as `apache-arrow/Arrow.node` looks, before a plugin of ours could.)
const withoutApacheArrow: Plugin = {
  name: 'without-apache-arrow',
  setup(build) {
    build.onLoad({ filter: /[\\/]apache-arrow[\\/]Arrow\.node\.js$/ }, async () => ({
      contents: await readFile(new URL('./src/unused-apache-arrow.cjs', import.meta.url), 'utf8'),
      loader: 'js',
    }));
  },
};

export default defineConfig([
  // The library entry: sibling packages and npm dependencies stay external (one copy of each
  // error class in a caller's process).
  packageBuild({ entry: ['src/index.ts'], clean: false }),
  // The binary: one self-contained file. A start of the CLI otherwise resolves and reads ~1,500
  // module files (0.6 s of CPU on every command, most of a quick command's run); bundled, the
  // process reads one file. Its copies of the libraries are its own: nothing imports from it.
  {
    entry: { bin: 'src/bin.ts' },
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    // No source map: 6 MB more in every install for stack traces the CLI never prints.
    sourcemap: false,
    clean: false,
    dts: false,
    skipNodeModulesBundle: false,
    noExternal: [/.*/],
    // The list of bundled files, for scripts/bundled-licenses.mjs (run after the build).
    metafile: true,
    // The bundled CommonJS dependencies call `require` for Node's built-in modules.
    banner: { js: "import { createRequire as __a4cCreateRequire } from 'node:module';\nconst require = __a4cCreateRequire(import.meta.url);" },
    esbuildPlugins: [withoutApacheArrow],
    esbuildOptions(options) {
      // Their licenses are in dist/THIRD-PARTY-NOTICES.txt (scripts/bundled-licenses.mjs).
      options.legalComments = 'none';
    },
  },
]);
