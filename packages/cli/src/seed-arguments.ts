// The original tool's spelling, `a4c-admin-tool.sh -backup 1.1.0 -n backup110`, keeps
// working: single-dash command words are rewritten to subcommands before parsing.

/** Commands the seed spells as single-dash options. */
const SEED_COMMANDS = new Set(['backup', 'restore', 'migrate', 'verify', 'list', 'delete', 'prune', 'doctor']);

/**
 * Rewrites the seed's `-backup`, `-restore`, `-migrate` (and the same form of the other
 * commands) into subcommands: `-backup 1.1.0 -n b` -> `backup 1.1.0 -n b`. The command word
 * moves to the front, because the seed accepted `-n b -backup 1.1.0` too and commander reads
 * global options on either side of a subcommand. Only the first command word is rewritten,
 * and nothing after `--`; every other argument keeps its order.
 */
export function normalizeSeedArguments(argv: readonly string[]): string[] {
  const result = [...argv];
  for (let position = 0; position < result.length; position += 1) {
    const argument = result[position]!;
    if (argument === '--') break;
    const word = /^-([a-z]+)$/.exec(argument)?.[1];
    if (word !== undefined && SEED_COMMANDS.has(word)) {
      result.splice(position, 1);
      result.unshift(word);
      break;
    }
    // A subcommand already written the modern way: leave the rest alone.
    if (!argument.startsWith('-') && SEED_COMMANDS.has(argument)) break;
  }
  return result;
}
