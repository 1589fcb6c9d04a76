// The docs runner's reading of Markdown, and a cheap guard in the default tier: every shell
// block of README.md and docs/ is either one the runner can run or marked with the reason it
// cannot (docs-commands.int.test.ts then runs them against a real node).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { blockProblem, clonesToInstalled, shellBlocks, unknownCommand } from './doc-shell-blocks.test-support.js';

const REPOSITORY = fileURLToPath(new URL('../../../../', import.meta.url));

describe('shellBlocks', () => {
  it('finds sh, bash and console fences with their marker, commands, continuations and shown failures', () => {
    const markdown = [
      '# Title',
      '```yaml',
      'a4c-admin: not a command',
      '```',
      '<!-- docs-runner: skip: needs another host -->',
      '',
      '```sh',
      'ssh host \\',
      '  uptime',
      '```',
      '```bash',
      '# a comment',
      'a4c-admin doctor   # checks',
      'a4c-admin migrate 1.1.0 --target http://es8:9200',
      '# error: The target cluster already holds ...',
      '```',
    ].join('\n');
    const blocks = shellBlocks(markdown);
    expect(blocks.map((block) => [block.line, block.language, block.marker])).toEqual([
      [7, 'sh', 'skip: needs another host'],
      [11, 'bash', undefined],
    ]);
    expect(blocks[0]!.commands).toEqual([{ line: 8, text: 'ssh host \\\n  uptime', failureShown: false }]);
    expect(blocks[1]!.commands).toEqual([
      { line: 13, text: 'a4c-admin doctor   # checks', failureShown: false },
      { line: 14, text: 'a4c-admin migrate 1.1.0 --target http://es8:9200', failureShown: true },
    ]);
    expect(unknownCommand(blocks[0]!)).toBe('line 8: `ssh host \\\n  uptime`');
    expect(unknownCommand(blocks[1]!)).toBeUndefined();
  });

  it('reads the clone forms of the binary as the installed one', () => {
    expect(clonesToInstalled('pnpm a4c-admin list\nnpx a4c-admin doctor\npnpm exec a4c-admin --help\npnpm es:start')).toBe(
      'a4c-admin list\na4c-admin doctor\na4c-admin --help\npnpm es:start',
    );
  });

  it('every shell block of README.md and docs/*.md is runnable by the docs runner or marked with its reason', async () => {
    const documents = ['README.md', ...(await readdir(join(REPOSITORY, 'docs'))).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];
    const problems: string[] = [];
    for (const document of documents) {
      for (const block of shellBlocks(await readFile(join(REPOSITORY, document), 'utf8'))) {
        const problem = blockProblem(block);
        if (problem) problems.push(`${document}:${block.line}: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
