#!/usr/bin/env node
// The package's bin entry. It is a committed file, not the build output, so that it exists
// when pnpm links the workspace (setup installs before it builds): the link is then made
// without the "Failed to create bin" warning, and `pnpm a4c-admin`, `pnpm exec a4c-admin`
// and `npx a4c-admin` work in a clone as soon as `pnpm run build` has run. Published, it is
// the same file beside the built dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write(`a4c-admin is not built yet: ${fileURLToPath(built)} is missing. In a clone, run \`pnpm run build\` first.\n`);
  // The internal status of docs/exit-codes.md: this is a broken installation, not a failed operation.
  process.exit(1);
}
await import(built.href);
