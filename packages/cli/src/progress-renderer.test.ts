import type { ProgressEvent } from '@a4c-admin/core';
import { describe, expect, it } from 'vitest';
import { createProgressRenderer } from './progress-renderer.js';
import { barLabels, replayOnTerminal, unfinishedBars } from './terminal-screen.test-support.js';

/** A stream that says it is a terminal and keeps what is written to it. */
function recordingStream(isTTY: boolean) {
  const chunks: string[] = [];
  return {
    chunks,
    text: () => chunks.join(''),
    isTTY,
    columns: 120,
    rows: 30,
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
    // Each redraw starts by going back to the first live line and clearing below it.
    const frames = stream
      .text()
      .split('\r\u001b[J')
      .map(stripAnsi)
      .filter((line) => line.includes('export documents'));
    const percents = frames.map((line) => Number(/(\d+)%/.exec(line)?.[1]));
    expect(percents.length).toBeGreaterThanOrEqual(3);
    expect(percents).toEqual([...percents].sort((first, second) => first - second));
    expect(percents[0]).toBeLessThan(50);
    expect(percents.at(-1)).toBe(100);
    expect(frames.some((line) => /ETA +\d+s/.test(line))).toBe(true);
    expect(frames.at(-1)).toMatch(/1000\/1000 \| done in \d+\.\ds/);
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
    const frames = stream.text().split('\r\u001b[J').map(stripAnsi);
    expect(frames.some((line) => /backup files .* 30% \| 300 B\/1000 B/.test(line))).toBe(true);
    expect(frames.some((line) => /backup files .* 60% \| 600 B\/1000 B/.test(line))).toBe(true);
    expect(frames.filter((line) => line.includes('100%')).every((line) => /backup files .* 100% \| 1000 B\/1000 B \| done/.test(line))).toBe(true);
    // One bar for the phase: the child's label never gets a bar of its own.
    expect(frames.some((line) => line.includes('files files'))).toBe(false);
  });

  it('keeps one line per step on a narrow terminal: items of a step share its bar, finished steps stay put, notes never overprint', async () => {
    const stream = { ...recordingStream(true), columns: 80 };
    const renderer = createProgressRenderer({ stream, mode: 'bars' });
    const at = (operation: string, phase: string, fields: Partial<ProgressEvent>) => renderer.onProgress(event({ operation, phase, ...fields }));
    at('backup', 'preflight', { kind: 'start' });
    at('backup', 'preflight', { kind: 'info', message: `repository verified on 1 node, a note long enough to wrap ${'x'.repeat(90)}` });
    at('backup', 'preflight', { kind: 'end', message: 'data folder: 36 files' });
    // The export reports one start/end per index, the child repeating its phase's name.
    for (let index = 0; index < 34; index += 1) {
      at('export', 'export', { kind: 'start', item: `index-with-a-rather-long-name-${index}` });
      at('export', 'export', { done: 1, total: 2, item: `index-with-a-rather-long-name-${index}` });
      if (index % 10 === 0) at('export', 'export', { kind: 'info', message: `note ${index}` });
      at('export', 'export', { kind: 'end', done: 2, total: 2, item: `index-with-a-rather-long-name-${index}` });
    }
    at('backup', 'files', { kind: 'start', total: 10, totalBytes: 1000 });
    at('files', 'files', { done: 5, bytes: 500 });
    at('files', 'files', { kind: 'end', done: 10, bytes: 1000, item: 'csar' });
    at('backup', 'files', { kind: 'end' });
    renderer.stop();
    const screen = await replayOnTerminal(stream.text(), 80);
    const text = screen.rows.join('\n');
    expect(screen.problems, text).toEqual([]);
    expect(barLabels(screen.rows), text).toEqual(['export', 'backup files']);
    expect(unfinishedBars(screen.rows), text).toEqual([]);
    expect(text).toMatch(/^export +█+ 100% \| 34 items \| done in/m);
    expect(text).toMatch(/✓ backup preflight: data folder: 36 files/);
    expect(text.match(/note \d+/g)).toEqual(['note 0', 'note 10', 'note 20', 'note 30']);
  });

  it('keeps one bar per step when the first item of two interleaved steps is empty (a migration copying its targets as they start)', async () => {
    const stream = { ...recordingStream(true), columns: 80 };
    const renderer = createProgressRenderer({ stream, mode: 'bars' });
    const at = (operation: string, phase: string, fields: Partial<ProgressEvent>) => renderer.onProgress(event({ operation, phase, ...fields }));
    at('migrate', 'adopt', { kind: 'start', total: 3 });
    at('migrate', 'adopt', { kind: 'end', done: 3, total: 3 });
    // An empty source copied first: its index and its write end without a count.
    at('migrate', 'index', { kind: 'start', item: 'empty', total: 0 });
    at('migrate-write', 'write', { kind: 'start', item: 'empty-v1.2.0', total: 0 });
    at('migrate-write', 'write', { kind: 'end', item: 'empty-v1.2.0', done: 0, total: 0 });
    at('migrate', 'index', { kind: 'end', item: 'empty', done: 0, total: 0 });
    at('migrate', 'index', { kind: 'info', message: 'new-v1.2.0 created empty' });
    for (const name of ['small', 'large']) {
      at('migrate', 'index', { kind: 'start', item: name, total: 4 });
      at('migrate-write', 'write', { kind: 'start', item: `${name}-v1.2.0`, total: 4 });
      at('migrate-write', 'write', { kind: 'end', item: `${name}-v1.2.0`, done: 4, total: 4 });
      at('migrate', 'index', { kind: 'end', item: name, done: 4, total: 4 });
    }
    at('migrate', 'swap', { kind: 'start', total: 6 });
    at('migrate', 'swap', { kind: 'end', done: 6, total: 6 });
    renderer.stop();
    const screen = await replayOnTerminal(stream.text(), 80);
    const text = screen.rows.join('\n');
    expect(screen.problems, text).toEqual([]);
    expect(barLabels(screen.rows), text).toEqual(['migrate adopt', 'migrate write', 'migrate index', 'migrate swap']);
    expect(unfinishedBars(screen.rows), text).toEqual([]);
    expect(text).toMatch(/^migrate write +█+ 100% \| 3 items \| done in/m);
  });

  it('writes nothing on a terminal when no step was measured', () => {
    const stream = recordingStream(true);
    const renderer = createProgressRenderer({ stream, mode: 'bars' });
    renderer.onProgress(event({ operation: 'doctor', phase: 'cluster', kind: 'start' }));
    renderer.stop();
    expect(stream.text()).toBe('');
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
