/**
 * SHA-256, HMAC-SHA-256 (RFC 2104) and HKDF-SHA-256 (RFC 5869) as CTAP 2.1 uses them, from Node's
 * crypto (OpenSSL, or BoringSSL in Electron): the PIN hash (§6.5.5.5), the PIN/UV auth protocols'
 * KDFs and pinUvAuthParam (§6.5.6, §6.5.7), the large-blob checksum (§6.10.2) and rpIdHash checks.
 * Node's hashes rather than @noble/hashes because noble's run as JavaScript, which is interpreted
 * in a short-lived `skm` process: a listing's ~50 SHA-256 blocks cost ~9 ms there against ~1 ms
 * here. The simulated key's own hashing (its PIN check, its signatures) keeps @noble/hashes; the
 * PIN/UV auth protocols are one module for both sides by design (pin-protocol.ts).
 * Results are copied out of Node's Buffers and the Buffers wiped (see `owned`).
 * @module
 */
import { createHash, createHmac, hkdfSync } from 'node:crypto';

/** SHA-256's output size, and the largest HKDF-SHA-256 output RFC 5869 allows is 255 times it. */
const DIGEST_LENGTH = 32;

/**
 * `parts` joined into one plain Uint8Array that owns its memory, each part wiped: Node may hand
 * out Buffers from its shared pool, where a secret (a key, a token, a PIN hash) must not linger.
 */
export function owned(parts: Buffer[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
    part.fill(0);
  }
  return out;
}

function checkBytes(value: Uint8Array, name: string): void {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array.`);
}

export function sha256(data: Uint8Array): Uint8Array {
  checkBytes(data, 'data');
  return owned([createHash('sha256').update(data).digest()]);
}

export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  checkBytes(key, 'key');
  checkBytes(message, 'message');
  return owned([createHmac('sha256', key).update(message).digest()]);
}

/** HKDF-SHA-256: extract with `salt`, expand with `info` to `length` bytes (1 … 8160). */
export function hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  checkBytes(ikm, 'ikm');
  checkBytes(salt, 'salt');
  checkBytes(info, 'info');
  if (!Number.isInteger(length) || length < 1 || length > 255 * DIGEST_LENGTH) {
    throw new RangeError(`HKDF-SHA-256 gives 1 to ${255 * DIGEST_LENGTH} bytes, not ${length}.`);
  }
  // hkdfSync answers a fresh ArrayBuffer of its own, outside Node's pool.
  return new Uint8Array(hkdfSync('sha256', ikm, salt, info, length));
}
