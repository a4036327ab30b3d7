/**
 * `skm wink` — make the chosen key blink so you can see which one it is (CTAPHID_WINK, CTAP 2.1
 * §11.2.9.2.1) through main/service/operations/select.ts. Keys and connections that cannot
 * blink (NFC, keys without an LED) say so in words.
 * @module
 */
import type { CommandModule } from '../context.js';
import { winkKey } from '../../service/operations/select.js';

export const winkCommand: CommandModule = {
  register(program, services) {
    program
      .command('wink')
      .description('Make the key blink so you can see which one it is')
      .action(() =>
        services.run('wink', async () => {
          const result = await services.withSession((session, device) => winkKey({ session, signal: services.signal }).then((r) => ({ ...r, id: device.id })));
          return { json: result, human: ['The key is blinking.'] };
        }),
      );
  },
};
