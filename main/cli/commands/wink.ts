/**
 * `skm wink` — make the chosen key blink so you can see which one it is (CTAPHID_WINK, CTAP 2.1
 * §11.2.9.2.1) through main/service/operations/select.ts. Keys and connections that cannot
 * blink (NFC, keys without an LED) say so in words.
 * @module
 */
import type { CommandModule } from '../context.js';

export const winkCommand: CommandModule = {
  register(program, services) {
    program
      .command('wink')
      .description('Make the key blink so you can see which one it is')
      .action(() => services.operation('wink', {}, (result) => ({ json: result, human: [`${result.name} is blinking.`] })));
  },
};
