// How the CLI writes: colour or not (NO_COLOR, --no-color, not a terminal), and the few
// styles it uses. Hand-rolled on purpose: four ANSI codes do not need a dependency.

export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface OutputStyle {
  readonly color: boolean;
  bold(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  dim(text: string): string;
}

/** Colour only on a terminal, and never when NO_COLOR is set to anything (no-color.org) or --no-color was given. */
export function wantsColor(stream: OutputStream, env: Record<string, string | undefined>, colorFlag: boolean): boolean {
  if (!colorFlag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

export function createOutputStyle(color: boolean): OutputStyle {
  const wrap = (open: number, close: number) => (text: string) => (color ? `\u001b[${open}m${text}\u001b[${close}m` : text);
  return {
    color,
    bold: wrap(1, 22),
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    green: wrap(32, 39),
    dim: wrap(2, 22),
  };
}
