#!/usr/bin/env bash
# The whole check: format and lint (Biome), typecheck, build, the packed packages (publint,
# are-the-types-wrong), unit tests, integration tests against real Elasticsearch nodes
# (started and stopped by vitest's global setup), and the API docs.
set -euo pipefail
cd "$(dirname "$0")/.."
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

pnpm run lint
pnpm run typecheck
pnpm run build
pnpm run check-package

# Each project also writes a JSON report, summed up below as plain "N passed, N failed" lines.
status=0
declare -A codes
for project in unit integration; do
  code=0
  pnpm exec vitest run --project "$project" --reporter=default --reporter=json \
    --outputFile.json="$results/$project.json" || code=$?
  codes[$project]=$code
  [ "$code" -eq 0 ] || status=$code
done
# A suite whose hook or collection failed has no failed test of its own: it counts as one
# failure, and so does a run that failed with no failure in its report (an unhandled error).
for project in unit integration; do
  node -e '
    const [file, project, exitCode] = process.argv.slice(1);
    const report = JSON.parse(require("fs").readFileSync(file, "utf8"));
    const brokenSuites = report.testResults.filter((suite) => suite.status === "failed" && !suite.assertionResults.some((test) => test.status === "failed")).length;
    let failed = report.numFailedTests + brokenSuites;
    if (failed === 0 && exitCode !== "0") failed = 1;
    // The slowest files first, so that the run time stays visible (the default tier aims at 15 minutes).
    const slowest = report.testResults
      .map((suite) => ({ file: require("path").relative(process.cwd(), suite.name), seconds: (suite.endTime - suite.startTime) / 1000 }))
      .sort((a, b) => b.seconds - a.seconds)
      .slice(0, 5)
      .map((suite) => `  ${suite.seconds.toFixed(0).padStart(5)} s  ${suite.file}`);
    console.log(`${project} slowest files:\n${slowest.join("\n")}`);
    console.log(`${project}: ${report.numPassedTests} passed, ${failed} failed, ${report.numPendingTests + report.numTodoTests} skipped`);
  ' "$results/$project.json" "$project" "${codes[$project]}" 2>/dev/null || echo "$project: 0 passed, 1 failed (no report: the run did not finish)"
done
[ "$status" -eq 0 ] || exit "$status"

pnpm run docs
