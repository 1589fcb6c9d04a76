// Tells whether Alien4Cloud is running: a restore over a live A4C would be overwritten by
// its caches, so the seed asks operators to stop it first. Any HTTP answer means "running".

export interface LivenessResult {
  running: boolean;
  /** What answered (status) or why nothing did. */
  detail: string;
}

export async function checkA4cRunning(url: string, timeoutMs = 3000): Promise<LivenessResult> {
  try {
    const response = await fetch(url, { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return { running: true, detail: `${url} answered HTTP ${response.status}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { running: false, detail: `${url} does not answer (${cause?.code ?? (error as Error).name})` };
  }
}
