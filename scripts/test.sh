#!/usr/bin/env bash
# The whole check: format and lint (Biome), typecheck, build, the packed packages (publint,
# are-the-types-wrong), unit tests, integration tests against real Elasticsearch nodes
# (started and stopped by vitest's global setup), and the API docs.
set -euo pipefail
cd "$(dirname "$0")/.."

pnpm run lint
pnpm run typecheck
pnpm run build
pnpm run check-package

# The unit and integration projects, each summed up as a plain "N passed, N failed" line.
bash scripts/test-projects.sh unit integration

pnpm run docs
