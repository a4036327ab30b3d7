// AES-256 on Node's crypto (ctap/ctap2/aes.ts): the NIST CBC vector, agreement with @noble/ciphers
// (an independent implementation) for CBC and GCM, tampering and wrong keys refused, misuse typed,
// and results that own their memory (never a view into Node's shared buffer pool).
import { cbc, gcm } from '@noble/ciphers/aes.js';
import { hexToBytes, bytesToHex, randomBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { aes256CbcDecrypt, aes256CbcEncrypt, aes256GcmOpen, aes256GcmSeal } from '../../ctap/ctap2/aes.js';

describe('AES-256 for CTAP', () => {
  it('CBC matches NIST SP 800-38A F.2.5 and round-trips', () => {
    const key = hexToBytes('603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4');
    const iv = hexToBytes('000102030405060708090a0b0c0d0e0f');
    const plaintext = hexToBytes('6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51');
    const ciphertext = aes256CbcEncrypt(key, iv, plaintext);
    expect(bytesToHex(ciphertext)).toBe('f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d');
    expect(aes256CbcDecrypt(key, iv, ciphertext)).toEqual(plaintext);
  });

  it('agrees with @noble/ciphers on CBC and GCM for random keys, nonces and lengths', () => {
    for (let i = 0; i < 50; i++) {
      const key = randomBytes(32);
      const blocks = randomBytes(16 * (1 + (i % 5)));
      const iv = randomBytes(16);
      expect(aes256CbcEncrypt(key, iv, blocks)).toEqual(cbc(key, iv, { disablePadding: true }).encrypt(blocks));
      const nonce = randomBytes(12);
      const ad = randomBytes(i % 13);
      const data = randomBytes(i * 7);
      const sealed = aes256GcmSeal(key, nonce, ad, data);
      expect(sealed).toEqual(gcm(key, nonce, ad).encrypt(data));
      expect(aes256GcmOpen(key, nonce, ad, sealed)).toEqual(data);
    }
  });

  it('GCM refuses a flipped bit, another key, nonce or associated data, and a sealed text shorter than its tag', () => {
    const key = randomBytes(32);
    const nonce = randomBytes(12);
    const ad = Uint8Array.of(1, 2, 3);
    const sealed = aes256GcmSeal(key, nonce, ad, new TextEncoder().encode('ssh certificate'));
    for (let bit = 0; bit < sealed.length * 8; bit += 13) {
      const tampered = sealed.slice();
      tampered[bit >> 3]! ^= 1 << (bit & 7);
      expect(aes256GcmOpen(key, nonce, ad, tampered)).toBeNull();
    }
    expect(aes256GcmOpen(randomBytes(32), nonce, ad, sealed)).toBeNull();
    expect(aes256GcmOpen(key, randomBytes(12), ad, sealed)).toBeNull();
    expect(aes256GcmOpen(key, nonce, Uint8Array.of(1, 2), sealed)).toBeNull();
    expect(aes256GcmOpen(key, nonce, ad, sealed.subarray(0, 15))).toBeNull();
  });

  it('misuse is a RangeError, never a silent result', () => {
    expect(() => aes256CbcEncrypt(new Uint8Array(16), new Uint8Array(16), new Uint8Array(16))).toThrow(RangeError);
    expect(() => aes256CbcEncrypt(new Uint8Array(32), new Uint8Array(8), new Uint8Array(16))).toThrow(RangeError);
    expect(() => aes256CbcDecrypt(new Uint8Array(32), new Uint8Array(16), new Uint8Array(17))).toThrow(RangeError);
    expect(() => aes256GcmSeal(new Uint8Array(32), new Uint8Array(16), new Uint8Array(0), new Uint8Array(1))).toThrow(RangeError);
  });

  it('results own their memory: no view into a shared buffer another caller could read', () => {
    const key = randomBytes(32);
    const token = aes256CbcDecrypt(key, new Uint8Array(16), randomBytes(32));
    expect(token.byteOffset).toBe(0);
    expect(token.buffer.byteLength).toBe(32);
    const sealed = aes256GcmSeal(key, randomBytes(12), new Uint8Array(0), randomBytes(20));
    expect(sealed.buffer.byteLength).toBe(36);
  });
});
