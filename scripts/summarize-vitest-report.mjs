// @ts-check
// One vitest project's JSON report as CI reads it: its five slowest files (the default tier
// aims at 15 minutes, so the time stays visible), then "<project>: N passed, N failed, N
// skipped". A suite whose hook or collection failed has no failed test of its own: it counts
// as one failure; so does a run that exited non-zero with no failure in its report (an
// unhandled error), and a run that left no report at all (killed, out of memory).
// Usage: node scripts/summarize-vitest-report.mjs <report.json> <project> <vitest exit status>
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const [file, project, exitCode] = process.argv.slice(2);
/** @type {any} */
let report;
try {
  report = JSON.parse(readFileSync(/** @type {string} */ (file), 'utf8'));
} catch {
  console.log(`${project}: 0 passed, 1 failed, 0 skipped (no report: the run did not finish)`);
  process.exit(0);
}
/** @type {Array<{ name: string, status: string, startTime: number, endTime: number, assertionResults: Array<{ status: string }> }>} */
const suites = report.testResults;
const brokenSuites = suites.filter((suite) => suite.status === 'failed' && !suite.assertionResults.some((test) => test.status === 'failed')).length;
let failed = report.numFailedTests + brokenSuites;
if (failed === 0 && exitCode !== '0') failed = 1;
const slowest = suites
  .map((suite) => ({ file: relative(process.cwd(), suite.name), seconds: (suite.endTime - suite.startTime) / 1000 }))
  .sort((a, b) => b.seconds - a.seconds)
  .slice(0, 5)
  .map((suite) => `  ${suite.seconds.toFixed(0).padStart(5)} s  ${suite.file}`);
console.log(`${project} slowest files:\n${slowest.join('\n')}`);
console.log(`${project}: ${report.numPassedTests} passed, ${failed} failed, ${report.numPendingTests + report.numTodoTests} skipped`);
