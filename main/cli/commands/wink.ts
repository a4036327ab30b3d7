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
          const device = await services.selectDevice();
          const manager = await services.devices();
          // Not withSession: a wink needs no CTAP2, so U2F-only keys may blink too.
          await services.withDevice(device, async () => {
            const session = await manager.openSession(device, { signal: services.signal });
            try {
              await winkKey({ session, signal: services.signal });
            } finally {
              await session.transport.close();
            }
          });
          return { json: { winked: true, id: device.id }, human: [`${device.name} is blinking.`] };
        }),
      );
  },
};
