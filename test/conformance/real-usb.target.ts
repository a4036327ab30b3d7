/**
 * Conformance target: a real USB key — opt-in and destructive. It registers itself only when
 * SKM_CONFORMANCE_REAL_KEY is exactly "erase-my-key", because every test begins by resetting the
 * key (every passkey, fingerprint and the PIN are deleted) and some tests block its PIN on
 * purpose. Exactly one FIDO key may be attached. The person at the terminal is asked to replug
 * and touch the key; the simulated-state tests skip themselves.
 *
 *   SKM_CONFORMANCE_REAL_KEY=erase-my-key npx vitest run -c test/vitest.config.mts test/conformance
 * @module
 */
import type { UserPrompts } from '../../ctap/flows/prompts.js';
import { Copy } from '../../main/copy/index.js';
import { discoveredTarget } from './discovered.target.js';
import { conformanceTargets } from './target.js';

export const REAL_KEY_GUARD = 'erase-my-key';

const copy = new Copy('cli');

/** The person at the terminal: instructions go to stderr; consent was given through the guard. */
const terminalPerson: UserPrompts = {
  async pin() {
    throw new Error('The conformance suite never asks the person for a PIN.');
  },
  async confirm(request) {
    process.stderr.write(`\n${copy.confirmTitle(request)}:\n${request.consequences.map((c) => `  - ${copy.consequence(c)}`).join('\n')}\n(consent given by SKM_CONFORMANCE_REAL_KEY)\n`);
    return true;
  },
  touch(request) {
    process.stderr.write(`\n>>> ${copy.touch(request.instruction, request.noun)}\n`);
    return () => undefined;
  },
  reinsert(request) {
    process.stderr.write(`\n>>> ${copy.reinsert(request)}\n`);
    return () => undefined;
  },
  progress(event) {
    process.stderr.write(`${copy.progress(event)}\n`);
  },
};

if (process.env.SKM_CONFORMANCE_REAL_KEY === REAL_KEY_GUARD) {
  conformanceTargets.push(
    discoveredTarget({
      name: 'real-usb',
      // Loaded only here, so the native module is never touched unless a real key was asked for.
      async discovery() {
        const { NodeHidDiscovery } = await import('../../ctap/transport/hid/node-hid.js');
        return new NodeHidDiscovery();
      },
      prompts: terminalPerson,
      humanTimeoutMs: 60_000,
      timeoutMs: 180_000,
    }),
  );
}
