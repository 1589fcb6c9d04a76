// The part of a terminal that progress bars own: finished lines are written once above
// it and scroll away with the rest of the output; the live lines below are redrawn in
// place. Each redraw goes back to the first live line and clears to the end of the screen
// before writing, so no frame can leave a stale line or draw over another line's text.
import type { OutputStream } from './output-style.js';

export interface TerminalArea {
  /** Writes `finished` above the live lines (once, free to wrap), then redraws `live`. */
  draw(finished: readonly string[], live: readonly string[]): void;
  /** The usable width of one live line: a live line that wraps would break the redraw. */
  width(): number;
}

// Built from a string: the linters refuse a control character in a regular expression literal.
const ESCAPE_PATTERN = '\\u001b\\[[0-9;?]*[A-Za-z]';
const ESCAPE = new RegExp(ESCAPE_PATTERN, 'g');
const ESCAPE_SPLIT = new RegExp(`(${ESCAPE_PATTERN})`);

/** The columns a line takes on screen (escape sequences take none; the bar glyphs take one each). */
export function visibleLength(text: string): number {
  return [...text.replace(ESCAPE, '')].length;
}

export function createTerminalArea(stream: OutputStream & { rows?: number }): TerminalArea {
  let liveRows = 0;
  // One column short of the width: a line that fills the last column leaves the cursor in the
  // "pending wrap" state, which terminals resolve differently.
  const width = () => Math.max(20, (stream.columns ?? 80) - 1);
  return {
    width,
    draw(finished, live) {
      if (finished.length === 0 && live.length === 0 && liveRows === 0) return;
      // Never more live lines than the screen holds: the cursor cannot move above the top row.
      const room = Math.max(1, (stream.rows ?? 24) - 2);
      const shown = live.length > room ? [...live.slice(0, room - 1), `… ${live.length - room + 1} more running`] : live;
      const up = liveRows > 0 ? `\u001b[${liveRows}A` : '';
      const lines = [...finished, ...shown.map((line) => cut(line, width()))];
      stream.write(`${up}\r\u001b[J${lines.map((line) => `${line}\n`).join('')}`);
      liveRows = shown.length;
    },
  };
}

/** Cuts a line to `columns` visible characters, keeping escape sequences (and closing any open style). */
function cut(line: string, columns: number): string {
  if (visibleLength(line) <= columns) return line;
  let visible = 0;
  let out = '';
  for (const part of line.split(ESCAPE_SPLIT)) {
    if (part.startsWith('\u001b[')) {
      out += part;
      continue;
    }
    const characters = [...part];
    const fits = characters.slice(0, Math.max(0, columns - visible));
    out += fits.join('');
    visible += fits.length;
  }
  return `${out}\u001b[0m`;
}
