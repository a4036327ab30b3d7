import { describe, expect, it } from 'vitest';
import { encodeCanonical } from '../../ctap/cbor.js';
import { ClientPin } from '../../ctap/ctap2/client-pin.js';
import { Ctap2Command } from '../../ctap/ctap2/commands.js';
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import { CancelledError, CtapError, TransportError, UnsupportedError } from '../../ctap/errors.js';
import { CtapStatus } from '../../ctap/status.js';
import { encodeResponse, parseCommand, type ApduConnection } from '../../ctap/transport/nfc/apdu.js';
import { CtapNfcTransport } from '../../ctap/transport/nfc/nfc-transport.js';
import { TransportCommand, type KeepaliveStatus } from '../../ctap/transport/transport.js';
import { MANY_EXTENSIONS, makeCard } from './helpers/virtual-card.js';

let names = 0;
/** A fresh reader name per test, so the per-reader extended-APDU memory starts empty. */
const readerName = (): string => `In-process reader ${++names}`;

/** Records every command APDU the transport sends through a card connection. */
function recording(connection: ApduConnection): ApduConnection & { sent: Uint8Array[] } {
  const sent: Uint8Array[] = [];
  return {
    ...connection,
    sent,
    transmit: (apdu, signal) => {
      sent.push(apdu);
      return connection.transmit(apdu, signal);
    },
  };
}

describe('CtapNfcTransport over the virtual card (CTAP 2.1 §11.3)', () => {
  it('selects the applet; a key that also speaks U2F answers U2F_V2 and is probed for CTAP2', async () => {
    const { card } = makeCard();
    const transport = await CtapNfcTransport.open(card.connect(readerName()));
    expect(transport.appletVersion).toBe('U2F_V2');
    expect(transport.capabilities).toEqual({ cbor: true, msg: true, wink: false });
  });

  it("answers the session's first getInfo with the probe's, and only the first, only before any other command", async () => {
    const { card } = makeCard();
    const connection = recording(card.connect(readerName()));
    const transport = await CtapNfcTransport.open(connection);
    const ctapSent = () => connection.sent.filter((apdu) => apdu[0] === 0x80 && apdu[1] === 0x10).length;
    expect(ctapSent()).toBe(1);
    const first = await transport.transact(TransportCommand.CBOR, Uint8Array.of(Ctap2Command.GET_INFO));
    expect(ctapSent()).toBe(1);
    expect(first[0]).toBe(CtapStatus.OK);
    // Asked again, the key answers; the kept answer was the same bytes the key gives.
    expect(await transport.transact(TransportCommand.CBOR, Uint8Array.of(Ctap2Command.GET_INFO))).toEqual(first);
    expect(ctapSent()).toBe(2);

    // Another command first: the kept answer is dropped, and getInfo goes to the key.
    const other = recording(card.connect(readerName()));
    const second = await CtapNfcTransport.open(other);
    await second.transact(TransportCommand.CBOR, Uint8Array.of(Ctap2Command.CLIENT_PIN, 0xa2, 0x01, 0x02, 0x02, 0x01));
    await second.transact(TransportCommand.CBOR, Uint8Array.of(Ctap2Command.GET_INFO));
    expect(other.sent.filter((apdu) => apdu[0] === 0x80 && apdu[1] === 0x10)).toHaveLength(3);
  });

  it('takes FIDO_2_0 as CTAP2-only without probing', async () => {
    const { card } = makeCard({ config: { supports: { ...makeCard().config.supports, u2f: false } } });
    const connection = recording(card.connect(readerName()));
    const transport = await CtapNfcTransport.open(connection);
    expect(transport.appletVersion).toBe('FIDO_2_0');
    expect(transport.capabilities).toEqual({ cbor: true, msg: false, wink: false });
    expect(connection.sent).toHaveLength(1);
  });

  it('reports a U2F-only key as such and refuses CBOR before sending', async () => {
    const { card } = makeCard({ preset: 'u2f-only' });
    const transport = await CtapNfcTransport.open(card.connect(readerName()));
    expect(transport.capabilities.cbor).toBe(false);
    expect(transport.capabilities.msg).toBe(true);
    await expect(transport.transact(TransportCommand.CBOR, Uint8Array.of(Ctap2Command.GET_INFO))).rejects.toBeInstanceOf(UnsupportedError);
  });

  it('runs getInfo and the PIN commands through NFCCTAP_MSG', async () => {
    const { card, state } = makeCard();
    const session = new Ctap2Session(await CtapNfcTransport.open(card.connect(readerName())));
    const info = await session.getInfo();
    expect(info.versions).toContain('FIDO_2_1');
    expect(info.transports).toContain('nfc');
    const pin = new ClientPin(session);
    await pin.setPin('123456');
    expect(state.pinHash).not.toBeNull();
    await pin.changePin('123456', '654321');
    expect(state.pinLength).toBe(6);
    await expect(pin.changePin('123456', '111111')).rejects.toMatchObject({ status: CtapStatus.PIN_INVALID });
    expect(state.pinRetries).toBe(7);
  });

  it('reads a getInfo longer than 256 bytes in one extended APDU', async () => {
    const { card, config } = makeCard({ config: { extensions: MANY_EXTENSIONS } });
    const connection = recording(card.connect(readerName()));
    const transport = await CtapNfcTransport.open(connection);
    const info = await new Ctap2Session(transport).getInfo();
    expect(info.extensions).toEqual(config.extensions);
    // SELECT, then one getInfo: the probe's, whose answer the session's getInfo gets.
    expect(transport.stats.apdus).toBe(2);
    expect(parseCommand(connection.sent[1]!).encoding).toBe('extended');
    expect(transport.stats.bytesIn).toBeGreaterThan(256);
  });

  it('falls back to short APDUs with GET RESPONSE on a short-only path, and remembers it', async () => {
    const name = readerName();
    const { card, config } = makeCard({ config: { extensions: MANY_EXTENSIONS }, acceptExtended: false });
    const connection = recording(card.connect(name));
    const transport = await CtapNfcTransport.open(connection);
    const info = await new Ctap2Session(transport).getInfo();
    expect(info.extensions).toEqual(config.extensions);
    const commands = connection.sent.map((apdu) => parseCommand(apdu));
    expect(commands.filter((c) => c.ins === 0xc0).length).toBeGreaterThan(0);
    // The refused extended probe happened once (on open), never again on this reader.
    const again = recording(card.connect(name));
    const second = await CtapNfcTransport.open(again);
    await new Ctap2Session(second).getInfo();
    expect(again.sent.map((apdu) => parseCommand(apdu).encoding)).not.toContain('extended');
  });

  it('chains a request longer than 255 bytes on a short-only path', async () => {
    const { card } = makeCard({ acceptExtended: false });
    const connection = recording(card.connect(readerName()));
    const transport = await CtapNfcTransport.open(connection);
    // getInfo ignores parameters, so a long parameter map only exercises the chaining.
    const request = Uint8Array.from([Ctap2Command.GET_INFO, ...encodeCanonical(new Map([[1, new Uint8Array(700)]]))]);
    connection.sent.length = 0;
    const response = await transport.transact(TransportCommand.CBOR, request);
    expect(response[0]).toBe(CtapStatus.OK);
    const chained = connection.sent.map((apdu) => parseCommand(apdu)).filter((c) => c.cla === 0x90);
    expect(chained.length).toBe(2);
  });

  it('polls NFCCTAP_GETRESPONSE on 9100 and reports the touch prompt once', async () => {
    const { card } = makeCard({ presence: { afterMs: 300 } });
    const transport = await CtapNfcTransport.open(card.connect(readerName()));
    const keepalives: KeepaliveStatus[] = [];
    const before = transport.stats.apdus;
    const response = await transport.transact(TransportCommand.CBOR, Uint8Array.of(Ctap2Command.SELECTION), {
      onKeepalive: (status) => keepalives.push(status),
    });
    expect(response).toEqual(Uint8Array.of(CtapStatus.OK));
    expect(keepalives).toEqual(['user-presence-needed']);
    expect(transport.stats.apdus - before).toBeGreaterThanOrEqual(3);
  });

  it('cancels with NFCCTAP_GETRESPONSE P1=0x11 when the signal fires', async () => {
    const { card, presence } = makeCard({ presence: 'never' });
    const transport = await CtapNfcTransport.open(card.connect(readerName()));
    const controller = new AbortController();
    const pending = transport.transact(TransportCommand.CBOR, Uint8Array.of(Ctap2Command.SELECTION), {
      signal: controller.signal,
      onKeepalive: () => controller.abort(),
    });
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
    expect(presence.waiting).toBe(false);
    // The card is ready for the next command at once.
    const info = await new Ctap2Session(transport).getInfo();
    expect(info.versions.length).toBeGreaterThan(0);
  });

  it('fails with a typed disconnect when the card leaves the field mid-command', async () => {
    const { card, state, presence } = makeCard({ presence: 'never' });
    const transport = await CtapNfcTransport.open(card.connect(readerName()));
    await new ClientPin(new Ctap2Session(transport)).setPin('123456');
    const pinHash = Uint8Array.from(state.pinHash!);
    const pending = transport.transact(TransportCommand.CBOR, Uint8Array.of(Ctap2Command.RESET), {
      onKeepalive: () => card.powerOff(),
    });
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).kind).toBe('disconnected');
    // The reset waiting for a touch was abandoned, not half-done: the PIN is still there.
    expect(presence.waiting).toBe(false);
    expect(state.pinHash).toEqual(pinHash);
  });

  it('power-cycles the card: a fresh power-up for the authenticator, applet selected again', async () => {
    const { card, authenticator } = makeCard();
    const transport = await CtapNfcTransport.open(card.connect(readerName()));
    const before = authenticator.powerUpState.poweredAt;
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(transport.powerCycle).toBeTypeOf('function');
    await transport.powerCycle?.();
    expect(authenticator.powerUpState.poweredAt).toBeGreaterThan(before);
    const response = await transport.transact(TransportCommand.CBOR, Uint8Array.of(Ctap2Command.GET_INFO));
    expect(response[0]).toBe(CtapStatus.OK);
  });

  it('refuses a card without the FIDO applet as not-fido', async () => {
    const notFido: ApduConnection = {
      name: readerName(),
      transmit: async () => encodeResponse(new Uint8Array(0), 0x6a82),
      close: async () => {},
    };
    const error = await CtapNfcTransport.open(notFido).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).kind).toBe('not-fido');
  });

  it('maps an APDU-level refusal of NFCCTAP_MSG to a status-word error', async () => {
    const answers = [encodeResponse(new TextEncoder().encode('FIDO_2_0'), 0x9000)];
    const card: ApduConnection = {
      name: readerName(),
      transmit: async () => answers.shift() ?? encodeResponse(new Uint8Array(0), 0x6985),
      close: async () => {},
    };
    const transport = await CtapNfcTransport.open(card, { encoding: 'short' });
    const error = await transport.transact(TransportCommand.CBOR, Uint8Array.of(Ctap2Command.GET_INFO)).catch((e: unknown) => e);
    expect((error as TransportError).kind).toBe('status-word');
    expect((error as TransportError).details.sw).toBe(0x6985);
  });

  it('has no wink and no CTAPHID-only commands', async () => {
    const { card } = makeCard();
    const transport = await CtapNfcTransport.open(card.connect(readerName()));
    await expect(transport.wink()).rejects.toBeInstanceOf(UnsupportedError);
    await expect(transport.transact(TransportCommand.PING, new Uint8Array(4))).rejects.toBeInstanceOf(UnsupportedError);
  });

  it('surfaces CTAP status errors from the key unchanged', async () => {
    const { card } = makeCard({ presence: 'deny' });
    const session = new Ctap2Session(await CtapNfcTransport.open(card.connect(readerName())));
    const error = await session.send(Ctap2Command.SELECTION).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CtapError);
    expect((error as CtapError).status).toBe(CtapStatus.OPERATION_DENIED);
  });

  it('times out when the card stops answering, but not while it keeps sending 9100', async () => {
    const { card } = makeCard({ presence: { afterMs: 250 } });
    const inner = card.connect(readerName());
    let mute = false;
    const connection: ApduConnection = {
      ...inner,
      // A mute card: the transmit only ends when the caller stops waiting.
      transmit: (apdu, signal) =>
        mute
          ? new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new CancelledError()), { once: true }))
          : inner.transmit(apdu, signal),
    };
    const transport = await CtapNfcTransport.open(connection);
    const slow = await transport.transact(TransportCommand.CBOR, Uint8Array.of(Ctap2Command.SELECTION), { timeoutMs: 150 });
    expect(slow).toEqual(Uint8Array.of(CtapStatus.OK));
    mute = true;
    const error = await transport.transact(TransportCommand.CBOR, Uint8Array.of(Ctap2Command.GET_INFO), { timeoutMs: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).kind).toBe('timeout');
  });

  it('gives up on a card that answers 9100 forever: cancels it and fails with a timeout', async () => {
    const { card } = makeCard();
    const inner = card.connect(readerName());
    const sent: Uint8Array[] = [];
    let stuck = false;
    const connection: ApduConnection = {
      ...inner,
      transmit: (apdu, signal) => {
        sent.push(apdu);
        // Once stuck, NFCCTAP_MSG / NFCCTAP_GETRESPONSE (not the cancel, P1 0x11): "still processing".
        const ctap = stuck && apdu[0] === 0x80 && (apdu[1] === 0x10 || apdu[1] === 0x11) && apdu[2] !== 0x11;
        return ctap ? Promise.resolve(encodeResponse(Uint8Array.of(1), 0x9100)) : inner.transmit(apdu, signal);
      },
    };
    const transport = await CtapNfcTransport.open(connection, { processingDeadlineMs: 200 });
    stuck = true;
    const started = Date.now();
    const getPinRetries = Uint8Array.of(Ctap2Command.CLIENT_PIN, 0xa2, 0x01, 0x01, 0x02, 0x01);
    const error = await transport.transact(TransportCommand.CBOR, getPinRetries, { timeoutMs: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(sent.some((apdu) => apdu[1] === 0x11 && apdu[2] === 0x11)).toBe(true);
  });

  it('passes a U2F APDU (CTAPHID_MSG) through and returns the answer with its status word', async () => {
    const { card } = makeCard({ preset: 'u2f-only' });
    const connection = recording(card.connect(readerName()));
    const transport = await CtapNfcTransport.open(connection);
    // U2F_VERSION (FIDO U2F raw messages §6.3): the simulator has no U2F applet logic, so 6D00.
    const response = await transport.transact(TransportCommand.MSG, Uint8Array.of(0x00, 0x03, 0x00, 0x00, 0x00));
    expect(Array.from(response)).toEqual([0x6d, 0x00]);
    const sent = parseCommand(connection.sent.at(-1)!);
    expect([sent.cla, sent.ins, sent.p1, sent.p2]).toEqual([0x00, 0x03, 0x00, 0x00]);
  });
});
