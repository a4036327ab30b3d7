/**
 * `skm pin status | set | change` — CTAP 2.1 §6.5 through main/service/operations/pin.ts.
 * PINs come only from the prompt (hidden on a terminal, one per line on stdin otherwise), never
 * from arguments or the environment.
 * @module
 */
import type { CommandModule } from '../context.js';

export const pinCommand: CommandModule = {
  register(program, services) {
    const pin = program.command('pin').description('See, set or change the PIN of the key');

    pin
      .command('status')
      .description('Whether a PIN is set, tries left, minimum length')
      .action(() =>
        services.operation('pin.status', {}, (status) => {
          const tries = status.retries === null ? 'unknown' : String(status.retries);
          const human = [
            `PIN:                 ${status.pinSet ? 'set' : 'not set'}`,
            `Tries left:          ${tries}${status.powerCycleRequired ? ' (remove and reinsert the key before the next try)' : ''}`,
            `Minimum length:      ${status.minPinLength} characters`,
            `Must be changed:     ${status.forcePinChange ? 'yes — run `skm pin change`' : 'no'}`,
          ];
          return { json: status, human };
        }),
      );

    pin
      .command('set')
      .description('Set a PIN on a key that has none (read from the terminal or stdin)')
      .action(() =>
        services.operation('pin.set', {}, (result) => ({ json: result, human: ['The PIN is set.'] })),
      );

    pin
      .command('change')
      .description('Change the PIN (current PIN, then the new one, from the terminal or stdin)')
      .action(() =>
        services.operation('pin.change', {}, (result) => ({ json: result, human: ['The PIN is changed.'] })),
      );
  },
};
