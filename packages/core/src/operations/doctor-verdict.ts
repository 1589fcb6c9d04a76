// Doctor's verdict as an error: what `a4c-admin doctor` exits with when a check failed.
import { A4cAdminError } from '../errors.js';
import type { DoctorResult } from './doctor.js';

/** PRECONDITION_FAILED listing every check (and the fix of each failed one) unless all passed. */
export function assertDoctorPassed(result: DoctorResult): void {
  if (result.ok) return;
  const lines = result.checks.map(
    (check) => `${check.status.padEnd(4)} ${check.name}: ${check.detail}${check.fix && check.status !== 'ok' ? `\n     fix: ${check.fix}` : ''}`,
  );
  throw new A4cAdminError('PRECONDITION_FAILED', `doctor found problems:\n${lines.join('\n')}`, {
    hint: 'Fix the failed checks above (each says how), then run `a4c-admin doctor` again.',
    details: { checks: result.checks },
  });
}
