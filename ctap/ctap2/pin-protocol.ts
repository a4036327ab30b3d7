/**
 * PIN/UV auth protocols one and two — CTAP 2.1 §6.5.6 and §6.5.7.
 * Used by both sides: the platform (encapsulate) and the virtual key (decapsulate), so the two
 * can never disagree on the maths. Every primitive comes from Node's crypto (OpenSSL / BoringSSL
 * in Electron). P-256 ECDH: a key pair and a shared point cost ~0.2 ms there against ~8 ms in
 * noble's BigInt arithmetic, plus ~80 ms for noble's base-point tables on first use — which every
 * PIN token in a one-shot `skm` process paid. AES and the hashes: aes.ts and sha256.ts say why.
 * @module
 */
import { createECDH, randomFillSync } from 'node:crypto';
import { equalBytes } from '../bytes.js';
import { aes256CbcDecrypt, aes256CbcEncrypt } from './aes.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import type { CborMap } from '../cbor.js';
import { ProtocolError } from '../errors.js';
import { CoseKey, p256PointFromCose } from './cose.js';
import { hkdfSha256, hmacSha256, sha256 } from './sha256.js';

export type PinProtocolVersion = 1 | 2;

export { CoseKey };

export interface KeyAgreementKeyPair {
  secretKey: Uint8Array;
  /** COSE_Key map of the public key, as sent in keyAgreement (0x01 / 0x03). */
  cose: CborMap;
}

export interface PinUvAuthProtocol {
  readonly version: PinProtocolVersion;
  /** Platform side of §6.5.6 encapsulate: a fresh key pair, and the shared secret with the peer. */
  encapsulate(peerCose: CborMap): { keyAgreement: CborMap; sharedSecret: Uint8Array };
  /** Authenticator side: the shared secret from our key pair and the platform's public key. */
  decapsulate(secretKey: Uint8Array, peerCose: CborMap): Uint8Array;
  encrypt(key: Uint8Array, plaintext: Uint8Array): Uint8Array;
  decrypt(key: Uint8Array, ciphertext: Uint8Array): Uint8Array;
  /** `key` is either a shared secret or a pinUvAuthToken. */
  authenticate(key: Uint8Array, message: Uint8Array): Uint8Array;
  /** Constant-time check of `signature` over `message`. */
  verify(key: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
}

/** OpenSSL's name for P-256 (secp256r1). */
const P256 = 'prime256v1';

export function generateKeyAgreementKeyPair(): KeyAgreementKeyPair {
  const ecdh = createECDH(P256);
  const publicKey = ecdh.generateKeys();
  // OpenSSL drops leading zero bytes of the scalar; the key's state keeps it 32 bytes long.
  const scalar = ecdh.getPrivateKey();
  const secretKey = new Uint8Array(32);
  secretKey.set(scalar, 32 - scalar.length);
  scalar.fill(0);
  return { secretKey, cose: publicKeyToCose(publicKey) };
}

export function publicKeyToCose(uncompressed: Uint8Array): CborMap {
  return new Map<number, number | Uint8Array>([
    [CoseKey.kty, 2],
    [CoseKey.alg, -25],
    [CoseKey.crv, 1],
    [CoseKey.x, uncompressed.slice(1, 33)],
    [CoseKey.y, uncompressed.slice(33, 65)],
  ]);
}

/** Validates a peer COSE_Key and returns it as an uncompressed SEC1 point on P-256. */
export function coseToPublicKey(cose: CborMap): Uint8Array {
  return p256PointFromCose(cose, 'keyAgreement');
}

/** ECDH: Z is the x-coordinate of the shared point (§6.5.6 ecdh); OpenSSL returns exactly that. */
function ecdhZ(ecdh: ReturnType<typeof createECDH>, peerCose: CborMap): Uint8Array {
  return ecdh.computeSecret(coseToPublicKey(peerCose));
}

abstract class BaseProtocol implements PinUvAuthProtocol {
  abstract readonly version: PinProtocolVersion;
  protected abstract kdf(z: Uint8Array): Uint8Array;
  abstract encrypt(key: Uint8Array, plaintext: Uint8Array): Uint8Array;
  abstract decrypt(key: Uint8Array, ciphertext: Uint8Array): Uint8Array;
  abstract authenticate(key: Uint8Array, message: Uint8Array): Uint8Array;

  encapsulate(peerCose: CborMap): { keyAgreement: CborMap; sharedSecret: Uint8Array } {
    // The ephemeral scalar never leaves OpenSSL, which clears it when the key is freed.
    const ecdh = createECDH(P256);
    const keyAgreement = publicKeyToCose(ecdh.generateKeys());
    const z = ecdhZ(ecdh, peerCose);
    const sharedSecret = this.kdf(z);
    z.fill(0);
    return { keyAgreement, sharedSecret };
  }

  decapsulate(secretKey: Uint8Array, peerCose: CborMap): Uint8Array {
    const ecdh = createECDH(P256);
    ecdh.setPrivateKey(secretKey);
    const z = ecdhZ(ecdh, peerCose);
    const sharedSecret = this.kdf(z);
    z.fill(0);
    return sharedSecret;
  }

  verify(key: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
    return equalBytes(this.authenticate(key, message), signature);
  }
}

const ZERO_IV = new Uint8Array(16);

/** §6.5.6: SHA-256 KDF, AES-256-CBC with a zero IV, HMAC-SHA-256 truncated to 16 bytes. */
export class PinProtocolV1 extends BaseProtocol {
  readonly version = 1 as const;
  protected kdf(z: Uint8Array): Uint8Array {
    return sha256(z);
  }
  encrypt(key: Uint8Array, plaintext: Uint8Array): Uint8Array {
    assertBlocks(plaintext, 'plaintext');
    return aes256CbcEncrypt(key, ZERO_IV, plaintext);
  }
  decrypt(key: Uint8Array, ciphertext: Uint8Array): Uint8Array {
    assertBlocks(ciphertext, 'ciphertext');
    return aes256CbcDecrypt(key, ZERO_IV, ciphertext);
  }
  authenticate(key: Uint8Array, message: Uint8Array): Uint8Array {
    return hmacSha256(key, message).slice(0, 16);
  }
}

const HKDF_SALT = new Uint8Array(32);
const HMAC_INFO = utf8ToBytes('CTAP2 HMAC key');
const AES_INFO = utf8ToBytes('CTAP2 AES key');

/**
 * §6.5.7: HKDF-SHA-256 gives a 64-byte shared secret (HMAC key ‖ AES key); AES-256-CBC with a
 * random IV prepended; HMAC-SHA-256 untruncated. `authenticate` with a 32-byte key is a token.
 */
export class PinProtocolV2 extends BaseProtocol {
  readonly version = 2 as const;
  protected kdf(z: Uint8Array): Uint8Array {
    const out = new Uint8Array(64);
    const hmacKey = hkdfSha256(z, HKDF_SALT, HMAC_INFO, 32);
    const aesKeyBytes = hkdfSha256(z, HKDF_SALT, AES_INFO, 32);
    out.set(hmacKey, 0);
    out.set(aesKeyBytes, 32);
    hmacKey.fill(0);
    aesKeyBytes.fill(0);
    return out;
  }
  encrypt(key: Uint8Array, plaintext: Uint8Array): Uint8Array {
    assertBlocks(plaintext, 'plaintext');
    const iv = randomFillSync(new Uint8Array(16));
    const ct = aes256CbcEncrypt(aesKey(key), iv, plaintext);
    const out = new Uint8Array(16 + ct.length);
    out.set(iv);
    out.set(ct, 16);
    return out;
  }
  decrypt(key: Uint8Array, ciphertext: Uint8Array): Uint8Array {
    if (ciphertext.length < 32) throw new ProtocolError('ciphertext too short for protocol 2 (IV + one block).');
    assertBlocks(ciphertext, 'ciphertext');
    return aes256CbcDecrypt(aesKey(key), ciphertext.subarray(0, 16), ciphertext.subarray(16));
  }
  authenticate(key: Uint8Array, message: Uint8Array): Uint8Array {
    const hmacKey = key.length === 64 ? key.subarray(0, 32) : key;
    return hmacSha256(hmacKey, message);
  }
}

function aesKey(key: Uint8Array): Uint8Array {
  if (key.length !== 64) throw new ProtocolError('protocol 2 shared secret must be 64 bytes.');
  return key.subarray(32);
}

function assertBlocks(data: Uint8Array, what: string): void {
  if (data.length === 0 || data.length % 16 !== 0) throw new ProtocolError(`${what} must be a non-empty multiple of 16 bytes.`);
}

export function pinProtocol(version: PinProtocolVersion): PinUvAuthProtocol {
  return version === 2 ? new PinProtocolV2() : new PinProtocolV1();
}
