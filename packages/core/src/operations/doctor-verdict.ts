// Doctor's verdict as an error: what `a4c-admin doctor` exits with when a check failed.
import { A4cAdminError, ERROR_CODES } from '../errors.js';
import type { DoctorResult } from './doctor.js';

/**
 * An error listing every check (and the fix of each failed one) unless all passed. Its code
 * is the failed cluster check's (CLUSTER_UNREACHABLE, TLS_FAILED, ...: exit 4, as for any
 * command that cannot reach the cluster); PRECONDITION_FAILED (exit 5) for any other check.
 */
export function assertDoctorPassed(result: DoctorResult): void {
  if (result.ok) return;
  const clusterFailure = result.checks.find((check) => check.status === 'fail' && check.code !== undefined && ERROR_CODES[check.code] === 'cluster');
  const lines = result.checks.map(
    (check) => `${check.status.padEnd(4)} ${check.name}: ${check.detail}${check.fix && check.status !== 'ok' ? `\n     fix: ${check.fix}` : ''}`,
  );
  throw new A4cAdminError(clusterFailure?.code ?? 'PRECONDITION_FAILED', `doctor found problems:\n${lines.join('\n')}`, {
    hint: 'Fix the failed checks above (each says how), then run `a4c-admin doctor` again.',
    details: { checks: result.checks },
  });
}
