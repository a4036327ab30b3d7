// The production CTAPHID transport over the virtual key's CTAPHID server — CTAP 2.1 §11.2:
// both framers, channel allocation, keepalive, cancel, busy between channels, removal.
import { describe, expect, it } from 'vitest';
import { decodeMap } from '../../ctap/cbor.js';
import { Ctap2Command } from '../../ctap/ctap2/commands.js';
import { CancelledError, TransportError } from '../../ctap/errors.js';
import { CtapStatus } from '../../ctap/status.js';
import { MAX_MESSAGE_SIZE } from '../../ctap/transport/hid/framing.js';
import { CtapHidTransport } from '../../ctap/transport/hid/hid-transport.js';
import { TransportCommand, type KeepaliveStatus } from '../../ctap/transport/transport.js';
import { VirtualAuthenticator } from '../../ctap/virtual/authenticator.js';
import { presetConfig } from '../../ctap/virtual/config.js';
import { VirtualHidDevice } from '../../ctap/virtual/hid-device.js';
import { Presence, type PresenceScript } from '../../ctap/virtual/presence.js';
import { newState } from '../../ctap/virtual/state.js';

/** A virtual ctap21 key whose authenticatorSelection (§6.9) waits for a touch per `presence`. */
function virtualKey(presence: PresenceScript = 'approve'): { device: VirtualHidDevice; presence: Presence } {
  const config = presetConfig('ctap21');
  const touch = new Presence(presence);
  const authenticator = new VirtualAuthenticator({
    config,
    state: newState(),
    presence: touch,
    clock: () => Date.now(),
    onInternalError: (error) => {
      throw error;
    },
  });
  authenticator.registerHandler(Ctap2Command.SELECTION, async (_params, ctx) => {
    await ctx.userPresence();
    return undefined;
  });
  return { device: new VirtualHidDevice({ authenticator, config, clock: () => Date.now() }), presence: touch };
}

async function getInfo(transport: CtapHidTransport, signal?: AbortSignal): Promise<Map<unknown, unknown>> {
  const response = await transport.transact(TransportCommand.CBOR, Uint8Array.of(Ctap2Command.GET_INFO), { signal });
  expect(response[0]).toBe(CtapStatus.OK);
  return decodeMap(response.subarray(1));
}

describe('CtapHidTransport over the virtual key', () => {
  it('opens a channel, reads capabilities, and runs getInfo', async () => {
    const { device } = virtualKey();
    const transport = await CtapHidTransport.open(device.open());
    expect(transport.channelId).not.toBe(0);
    expect(transport.protocolVersion).toBe(2);
    expect(transport.capabilities.cbor).toBe(true);
    const info = await getInfo(transport);
    expect(info.get(1)).toContain('FIDO_2_1');
    await transport.close();
  });

  it('echoes a maximum-size PING through both framers', async () => {
    const { device } = virtualKey();
    const transport = await CtapHidTransport.open(device.open());
    const data = Uint8Array.from({ length: MAX_MESSAGE_SIZE }, (_, i) => (i * 13) & 0xff);
    await expect(transport.ping(data)).resolves.toBeUndefined();
  });

  it('reports "touch your key" once and cancels a waiting request, then keeps working', async () => {
    const { device, presence } = virtualKey('never');
    const transport = await CtapHidTransport.open(device.open());
    const controller = new AbortController();
    const statuses: KeepaliveStatus[] = [];
    const selection = transport.transact(TransportCommand.CBOR, Uint8Array.of(Ctap2Command.SELECTION), {
      signal: controller.signal,
      onKeepalive: (status) => {
        statuses.push(status);
        if (status === 'user-presence-needed') setTimeout(() => controller.abort(), 250);
      },
    });
    await expect(selection).rejects.toBeInstanceOf(CancelledError);
    expect(statuses).toEqual(['user-presence-needed']);
    expect(presence.waiting).toBe(false);
    // The key's KEEPALIVE_CANCEL answer was consumed: the next answer is getInfo's own.
    expect((await getInfo(transport)).get(1)).toContain('FIDO_2_1');
  });

  it('gets the answer once the user touches the key', async () => {
    const { device } = virtualKey({ afterMs: 300 });
    const transport = await CtapHidTransport.open(device.open());
    const response = await transport.transact(TransportCommand.CBOR, Uint8Array.of(Ctap2Command.SELECTION), { timeoutMs: 1_000 });
    expect(response).toEqual(Uint8Array.of(CtapStatus.OK));
  });

  it('gives two clients two channels and retries while the other one holds the key', async () => {
    const { device, presence } = virtualKey('manual');
    const first = await CtapHidTransport.open(device.open());
    const connection = device.open();
    let cborRequests = 0;
    const counting = {
      write: (report: Uint8Array) => {
        if (report[4] === (TransportCommand.CBOR | 0x80)) cborRequests += 1;
        return connection.write(report);
      },
      read: (timeoutMs: number) => connection.read(timeoutMs),
      close: () => connection.close(),
    };
    const second = await CtapHidTransport.open(counting);
    expect(first.channelId).not.toBe(second.channelId);
    const waiting = first.transact(TransportCommand.CBOR, Uint8Array.of(Ctap2Command.SELECTION), {
      onKeepalive: (status) => {
        if (status === 'user-presence-needed') setTimeout(() => presence.touch(), 300);
      },
    });
    // The second client is answered ERR_CHANNEL_BUSY until the first request completes.
    const [selected, info] = await Promise.all([waiting, getInfo(second)]);
    expect(selected).toEqual(Uint8Array.of(CtapStatus.OK));
    expect(info.get(1)).toContain('FIDO_2_1');
    expect(cborRequests).toBeGreaterThanOrEqual(2);
  });

  it('fails with "disconnected" when the key is removed while it waits for a touch', async () => {
    const { device } = virtualKey('never');
    const transport = await CtapHidTransport.open(device.open());
    const selection = transport.transact(TransportCommand.CBOR, Uint8Array.of(Ctap2Command.SELECTION), {
      onKeepalive: () => device.disconnect(),
    });
    const error = await selection.catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).kind).toBe('disconnected');
  });
});
