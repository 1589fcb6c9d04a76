// Renders core's ProgressEvents: bars with ETA on a terminal (cli-progress), plain
// throttled lines elsewhere (CI logs), or one JSON object per line with --json.
import type { ProgressEvent } from '@a4c-admin/core';
import cliProgress from 'cli-progress';
import { createOutputStyle, type OutputStream } from './output-style.js';

export type ProgressMode = 'bars' | 'lines' | 'json';

export interface ProgressRendererOptions {
  stream: OutputStream;
  mode: ProgressMode;
  color?: boolean;
  /** Plain mode: least milliseconds between two progress lines of one phase. */
  lineIntervalMs?: number;
  now?: () => number;
}

export interface ProgressRenderer {
  onProgress(event: ProgressEvent): void;
  /** Stops the bars (leaving them drawn) so that later output starts on a clean line. */
  stop(): void;
}

/** Bars on a terminal, lines elsewhere, NDJSON when asked. */
export function chooseProgressMode(stream: OutputStream, json: boolean): ProgressMode {
  if (json) return 'json';
  return stream.isTTY === true ? 'bars' : 'lines';
}

export function createProgressRenderer(options: ProgressRendererOptions): ProgressRenderer {
  if (options.mode === 'json') {
    return {
      onProgress: (event) => options.stream.write(`${JSON.stringify({ type: 'progress', ...event })}\n`),
      stop: () => {},
    };
  }
  return options.mode === 'bars' ? barRenderer(options) : lineRenderer(options);
}

const key = (event: ProgressEvent) => `${event.operation}/${event.phase}`;

/**
 * Some of core's child reporters (the snapshot, the export) count without totals: the
 * totals came with the parent operation's 'start' of the same phase. Remembering them per
 * phase lets a bar advance (and a plain line say its percentage) during the long steps.
 */
function createTotalsMemory(): (event: ProgressEvent) => ProgressEvent {
  const totals = new Map<string, { total?: number; totalBytes?: number }>();
  return (event) => {
    const known = totals.get(event.phase) ?? {};
    if (event.total !== undefined) known.total = event.total;
    if (event.totalBytes !== undefined) known.totalBytes = event.totalBytes;
    totals.set(event.phase, known);
    const filled = { ...event };
    if (filled.total === undefined && filled.done !== undefined && known.total !== undefined) filled.total = known.total;
    if (filled.totalBytes === undefined && filled.bytes !== undefined && known.totalBytes !== undefined) filled.totalBytes = known.totalBytes;
    return filled;
  };
}
const label = (event: ProgressEvent) => `${event.operation} ${event.phase}`;

/** Bytes when the event counts bytes, items otherwise: the bar's value and total. */
function amounts(event: ProgressEvent): { value: number; total: number; unit: 'bytes' | 'items' } | undefined {
  if (event.totalBytes !== undefined && event.totalBytes > 0) return { value: event.bytes ?? 0, total: event.totalBytes, unit: 'bytes' };
  if (event.total !== undefined && event.total > 0) return { value: event.done ?? 0, total: event.total, unit: 'items' };
  return undefined;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

function barRenderer(options: ProgressRendererOptions): ProgressRenderer {
  const style = createOutputStyle(options.color ?? false);
  const multibar = new cliProgress.MultiBar(
    {
      // cli-progress writes through this stream; the cast is because it expects a full NodeJS.WriteStream.
      stream: options.stream as unknown as NodeJS.WritableStream,
      format: (barOptions, params, payload: { label: string; amount: string; item: string }) => {
        const bar = cliProgress.Format.BarFormat(params.progress, barOptions);
        const percent = Math.floor(params.progress * 100);
        // Before the first step there is no rate yet, hence no ETA.
        const eta =
          params.progress >= 1
            ? 'done'
            : params.value > 0 && Number.isFinite(params.eta)
              ? `ETA ${cliProgress.Format.TimeFormat(params.eta, barOptions, 1)}`
              : 'ETA --';
        return `${payload.label.padEnd(22)} ${bar} ${String(percent).padStart(3)}% | ${payload.amount} | ${eta} ${style.dim(payload.item)}`;
      },
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      etaBuffer: 20,
      fps: 10,
      barsize: 24,
      autopadding: true,
    },
    cliProgress.Presets.shades_classic,
  );
  // One bar per phase: the parent's 'start' and the child reporter's counts draw the same bar.
  const bars = new Map<string, { bar: cliProgress.SingleBar; unit: 'bytes' | 'items' }>();
  const withTotals = createTotalsMemory();
  const payload = (event: ProgressEvent, value: number, total: number, unit: 'bytes' | 'items') => ({
    label: label(event),
    amount: unit === 'bytes' ? `${formatBytes(value)}/${formatBytes(total)}` : `${value}/${total}`,
    item: event.item ?? '',
  });
  return {
    onProgress(original) {
      const event = withTotals(original);
      const id = event.phase;
      const measured = amounts(event);
      if (event.kind === 'info' || event.kind === 'warning') {
        const text = `${event.kind === 'warning' ? style.yellow('warning:') : style.dim('-')} ${event.message ?? label(event)}`;
        multibar.log(`${text}\n`);
        return;
      }
      // An 'end' never draws a new bar: the child's end has already closed the phase's bar.
      if (measured && event.kind !== 'end') {
        let drawn = bars.get(id);
        if (!drawn) {
          drawn = { bar: multibar.create(measured.total, 0, payload(event, 0, measured.total, measured.unit)), unit: measured.unit };
          bars.set(id, drawn);
        }
        drawn.unit = measured.unit;
        drawn.bar.setTotal(measured.total);
        // The first event's label stays ("backup files", not the child's "files files").
        const { label: _label, ...counts } = payload(event, measured.value, measured.total, measured.unit);
        drawn.bar.update(measured.value, counts);
      }
      if (event.kind === 'end') {
        const drawn = bars.get(id);
        if (drawn) {
          const total = drawn.bar.getTotal();
          const { label: _label, ...counts } = payload(event, total, total, drawn.unit);
          drawn.bar.update(total, counts);
          drawn.bar.stop();
          // A later step of the same phase (a migration's second backup) gets a bar of its own.
          bars.delete(id);
        } else {
          multibar.log(`${style.green('✓')} ${label(event)}${event.message ? `: ${event.message}` : ''}\n`);
        }
      }
    },
    stop() {
      multibar.stop();
    },
  };
}

function lineRenderer(options: ProgressRendererOptions): ProgressRenderer {
  const interval = options.lineIntervalMs ?? 2000;
  const now = options.now ?? Date.now;
  const lastLine = new Map<string, number>();
  const write = (event: ProgressEvent, text: string) => options.stream.write(`[${(event.elapsedMs / 1000).toFixed(1).padStart(6)}s] ${text}\n`);
  const withTotals = createTotalsMemory();
  return {
    onProgress(original) {
      const event = withTotals(original);
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
          lastLine.set(key(event), now());
          write(event, `${label(event)} started${item}${message}`);
          return;
        case 'progress': {
          // Logs are read by people: one line every few seconds per phase, not one per document.
          const last = lastLine.get(key(event)) ?? 0;
          if (now() - last < interval) return;
          lastLine.set(key(event), now());
          write(event, `${label(event)}${amount}${item}${message}`);
          return;
        }
        case 'end':
          lastLine.delete(key(event));
          write(event, `${label(event)} done${amount}${item}${message}`);
          return;
        case 'info':
          write(event, `${label(event)}${item}${message}`);
          return;
        case 'warning':
          write(event, `warning: ${label(event)}${item}${message}`);
          return;
      }
    },
    stop: () => {},
  };
}
