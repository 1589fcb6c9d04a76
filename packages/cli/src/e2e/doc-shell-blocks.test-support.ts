// The shell blocks of a Markdown document, as the docs runner sees them: each ```sh / ```bash
// / ```console / ```shell fence with its line, its `<!-- docs-runner: ... -->` marker (the
// comment right above the fence), and its commands (continuation lines joined; a `# error:`
// comment right under a command says the doc shows it failing).

export interface DocCommand {
  /** Line of the command's first line in the document (1-based). */
  line: number;
  /** The command as written, continuation lines joined with their backslash-newlines. */
  text: string;
  /** The doc shows it failing (a `# error: ...` line right under it). */
  failureShown: boolean;
}

export interface DocShellBlock {
  /** Line of the opening fence (1-based). */
  line: number;
  language: string;
  /** The marker's text after `docs-runner:`, e.g. `skip: starts the test suite`. */
  marker: string | undefined;
  /** The block's lines, as written. */
  body: string;
  commands: DocCommand[];
}

const SHELL_FENCE = /^```(sh|bash|console|shell)\s*$/;
const ANY_FENCE = /^```/;
const MARKER = /^<!--\s*docs-runner:\s*([\s\S]*?)\s*-->$/;

export function shellBlocks(markdown: string): DocShellBlock[] {
  const lines = markdown.split('\n');
  const blocks: DocShellBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    const fence = lines[index]!;
    if (!ANY_FENCE.test(fence)) continue;
    const end = lines.findIndex((line, at) => at > index && /^```\s*$/.test(line));
    if (end === -1) throw new Error(`line ${index + 1}: the fence ${fence} is never closed`);
    const language = SHELL_FENCE.exec(fence)?.[1];
    if (language) {
      const body = lines.slice(index + 1, end);
      blocks.push({ line: index + 1, language, marker: markerAbove(lines, index), body: body.join('\n'), commands: commandsOf(body, index + 2) });
    }
    index = end;
  }
  return blocks;
}

/** The `<!-- docs-runner: ... -->` comment on the last non-blank line above the fence. */
function markerAbove(lines: string[], fenceIndex: number): string | undefined {
  for (let index = fenceIndex - 1; index >= 0; index--) {
    const line = lines[index]!.trim();
    if (line === '') continue;
    return MARKER.exec(line)?.[1];
  }
  return undefined;
}

function commandsOf(body: string[], firstLine: number): DocCommand[] {
  const commands: DocCommand[] = [];
  for (let index = 0; index < body.length; index++) {
    const line = body[index]!;
    const trimmed = line.trim();
    if (trimmed.startsWith('# error:') && commands.length > 0) {
      commands[commands.length - 1]!.failureShown = true;
      continue;
    }
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const start = index;
    let text = line;
    while (text.endsWith('\\') && index + 1 < body.length) text += `\n${body[++index]!}`;
    commands.push({ line: firstLine + start, text: text.trim(), failureShown: false });
  }
  return commands;
}

/** First words of the commands the runner knows how to run (anything else needs a marker). */
const KNOWN_PROGRAMS = new Set(['a4c-admin', 'export', 'case', 'esac']);
/** The clone's spellings of the binary; all run node_modules/.bin/a4c-admin. */
const CLONE_FORMS = [/^(\s*)(?:pnpm exec|pnpm|npx) a4c-admin\b/gm];

/** The command with the clone's spellings of the binary (`pnpm a4c-admin`, `pnpm exec a4c-admin`, `npx a4c-admin`) as `a4c-admin`. */
export function clonesToInstalled(text: string): string {
  return CLONE_FORMS.reduce((result, form) => result.replace(form, '$1a4c-admin'), text);
}

/** A run of a4c-admin, in any of its spellings. */
export function isToolCommand(command: string): boolean {
  return /^a4c-admin\b/.test(clonesToInstalled(command));
}

/** Why the runner cannot run `block` as it is, or undefined. */
export function unknownCommand(block: DocShellBlock): string | undefined {
  for (const command of block.commands) {
    const program = clonesToInstalled(command.text)
      .replace(/^(\w+=\S*\s+)+/, '')
      .split(/\s+/)[0]!;
    // The arms of a `case`: `0) echo ... ;;`.
    if (/^\S+\)$/.test(program) || /^\S+\)/.test(command.text)) continue;
    if (!KNOWN_PROGRAMS.has(program)) return `line ${command.line}: \`${command.text}\``;
  }
  return undefined;
}

/** Why the docs runner can neither run nor skip `block` (an unknown marker or command), or undefined. */
export function blockProblem(block: DocShellBlock): string | undefined {
  if (block.marker !== undefined) return /^skip: \S/.test(block.marker) ? undefined : `unknown docs-runner marker "${block.marker}" (only "skip: <reason>")`;
  const unknown = unknownCommand(block);
  return (
    unknown &&
    `the docs runner does not know how to run ${unknown}: mark the block with <!-- docs-runner: skip: <reason> --> above its fence, or teach packages/cli/src/e2e/docs-commands.int.test.ts to run it`
  );
}
