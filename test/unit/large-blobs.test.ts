/**
 * authenticatorLargeBlobs, platform side (CTAP 2.1 §6.10): the array hash and entry format
 * against values computed here with node:crypto, fragmented reads on a small maxMsgSize, every
 * way a stored array can be unusable, and the exact bytes of a write (pinUvAuthParam included).
 */
import { createCipheriv, createDecipheriv, createHash, createHmac } from 'node:crypto';
import { deflateRawSync, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeCanonical, type CborMap, type CborValue } from '../../ctap/cbor.js';
import { Permission } from '../../ctap/ctap2/client-pin.js';
import { Ctap2Command } from '../../ctap/ctap2/commands.js';
import { LargeBlobEntryKey, openLargeBlob, parseLargeBlobEntry, sealLargeBlob } from '../../ctap/ctap2/large-blob-entry.js';
import { LargeBlobs, parseLargeBlobArray, serializeLargeBlobArray } from '../../ctap/ctap2/large-blobs.js';
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import { CtapError, ProtocolError, UnsupportedError } from '../../ctap/errors.js';
import { CtapStatus } from '../../ctap/status.js';
import { ctap21Info, fixedToken, ScriptedTransport, type RecordedRequest } from '../flows/manage-helpers.js';

const sha256 = (data: Uint8Array): Buffer => createHash('sha256').update(data).digest();
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** getInfo of a 2.1 key with largeBlobs, a given maxMsgSize and array maximum. */
function largeBlobInfo(maxMsgSize: number, maxArray = 1024): CborMap {
  return ctap21Info({ largeBlobs: true }, [
    [0x05, maxMsgSize],
    [0x0b, maxArray],
  ]);
}

/** A key holding `stored`, answering reads as §6.10.2 step 3 says; writes are only recorded. */
function keyHolding(stored: Uint8Array, info: CborMap): { transport: ScriptedTransport; session: Ctap2Session } {
  const transport = new ScriptedTransport(info, (request) => {
    const get = request.params?.get(0x01);
    const offset = request.params?.get(0x03) as number;
    if (typeof get === 'number') return { body: new Map([[0x01, stored.slice(offset, offset + get)]]) };
    return {};
  });
  return { transport, session: new Ctap2Session(transport) };
}

describe('serialized large-blob array (§6.10.1)', () => {
  it('an empty array is 80 followed by LEFT(SHA-256(80), 16), the value keys ship with', () => {
    const serialized = serializeLargeBlobArray([]);
    expect(hex(serialized)).toBe('80' + hex(sha256(Uint8Array.of(0x80)).subarray(0, 16)));
    // Published in Yubico's SDK documentation of SerializedLargeBlobArray.
    expect(hex(serialized)).toBe('8076be8b528d0075f7aae98d6fa57a6d3c');
  });

  it('hashes the canonical CBOR of the entries', () => {
    const entries: CborValue[] = [new Map<number, CborValue>([[1, new Uint8Array(20).fill(7)], [2, new Uint8Array(12)], [3, 5]])];
    const body = encodeCanonical(entries);
    const serialized = serializeLargeBlobArray(entries);
    expect(hex(serialized)).toBe(hex(body) + hex(sha256(body).subarray(0, 16)));
    const parsed = parseLargeBlobArray(serialized);
    expect(parsed).toMatchObject({ kind: 'valid', size: body.length + 16 });
    expect(parsed.kind === 'valid' && parsed.entries).toEqual(entries);
  });

  it.each([
    { name: 'shorter than the hash', bytes: new Uint8Array(16), reason: 'truncated' },
    { name: 'nothing at all', bytes: new Uint8Array(0), reason: 'truncated' },
    { name: 'one flipped hash bit', bytes: (() => { const b = serializeLargeBlobArray([]); b[5]! ^= 1; return b; })(), reason: 'hash-mismatch' },
    { name: 'cut off after a valid write', bytes: serializeLargeBlobArray([new Uint8Array(40)]).slice(0, 30), reason: 'hash-mismatch' },
    { name: 'a valid hash over bytes that are not CBOR', bytes: withHash(Uint8Array.of(0xff, 0xff)), reason: 'malformed' },
    { name: 'a valid hash over a CBOR map', bytes: withHash(Uint8Array.of(0xa0)), reason: 'not-an-array' },
  ])('reads $name as corrupt ($reason) with its size, never throwing', ({ bytes, reason }) => {
    expect(parseLargeBlobArray(bytes)).toEqual({ kind: 'corrupt', reason, size: bytes.length, serialized: bytes });
  });
});

function withHash(body: Uint8Array): Uint8Array {
  return new Uint8Array([...body, ...sha256(body).subarray(0, 16)]);
}

describe('large-blob entries (§6.10.3): AES-256-GCM over raw DEFLATE', () => {
  const key = new Uint8Array(32).map((_, i) => i);
  const nonce = new Uint8Array(12).fill(0x42);
  const data = new TextEncoder().encode('ssh-ed25519-cert-v01@openssh.com AAAA… an SSH certificate kept with the passkey');

  /** Associated data "blob" ‖ uint64LE(origSize), built here without the library. */
  function ad(size: number): Buffer {
    const out = Buffer.alloc(12);
    out.write('blob', 0, 'ascii');
    out.writeBigUInt64LE(BigInt(size), 4);
    return out;
  }

  function nodeSeal(compressed: Uint8Array, size: number, k = key): Uint8Array {
    const cipher = createCipheriv('aes-256-gcm', k, nonce);
    cipher.setAAD(ad(size));
    return new Uint8Array(Buffer.concat([cipher.update(compressed), cipher.final(), cipher.getAuthTag()]));
  }

  it('seals exactly as node:crypto does with the spec associated data', () => {
    const entry = sealLargeBlob(key, data, nonce);
    expect(entry.get(LargeBlobEntryKey.nonce)).toEqual(nonce);
    expect(entry.get(LargeBlobEntryKey.origSize)).toBe(data.length);
    expect(hex(entry.get(LargeBlobEntryKey.ciphertext) as Uint8Array)).toBe(hex(nodeSeal(deflateRawSync(data), data.length)));
    // And node:crypto opens it back to the raw DEFLATE stream.
    const ciphertext = entry.get(LargeBlobEntryKey.ciphertext) as Uint8Array;
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAAD(ad(data.length));
    decipher.setAuthTag(ciphertext.subarray(-16));
    expect(hex(Buffer.concat([decipher.update(ciphertext.subarray(0, -16)), decipher.final()]))).toBe(hex(deflateRawSync(data)));
  });

  it('opens an entry node:crypto sealed, raw DEFLATE or zlib-wrapped (older libfido2)', () => {
    for (const compressed of [deflateRawSync(data), deflateSync(data)]) {
      const entry = parseLargeBlobEntry(new Map<number, CborValue>([[1, nodeSeal(compressed, data.length)], [2, nonce], [3, data.length]]));
      expect(entry).not.toBeNull();
      expect(openLargeBlob(key, entry!)).toEqual({ kind: 'opened', data });
    }
  });

  it('tells another passkey’s entry from a damaged one of its own', () => {
    const entry = parseLargeBlobEntry(sealLargeBlob(key, data, nonce))!;
    expect(openLargeBlob(new Uint8Array(32).fill(9), entry)).toEqual({ kind: 'not-mine' });
    // The associated data binds origSize: a different size is not this key's entry any more.
    expect(openLargeBlob(key, { ...entry, origSize: data.length + 1 })).toEqual({ kind: 'not-mine' });
    // Authentic, but the plaintext is not DEFLATE, or inflates to another size than it claims.
    const garbage = parseLargeBlobEntry(new Map<number, CborValue>([[1, nodeSeal(Uint8Array.of(0xff, 0xfe, 0xfd), 3)], [2, nonce], [3, 3]]))!;
    expect(openLargeBlob(key, garbage)).toEqual({ kind: 'damaged' });
    const short = parseLargeBlobEntry(new Map<number, CborValue>([[1, nodeSeal(deflateRawSync(data), data.length - 1)], [2, nonce], [3, data.length - 1]]))!;
    expect(openLargeBlob(key, short)).toEqual({ kind: 'damaged' });
  });

  it.each([
    ['not a map', new Uint8Array(3)],
    ['no ciphertext', new Map<number, CborValue>([[2, nonce], [3, 1]])],
    ['a ciphertext shorter than the tag', new Map<number, CborValue>([[1, new Uint8Array(15)], [2, nonce], [3, 1]])],
    ['an 8-byte nonce', new Map<number, CborValue>([[1, new Uint8Array(16)], [2, new Uint8Array(8)], [3, 1]])],
    ['a negative origSize', new Map<number, CborValue>([[1, new Uint8Array(16)], [2, nonce], [3, -1]])],
    ['a 2^64-scale origSize', new Map<number, CborValue>([[1, new Uint8Array(16)], [2, nonce], [3, 2n ** 60n]])],
  ])('does not take %s for an entry', (_name, item) => {
    expect(parseLargeBlobEntry(item as CborValue)).toBeNull();
  });
});

describe('LargeBlobs.readSerialized (§6.10.2 step 3)', () => {
  it('reads a 95-byte array in 10-byte fragments on a key with maxMsgSize 74', async () => {
    const stored = serializeLargeBlobArray([new Uint8Array(76).map((_, i) => i)]);
    expect(stored.length).toBe(95);
    const { transport, session } = keyHolding(stored, largeBlobInfo(74));
    expect(await new LargeBlobs(session).readSerialized()).toEqual(stored);
    expect(transport.requests.map((r) => r.command)).toEqual(new Array(10).fill(Ctap2Command.LARGE_BLOBS));
    expect(transport.requests.map((r) => [r.params?.get(0x01), r.params?.get(0x03)])).toEqual(
      Array.from({ length: 10 }, (_, i) => [10, i * 10]),
    );
    // Reads carry nothing but get and offset (§6.10.2: no token, no length).
    expect(transport.requests.every((r) => r.params?.size === 2)).toBe(true);
  });

  it('asks once more when the array ends exactly on a fragment boundary', async () => {
    const stored = serializeLargeBlobArray([new Uint8Array(22)]); // 1 + 1 + 22 + 16 = 40 bytes
    expect(stored.length).toBe(40);
    const { transport, session } = keyHolding(stored, largeBlobInfo(74));
    expect(await new LargeBlobs(session).readSerialized()).toEqual(stored);
    expect(transport.requests.map((r) => r.params?.get(0x03))).toEqual([0, 10, 20, 30, 40]);
  });

  it('returns a corrupt array as such, with its size', async () => {
    const stored = serializeLargeBlobArray([new Uint8Array(30)]);
    stored[stored.length - 1]! ^= 0x80;
    const { session } = keyHolding(stored, largeBlobInfo(1024));
    expect(await new LargeBlobs(session).readArray()).toMatchObject({ kind: 'corrupt', reason: 'hash-mismatch', size: stored.length });
  });

  it('refuses a fragment longer than asked for, or an answer without config', async () => {
    const long = new Ctap2Session(new ScriptedTransport(largeBlobInfo(74), () => ({ body: new Map([[0x01, new Uint8Array(11)]]) })));
    await expect(new LargeBlobs(long).readSerialized()).rejects.toBeInstanceOf(ProtocolError);
    const empty = new Ctap2Session(new ScriptedTransport(largeBlobInfo(74), () => ({ body: new Map([[0x02, new Uint8Array(1)]]) })));
    await expect(new LargeBlobs(empty).readSerialized()).rejects.toBeInstanceOf(ProtocolError);
  });

  it('stops a key that keeps sending full fragments past its maximum', async () => {
    const endless = new ScriptedTransport(largeBlobInfo(74, 1024), () => ({ body: new Map([[0x01, new Uint8Array(10)]]) }));
    await expect(new LargeBlobs(new Ctap2Session(endless)).readSerialized()).rejects.toBeInstanceOf(ProtocolError);
    expect(endless.requests.length).toBe(103);
  });

  it('says so on a key without largeBlobs, sending nothing', async () => {
    const transport = new ScriptedTransport(ctap21Info(), () => ({}));
    await expect(new LargeBlobs(new Ctap2Session(transport)).readSerialized()).rejects.toBeInstanceOf(UnsupportedError);
    expect(transport.requests).toEqual([]);
  });
});

describe('LargeBlobs.writeSerialized (§6.10.2 step 4)', () => {
  const serialized = serializeLargeBlobArray([new Uint8Array(70).fill(0x5a)]); // 1 + 2 + 70 + 16 = 89 bytes

  function sets(requests: RecordedRequest[]): { set: Uint8Array; offset: number; length: CborValue | undefined; param: CborValue | undefined; protocol: CborValue | undefined }[] {
    return requests.map((r) => ({
      set: r.params!.get(0x02) as Uint8Array,
      offset: r.params!.get(0x03) as number,
      length: r.params!.get(0x04),
      param: r.params!.get(0x05),
      protocol: r.params!.get(0x06),
    }));
  }

  /** 32×0xff ‖ 0x0c 0x00 ‖ uint32LE(offset) ‖ SHA-256(fragment), written out by hand. */
  function macInput(offset: number, fragment: Uint8Array): Buffer {
    const le = Buffer.alloc(4);
    le.writeUInt32LE(offset);
    return Buffer.concat([Buffer.alloc(32, 0xff), Buffer.from([0x0c, 0x00]), le, sha256(fragment)]);
  }

  it.each([2, 1] as const)('sends %s-protocol fragments with the length first and pinUvAuthParam over each', async (version) => {
    const transport = new ScriptedTransport(largeBlobInfo(94), () => ({}));
    const token = fixedToken({ version, permissions: Permission.lbw, fill: 0x33 });
    await new LargeBlobs(new Ctap2Session(transport), token).writeSerialized(serialized);
    const sent = sets(transport.requests);
    expect(sent.map((s) => s.offset)).toEqual([0, 30, 60]);
    expect(sent.map((s) => s.set.length)).toEqual([30, 30, 29]);
    expect(sent.map((s) => s.length)).toEqual([89, undefined, undefined]);
    expect(new Uint8Array(Buffer.concat(sent.map((s) => s.set)))).toEqual(serialized);
    for (const s of sent) {
      const mac = createHmac('sha256', Buffer.alloc(32, 0x33)).update(macInput(s.offset, s.set)).digest();
      // §6.5.6: protocol 1 sends the first 16 bytes of the HMAC; §6.5.7: protocol 2 all 32.
      expect(hex(s.param as Uint8Array)).toBe(hex(version === 1 ? mac.subarray(0, 16) : mac));
      expect(s.protocol).toBe(version);
    }
  });

  it('matches a known pinUvAuthParam byte for byte', async () => {
    const transport = new ScriptedTransport(largeBlobInfo(1024), () => ({}));
    await new LargeBlobs(new Ctap2Session(transport), fixedToken({ version: 2, permissions: Permission.lbw, fill: 0x11 })).writeSerialized(serializeLargeBlobArray([]));
    // HMAC-SHA-256(32×0x11, 32×0xff ‖ 0c 00 ‖ 00000000 ‖ SHA-256(8076be8b…3c)), fixed once from node:crypto.
    const expected = createHmac('sha256', Buffer.alloc(32, 0x11)).update(macInput(0, Buffer.from('8076be8b528d0075f7aae98d6fa57a6d3c', 'hex'))).digest();
    expect(hex(transport.requests[0]!.params!.get(0x05) as Uint8Array)).toBe(hex(expected));
  });

  it('sends no pinUvAuthParam without a token (a key with no PIN)', async () => {
    const transport = new ScriptedTransport(largeBlobInfo(1024), () => ({}));
    await new LargeBlobs(new Ctap2Session(transport)).writeArray([]);
    expect(transport.requests.length).toBe(1);
    expect([...transport.requests[0]!.params!.keys()]).toEqual([0x02, 0x03, 0x04]);
  });

  it('refuses an array bigger than maxSerializedLargeBlobArray before sending anything', async () => {
    const transport = new ScriptedTransport(largeBlobInfo(1024, 64), () => ({}));
    const error = await new LargeBlobs(new Ctap2Session(transport)).writeSerialized(serialized).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CtapError);
    expect((error as CtapError).status).toBe(CtapStatus.LARGE_BLOB_STORAGE_FULL);
    expect(transport.requests).toEqual([]);
  });
});
