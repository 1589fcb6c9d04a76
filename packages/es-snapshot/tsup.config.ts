import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// The build leaves the tests out; tsconfig.json (typecheck) keeps them.
// Two entries, one shared chunk: the public surface and ./internal for the sibling packages.
export default defineConfig(packageBuild({ entry: ['src/index.ts', 'src/internal.ts'], tsconfig: 'tsconfig.build.json' }));
