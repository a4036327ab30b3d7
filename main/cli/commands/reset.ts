/**
 * `skm reset` — the reset ceremony (CTAP 2.1 §6.6, DESIGN.md "Reset ceremony") through
 * main/service/operations/reset.ts: confirm naming everything that is lost (`--yes` skips only
 * that question), remove and reinsert the key, then touch it within the window while the
 * vendor's instruction and a live countdown show (on a terminal). Every outcome other than a
 * reset exits 1 with plain words and the next step; a "no" at the confirmation exits 4.
 *
 * A key on an NFC or smart-card reader is switched off and on by the reader instead of being
 * lifted and tapped again, when the reader can; --no-power-cycle asks for the lift and tap.
 *
 * With --virtual the "person" unplugs the simulated key: its reinsert prompts are answered by
 * removing and inserting it, which is a real power-up for the key (the window starts again).
 * @module
 */
import { Option } from 'commander';
import type { KnownContents } from '../../../ctap/flows/reset-device.js';
import type { Result } from '../../service/key-service.js';
import type { CliServices, CommandModule } from '../context.js';
import { addExamples } from '../help.js';

export const resetCommand: CommandModule = {
  register(program, services) {
    const reset = program
      .command('reset')
      .addOption(new Option('--no-power-cycle'))
      .addOption(new Option('--count'))
      .action((options: { powerCycle: boolean; count?: boolean }) =>
        services.run(
          async () => {
            const known = options.count ? await countPasskeys(services) : undefined;
            if (known && !known.ok) return known;
            return services.service().run('reset', { powerCycle: options.powerCycle, ...(known ? { known: known.value } : {}) }, services.runOptions());
          },
          (result) => ({
            json: result,
            human: [services.t('cli.reset.done', { name: result.name }), services.t('cli.reset.next')],
          }),
        ),
      );
    addExamples(reset, services.copy, ['skm reset', 'skm reset --count', 'skm --device usb:1050:0407 reset', 'skm --virtual key.json --virtual-touch 4000 reset']);
  },
};

/** What the key holds, read with the PIN, for the confirmation's counts (passkeys on websites). */
async function countPasskeys(services: CliServices): Promise<Result<KnownContents>> {
  const listed = await services.service().run('passkeys.list', {}, services.runOptions());
  if (!listed.ok) return listed;
  const sites = new Set(listed.value.passkeys.map((p) => p.rpId)).size;
  return { ok: true, value: { passkeys: { passkeys: listed.value.passkeys.length, sites } } };
}
