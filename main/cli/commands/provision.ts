/**
 * `skm provision` — fleet provisioning for IT staff (main/service/provisioning/): apply a
 * profile to every key that is plugged in, one after another or several at once, and keep a
 * CSV or JSON Lines report. Progress and each key's prompts go to stderr, labelled by key; the
 * summary goes to stdout. A random PIN goes only into the report, never to the terminal.
 *
 * A shared PIN comes from --pin-file FILE or standard input (hidden and asked twice on a
 * terminal), never from the command line.
 * @module
 */
import { InvalidArgumentError, Option } from 'commander';
import type { CommandModule } from '../context.js';

export interface ProvisionOptions {
  profile: string;
  report: string;
  count?: number;
  untilStopped?: boolean;
  pinFile?: string;
  redo?: boolean;
  entraPolicy?: string;
  mds?: string;
  mdsRoot?: string;
}

export const provisionCommand: CommandModule = {
  register(program, services) {
    program
      .command('provision')
      .requiredOption('--profile <file>')
      .requiredOption('--report <file>')
      .addOption(new Option('--count <n>').argParser(parseCount).conflicts('untilStopped'))
      .addOption(new Option('--until-stopped'))
      .addOption(new Option('--pin-file <file>'))
      .addOption(new Option('--redo'))
      .addOption(new Option('--mds <file>'))
      .addOption(new Option('--mds-root <file>'))
      .addOption(new Option('--entra-policy <file>'))
      .action(async (options: ProvisionOptions) => {
        const run = { keysLeftUndone: false };
        const { runProvision } = await import('./provision-run.js');
        await services.run(() => runProvision(services, options, run), (value) => value);
        // A key not done (rejected, incomplete, failed) or a stopped run: scripts must notice.
        if (run.keysLeftUndone && services.exitCode === 0) services.exitCode = 1;
      });
  },
};

function parseCount(value: string): number {
  if (!/^\d{1,6}$/.test(value)) throw new InvalidArgumentError('Expected a whole number of keys.');
  return Number(value);
}
