/**
 * A CtapTransport straight onto a VirtualAuthenticator (no CTAPHID), so handler tests can use
 * the production client classes (Ctap2Session, ClientPin) and still assert the key's state.
 */
import { TransportCommand, type CtapTransport, type KeepaliveStatus, type TransactOptions } from '../../../ctap/transport/transport.js';
import type { VirtualAuthenticator } from '../../../ctap/virtual/authenticator.js';

export class DirectTransport implements CtapTransport {
  readonly kind = 'hid' as const;
  readonly capabilities = { cbor: true, msg: false, wink: false };
  /** Every keepalive status the key reported, in order. */
  readonly keepalives: KeepaliveStatus[] = [];

  constructor(
    private readonly authenticator: VirtualAuthenticator,
    private readonly channel = 1,
  ) {}

  async transact(command: number, data: Uint8Array, options: TransactOptions = {}): Promise<Uint8Array> {
    if (command !== TransportCommand.CBOR) throw new RangeError(`DirectTransport carries CBOR only, got 0x${command.toString(16)}`);
    return this.authenticator.handle(data, {
      transport: 'usb',
      channel: this.channel,
      signal: options.signal ?? new AbortController().signal,
      keepalive: (status) => {
        this.keepalives.push(status);
        options.onKeepalive?.(status);
      },
    });
  }

  async wink(): Promise<void> {}

  async close(): Promise<void> {}
}
