#!/usr/bin/env bash
# Brings the whole tree to the house style once (Biome: biome.jsonc), then says what is left
# for a person: the formatter's output, the safe lint fixes and sorted imports are written;
# the diagnostics Biome cannot fix safely are only listed. Run it on a clean work tree and
# commit the result on its own, so that `git blame --ignore-rev` can skip it.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  echo "format-all: the work tree has changes; commit or stash them first" >&2
  exit 1
fi
pnpm run format
# Safe fixes only (import type, unused imports, optional chains, sorted imports); --unsafe is
# never passed: those changes are for a person to make and review.
pnpm exec biome check --write . || true
git diff --shortstat
echo "format-all: what is left (fix by hand, then \`pnpm run lint\` must pass):"
pnpm exec biome check --max-diagnostics=none . || exit 1
