/**
 * Conformance target: the virtual key behind the production CTAPHID transport (CTAP 2.1 §11.2),
 * so every request crosses the real framing, channel and keepalive code.
 * @module
 */
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import { CtapHidTransport } from '../../ctap/transport/hid/hid-transport.js';
import { VirtualKey } from '../../ctap/virtual/virtual-key.js';
import { conformanceTargets, type AuthenticatorUnderTest, type OpenTarget } from './target.js';

export const virtualHidTarget: AuthenticatorUnderTest = {
  name: 'virtual-hid',
  async open({ preset }): Promise<OpenTarget> {
    // A handler that throws something other than StatusError is a simulator bug: fail the test.
    const internalErrors: unknown[] = [];
    const key = VirtualKey.create({ preset, presence: 'approve', onInternalError: (error) => internalErrors.push(error) });
    let transport = await CtapHidTransport.open(key.openHid());
    let session = new Ctap2Session(transport);
    return {
      get session() {
        return session;
      },
      state: key.state,
      async powerCycle() {
        await transport.close();
        key.powerCycle();
        transport = await CtapHidTransport.open(key.openHid());
        session = new Ctap2Session(transport);
      },
      async close() {
        await transport.close();
        key.remove();
        if (internalErrors.length > 0) throw new AggregateError(internalErrors, 'The virtual key failed internally.');
      },
    };
  },
};

conformanceTargets.push(virtualHidTarget);
