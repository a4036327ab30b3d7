/**
 * `skm config always-uv | min-pin-length | enterprise-attestation enable` — key settings, CTAP
 * 2.1 §6.11 through main/service/operations/settings.ts. Each change is explained and confirmed
 * before it is sent (`--yes` skips only the question): the minimum PIN length only goes up until
 * a reset, and a reset turns always-verify off and enterprise attestation off again.
 * @module
 */
import { Argument, Option } from 'commander';
import type { CliServices, CommandModule } from '../context.js';
import { addExamples } from '../help.js';

/** §6.11.4 newMinPINLength is an unsigned integer; 63 bytes is the longest PIN (§6.5.1). */
export const MAX_MIN_PIN_LENGTH = 63;

interface MinPinLengthOptions {
  rp?: string[];
  forceChange?: boolean;
}

export const configCommand: CommandModule = {
  register(program, services) {
    const config = program.command('config');
    const t = (key: string, facts?: Record<string, unknown>): string => services.t(`cli.config.${key}`, facts);

    const alwaysUv = config
      .command('always-uv')
      .addArgument(new Argument('<on|off>').argParser((value) => parseOnOff(value, services)))
      .action((on: boolean) =>
        services.operation('settings.alwaysUv', { on }, (result) => {
          const state = t(result.alwaysUv ? 'on' : 'off');
          return { json: result, human: [result.changed ? t('alwaysUvNow', { state }) : t('alwaysUvAlready', { state })] };
        }),
      );
    addExamples(alwaysUv, services.copy, ['skm config always-uv on', 'skm --yes config always-uv off']);

    const minPinLength = config
      .command('min-pin-length')
      .addArgument(new Argument('<length>').argParser((value) => parseLength(value, services)))
      .addOption(new Option('--rp <id>').argParser((value, previous: string[] | undefined) => collectRpIds(value, previous, services)))
      .addOption(new Option('--force-change'))
      .action((length: number, options: MinPinLengthOptions) =>
        services.operation('settings.minPinLength', { minPinLength: length, rpIds: options.rp ?? [], forceChangePin: options.forceChange === true }, (result) => {
          const human = [t('minPinLength', { count: result.minPinLength })];
          if (result.rpIds.length > 0) human.push(t('rpIds', { list: result.rpIds.join(', ') }));
          if (result.forcePinChange) human.push(t('forceChange'));
          return { json: result, human };
        }),
      );
    addExamples(minPinLength, services.copy, ['skm config min-pin-length 8', 'skm config min-pin-length 8 --rp login.example.com --force-change']);

    // A command of its own rather than an argument: "enable" is the only thing it can do.
    const enterpriseAttestation = config
      .command('enterprise-attestation')
      ;
    enterpriseAttestation
      .command('enable')
      .action(() =>
        services.operation('settings.enterpriseAttestation', {}, (result) => ({ json: result, human: [result.changed ? t('eaOn') : t('eaAlready')] })),
      );
    addExamples(enterpriseAttestation, services.copy, ['skm config enterprise-attestation enable']);
  },
};

/** Repeatable --rp: each a non-empty RP ID (§6.11.4 minPinLengthRPIDs), each sent once. */
function collectRpIds(value: string, previous: string[] | undefined, services: CliServices): string[] {
  const rpId = services.rpId(value);
  const list = previous ?? [];
  return list.includes(rpId) ? list : [...list, rpId];
}

function parseOnOff(value: string, services: CliServices): boolean {
  if (value === 'on') return true;
  if (value === 'off') return false;
  return services.problems.refuse('onOff', { argument: '<on|off>' });
}

function parseLength(value: string, services: CliServices): number {
  const n = /^\d{1,3}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 4 || n > MAX_MIN_PIN_LENGTH) return services.problems.refuse('length', { argument: '<length>', max: MAX_MIN_PIN_LENGTH });
  return n;
}
