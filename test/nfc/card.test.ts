import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TransportError } from '../../ctap/errors.js';
import { encodeCommand, parseResponse, type CommandApdu } from '../../ctap/transport/nfc/apdu.js';
import { makeCard } from './helpers/virtual-card.js';

const SELECT: CommandApdu = { cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x00, data: Uint8Array.from(Buffer.from('A0000006472F0001', 'hex')), le: 256 };
const GET_INFO: CommandApdu = { cla: 0x80, ins: 0x10, p1: 0x00, p2: 0x00, data: Uint8Array.of(0x04), le: 256 };

async function send(card: ReturnType<typeof makeCard>['card'], command: CommandApdu, encoding: 'short' | 'extended' = 'short') {
  return parseResponse(await card.process(encodeCommand(command, encoding)));
}

describe('VirtualCard: the FIDO applet over ISO 7816-4 (CTAP 2.1 §11.3)', () => {
  it('answers SELECT of the FIDO AID with its version, and 6A82 for other AIDs', async () => {
    const { card } = makeCard({ preset: 'nfc-card' });
    card.powerOn();
    const selected = await send(card, SELECT);
    expect(selected.sw).toBe(0x9000);
    expect(['FIDO_2_0', 'U2F_V2']).toContain(Buffer.from(selected.data).toString('latin1'));
    const other = await send(card, { ...SELECT, data: Uint8Array.of(0xa0, 0, 0, 0, 0x03) });
    expect(other.sw).toBe(0x6a82);
    // Selecting something else deselects the FIDO applet.
    expect((await send(card, GET_INFO)).sw).toBe(0x6985);
  });

  it('refuses CTAP commands before SELECT, unknown INS and unknown CLA', async () => {
    const { card } = makeCard();
    card.powerOn();
    expect((await send(card, GET_INFO)).sw).toBe(0x6985);
    await send(card, SELECT);
    expect((await send(card, { cla: 0x80, ins: 0x55, p1: 0, p2: 0 })).sw).toBe(0x6d00);
    expect((await send(card, { cla: 0x00, ins: 0x01, p1: 0, p2: 0, data: new Uint8Array(64) })).sw).toBe(0x6d00);
    expect((await send(card, { cla: 0xa0, ins: 0x10, p1: 0, p2: 0 })).sw).toBe(0x6e00);
    expect((await send(card, { cla: 0x00, ins: 0xc0, p1: 0, p2: 0, le: 256 })).sw).toBe(0x6985);
    expect((await send(card, { cla: 0x80, ins: 0x11, p1: 0, p2: 0, le: 256 })).sw).toBe(0x6985);
  });

  it('refuses extended APDUs with 6700 when it simulates a short-only path', async () => {
    const { card } = makeCard({ acceptExtended: false });
    card.powerOn();
    await send(card, SELECT);
    expect((await send(card, { ...GET_INFO, le: 65536 }, 'extended')).sw).toBe(0x6700);
    expect((await send(card, GET_INFO)).sw >> 8).toBe(0x61);
  });

  it('answers 6883 when a chain is interrupted by a different command', async () => {
    const { card } = makeCard();
    card.powerOn();
    await send(card, SELECT);
    expect((await send(card, { cla: 0x90, ins: 0x10, p1: 0, p2: 0, data: new Uint8Array(10) })).sw).toBe(0x9000);
    expect((await send(card, { cla: 0x80, ins: 0x11, p1: 0, p2: 0 })).sw).toBe(0x6883);
    // The broken chain is forgotten; a fresh command works.
    expect((await send(card, GET_INFO)).sw >> 8).not.toBe(0x68);
  });

  it('is silent while unpowered and powers up the authenticator on power-on', async () => {
    const { card, authenticator } = makeCard();
    await expect(card.process(encodeCommand(SELECT, 'short'))).rejects.toBeInstanceOf(TransportError);
    const before = authenticator.powerUpState.poweredAt;
    await new Promise((resolve) => setTimeout(resolve, 5));
    card.powerOn();
    expect(authenticator.powerUpState.poweredAt).toBeGreaterThan(before);
    expect((await send(card, SELECT)).sw).toBe(0x9000);
  });

  it('builds an ATR with a valid check byte and advertises extended length only when accepted', () => {
    for (const acceptExtended of [true, false]) {
      const { atr } = makeCard({ acceptExtended }).card;
      expect(atr[0]).toBe(0x3b);
      expect(atr.length).toBe(2 + 2 + (atr[1]! & 0x0f) + 1);
      expect(atr.subarray(1).reduce((x, b) => x ^ b, 0)).toBe(0);
      expect(Boolean(atr.at(-2)! & 0x40)).toBe(acceptExtended);
    }
  });

  it('answers every junk APDU with a status word, never a crash', async () => {
    const { card, internalErrors } = makeCard();
    card.powerOn();
    await send(card, SELECT);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 300 }), async (bytes) => {
        // Junk that happens to start a touch-waiting command must not leave the test hanging.
        const response = await card.process(bytes);
        expect(response.length).toBeGreaterThanOrEqual(2);
      }),
      { numRuns: 300 },
    );
    expect(internalErrors).toEqual([]);
  });
});
