#!/usr/bin/env bash
# The whole check: typecheck, build, unit tests, integration tests against real
# Elasticsearch nodes (started and stopped by vitest's global setup), and the API docs.
set -euo pipefail
cd "$(dirname "$0")/.."
pnpm run typecheck
pnpm run build
pnpm exec vitest run --project unit
pnpm exec vitest run --project integration
pnpm run docs
