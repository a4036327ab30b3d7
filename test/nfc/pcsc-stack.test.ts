/**
 * The NFC path on the real PC/SC stack: PcscDiscovery (nfc-pcsc → libpcsclite → pcscd) talking to
 * the virtual card attached to pcscd's vsmartcard vpcd reader over TCP. `.ci/pcscd.sh` brings the
 * stack up. There is one vpcd slot: every real-stack test file (this one, cli-stack, reset-stack)
 * takes it through the ticket lock in helpers/vpcd-slot.ts and runs its tests in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCanonical } from '../../ctap/cbor.js';
import { ClientPin } from '../../ctap/ctap2/client-pin.js';
import { Ctap2Command } from '../../ctap/ctap2/commands.js';
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import { TransportError } from '../../ctap/errors.js';
import { CtapStatus } from '../../ctap/status.js';
import type { DiscoveryEvent } from '../../ctap/transport/discovery.js';
import type { CtapNfcTransport } from '../../ctap/transport/nfc/nfc-transport.js';
import { PcscDiscovery } from '../../ctap/transport/nfc/pcsc.js';
import { TransportCommand, type KeepaliveStatus } from '../../ctap/transport/transport.js';
import { MANY_EXTENSIONS, makeCard, type CardFixture } from './helpers/virtual-card.js';
import { acquireSlot, readerStatus, realStackSkipReason, tapCard, VPCD_READER as READER } from './helpers/vpcd-slot.js';

const skipReason = await realStackSkipReason();
const skip = skipReason !== null;
if (skip) console.warn(`Skipping the real PC/SC tests: ${skipReason}.`);

let discovery: PcscDiscovery;
const events: DiscoveryEvent[] = [];

async function tap(fixture: CardFixture) {
  return { fixture, ...(await tapCard(discovery, fixture.card)) };
}

describe.skipIf(skip)('NFC over the real PC/SC stack (pcscd + vpcd)', () => {
  beforeAll(async () => {
    discovery = new PcscDiscovery({ readerFilter: (name) => name === READER });
    discovery.watch((event) => events.push(event));
  });

  afterAll(async () => {
    await discovery?.close();
  });

  it('lists the vpcd reader as an empty reader ("tap your key")', async () => {
    const release = await acquireSlot();
    try {
      const device = await readerStatus(discovery, 'no-card');
      expect(device).toMatchObject({ id: `nfc:${READER}`, transport: 'nfc', name: READER, reader: READER, status: 'no-card' });
      await expect(device.open()).rejects.toMatchObject({ kind: 'disconnected' });
    } finally {
      release();
    }
  });

  it('sees the card arrive, runs getInfo and sets and changes the PIN', async () => {
    events.length = 0;
    const card = await tap(makeCard({ preset: 'nfc-card' }));
    try {
      expect(events.some((e) => e.type === 'added' && e.device.status === 'ready' && e.device.id === `nfc:${READER}`)).toBe(true);
      const transport = await card.device.open();
      const session = new Ctap2Session(transport);
      const info = await session.getInfo();
      expect(info.aaguid).toEqual(card.fixture.config.aaguid);
      const pin = new ClientPin(session);
      await pin.setPin('24682468');
      expect(card.fixture.state.pinLength).toBe(8);
      await pin.changePin('24682468', '13571357');
      const hash = card.fixture.state.pinHash;
      await expect(pin.changePin('00000000', '11111111')).rejects.toMatchObject({ status: CtapStatus.PIN_INVALID });
      expect(card.fixture.state.pinHash).toEqual(hash);
      expect((await pin.getPinRetries()).retries).toBe(7);
      await transport.close();
    } finally {
      await card.lift();
    }
    expect(card.fixture.internalErrors).toEqual([]);
  });

  it('carries a getInfo longer than 256 bytes in extended APDUs', async () => {
    const card = await tap(makeCard({ config: { extensions: MANY_EXTENSIONS } }));
    try {
      const transport = (await card.device.open()) as CtapNfcTransport;
      const info = await new Ctap2Session(transport).getInfo();
      expect(info.extensions).toEqual(MANY_EXTENSIONS);
      // SELECT and one getInfo (the applet probe's, whose answer the session gets).
      expect(transport.stats.apdus).toBe(2);
    } finally {
      await card.lift();
    }
  });

  it('carries the same getInfo over a short-APDU-only card with GET RESPONSE and chaining', async () => {
    const card = await tap(makeCard({ config: { extensions: MANY_EXTENSIONS }, acceptExtended: false }));
    try {
      const transport = (await card.device.open()) as CtapNfcTransport;
      const info = await new Ctap2Session(transport).getInfo();
      expect(info.extensions).toEqual(MANY_EXTENSIONS);
      // SELECT, the probe's getInfo, and GET RESPONSE for the rest of its long answer.
      expect(transport.stats.apdus).toBeGreaterThan(2);
      const pin = new ClientPin(new Ctap2Session(transport));
      await pin.setPin('9876');
      expect(card.fixture.state.pinHash).not.toBeNull();
      // A request longer than one short APDU (getInfo ignores parameters) goes as a chain.
      const request = Uint8Array.from([Ctap2Command.GET_INFO, ...encodeCanonical(new Map([[1, new Uint8Array(700)]]))]);
      const sent = transport.stats.apdus;
      const response = await transport.transact(TransportCommand.CBOR, request);
      expect(response[0]).toBe(CtapStatus.OK);
      // 3 chained NFCCTAP_MSG parts (250 + 250 + rest), then GET RESPONSE for the long answer.
      expect(transport.stats.apdus - sent).toBeGreaterThanOrEqual(4);
    } finally {
      await card.lift();
    }
  });

  it('reports "touch your key" from 9100 while the key waits for a touch', async () => {
    const card = await tap(makeCard({ presence: { afterMs: 300 } }));
    try {
      const transport = await card.device.open();
      const keepalives: KeepaliveStatus[] = [];
      const response = await transport.transact(TransportCommand.CBOR, Uint8Array.of(Ctap2Command.SELECTION), {
        onKeepalive: (status) => keepalives.push(status),
      });
      expect(response[0]).toBe(CtapStatus.OK);
      expect(keepalives).toEqual(['user-presence-needed']);
    } finally {
      await card.lift();
    }
  });

  it('fails with a typed error when the card is lifted mid-command, leaving the key intact', async () => {
    const fixture = makeCard({ presence: 'never' });
    const card = await tap(fixture);
    try {
      const transport = await card.device.open();
      const session = new Ctap2Session(transport);
      await new ClientPin(session).setPin('11223344');
      const hash = Uint8Array.from(fixture.state.pinHash!);
      const error = await transport
        .transact(TransportCommand.CBOR, Uint8Array.of(Ctap2Command.RESET), { onKeepalive: () => void card.lift() })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TransportError);
      expect((error as TransportError).kind).toBe('disconnected');
      expect(fixture.state.pinHash).toEqual(hash);
      expect(fixture.presence.waiting).toBe(false);
      await expect(transport.transact(TransportCommand.CBOR, Uint8Array.of(Ctap2Command.GET_INFO))).rejects.toMatchObject({ kind: 'disconnected' });
    } finally {
      await card.lift();
    }
  });

  it('power-cycles the card through the reader, restarting the reset window', async () => {
    const card = await tap(makeCard());
    try {
      const transport = (await card.device.open()) as CtapNfcTransport;
      const before = card.fixture.authenticator.powerUpState.poweredAt;
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(transport.powerCycle).toBeTypeOf('function');
      await transport.powerCycle?.();
      expect(card.fixture.authenticator.powerUpState.poweredAt).toBeGreaterThan(before);
      const response = await transport.transact(TransportCommand.CBOR, Uint8Array.of(Ctap2Command.GET_INFO));
      expect(response[0]).toBe(CtapStatus.OK);
    } finally {
      await card.lift();
    }
  });
});
