// SHA-256, HMAC-SHA-256 and HKDF-SHA-256 on Node's crypto (ctap/ctap2/sha256.ts): the published
// vectors (FIPS 180-2, RFC 4231, RFC 5869), agreement with @noble/hashes (the simulated key's
// independent implementation) on random inputs, misuse typed, and results that own their memory.
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, randomBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { hkdfSha256, hmacSha256, owned, sha256 } from '../../ctap/ctap2/sha256.js';

/** A plain Uint8Array over a buffer of exactly its own bytes: no Buffer, no view into a pool. */
function expectOwned(bytes: Uint8Array, length: number): void {
  expect(Buffer.isBuffer(bytes)).toBe(false);
  expect(bytes.length).toBe(length);
  expect(bytes.byteOffset).toBe(0);
  expect(bytes.buffer.byteLength).toBe(length);
}

describe('SHA-256 family for CTAP', () => {
  it('matches FIPS 180-2 for "abc" and the empty string', () => {
    expect(bytesToHex(sha256(utf8ToBytes('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(bytesToHex(sha256(new Uint8Array(0)))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('matches RFC 4231 test cases 1 and 2 for HMAC-SHA-256', () => {
    expect(bytesToHex(hmacSha256(new Uint8Array(20).fill(0x0b), utf8ToBytes('Hi There')))).toBe('b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7');
    expect(bytesToHex(hmacSha256(utf8ToBytes('Jefe'), utf8ToBytes('what do ya want for nothing?')))).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('matches RFC 5869 test case 1 for HKDF-SHA-256', () => {
    const okm = hkdfSha256(hexToBytes('0b'.repeat(22)), hexToBytes('000102030405060708090a0b0c'), hexToBytes('f0f1f2f3f4f5f6f7f8f9'), 42);
    expect(bytesToHex(okm)).toBe('3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
  });

  it('agrees with @noble/hashes on random inputs, including CTAP 2.1 §6.5.7 key derivation', () => {
    const salt = new Uint8Array(32);
    for (let i = 0; i < 60; i++) {
      const data = randomBytes(i * 11);
      const key = randomBytes(1 + (i % 70));
      expect(sha256(data)).toEqual(nobleSha256(data));
      expect(hmacSha256(key, data)).toEqual(hmac(nobleSha256, key, data));
      const z = randomBytes(32);
      for (const info of ['CTAP2 HMAC key', 'CTAP2 AES key']) {
        expect(hkdfSha256(z, salt, utf8ToBytes(info), 32)).toEqual(hkdf(nobleSha256, z, salt, utf8ToBytes(info), 32));
      }
    }
  });

  it('answers arrays that own their memory', () => {
    expectOwned(sha256(randomBytes(5)), 32);
    expectOwned(hmacSha256(randomBytes(32), randomBytes(5)), 32);
    expectOwned(hkdfSha256(randomBytes(32), new Uint8Array(32), utf8ToBytes('x'), 64), 64);
  });

  it('wipes the Buffers it copies out of', () => {
    const first = Buffer.from([1, 2, 3]);
    const second = Buffer.from([4, 5]);
    expect(owned([first, second])).toEqual(Uint8Array.of(1, 2, 3, 4, 5));
    expect([...first, ...second]).toEqual([0, 0, 0, 0, 0]);
  });

  it('types its misuse: not bytes, or an HKDF length outside 1 … 8160', () => {
    expect(() => sha256('abc' as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => hmacSha256(randomBytes(32), [1, 2] as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => hkdfSha256(randomBytes(32), new Uint8Array(32), utf8ToBytes('x'), 0)).toThrow(RangeError);
    expect(() => hkdfSha256(randomBytes(32), new Uint8Array(32), utf8ToBytes('x'), 255 * 32 + 1)).toThrow(RangeError);
    expect(() => hkdfSha256(randomBytes(32), new Uint8Array(32), utf8ToBytes('x'), 1.5)).toThrow(RangeError);
    expect(hkdfSha256(randomBytes(32), new Uint8Array(32), utf8ToBytes('x'), 255 * 32)).toHaveLength(8160);
  });
});
