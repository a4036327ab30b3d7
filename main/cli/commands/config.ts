/**
 * `skm config always-uv | min-pin-length | enterprise-attestation` — key settings, CTAP 2.1
 * §6.11 through main/service/operations/settings.ts. Each change is explained and confirmed
 * before it is sent (`--yes` skips only the question): the minimum PIN length only goes up until
 * a reset, and a reset turns always-verify off and enterprise attestation off again.
 * @module
 */
import { InvalidArgumentError, Option } from 'commander';
import type { CommandModule } from '../context.js';
import { parseRpId } from '../output.js';

/** §6.11.4 newMinPINLength is an unsigned integer; 63 bytes is the longest PIN (§6.5.1). */
const MAX_MIN_PIN_LENGTH = 63;

interface MinPinLengthOptions {
  rp?: string[];
  forceChange?: boolean;
}

export const configCommand: CommandModule = {
  register(program, services) {
    const config = program.command('config').description('Change the settings of the key: always-verify, minimum PIN length, enterprise attestation');

    config
      .command('always-uv')
      .description('Always require the PIN or a fingerprint, even when a website asks only for a touch')
      .argument('<on|off>', 'on or off', parseOnOff)
      .action((on: boolean) =>
        services.operation('settings.alwaysUv', { on }, (result) => {
          const state = result.alwaysUv ? 'on' : 'off';
          return {
            json: result,
            human: [result.changed ? `Always require the PIN or a fingerprint: now ${state}.` : `Always require the PIN or a fingerprint is already ${state}; nothing was changed.`],
          };
        }),
      );

    config
      .command('min-pin-length')
      .description('Raise the minimum PIN length (it can only go up until the key is reset)')
      .argument('<length>', 'The new minimum, in characters', parseLength)
      .addOption(new Option('--rp <id>', 'A website that may read the minimum PIN length (repeatable)').argParser(collectRpIds))
      .addOption(new Option('--force-change', 'Require the PIN to be changed before the key is used again'))
      .action((minPinLength: number, options: MinPinLengthOptions) =>
        services.operation('settings.minPinLength', { minPinLength, rpIds: options.rp ?? [], forceChangePin: options.forceChange === true }, (result) => {
          const human = [`Minimum PIN length: ${result.minPinLength} characters.`];
          if (result.rpIds.length > 0) human.push(`Websites that may read it: ${result.rpIds.join(', ')}.`);
          if (result.forcePinChange) human.push('The PIN must be changed before the key can be used again (`skm pin change`).');
          return { json: result, human };
        }),
      );

    config
      .command('enterprise-attestation')
      .description('Let websites your organisation set up identify this exact key (only a reset turns it off)')
      .argument('<enable>', 'enable (it cannot be turned off except by a reset)', parseEnable)
      .action(() =>
        services.operation('settings.enterpriseAttestation', {}, (result) => {
          const human = result.changed ? 'Enterprise attestation is on. A reset turns it off again.' : 'Enterprise attestation is already on; nothing was changed.';
          return { json: result, human: [human] };
        }),
      );
  },
};

/** Repeatable --rp: each a non-empty RP ID (§6.11.4 minPinLengthRPIDs), each sent once. */
function collectRpIds(value: string, previous: string[] | undefined): string[] {
  const rpId = parseRpId(value);
  const list = previous ?? [];
  return list.includes(rpId) ? list : [...list, rpId];
}

function parseOnOff(value: string): boolean {
  if (value === 'on') return true;
  if (value === 'off') return false;
  throw new InvalidArgumentError('Expected on or off.');
}

function parseEnable(value: string): true {
  if (value === 'enable') return true;
  throw new InvalidArgumentError('Expected "enable" (only a reset turns enterprise attestation off).');
}

function parseLength(value: string): number {
  const n = /^\d{1,3}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 4 || n > MAX_MIN_PIN_LENGTH) throw new InvalidArgumentError(`Expected a whole number from 4 to ${MAX_MIN_PIN_LENGTH}.`);
  return n;
}
