#!/usr/bin/env bash
# Runs the given vitest projects one after another and prints, for each, its slowest files
# and one plain "<project>: N passed, N failed, N skipped" line, counted so that the line
# never says less than the run did (scripts/summarize-vitest-report.mjs). Exits with the
# first non-zero vitest status. VITEST_CONFIG names another config (the script's own test).
# Usage: bash scripts/test-projects.sh unit integration
set -euo pipefail
cd "$(dirname "$0")/.."
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
config=()
[ -z "${VITEST_CONFIG:-}" ] || config=(--config "$VITEST_CONFIG")

status=0
declare -A codes
for project in "$@"; do
  code=0
  pnpm exec vitest run "${config[@]}" --project "$project" --reporter=default --reporter=json \
    --outputFile.json="$results/$project.json" || code=$?
  codes[$project]=$code
  [ "$code" -eq 0 ] || [ "$status" -ne 0 ] || status=$code
done
for project in "$@"; do
  node scripts/summarize-vitest-report.mjs "$results/$project.json" "$project" "${codes[$project]}"
done
exit "$status"
