// Progress bars on a terminal: one live bar per running phase, redrawn in place below the
// output; a phase that is over becomes one final line above them and never moves again.
// cli-progress formats the bar and the times; the drawing is terminal-area.ts's.
import type { ProgressEvent } from '@a4c-admin/core';
import cliProgress from 'cli-progress';
import { formatBytes } from './format-bytes.js';
import { createOutputStyle, type OutputStream } from './output-style.js';
import { count } from './plural.js';
import { amounts, createPhaseMemory } from './progress-phases.js';
import { createTerminalArea, visibleLength } from './terminal-area.js';

export interface BarsOptions {
  stream: OutputStream & { rows?: number };
  color?: boolean;
  now?: () => number;
}

interface Phase {
  /** Core's phase name ('files'), and what the bar says ("backup files"). */
  phase: string;
  label: string;
  unit: 'bytes' | 'items';
  value: number;
  total: number;
  item?: string;
  /** An item (an index, a snapshot) has started and not ended yet. */
  open: boolean;
  /** Items ended so far: the export and the migration report one start/end per index. */
  items: number;
  startedAt: number;
  /** The last few (time, value) pairs of the current item: the rate behind the ETA. */
  samples: Array<{ at: number; value: number }>;
}

const REDRAW_MS = 100;
const ETA_SAMPLES = 20;
const BAR = { complete: '█', incomplete: '░', widest: 30, narrowest: 8 };

export function createBarsRenderer(options: BarsOptions): { onProgress(event: ProgressEvent): void; stop(): void } {
  const style = createOutputStyle(options.color ?? false);
  const now = options.now ?? Date.now;
  const area = createTerminalArea(options.stream);
  const memory = createPhaseMemory();
  const live = new Map<string, Phase>();
  // Labels that had a bar: their step is shown, a later bare 'end' of the parent adds nothing.
  const shown = new Set<string>();
  let finished: string[] = [];
  let labelWidth = 0;
  let drawnAt = 0;

  const draw = () => {
    area.draw(
      finished,
      [...live.values()].map((phase) => barLine(phase, false)),
    );
    finished = [];
    drawnAt = now();
  };

  const barLine = (phase: Phase, final: boolean): string => {
    // A step that counts only its items (a dry run's indices) is complete once it is idle.
    const progress = phase.total > 0 ? Math.min(1, phase.value / phase.total) : phase.open ? 0 : 1;
    const percent = `${String(Math.floor(progress * 100)).padStart(3)}%`;
    const amount =
      (final && phase.items > 1) || phase.total === 0
        ? count(phase.items, 'item')
        : phase.unit === 'bytes'
          ? `${formatBytes(phase.value)}/${formatBytes(phase.total)}`
          : `${phase.value}/${phase.total}`;
    const tail = final ? (progress >= 1 ? `done in ${seconds(now() - phase.startedAt)}` : 'stopped') : eta(phase);
    const fixed = labelWidth + 1 + 1 + percent.length + 3 + amount.length + 3 + tail.length;
    const room = area.width() - fixed;
    const barSize = Math.max(BAR.narrowest, Math.min(BAR.widest, room));
    const bar = cliProgress.Format.BarFormat(progress, {
      barsize: barSize,
      barCompleteString: BAR.complete.repeat(barSize),
      barIncompleteString: BAR.incomplete.repeat(barSize),
      barGlue: '',
    });
    const line = `${phase.label.padEnd(labelWidth)} ${bar} ${percent} | ${amount} | ${tail}`;
    const itemRoom = area.width() - visibleLength(line) - 1;
    if (final || !phase.item || itemRoom < 4) return line;
    const item = [...phase.item].length > itemRoom ? `${[...phase.item].slice(0, itemRoom - 1).join('')}…` : phase.item;
    return `${line} ${style.dim(item)}`;
  };

  const eta = (phase: Phase): string => {
    const first = phase.samples[0];
    const last = phase.samples.at(-1);
    if (phase.value >= phase.total) return phase.total === 0 ? '' : 'ETA 0s';
    // Before a second sample there is no rate yet, hence no ETA.
    if (!first || !last || last.value <= first.value || last.at <= first.at) return 'ETA --';
    const rate = (last.value - first.value) / (last.at - first.at);
    return `ETA ${cliProgress.Format.TimeFormat((phase.total - phase.value) / rate / 1000, { autopaddingChar: ' ' }, 1).trim()}`;
  };

  const commit = (phase: Phase) => {
    finished.push(barLine(phase, true));
    live.delete(phase.label);
    memory.forget(phase.phase);
  };

  /** A step never seen before begins: the steps whose items are all over are done. */
  const commitIdle = () => {
    for (const phase of live.values()) if (!phase.open) commit(phase);
  };

  /**
   * The live phase of `label`, made when there is none. `counting` says a step really began (a
   * start or a count): the idle steps are then over. An empty item's end does not say that: the
   * migration copies its targets as they start, and an empty index copied first used to commit
   * the idle bars that were about to resume, so that one step showed as two lines of one label.
   */
  const measuredPhase = (name: string, label: string, measured: NonNullable<ReturnType<typeof amounts>>, counting = true): Phase => {
    let phase = live.get(label);
    if (!phase) {
      if (!shown.has(label) && counting) commitIdle();
      shown.add(label);
      labelWidth = Math.min(26, Math.max(labelWidth, label.length));
      phase = { phase: name, label, unit: measured.unit, value: 0, total: measured.total, open: false, items: 0, startedAt: now(), samples: [] };
      live.set(label, phase);
    }
    return phase;
  };

  return {
    onProgress(original) {
      const event = memory.withTotals(original);
      const label = memory.label(event);
      if (event.kind === 'info' || event.kind === 'warning') {
        finished.push(`${event.kind === 'warning' ? style.yellow('warning:') : style.dim('-')} ${event.message ?? label}`);
        draw();
        return;
      }
      const measured = amounts(event);
      if (event.kind === 'end') {
        let phase = live.get(label);
        // An item that ends before any count (an empty index) still is one of the step's items.
        if (!phase && event.item !== undefined) phase = measuredPhase(event.phase, label, measured ?? { value: 0, total: 0, unit: 'items' }, false);
        if (phase) {
          // The end's counts may be in another unit (a snapshot counts bytes, then ends in shards).
          if (measured && measured.unit === phase.unit) {
            phase.total = measured.total;
            phase.value = measured.value;
          } else phase.value = phase.total;
          if (event.item !== undefined) phase.items += 1;
          phase.open = false;
          // An end that names no item closes the step itself (the parent's end after its child's).
          if (event.item === undefined) commit(phase);
          if (event.message) finished.push(`${style.green('✓')} ${label}: ${event.message}`);
        } else {
          if (!shown.has(label) || event.message) finished.push(`${style.green('✓')} ${label}${event.message ? `: ${event.message}` : ''}`);
          // The step is over even without a bar: a later step of its name is labelled anew.
          if (event.item === undefined) memory.forget(event.phase);
        }
        draw();
        return;
      }
      if (!measured) return;
      const phase = measuredPhase(event.phase, label, measured);
      const newItem = event.kind === 'start' || (event.item !== undefined && event.item !== phase.item);
      if (newItem) phase.samples = [];
      if (event.item !== undefined) phase.item = event.item;
      phase.open = true;
      phase.unit = measured.unit;
      phase.total = measured.total;
      phase.value = measured.value;
      phase.samples.push({ at: now(), value: measured.value });
      if (phase.samples.length > ETA_SAMPLES) phase.samples.shift();
      if (event.kind === 'start' || now() - drawnAt >= REDRAW_MS) draw();
    },
    stop() {
      for (const phase of live.values()) commit(phase);
      draw();
    },
  };
}

function seconds(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(1)}s`;
}
