// Asking the operator before a command removes or replaces data: the plan on stderr, then
// "[y/N]" read from the terminal. Only the CLI asks; the library never prompts.
import { createInterface } from 'node:readline';
import type { OutputStream } from './output-style.js';

/** The standard input of a run: a terminal or not. */
export interface InputStream extends NodeJS.ReadableStream {
  isTTY?: boolean;
}

/** A person can answer: stdin and stderr are terminals and the output is not --json. */
export function canAsk(stdin: InputStream | undefined, stderr: OutputStream, json: boolean): boolean {
  return !json && stdin?.isTTY === true && stderr.isTTY === true;
}

/** `y` or `yes` (any case) is yes; anything else, an empty line, end of input or Ctrl-C is no. */
export function isYes(answer: string): boolean {
  return /^\s*y(es)?\s*$/i.test(answer);
}

/** Writes `question` and resolves to the answer; false on end of input or when `signal` aborts. */
export function askYesNo(stdin: InputStream, stderr: OutputStream, question: string, signal: AbortSignal): Promise<boolean> {
  stderr.write(`${question} [y/N] `);
  return new Promise((resolve) => {
    const lines = createInterface({ input: stdin, terminal: false });
    let answered = false;
    const finish = (answer: boolean) => {
      if (answered) return;
      answered = true;
      signal.removeEventListener('abort', onAbort);
      lines.close();
      // Leave stdin as we found it, so that the process can end.
      stdin.pause();
      if (!answer) stderr.write('\n');
      resolve(answer);
    };
    const onAbort = () => finish(false);
    signal.addEventListener('abort', onAbort, { once: true });
    lines.once('line', (line) => finish(isYes(line)));
    lines.once('close', () => finish(false));
  });
}
