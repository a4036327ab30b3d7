/**
 * PIN/UV auth protocols 1 and 2 (CTAP 2.1 §6.5.6, §6.5.7) checked against an independent
 * implementation of the spec's definitions: node:crypto for the symmetric parts (the code uses
 * noble), noble for ECDH (the code uses node:crypto).
 */
import { p256 } from '@noble/curves/nist.js';
import { createCipheriv, createDecipheriv, createECDH, createHash, createHmac, hkdfSync, type ECDH } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../ctap/errors.js';
import {
  CoseKey,
  coseToPublicKey,
  generateKeyAgreementKeyPair,
  PinProtocolV1,
  PinProtocolV2,
  pinProtocol,
  publicKeyToCose,
} from '../../ctap/ctap2/pin-protocol.js';
import type { CborMap } from '../../ctap/cbor.js';

const u8 = (b: Buffer): Uint8Array => new Uint8Array(b);
const fill = (n: number, start: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (start + i * 7) & 0xff);

/** A P-256 node:crypto key pair from a fixed scalar, so vectors are reproducible. */
function nodeEcdh(scalarHex: string): ECDH {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(Buffer.from(scalarHex, 'hex'));
  return ecdh;
}
const AUTHENTICATOR_SK = '1f3cd2b1a7d8e0c4b5a69788796a5b4c3d2e1f00112233445566778899aabbcc';
const PLATFORM_SK = '6c1382765aec5358f117733d281c1c7bdc39884d04a45a1e6c67c858bc206c19';

function coseOf(ecdh: ECDH): CborMap {
  return publicKeyToCose(u8(ecdh.getPublicKey()));
}

/** Uncompressed point from a COSE_Key map, built by hand (not via coseToPublicKey). */
function pointOf(cose: CborMap): Buffer {
  return Buffer.concat([Buffer.from([4]), Buffer.from(cose.get(CoseKey.x) as Uint8Array), Buffer.from(cose.get(CoseKey.y) as Uint8Array)]);
}

// ── the spec's definitions, independently ─────────────────────────────────────────────────────
const kdf1 = (z: Buffer): Uint8Array => u8(createHash('sha256').update(z).digest());
const kdf2 = (z: Buffer): Uint8Array => {
  const salt = Buffer.alloc(32);
  const hmacKey = Buffer.from(hkdfSync('sha256', z, salt, 'CTAP2 HMAC key', 32));
  const aesKey = Buffer.from(hkdfSync('sha256', z, salt, 'CTAP2 AES key', 32));
  return u8(Buffer.concat([hmacKey, aesKey]));
};
function aesCbc(mode: 'enc' | 'dec', key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const cipher = mode === 'enc' ? createCipheriv('aes-256-cbc', key, iv) : createDecipheriv('aes-256-cbc', key, iv);
  cipher.setAutoPadding(false);
  return u8(Buffer.concat([cipher.update(data), cipher.final()]));
}
const hmac = (key: Uint8Array, msg: Uint8Array): Uint8Array => u8(createHmac('sha256', key).update(msg).digest());

describe('COSE key handling (§6.5.6 getPublicKey)', () => {
  it('encodes an EC2 P-256 ECDH-ES+HKDF-256 key with 32-byte coordinates', () => {
    const ecdh = nodeEcdh(AUTHENTICATOR_SK);
    const cose = coseOf(ecdh);
    expect(cose.get(CoseKey.kty)).toBe(2);
    expect(cose.get(CoseKey.alg)).toBe(-25);
    expect(cose.get(CoseKey.crv)).toBe(1);
    expect(Buffer.from(coseToPublicKey(cose))).toEqual(ecdh.getPublicKey());
  });

  it('rejects a point not on the curve, wrong sizes and wrong key types', () => {
    const good = coseOf(nodeEcdh(AUTHENTICATOR_SK));
    const offCurve = new Map(good);
    const y = (good.get(CoseKey.y) as Uint8Array).slice();
    y[31] = y[31]! ^ 1;
    offCurve.set(CoseKey.y, y);
    expect(() => coseToPublicKey(offCurve)).toThrow(ProtocolError);
    expect(() => coseToPublicKey(new Map(good).set(CoseKey.x, new Uint8Array(31)))).toThrow(ProtocolError);
    expect(() => coseToPublicKey(new Map(good).set(CoseKey.kty, 1))).toThrow(ProtocolError);
    expect(() => coseToPublicKey(new Map(good).set(CoseKey.crv, 2))).toThrow(ProtocolError);
    expect(() => pinProtocol(1).decapsulate(generateKeyAgreementKeyPair().secretKey, offCurve)).toThrow(ProtocolError);
  });
});

describe.each([
  { version: 1 as const, kdf: kdf1 },
  { version: 2 as const, kdf: kdf2 },
])('protocol $version key agreement', ({ version, kdf }) => {
  const protocol = pinProtocol(version);

  it('decapsulate = the spec KDF over the ECDH x-coordinate (fixed keys)', () => {
    const authenticator = nodeEcdh(AUTHENTICATOR_SK);
    const platform = nodeEcdh(PLATFORM_SK);
    const z = platform.computeSecret(authenticator.getPublicKey());
    expect(z.length).toBe(32);
    const shared = protocol.decapsulate(u8(authenticator.getPrivateKey()), coseOf(platform));
    expect(shared).toEqual(kdf(z));
    expect(shared.length).toBe(version === 1 ? 32 : 64);
  });

  it('encapsulate (platform) and decapsulate (authenticator) agree, and match node:crypto', () => {
    const authenticator = nodeEcdh(AUTHENTICATOR_SK);
    const { keyAgreement, sharedSecret } = protocol.encapsulate(coseOf(authenticator));
    expect(protocol.decapsulate(u8(authenticator.getPrivateKey()), keyAgreement)).toEqual(sharedSecret);
    expect(sharedSecret).toEqual(kdf(authenticator.computeSecret(pointOf(keyAgreement))));
  });

  it('ECDH and key pairs agree with noble (an independent P-256), scalars kept 32 bytes long', () => {
    for (let i = 0; i < 8; i++) {
      const pair = generateKeyAgreementKeyPair();
      expect(pair.secretKey.length).toBe(32);
      expect(pointOf(pair.cose)).toEqual(Buffer.from(p256.getPublicKey(pair.secretKey, false)));
      const { keyAgreement, sharedSecret } = protocol.encapsulate(pair.cose);
      const z = p256.getSharedSecret(pair.secretKey, pointOf(keyAgreement), true).slice(1);
      expect(sharedSecret).toEqual(kdf(Buffer.from(z)));
    }
  });

  it('uses a fresh platform key pair every time', () => {
    const peer = generateKeyAgreementKeyPair().cose;
    const a = protocol.encapsulate(peer);
    const b = protocol.encapsulate(peer);
    expect(a.keyAgreement.get(CoseKey.x)).not.toEqual(b.keyAgreement.get(CoseKey.x));
    expect(a.sharedSecret).not.toEqual(b.sharedSecret);
  });
});

describe('protocol 1 (§6.5.6)', () => {
  const p = new PinProtocolV1();
  const key = fill(32, 3);
  const plaintext = fill(64, 11);

  it('encrypts with AES-256-CBC, zero IV, no padding', () => {
    const ct = p.encrypt(key, plaintext);
    expect(ct).toEqual(aesCbc('enc', key, new Uint8Array(16), plaintext));
    expect(p.decrypt(key, ct)).toEqual(plaintext);
  });

  it('decrypts what node:crypto encrypted', () => {
    expect(p.decrypt(key, aesCbc('enc', key, new Uint8Array(16), plaintext))).toEqual(plaintext);
  });

  it('authenticates with the first 16 bytes of HMAC-SHA-256', () => {
    const message = fill(100, 5);
    const tag = p.authenticate(key, message);
    expect(tag).toEqual(hmac(key, message).slice(0, 16));
    expect(p.verify(key, message, tag)).toBe(true);
    const wrong = tag.slice();
    wrong[0] = wrong[0]! ^ 0x80;
    expect(p.verify(key, message, wrong)).toBe(false);
    // A 16-byte token is a valid protocol 1 key too (§6.5.6).
    const token16 = fill(16, 9);
    expect(p.authenticate(token16, message)).toEqual(hmac(token16, message).slice(0, 16));
  });

  it('refuses data that is not whole AES blocks', () => {
    expect(() => p.encrypt(key, new Uint8Array(15))).toThrow(ProtocolError);
    expect(() => p.decrypt(key, new Uint8Array(0))).toThrow(ProtocolError);
  });
});

describe('protocol 2 (§6.5.7)', () => {
  const p = new PinProtocolV2();
  const shared = fill(64, 17);
  const hmacKey = shared.slice(0, 32);
  const aesKey = shared.slice(32);
  const plaintext = fill(32, 1);

  it('encrypts as random IV ‖ AES-256-CBC under the second half of the shared secret', () => {
    const ct = p.encrypt(shared, plaintext);
    expect(ct.length).toBe(16 + plaintext.length);
    const iv = ct.slice(0, 16);
    expect(ct.slice(16)).toEqual(aesCbc('enc', aesKey, iv, plaintext));
    expect(p.encrypt(shared, plaintext).slice(0, 16)).not.toEqual(iv);
  });

  it('decrypts IV ‖ ciphertext made by node:crypto', () => {
    const iv = fill(16, 200);
    const ct = new Uint8Array([...iv, ...aesCbc('enc', aesKey, iv, plaintext)]);
    expect(p.decrypt(shared, ct)).toEqual(plaintext);
  });

  it('authenticates with full HMAC-SHA-256 under the first half (shared secret) or the whole 32-byte token', () => {
    const message = fill(77, 2);
    expect(p.authenticate(shared, message)).toEqual(hmac(hmacKey, message));
    const token = fill(32, 99);
    expect(p.authenticate(token, message)).toEqual(hmac(token, message));
    expect(p.verify(token, message, hmac(token, message))).toBe(true);
    expect(p.verify(token, message, hmac(token, message).slice(0, 16))).toBe(false);
  });

  it('refuses short ciphertexts and keys that are not 64 bytes', () => {
    expect(() => p.decrypt(shared, new Uint8Array(16))).toThrow(ProtocolError);
    expect(() => p.decrypt(shared, new Uint8Array(40))).toThrow(ProtocolError);
    expect(() => p.encrypt(fill(32, 1), plaintext)).toThrow(ProtocolError);
  });
});
