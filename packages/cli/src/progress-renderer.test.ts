import type { ProgressEvent } from '@a4c-admin/core';
import { describe, expect, it } from 'vitest';
import { createProgressRenderer } from './progress-renderer.js';

/** A stream that says it is a terminal and keeps what is written to it. */
function recordingStream(isTTY: boolean) {
  const chunks: string[] = [];
  return {
    chunks,
    text: () => chunks.join(''),
    isTTY,
    columns: 120,
    write(chunk: string) {
      chunks.push(chunk);
      return true;
    },
    // What cli-progress calls on a terminal (readline helpers write escape codes through these).
    cursorTo: () => true,
    moveCursor: () => true,
    clearLine: () => true,
    clearScreenDown: () => true,
  };
}

const event = (fields: Partial<ProgressEvent>): ProgressEvent => ({ operation: 'export', phase: 'documents', kind: 'progress', elapsedMs: 0, ...fields });
const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));
// eslint-disable-next-line no-control-regex
const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');

describe('progress renderer', () => {
  it('draws a bar with an ETA that advances on a terminal', async () => {
    const stream = recordingStream(true);
    const renderer = createProgressRenderer({ stream, mode: 'bars' });
    renderer.onProgress(event({ kind: 'start', total: 1000, done: 0, item: 'topology' }));
    for (const done of [100, 250, 500, 750, 1000]) {
      // The bar redraws at most 10 times a second.
      await sleep(120);
      renderer.onProgress(event({ done, total: 1000, item: 'topology' }));
    }
    renderer.onProgress(event({ kind: 'end', done: 1000, total: 1000 }));
    renderer.stop();
    // Each redraw starts by moving the cursor to column 1.
    const frames = stream
      .text()
      .split('\u001b[1G')
      .map(stripAnsi)
      .filter((line) => line.includes('export documents'));
    const percents = frames.map((line) => Number(/(\d+)%/.exec(line)?.[1]));
    expect(percents.length).toBeGreaterThanOrEqual(3);
    expect(percents).toEqual([...percents].sort((first, second) => first - second));
    expect(percents[0]).toBeLessThan(50);
    expect(percents.at(-1)).toBe(100);
    expect(frames.some((line) => /ETA +\d+s/.test(line))).toBe(true);
    expect(frames.at(-1)).toMatch(/1000\/1000/);
    expect(frames.at(-1)).toMatch(/[█░▓]+/);
  });

  it('counts bytes when the event carries them', async () => {
    const stream = recordingStream(true);
    const renderer = createProgressRenderer({ stream, mode: 'bars' });
    renderer.onProgress(event({ phase: 'files', kind: 'start', bytes: 0, totalBytes: 4 * 1024 * 1024 }));
    await sleep(120);
    renderer.onProgress(event({ phase: 'files', bytes: 2 * 1024 * 1024, totalBytes: 4 * 1024 * 1024 }));
    renderer.stop();
    expect(stripAnsi(stream.text())).toMatch(/2\.0 MiB\/4\.0 MiB/);
  });

  it("advances the phase's bar with a child's counts that carry no totals (the file copy of a backup)", async () => {
    const stream = recordingStream(true);
    const renderer = createProgressRenderer({ stream, mode: 'bars' });
    const backup = (fields: Partial<ProgressEvent>) => event({ operation: 'backup', phase: 'files', ...fields });
    const files = (fields: Partial<ProgressEvent>) => event({ operation: 'files', phase: 'files', ...fields });
    renderer.onProgress(backup({ kind: 'start', total: 10, totalBytes: 1000 }));
    renderer.onProgress(files({ kind: 'start', message: 'copying csar' }));
    for (const done of [3, 6]) {
      await sleep(120);
      renderer.onProgress(files({ done, bytes: done * 100, item: `csar/${done}` }));
    }
    await sleep(120);
    renderer.onProgress(files({ kind: 'end', done: 10, total: 10, bytes: 1000, totalBytes: 1000 }));
    renderer.onProgress(backup({ kind: 'end', done: 10, bytes: 1000 }));
    renderer.stop();
    const frames = stream.text().split('\u001b[1G').map(stripAnsi);
    expect(frames.some((line) => /backup files .* 30% \| 300 B\/1000 B/.test(line))).toBe(true);
    expect(frames.some((line) => /backup files .* 60% \| 600 B\/1000 B/.test(line))).toBe(true);
    expect(frames.filter((line) => line.includes('100%')).every((line) => /backup files .* 100% \| 1000 B\/1000 B \| done/.test(line))).toBe(true);
    // One bar for the phase: the child's label never gets a bar of its own.
    expect(frames.some((line) => line.includes('files files'))).toBe(false);
  });

  it('writes plain, throttled lines when the output is not a terminal', () => {
    const stream = recordingStream(false);
    let clock = 0;
    const renderer = createProgressRenderer({ stream, mode: 'lines', lineIntervalMs: 1000, now: () => clock });
    renderer.onProgress(event({ kind: 'start', total: 100, done: 0, elapsedMs: 0 }));
    for (let done = 1; done <= 100; done += 1) {
      clock += 50;
      renderer.onProgress(event({ done, total: 100, elapsedMs: clock }));
    }
    renderer.onProgress(event({ kind: 'end', done: 100, total: 100, elapsedMs: clock }));
    renderer.onProgress(event({ kind: 'warning', message: 'index csargitrepository is empty', elapsedMs: clock }));
    const lines = stream.text().trimEnd().split('\n');
    // 5 s of progress at one line a second: start + about 5 progress lines + end + warning.
    expect(lines.length).toBeLessThanOrEqual(9);
    expect(lines[0]).toMatch(/export documents started/);
    expect(lines).toContainEqual(expect.stringMatching(/export documents done 100% \(100\/100\)/));
    expect(lines.at(-1)).toMatch(/warning: .*csargitrepository is empty/);
    expect(stream.text()).not.toMatch(/\u001b\[/);
  });

  it('writes one JSON object a line with --json', () => {
    const stream = recordingStream(false);
    const renderer = createProgressRenderer({ stream, mode: 'json' });
    renderer.onProgress(event({ kind: 'start', total: 2 }));
    renderer.onProgress(event({ done: 1, total: 2 }));
    const lines = stream
      .text()
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([
      expect.objectContaining({ type: 'progress', operation: 'export', kind: 'start', total: 2 }),
      expect.objectContaining({ type: 'progress', kind: 'progress', done: 1 }),
    ]);
  });
});
