/**
 * Conformance targets for the NFC path (CTAP 2.1 §11.3): the virtual key as a FIDO card behind
 * the production CtapNfcTransport, once in-process and once through the real PC/SC stack
 * (PcscDiscovery → nfc-pcsc → pcscd → vpcd → card). A power cycle is a PC/SC power-down of the
 * card, as a reset ceremony on a reader does it.
 * @module
 */
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import { CtapNfcTransport } from '../../ctap/transport/nfc/nfc-transport.js';
import { PcscDiscovery } from '../../ctap/transport/nfc/pcsc.js';
import { VirtualCard } from '../../ctap/virtual/card.js';
import { VirtualKey } from '../../ctap/virtual/virtual-key.js';
import { conformanceTargets, type AuthenticatorUnderTest, type OpenTarget } from '../conformance/target.js';
import { realStackSkipReason, tapCard, VPCD_READER } from './helpers/vpcd-slot.js';

function cardFor(preset: string): { key: VirtualKey; card: VirtualCard; internalErrors: unknown[] } {
  const internalErrors: unknown[] = [];
  const key = VirtualKey.create({ preset, presence: 'approve', onInternalError: (error) => internalErrors.push(error) });
  return { key, card: new VirtualCard({ authenticator: key.authenticator, config: key.config }), internalErrors };
}

/** The OpenTarget over an NFC transport: a power cycle is the reader's, the session is renewed. */
function sessionOver(transport: CtapNfcTransport, key: VirtualKey, close: () => Promise<void>): OpenTarget {
  let session = new Ctap2Session(transport);
  return {
    get session() {
      return session;
    },
    state: key.state,
    async powerCycle() {
      if (!transport.powerCycle) throw new Error('this reader cannot power-cycle its card');
      await transport.powerCycle();
      session = new Ctap2Session(transport);
    },
    close,
  };
}

function failOnInternalErrors(internalErrors: unknown[]): void {
  if (internalErrors.length > 0) throw new AggregateError(internalErrors, 'The virtual key failed internally.');
}

export const virtualNfcTarget: AuthenticatorUnderTest = {
  name: 'virtual-nfc',
  async open({ preset }): Promise<OpenTarget> {
    const { key, card, internalErrors } = cardFor(preset);
    const transport = await CtapNfcTransport.open(card.connect(`In-process NFC (${preset})`));
    return sessionOver(transport, key, async () => {
      await transport.close();
      card.powerOff();
      failOnInternalErrors(internalErrors);
    });
  },
};

export const pcscTarget: AuthenticatorUnderTest = {
  name: 'pcsc-vpcd',
  async open({ preset }): Promise<OpenTarget> {
    const { key, card, internalErrors } = cardFor(preset);
    const discovery = new PcscDiscovery({ readerFilter: (name) => name === VPCD_READER });
    const tapped = await tapCard(discovery, card).catch(async (error: unknown) => {
      await discovery.close();
      throw error;
    });
    const transport = await (tapped.device.open() as Promise<CtapNfcTransport>).catch(async (error: unknown) => {
      await tapped.lift().finally(() => discovery.close());
      throw error;
    });
    return sessionOver(transport, key, async () => {
      try {
        await transport.close();
        await tapped.lift();
      } finally {
        await discovery.close();
      }
      failOnInternalErrors(internalErrors);
    });
  },
};

conformanceTargets.push(virtualNfcTarget);
// The real stack is optional on a developer machine without pcscd, never under CI.
if ((await realStackSkipReason()) === null) conformanceTargets.push(pcscTarget);
