/**
 * `skm pin status | set | change | verify` — CTAP 2.1 §6.5 through main/service/operations/pin.ts.
 * PINs come only from the prompt (hidden on a terminal, one per line on stdin otherwise), never
 * from arguments or the environment.
 * @module
 */
import type { CommandModule } from '../context.js';
import { addExamples } from '../help.js';
import { labelled } from '../terminal-text.js';

export const pinCommand: CommandModule = {
  register(program, services) {
    const pin = program.command('pin');
    const t = (key: string, facts?: Record<string, unknown>): string => services.t(`cli.pin.${key}`, facts);
    addExamples(pin, services.copy, ['skm pin status', 'skm pin change', 'printf "%s\\n" "$OLD_PIN" "$NEW_PIN" | skm pin change', 'skm pin verify']);

    pin
      .command('status')
      .action(() =>
        services.operation('pin.status', {}, (status) => {
          const tries = status.retries === null ? t('unknown') : String(status.retries);
          const human = labelled([
            [t('labels.pin'), status.pinSet ? t('set') : t('notSet')],
            [t('labels.triesLeft'), status.powerCycleRequired ? t('powerCycle', { tries }) : tries],
            [t('labels.minLength'), services.t('cli.info.characters', { count: status.minPinLength })],
            [t('labels.mustChange'), status.forcePinChange ? t('mustChange') : services.t('words.no')],
          ]);
          // The same names as `skm info --json` (pinRetries, maxPinLength).
          const json = {
            pinSupported: status.pinSupported,
            pinSet: status.pinSet,
            pinRetries: status.retries,
            powerCycleRequired: status.powerCycleRequired,
            minPinLength: status.minPinLength,
            forcePinChange: status.forcePinChange,
            maxPinLength: status.maxPinBytes,
          };
          return { json, human };
        }),
      );

    pin
      .command('set')
      .action(() => services.operation('pin.set', {}, (result) => ({ json: result, human: [t('isSet')] })));

    pin
      .command('change')
      .action(() => services.operation('pin.change', {}, (result) => ({ json: result, human: [t('isChanged')] })));

    pin
      .command('verify')
      .action(() =>
        services.operation('pin.verify', {}, (result) => ({
          json: result,
          human: [result.pinRetries === null ? t('verified') : t('verifiedTries', { triesText: services.t('pin.triesLeft', { count: result.pinRetries }) })],
        })),
      );
  },
};
