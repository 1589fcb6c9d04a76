#!/usr/bin/env bash
# The whole check: typecheck, build, unit tests, integration tests against real
# Elasticsearch nodes (started and stopped by vitest's global setup), and the API docs.
set -euo pipefail
cd "$(dirname "$0")/.."
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

pnpm run typecheck
pnpm run build

# Each project also writes a JSON report, summed up below as plain "N passed, N failed" lines.
status=0
for project in unit integration; do
  pnpm exec vitest run --project "$project" --reporter=default --reporter=json \
    --outputFile.json="$results/$project.json" || status=$?
done
for project in unit integration; do
  node -e '
    const report = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    console.log(`${process.argv[2]}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests + report.numTodoTests} skipped`);
  ' "$results/$project.json" "$project" 2>/dev/null || echo "$project: no report (the run did not finish)"
done
[ "$status" -eq 0 ] || exit "$status"

pnpm run docs
