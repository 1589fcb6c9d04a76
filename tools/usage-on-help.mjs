// `--help` (or `-h`) for the benchmark scripts: prints the comment at the top of the script (what
// it measures and its usage) and exits, instead of running with its defaults against a node that
// is not there or failing in parseArgs with a stack trace.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Call first thing with `import.meta.url`: returns unless the arguments ask for help. */
export function exitWithUsageOnHelp(scriptUrl) {
  const args = process.argv.slice(2);
  if (!args.includes('--help') && !args.includes('-h')) return;
  const header = [];
  for (const line of readFileSync(fileURLToPath(scriptUrl), 'utf8').split('\n')) {
    if (line.startsWith('// @ts-check') || line.startsWith('#!')) continue;
    if (!line.startsWith('//')) break;
    header.push(line.replace(/^\/\/ ?/, ''));
  }
  process.stdout.write(`${header.join('\n')}\n`);
  process.exit(0);
}
