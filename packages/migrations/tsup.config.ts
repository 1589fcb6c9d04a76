import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// Two entries, one shared chunk: the public surface and ./internal for the sibling packages.
export default defineConfig(packageBuild({ entry: ['src/index.ts', 'src/internal.ts'] }));
