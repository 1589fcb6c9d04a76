// @ts-check
// The processes of a node set, found by what they run rather than by the pid files they
// leave: every node's command line names its own folder (path.conf, path.data, the pid file),
// so a scan of /proc finds the nodes of a start that is still under way, whose pids nobody
// has recorded yet. Stopping by folder is what lets a start that failed, timed out or was
// stopped from outside leave no node running.
import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** @param {number} pid */
export function isAlive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The pids of the processes whose command line names a path inside `folder` (Linux /proc;
 * elsewhere nothing is found and the caller's pids are all there is).
 * @param {string} folder
 * @returns {Promise<number[]>}
 */
export async function processesUnder(folder) {
  const prefix = folder.endsWith('/') ? folder : `${folder}/`;
  /** @type {string[]} */
  let entries;
  try {
    entries = await readdir('/proc');
  } catch {
    return [];
  }
  /** @type {number[]} */
  const found = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const commandLine = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (commandLine.split('\0').some((argument) => argument.includes(prefix))) found.push(Number(entry));
  }
  return found;
}

/**
 * Stops the given processes and every process running under `folder`: SIGTERM, then SIGKILL
 * after a grace period. Returns how many were running.
 * @param {string} folder @param {Array<number | undefined>} [knownPids]
 */
export async function stopProcessesUnder(folder, knownPids = []) {
  const pids = [...new Set([...knownPids.filter((pid) => typeof pid === 'number' && isAlive(pid)), ...(await processesUnder(folder))])];
  for (const pid of pids) signal(/** @type {number} */ (pid), 'SIGTERM');
  const deadline = Date.now() + 30_000;
  while (pids.some((pid) => isAlive(/** @type {number} */ (pid))) && Date.now() < deadline) await sleep(200);
  for (const pid of pids.filter((pid) => isAlive(/** @type {number} */ (pid)))) signal(/** @type {number} */ (pid), 'SIGKILL');
  // A start script that was still launching may have forked a node in the meantime.
  const late = await processesUnder(folder);
  for (const pid of late) signal(pid, 'SIGKILL');
  return pids.length + late.length;
}

/** @param {number} pid @param {NodeJS.Signals} name */
function signal(pid, name) {
  try {
    process.kill(pid, name);
  } catch {
    // Gone in the meantime: nothing to stop.
  }
}
