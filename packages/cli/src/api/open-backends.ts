// One operation's backends: es-snapshot builds core's ports from the config (openBackends),
// core checks the cluster's identity (assertExpectedCluster); this only scopes the client.
import { type A4cAdminConfig, assertExpectedCluster } from '@a4c-admin/core';
import { type OpenBackends, openBackends } from '@a4c-admin/es-snapshot';

/**
 * Runs `work` with fresh backends (bound to `signal`, see es-snapshot's openBackends) and
 * always closes the client. The cluster's identity is checked before `work` reads or changes
 * anything, so that every command and every library call meets the same check (doctor
 * reports it as one of its checks instead).
 */
export async function withBackends<T>(
  config: A4cAdminConfig,
  work: (opened: OpenBackends) => Promise<T>,
  { checkIdentity = true, signal }: { checkIdentity?: boolean; signal?: AbortSignal } = {},
): Promise<T> {
  const opened = await openBackends(config, { signal });
  try {
    if (checkIdentity) await assertExpectedCluster(config, opened.backends.cluster);
    return await work(opened);
  } finally {
    await opened.close();
  }
}
