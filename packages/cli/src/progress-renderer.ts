// Renders core's ProgressEvents: bars with ETA on a terminal (progress-bars.ts), plain
// throttled lines elsewhere (CI logs), or one JSON object per line with --json (at most ten
// counts a second per phase: progress-throttle.ts).
import type { ProgressEvent } from '@a4c-admin/core';
import { formatBytes } from './format-bytes.js';
import type { OutputStream } from './output-style.js';
import { createBarsRenderer } from './progress-bars.js';
import { amounts, createPhaseMemory } from './progress-phases.js';
import { throttleProgress } from './progress-throttle.js';

export type ProgressMode = 'bars' | 'lines' | 'json';

export interface ProgressRendererOptions {
  stream: OutputStream & { rows?: number };
  mode: ProgressMode;
  color?: boolean;
  /** Plain mode: least milliseconds between two progress lines of one phase. */
  lineIntervalMs?: number;
  /** JSON mode: least milliseconds between two `progress` events of one phase (the last one is always written). */
  jsonIntervalMs?: number;
  now?: () => number;
}

export interface ProgressRenderer {
  onProgress(event: ProgressEvent): void;
  /** Ends the bars (each left drawn as its final line) so that later output starts on a clean line. */
  stop(): void;
}

/** Bars on a terminal, lines elsewhere, NDJSON when asked. */
export function chooseProgressMode(stream: OutputStream, json: boolean): ProgressMode {
  if (json) return 'json';
  return stream.isTTY === true ? 'bars' : 'lines';
}

export function createProgressRenderer(options: ProgressRendererOptions): ProgressRenderer {
  if (options.mode === 'json') {
    const throttle = throttleProgress((event) => options.stream.write(`${JSON.stringify({ type: 'progress', ...event })}\n`), {
      intervalMs: options.jsonIntervalMs ?? 100,
      ...(options.now ? { now: options.now } : {}),
    });
    return { onProgress: throttle.onProgress, stop: throttle.flush };
  }
  return options.mode === 'bars' ? createBarsRenderer(options) : lineRenderer(options);
}

function lineRenderer(options: ProgressRendererOptions): ProgressRenderer {
  const interval = options.lineIntervalMs ?? 2000;
  const now = options.now ?? Date.now;
  const lastLine = new Map<string, number>();
  const write = (event: ProgressEvent, text: string) => options.stream.write(`[${(event.elapsedMs / 1000).toFixed(1).padStart(6)}s] ${text}\n`);
  const memory = createPhaseMemory();
  return {
    onProgress(original) {
      const event = memory.withTotals(original);
      const label = memory.label(event);
      const measured = amounts(event);
      const amount = measured
        ? ` ${Math.floor((measured.value / measured.total) * 100)}% (${
            measured.unit === 'bytes' ? `${formatBytes(measured.value)}/${formatBytes(measured.total)}` : `${measured.value}/${measured.total}`
          })`
        : '';
      const item = event.item ? ` ${event.item}` : '';
      const message = event.message ? `: ${event.message}` : '';
      switch (event.kind) {
        case 'start':
          lastLine.set(label, now());
          write(event, `${label} started${item}${message}`);
          return;
        case 'progress': {
          // Logs are read by people: one line every few seconds per phase, not one per document.
          const last = lastLine.get(label) ?? 0;
          if (now() - last < interval) return;
          lastLine.set(label, now());
          write(event, `${label}${amount}${item}${message}`);
          return;
        }
        case 'end':
          lastLine.delete(label);
          if (event.item === undefined) memory.forget(event.phase);
          write(event, `${label} done${amount}${item}${message}`);
          return;
        case 'info':
          write(event, `${label}${item}${message}`);
          return;
        case 'warning':
          write(event, `warning: ${label}${item}${message}`);
          return;
      }
    },
    stop: () => {},
  };
}
