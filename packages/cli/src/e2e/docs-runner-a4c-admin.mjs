#!/usr/bin/env node
// @ts-check
// `a4c-admin` as the docs runner puts it on PATH: it runs the clone's linked binary
// (A4C_DOCS_BINARY, node_modules/.bin/a4c-admin) with the arguments the document wrote, and
// appends one JSON line per run to A4C_DOCS_LOG (arguments, exit status, the end of its output)
// so that the test can say which command of which block failed and what it printed.
// A command that asks [y/N] (the doc says so: restore, delete, prune, --rollback, --finalize
// without --yes) runs under a pseudo-terminal (util-linux `script`), where "y" is typed when
// the question appears, as the person reading the doc would.
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';

const binary = process.env.A4C_DOCS_BINARY;
const log = process.env.A4C_DOCS_LOG;
if (!binary || !log) throw new Error('A4C_DOCS_BINARY and A4C_DOCS_LOG must be set');
const args = process.argv.slice(2);
const TAIL = 4_000;

const confirming = args.some((arg) => ['restore', '-restore', 'delete', 'remove', 'prune', '--rollback', '--finalize'].includes(arg));
const answered = args.some((arg) => ['--yes', '-y', '--dry-run', '--json'].includes(arg));
const onTerminal = confirming && !answered;

const quote = (/** @type {string} */ word) => `'${word.replaceAll("'", "'\\''")}'`;
const child = onTerminal
  ? spawn('script', ['-qfec', `stty cols 160 rows 40; ${[binary, ...args].map(quote).join(' ')}`, '/dev/null'], {
      env: { ...process.env, NO_COLOR: '1', TERM: 'dumb' },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
  : spawn(binary, args, { stdio: ['inherit', 'pipe', 'pipe'] });

let stdout = '';
let stderr = '';
let questions = 0;
/** Everything the terminal showed, to count the questions (a tail could lose one). */
let terminal = '';
child.stdout?.on('data', (/** @type {Buffer} */ chunk) => {
  const text = chunk.toString();
  stdout = (stdout + text).slice(-TAIL);
  // The terminal's output goes to stderr: a doc's `> file` or `| jq` gets only real stdout.
  (onTerminal ? process.stderr : process.stdout).write(chunk);
  if (onTerminal) {
    terminal += text;
    const asked = terminal.split('[y/N]').length - 1;
    if (asked > questions) {
      questions = asked;
      child.stdin?.write('y\r');
    }
  }
});
child.stderr?.on('data', (/** @type {Buffer} */ chunk) => {
  stderr = (stderr + chunk.toString()).slice(-TAIL);
  process.stderr.write(chunk);
});
child.on('close', (code, signal) => {
  const status = code ?? 128;
  appendFileSync(log, `${JSON.stringify({ args, status, signal, onTerminal, questions, stdout, stderr })}\n`);
  process.exitCode = status;
});
