/**
 * Conformance target: the discovery-and-person path of ./discovered.target.ts over a virtual
 * key, with a script in place of the person (it replugs the key when asked). This keeps the
 * real-key mode honest: it runs in CI exactly as it would with a key in a USB port.
 * @module
 */
import type { UserPrompts } from '../../ctap/flows/prompts.js';
import { VirtualDiscovery } from '../../ctap/virtual/discovery.js';
import { VirtualKey } from '../../ctap/virtual/virtual-key.js';
import { discoveredTarget } from './discovered.target.js';
import { conformanceTargets } from './target.js';

/** Stands in for the person: agrees, and replugs the key a moment after being asked. */
function scriptedPerson(key: () => VirtualKey): UserPrompts {
  return {
    async pin() {
      throw new Error('The conformance suite never asks the person for a PIN.');
    },
    async confirm() {
      return true;
    },
    touch() {
      return () => undefined;
    },
    reinsert({ phase }) {
      const timer = setTimeout(() => (phase === 'remove' ? key().remove() : key().insert()), 5);
      return () => clearTimeout(timer);
    },
    progress() {},
  };
}

let current: VirtualKey | undefined;

export const virtualReplugTarget = discoveredTarget({
  name: 'virtual-replug',
  async discovery({ preset }) {
    // A used key (PIN set, retries spent) so that the reset ceremony has something to undo.
    current = VirtualKey.create({ preset, presence: 'approve' });
    current.state.pinHash = new Uint8Array(16).fill(1);
    current.state.pinRetries = 2;
    return new VirtualDiscovery(current);
  },
  prompts: scriptedPerson(() => {
    if (!current) throw new Error('no virtual key yet');
    return current;
  }),
  humanTimeoutMs: 2_000,
});

conformanceTargets.push(virtualReplugTarget);
