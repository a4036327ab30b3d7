/**
 * `skm select` — touch to choose among all connected keys (CTAP 2.1 §6.9 authenticatorSelection)
 * through main/service/operations/select.ts; prints the chosen key's id for `--device`.
 * @module
 */
import type { CommandModule } from '../context.js';

export const selectCommand: CommandModule = {
  register(program, services) {
    program
      .command('select')
      .description('Touch the key you want among all connected keys; prints its id (for --device)')
      .action(() =>
        services.operation('select', {}, (chosen) => {
          const how = chosen.touched ? 'You touched' : 'The only key connected is';
          return { json: chosen, human: [`${how} ${chosen.name}.`, chosen.id] };
        }),
      );
  },
};
