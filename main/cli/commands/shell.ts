/**
 * `skm completion <shell>` and `skm man` — what a shell and a man reader need, generated from the
 * program tree and help text (completion.ts, man.ts). Nothing here touches a key.
 * @module
 */
import { Argument } from 'commander';
import type { CommandModule } from '../context.js';
import { completionScript, SHELLS, type Shell } from '../completion.js';
import { addExamples } from '../help.js';
import { manPage } from '../man.js';

export const shellCommand: CommandModule = {
  register(program, services) {
    const completion = program
      .command('completion')
      .addArgument(new Argument('<shell>').argParser((value) => (SHELLS.includes(value as Shell) ? (value as Shell) : services.problems.refuse('shell', { argument: '<shell>' }))))
      .action((shell: Shell) =>
        services.local('virtual-key', () => {
          const script = completionScript(program, shell);
          return Promise.resolve({ json: { shell, script }, human: [], raw: script });
        }),
      );
    addExamples(completion, services.copy, [
      'source <(skm completion bash)            # bash, this shell',
      'skm completion zsh > "${fpath[1]}/_skm"   # zsh',
      'skm completion fish > ~/.config/fish/completions/skm.fish',
      'skm completion powershell >> $PROFILE',
    ]);

    program
      .command('man')
      .action(() =>
        services.local('virtual-key', () => {
          const page = manPage(program, services.copy, program.version() ?? '');
          return Promise.resolve({ json: { page }, human: [], raw: page });
        }),
      );
  },
};
