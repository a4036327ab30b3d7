/**
 * `skm wink` — make a key blink so you can see which one it is (CTAPHID_WINK, CTAP 2.1
 * §11.2.9.2.1) through main/service/operations/select.ts. With several keys and no --device,
 * each blinks in turn, named as it does — that is when a person most wants to tell them apart —
 * and `skm select` is suggested for choosing one. Keys and connections that cannot blink (NFC,
 * keys without an LED) say so in words.
 * @module
 */
import type { CliServices, CommandModule } from '../context.js';
import { addExamples } from '../help.js';
import type { Result } from '../../service/key-service.js';

/** One key's part in a wink of several. */
interface WinkOfOne {
  id: string;
  name: string;
  winked: boolean;
  /** Why it could not blink (the catalogue's message), when it could not. */
  message?: string;
}

type WinkResult = { winked: true; id: string; name: string } | { keys: WinkOfOne[] };

export const winkCommand: CommandModule = {
  register(program, services) {
    const wink = program
      .command('wink')
      .action(() => services.run(() => winkAll(services), (result) => ({ json: result, human: () => humanWink(result, services) })));
    addExamples(wink, services.copy, ['skm wink', 'skm --device usb:1050 wink']);
  },
};

/** Wink the chosen key; when the only trouble is that several keys are connected, wink each. */
async function winkAll(services: CliServices): Promise<Result<WinkResult>> {
  const service = services.service();
  const first = await service.run('wink', {}, services.runOptions());
  if (first.ok || first.error.code !== 'SEVERAL_DEVICES' || first.error.facts.reason !== undefined) return first;
  const keys: WinkOfOne[] = [];
  for (const device of first.error.facts.devices ?? []) {
    const result = await service.run('wink', {}, { ...services.runOptions(), deviceId: device.id });
    keys.push(result.ok ? { ...device, winked: true } : { ...device, winked: false, message: services.copy.error(result.error).message });
  }
  return { ok: true, value: { keys } };
}

function humanWink(result: WinkResult, services: CliServices): string[] {
  if (!('keys' in result)) return [services.t('cli.wink.blinking', { name: result.name })];
  const lines = result.keys.map((k) =>
    k.winked ? services.t('cli.wink.several', { name: k.name, id: k.id }) : services.t('cli.wink.cannot', { name: k.name, id: k.id, reason: k.message ?? '' }),
  );
  lines.push(services.t('cli.wink.pickOne'));
  return lines;
}
