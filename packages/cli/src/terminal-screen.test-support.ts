// What a person sees of the CLI's terminal output: the byte stream played into a real
// terminal emulator (@xterm/headless), then read row by row, scrollback included. The
// stream is also played in steps, each ending just before the cursor moves up (a redraw
// begins): the screen between two redraws is what stays visible, and must be clean too.
import xterm from '@xterm/headless';

export interface Replay {
  /** Every row, scrollback first, trailing spaces removed. */
  rows: string[];
  /** Problems seen on the screen between two redraws, at any moment of the run. */
  problems: string[];
}

// A bar: a run of the bar's glyphs with a percentage after it.
const BAR_ROW = /[█░]{3,}/;
const WELL_FORMED_BAR = /^(\S+(?: \S+)*) +[█░]+ +\d{1,3}% \| [^|]+ \| (?:ETA \S+|done in \d+\.\ds|stopped)?(?: .*)?$/;
// The cursor moving up: where a redraw starts (`ESC [ n A` or `ESC [ n F`).
const CURSOR_UP = /(?=\u001b\[\d*[AF])/;

export async function replayOnTerminal(output: string, columns: number, lines = 30): Promise<Replay> {
  // convertEol: a pseudo-terminal turns "\n" into "\r\n" (the tty's onlcr); a recorded stream needs the same.
  const terminal = new xterm.Terminal({ cols: columns, rows: lines, scrollback: 5000, allowProposedApi: true, convertEol: true });
  const write = (data: string) => new Promise<void>((resolve) => terminal.write(data, resolve));
  const read = () => {
    const buffer = terminal.buffer.active;
    return Array.from({ length: buffer.length }, (_, row) => buffer.getLine(row)?.translateToString(true) ?? '');
  };
  const problems = new Set<string>();
  for (const step of output.split(CURSOR_UP)) {
    await write(step);
    for (const problem of screenProblems(read())) problems.add(problem);
  }
  const rows = read();
  while (rows.length > 0 && rows.at(-1) === '') rows.pop();
  terminal.dispose();
  return { rows, problems: [...problems] };
}

/** Bars drawn over each other or over other text: a bar row must be one whole bar and nothing else. */
export function screenProblems(rows: readonly string[]): string[] {
  return rows.filter((row) => BAR_ROW.test(row) && !WELL_FORMED_BAR.test(row)).map((row) => `overprinted: ${row}`);
}

/** The label of each bar row ("backup files"). */
export function barLabels(rows: readonly string[]): string[] {
  return rows.flatMap((row) => {
    const match = BAR_ROW.test(row) ? WELL_FORMED_BAR.exec(row) : null;
    return match ? [match[1]!] : [];
  });
}

/** Bar rows that are not finished: on the last screen of a command that ended, each is stale. */
export function unfinishedBars(rows: readonly string[]): string[] {
  return rows.filter((row) => BAR_ROW.test(row) && !/ \| done in \d+\.\ds$/.test(row));
}
