/**
 * A virtual key behind the virtual FIDO card, for NFC tests: the production CtapNfcTransport runs
 * over it in-process (fast) or through pcscd + vpcd (real stack).
 */
import { Ctap2Command } from '../../../ctap/ctap2/commands.js';
import { VirtualAuthenticator } from '../../../ctap/virtual/authenticator.js';
import { VirtualCard } from '../../../ctap/virtual/card.js';
import { presetConfig, type VirtualKeyConfig } from '../../../ctap/virtual/config.js';
import { handleReset, handleSelection } from '../../../ctap/virtual/handlers/reset.js';
import { Presence, type PresenceScript } from '../../../ctap/virtual/presence.js';
import { newState, type VirtualKeyState } from '../../../ctap/virtual/state.js';

export interface CardFixture {
  card: VirtualCard;
  authenticator: VirtualAuthenticator;
  config: VirtualKeyConfig;
  state: VirtualKeyState;
  presence: Presence;
  /** Simulator bugs reported by the authenticator; tests assert this stays empty. */
  internalErrors: unknown[];
}

export function makeCard(options: { preset?: string; config?: Partial<VirtualKeyConfig>; presence?: PresenceScript; acceptExtended?: boolean } = {}): CardFixture {
  const config: VirtualKeyConfig = { ...presetConfig(options.preset ?? 'ctap21'), ...options.config };
  const state = newState();
  const presence = new Presence(options.presence ?? 'approve');
  const internalErrors: unknown[] = [];
  const authenticator = new VirtualAuthenticator({ config, state, presence, clock: () => Date.now(), onInternalError: (error) => internalErrors.push(error) });
  // Reset/selection are the commands that wait for a touch without needing a PIN.
  authenticator.registerHandler(Ctap2Command.SELECTION, handleSelection);
  authenticator.registerHandler(Ctap2Command.RESET, handleReset);
  const card = new VirtualCard({ authenticator, config, acceptExtended: options.acceptExtended ?? true });
  return { card, authenticator, config, state, presence, internalErrors };
}

/** Extension names long enough that getInfo no longer fits one short response (256 bytes). */
export const MANY_EXTENSIONS = Array.from({ length: 24 }, (_, i) => `x-simulated-extension-${String(i).padStart(2, '0')}`);
