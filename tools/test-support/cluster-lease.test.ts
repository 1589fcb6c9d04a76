// The cluster lease keeps two test files off the shared 3-node cluster at the same time:
// a live holder makes the next one wait, a dead holder's lease is taken over.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { holdClusterLease, releaseClusterLease } from './cluster-lease.js';

// A port no real cluster uses, so that the test never touches a running suite's lease.
const URL_OF_TEST = 'http://127.0.0.1:1';
const LEASE = join(tmpdir(), 'a4c-admin-test-cluster-1.lease');

/** Starts `sleep <seconds>` as an orphan (its shell exits at once) and returns its pid. */
function orphanSleeping(seconds: number): number {
  return Number(execFileSync('sh', ['-c', `sleep ${seconds} >/dev/null 2>&1 & echo $!`], { encoding: 'utf8' }).trim());
}

describe('the test cluster lease', () => {
  afterEach(() => {
    releaseClusterLease(URL_OF_TEST);
    rmSync(LEASE, { force: true });
  });

  it('waits while another live process holds it, then takes it with its own pid', () => {
    writeFileSync(LEASE, String(orphanSleeping(1.5)));
    const started = Date.now();
    holdClusterLease(URL_OF_TEST);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(readFileSync(LEASE, 'utf8')).toBe(String(process.pid));
    releaseClusterLease(URL_OF_TEST);
    expect(existsSync(LEASE), 'given back').toBe(false);
  });

  it('takes over a lease whose holder died without giving it back', () => {
    const dead = orphanSleeping(0);
    execFileSync('sleep', ['0.3']);
    writeFileSync(LEASE, String(dead));
    holdClusterLease(URL_OF_TEST);
    expect(existsSync(LEASE)).toBe(true);
    expect(readFileSync(LEASE, 'utf8')).toBe(String(process.pid));
  });
});
