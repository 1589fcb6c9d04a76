import { describe, expect, it } from 'vitest';
import { normalizeSeedArguments } from './seed-arguments.js';

describe('normalizeSeedArguments', () => {
  it.each([
    [
      ['-backup', '1.1.0', '-n', 'backup110'],
      ['backup', '1.1.0', '-n', 'backup110'],
    ],
    [
      ['-restore', '1.1.0', '-n', 'backup110'],
      ['restore', '1.1.0', '-n', 'backup110'],
    ],
    [
      ['-migrate', '1.1.0'],
      ['migrate', '1.1.0'],
    ],
    // Global options may come first, as in `a4c-admin-tool.sh -c file -backup ...`.
    [
      ['-c', 'conf.yml', '--json', '-backup', '1.1.0'],
      ['backup', '-c', 'conf.yml', '--json', '1.1.0'],
    ],
    // The seed also took the name first.
    [
      ['-n', 'backup110', '-restore', '1.1.0'],
      ['restore', '-n', 'backup110', '1.1.0'],
    ],
  ])('rewrites the seed spelling %j', (input, expected) => {
    expect(normalizeSeedArguments(input)).toEqual(expected);
  });

  it.each([
    [['backup', '1.1.0', '-n', 'backup110']],
    // A backup literally named "-restore" after a modern subcommand stays a value.
    [['backup', '1.1.0', '-n', '-restore']],
    [['--', '-backup']],
    [['-n', 'x']],
    [['--help']],
  ])('leaves %j alone', (input) => {
    expect(normalizeSeedArguments(input)).toEqual(input);
  });

  it('rewrites only the first command word', () => {
    expect(normalizeSeedArguments(['-backup', '-restore'])).toEqual(['backup', '-restore']);
  });
});
