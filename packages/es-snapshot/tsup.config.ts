import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// The build leaves the tests out; tsconfig.json (typecheck) keeps them.
export default defineConfig(packageBuild({ tsconfig: 'tsconfig.build.json' }));
