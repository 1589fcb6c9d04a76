import { describe, expect, it } from 'vitest';
import { createProgressReporter, type ProgressEvent } from './progress.js';

describe('createProgressReporter', () => {
  it('stamps the operation and the elapsed time, and shares the clock with children', () => {
    const events: ProgressEvent[] = [];
    const reporter = createProgressReporter('backup', (event) => events.push(event), Date.now() - 1000);
    reporter.emit({ phase: 'files', kind: 'progress', done: 3, total: 10 });
    reporter.child('export').emit({ phase: 'index', kind: 'start', item: 'application' });
    expect(events[0]).toMatchObject({ operation: 'backup', phase: 'files', done: 3, total: 10 });
    expect(events[0]!.elapsedMs).toBeGreaterThanOrEqual(1000);
    expect(events[1]).toMatchObject({ operation: 'export', item: 'application' });
    expect(events[1]!.elapsedMs).toBeGreaterThanOrEqual(1000);
  });

  it('never lets a failing listener break the operation', () => {
    const reporter = createProgressReporter('restore', () => {
      throw new Error('terminal closed');
    });
    expect(() => reporter.emit({ phase: 'snapshot', kind: 'end' })).not.toThrow();
  });
});
