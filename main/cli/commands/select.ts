/**
 * `skm select` — touch to choose among all connected keys (CTAP 2.1 §6.9 authenticatorSelection)
 * through main/service/operations/select.ts; prints the chosen key's id for `--device`.
 * @module
 */
import type { CommandModule } from '../context.js';
import { addExamples } from '../help.js';

export const selectCommand: CommandModule = {
  register(program, services) {
    const select = program
      .command('select')
      .action(() =>
        services.operation('select', {}, (chosen) => ({
          json: chosen,
          human: [services.t(chosen.touched ? 'cli.select.touched' : 'cli.select.only', { name: chosen.name }), chosen.id],
        })),
      );
    addExamples(select, services.copy, ['skm select', 'KEY=$(skm select --json | jq -r .id) && skm --device "$KEY" info']);
  },
};
