/**
 * The virtual key's authenticatorLargeBlobs handler (CTAP 2.1 §6.10.2) on every check it makes.
 * Requests are built by hand here (the client never sends most of them) and go through the
 * production HID transport; each refusal also checks the stored array did not change.
 */
import { createHash, createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { CborValue } from '../../ctap/cbor.js';
import { ClientPin, Permission, type PinUvAuthToken } from '../../ctap/ctap2/client-pin.js';
import { Ctap2Command } from '../../ctap/ctap2/commands.js';
import { CtapError } from '../../ctap/errors.js';
import { CtapStatus } from '../../ctap/status.js';
import type { VirtualKeyConfig } from '../../ctap/virtual/config.js';
import { newState, parseStateFile, serializeState } from '../../ctap/virtual/state.js';
import { openVirtualKey, type VirtualHarness } from '../flows/manage-helpers.js';

const PIN = '246810';
/** `80` ‖ LEFT(SHA-256(80), 16): what a key holds before anything was written (§6.10.1). */
const INITIAL = Buffer.from('8076be8b528d0075f7aae98d6fa57a6d3c', 'hex');
const harnesses: VirtualHarness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
});

async function key(options: { preset?: string; pin?: string; config?: Partial<VirtualKeyConfig> } = {}): Promise<VirtualHarness> {
  const h = await openVirtualKey({ preset: 'ctap21', ...options });
  harnesses.push(h);
  return h;
}

/** A serialized array (CBOR ‖ LEFT(SHA-256, 16)) for a byte-string payload, built by hand. */
function arrayOf(payload: Uint8Array): Uint8Array {
  const body = Buffer.concat([Buffer.from([0x81, 0x59, payload.length >> 8, payload.length & 0xff]), payload]);
  return new Uint8Array(Buffer.concat([body, createHash('sha256').update(body).digest().subarray(0, 16)]));
}

type Params = { get?: number; set?: Uint8Array; offset?: number; length?: number; token?: PinUvAuthToken; param?: Uint8Array };

/** One largeBlobs request; with a token, pinUvAuthParam over 32×0xff ‖ 0c 00 ‖ offsetLE ‖ SHA-256(set). */
async function send(h: VirtualHarness, p: Params): Promise<Uint8Array | number | undefined> {
  const request = new Map<number, CborValue>();
  if (p.get !== undefined) request.set(0x01, p.get);
  if (p.set !== undefined) request.set(0x02, p.set);
  if (p.offset !== undefined) request.set(0x03, p.offset);
  if (p.length !== undefined) request.set(0x04, p.length);
  if (p.token) {
    const offset = Buffer.alloc(4);
    offset.writeUInt32LE(p.offset ?? 0);
    const message = Buffer.concat([Buffer.alloc(32, 0xff), Buffer.from([0x0c, 0x00]), offset, createHash('sha256').update(p.set ?? new Uint8Array()).digest()]);
    request.set(0x05, p.param ?? new Uint8Array(createHmac('sha256', p.token.token).update(message).digest()));
    request.set(0x06, 2);
  }
  try {
    const response = await h.session.send(Ctap2Command.LARGE_BLOBS, request);
    return response?.get(0x01) as Uint8Array | undefined;
  } catch (error) {
    if (error instanceof CtapError) return error.status;
    throw error;
  }
}

describe('virtual largeBlobs: reading (§6.10.2 step 3)', () => {
  it('holds the initial empty array and reads it from any offset up to its end', async () => {
    const h = await key();
    expect(await send(h, { get: 100, offset: 0 })).toEqual(new Uint8Array(INITIAL));
    expect(await send(h, { get: 4, offset: 3 })).toEqual(new Uint8Array(INITIAL.subarray(3, 7)));
    expect(await send(h, { get: 100, offset: 17 })).toEqual(new Uint8Array(0));
  });

  it.each<[string, Params, number]>([
    ['no offset', { get: 10 }, CtapStatus.INVALID_PARAMETER],
    ['neither get nor set', { offset: 0 }, CtapStatus.INVALID_PARAMETER],
    ['both get and set', { get: 10, set: new Uint8Array(17), offset: 0 }, CtapStatus.INVALID_PARAMETER],
    ['get with length', { get: 10, offset: 0, length: 17 }, CtapStatus.INVALID_PARAMETER],
    ['get beyond maxFragmentLength (1200 − 64)', { get: 1137, offset: 0 }, CtapStatus.INVALID_LENGTH],
    ['an offset past the end', { get: 10, offset: 18 }, CtapStatus.INVALID_PARAMETER],
  ])('refuses %s', async (_name, params, status) => {
    const h = await key();
    expect(await send(h, params)).toBe(status);
  });

  it('is absent from 2.1-PRE and 2.0 keys (INVALID_COMMAND)', async () => {
    for (const preset of ['ctap21-pre', 'ctap20']) {
      const h = await key({ preset });
      expect(await send(h, { get: 10, offset: 0 })).toBe(CtapStatus.INVALID_COMMAND);
      expect((await h.session.getInfo()).options.largeBlobs).toBeUndefined();
    }
  });
});

describe('virtual largeBlobs: writing (§6.10.2 step 4)', () => {
  const stored = arrayOf(new Uint8Array(350).fill(0x61)); // 4 + 350 + 16 = 370 bytes

  /** maxMsgSize 264 → 200-byte fragments, so `stored` takes two (and setPIN still fits). */
  const small = { config: { maxMsgSize: 264 } };

  it('replaces the array once the last fragment is in and its hash holds', async () => {
    const h = await key(small);
    expect(await send(h, { set: stored.subarray(0, 200), offset: 0, length: 370 })).toBeUndefined();
    // Not yet: a half-written array is never visible.
    expect(h.key.state.largeBlobArray).toEqual(new Uint8Array(INITIAL));
    expect(await send(h, { set: stored.subarray(200), offset: 200 })).toBeUndefined();
    expect(h.key.state.largeBlobArray).toEqual(stored);
    expect(await send(h, { get: 200, offset: 200 })).toEqual(stored.subarray(200));
  });

  it('keeps the old array when the hash does not hold (INTEGRITY_FAILURE)', async () => {
    const h = await key();
    const bad = stored.slice();
    bad[20]! ^= 1;
    expect(await send(h, { set: bad, offset: 0, length: bad.length })).toBe(CtapStatus.INTEGRITY_FAILURE);
    expect(h.key.state.largeBlobArray).toEqual(new Uint8Array(INITIAL));
    // The failed write is over: a continuation has nothing to continue.
    expect(await send(h, { set: stored.subarray(200), offset: 200 })).toBe(CtapStatus.INVALID_SEQ);
  });

  it.each<[string, Params[], number]>([
    ['a first fragment without length', [{ set: stored.subarray(0, 200), offset: 0 }], CtapStatus.INVALID_PARAMETER],
    ['a length above maxSerializedLargeBlobArray', [{ set: stored.subarray(0, 200), offset: 0, length: 1025 }], CtapStatus.LARGE_BLOB_STORAGE_FULL],
    ['a length below 17', [{ set: new Uint8Array(16), offset: 0, length: 16 }], CtapStatus.INVALID_PARAMETER],
    ['a fragment above maxFragmentLength', [{ set: new Uint8Array(201), offset: 0, length: 370 }], CtapStatus.INVALID_LENGTH],
    ['a continuation with no write begun', [{ set: stored.subarray(200), offset: 200 }], CtapStatus.INVALID_SEQ],
    ['a continuation that carries length', [{ set: stored.subarray(0, 200), offset: 0, length: 370 }, { set: stored.subarray(200), offset: 200, length: 370 }], CtapStatus.INVALID_PARAMETER],
    ['a continuation at the wrong offset', [{ set: stored.subarray(0, 200), offset: 0, length: 370 }, { set: stored.subarray(199), offset: 199 }], CtapStatus.INVALID_SEQ],
    ['a fragment running past length', [{ set: stored.subarray(0, 200), offset: 0, length: 370 }, { set: new Uint8Array(171), offset: 200 }], CtapStatus.INVALID_PARAMETER],
  ])('refuses %s', async (_name, requests, status) => {
    const h = await key(small);
    const answers = [];
    for (const request of requests) answers.push(await send(h, request));
    expect(answers.at(-1)).toBe(status);
    expect(answers.slice(0, -1).every((a) => a === undefined)).toBe(true);
    expect(h.key.state.largeBlobArray).toEqual(new Uint8Array(INITIAL));
  });

  it('with a PIN set, wants an lbw token MACed over SHA-256 of each fragment', async () => {
    const h = await key({ ...small, pin: PIN });
    const first = { set: stored.subarray(0, 200), offset: 0, length: 370 };
    expect(await send(h, first)).toBe(CtapStatus.PUAT_REQUIRED);
    const cm = await new ClientPin(h.session).getPinUvAuthTokenUsingPin(PIN, { permissions: Permission.cm });
    expect(await send(h, { ...first, token: cm })).toBe(CtapStatus.PIN_AUTH_INVALID);
    const lbw = await new ClientPin(h.session).getPinUvAuthTokenUsingPin(PIN, { permissions: Permission.lbw });
    // An early draft (and old Chromium) MACed the fragment itself rather than its hash.
    const overRaw = new Uint8Array(
      createHmac('sha256', lbw.token)
        .update(Buffer.concat([Buffer.alloc(32, 0xff), Buffer.from([0x0c, 0x00, 0, 0, 0, 0]), first.set]))
        .digest(),
    );
    expect(await send(h, { ...first, token: lbw, param: overRaw })).toBe(CtapStatus.PIN_AUTH_INVALID);
    expect(await send(h, { ...first, token: lbw })).toBeUndefined();
    expect(await send(h, { set: stored.subarray(200), offset: 200, token: lbw })).toBeUndefined();
    expect(h.key.state.largeBlobArray).toEqual(stored);
  });

  it('persists the array in the state file, and reads an older file as the initial array', async () => {
    const h = await key();
    expect(await send(h, { set: stored, offset: 0, length: stored.length })).toBeUndefined();
    const file = parseStateFile(serializeState({ preset: 'ctap21', state: h.key.state }));
    expect(file.state.largeBlobArray).toEqual(stored);
    const older = JSON.parse(serializeState({ preset: 'ctap21', state: newState() })) as { state: Record<string, unknown> };
    delete older.state.largeBlobArray;
    expect(parseStateFile(JSON.stringify(older)).state.largeBlobArray).toEqual(new Uint8Array(INITIAL));
  });

  it('goes back to the initial array on reset (§6.6)', async () => {
    const h = await key();
    expect(await send(h, { set: stored, offset: 0, length: stored.length })).toBeUndefined();
    await h.session.send(Ctap2Command.RESET);
    expect(h.key.state.largeBlobArray).toEqual(new Uint8Array(INITIAL));
  });
});
