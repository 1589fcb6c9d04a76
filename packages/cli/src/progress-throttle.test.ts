import type { ProgressEvent } from '@a4c-admin/core';
import { describe, expect, it } from 'vitest';
import { createProgressRenderer } from './progress-renderer.js';

const event = (fields: Partial<ProgressEvent>): ProgressEvent => ({ operation: 'push', phase: 'upload', kind: 'progress', elapsedMs: 0, ...fields });

/** The NDJSON renderer on a clock the test moves, and the events it wrote. */
function jsonRenderer() {
  let clock = 0;
  const lines: string[] = [];
  const renderer = createProgressRenderer({
    stream: {
      write: (chunk: string) => {
        lines.push(...chunk.trimEnd().split('\n'));
        return true;
      },
    },
    mode: 'json',
    now: () => clock,
  });
  return {
    renderer,
    advance: (milliseconds: number) => {
      clock += milliseconds;
    },
    events: () => lines.map((line) => JSON.parse(line) as ProgressEvent & { type: string }),
  };
}

describe('--json progress throttling', () => {
  it('writes at most ten counts a second per phase, the last count and the end always', () => {
    const { renderer, advance, events } = jsonRenderer();
    renderer.onProgress(event({ kind: 'start', total: 20_000 }));
    // A push of 20 000 files in 10 s: one count every half millisecond.
    for (let done = 1; done <= 20_000; done += 1) {
      advance(0.5);
      renderer.onProgress(event({ done, total: 20_000 }));
    }
    renderer.onProgress(event({ kind: 'end', done: 20_000, total: 20_000 }));
    renderer.stop();
    const written = events();
    const counts = written.filter((line) => line.kind === 'progress');
    expect(counts.length).toBeGreaterThanOrEqual(50);
    expect(counts.length).toBeLessThanOrEqual(102);
    expect(counts.at(-1)?.done).toBe(20_000);
    expect(written[0]).toMatchObject({ type: 'progress', kind: 'start', total: 20_000 });
    expect(written.at(-1)).toMatchObject({ type: 'progress', kind: 'end', done: 20_000 });
    const dones = counts.map((line) => line.done ?? 0);
    expect(dones).toEqual([...dones].sort((first, second) => first - second));
  });

  it('never drops nor reorders start, end, info and warning events', () => {
    const { renderer, advance, events } = jsonRenderer();
    renderer.onProgress(event({ kind: 'start', total: 3 }));
    renderer.onProgress(event({ done: 1 }));
    renderer.onProgress(event({ done: 2 }));
    renderer.onProgress(event({ kind: 'warning', message: 'an object was sent again' }));
    renderer.onProgress(event({ done: 3 }));
    renderer.onProgress(event({ kind: 'end', done: 3 }));
    advance(1);
    renderer.onProgress(event({ phase: 'manifest', kind: 'start' }));
    renderer.onProgress(event({ phase: 'manifest', kind: 'end' }));
    renderer.stop();
    expect(events().map((line) => `${line.phase} ${line.kind} ${line.done ?? ''}`.trim())).toEqual([
      'upload start',
      'upload progress 1',
      // 2 came within the interval: held back, written before the warning.
      'upload progress 2',
      'upload warning',
      'upload progress 3',
      'upload end 3',
      'manifest start',
      'manifest end',
    ]);
  });

  it('writes the count held back when the command stops without an end (a failure)', () => {
    const { renderer, events } = jsonRenderer();
    renderer.onProgress(event({ done: 1 }));
    renderer.onProgress(event({ done: 2 }));
    expect(events().map((line) => line.done)).toEqual([1]);
    renderer.stop();
    expect(events().map((line) => line.done)).toEqual([1, 2]);
  });

  it('counts each phase on its own clock', () => {
    const { renderer, events } = jsonRenderer();
    renderer.onProgress(event({ operation: 'export', phase: 'export', done: 1 }));
    renderer.onProgress(event({ operation: 'files', phase: 'files', done: 1 }));
    renderer.onProgress(event({ operation: 'export', phase: 'export', done: 2 }));
    expect(events().map((line) => `${line.operation} ${line.done}`)).toEqual(['export 1', 'files 1']);
  });
});
