// `a4c-admin doctor`: the preflight checks as a command, each ok/warn/fail with its fix.
import type { Command } from 'commander';
import type { CommandRuntime } from '../command-runtime.js';
import { examples } from './argument-parsers.js';

export function registerDoctorCommand(program: Command, runtime: CommandRuntime): void {
  program
    .command('doctor')
    .summary('check the cluster, repository, folders, disk, A4C and locks')
    .addHelpText('after', examples(['a4c-admin doctor', 'a4c-admin -c /opt/a4c-admin/config/admin-tool-config.yml doctor --json']))
    .action(async () => {
      await runtime.runOperation('doctor', 'doctor', {});
    });
}
