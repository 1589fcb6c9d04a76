// Small helpers several test files share.
import { execFileSync } from 'node:child_process';

/** The error `promise` rejects with; throws (failing the test) when it resolves instead. */
export async function rejectionOf<E = Error>(promise: Promise<unknown>): Promise<E> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: E) => error,
  );
}

/** True when `command --version` runs here (e.g. util-linux `script` for pseudo-terminal tests). */
export function commandExists(command: string): boolean {
  try {
    execFileSync(command, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
