/**
 * AES-256 as CTAP 2.1 uses it, from Node's crypto (OpenSSL, or BoringSSL in Electron): CBC
 * without padding for the PIN/UV auth protocols (§6.5.6, §6.5.7) and GCM with a 16-byte tag for
 * large-blob entries (§6.10.3). Node's own cipher rather than @noble/ciphers because noble builds
 * its AES lookup tables (2 × 64 K entries) when it loads: ~30 ms and ~1 MB at every `skm` start
 * that gets a PIN token, for a few blocks of data. Results are copied out of Node's Buffers and the
 * Buffers wiped (sha256.ts `owned`), so a decrypted token never lingers in Node's shared buffer pool.
 * @module
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { owned } from './sha256.js';

const KEY_LENGTH = 32;
const BLOCK = 16;
const GCM_NONCE_LENGTH = 12;
const GCM_TAG_LENGTH = 16;

function checkKey(key: Uint8Array): void {
  if (key.length !== KEY_LENGTH) throw new RangeError(`An AES-256 key is ${KEY_LENGTH} bytes, not ${key.length}.`);
}

function checkCbc(iv: Uint8Array, data: Uint8Array): void {
  if (iv.length !== BLOCK) throw new RangeError(`An AES-CBC IV is ${BLOCK} bytes, not ${iv.length}.`);
  if (data.length % BLOCK !== 0) throw new RangeError(`AES-CBC without padding takes whole ${BLOCK}-byte blocks, not ${data.length} bytes.`);
}

/** AES-256-CBC, no padding: `plaintext` must be whole blocks. */
export function aes256CbcEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array {
  checkKey(key);
  checkCbc(iv, plaintext);
  const cipher = createCipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
  return owned([cipher.update(plaintext), cipher.final()]);
}

/** AES-256-CBC, no padding: `ciphertext` must be whole blocks. */
export function aes256CbcDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  checkKey(key);
  checkCbc(iv, ciphertext);
  const decipher = createDecipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
  return owned([decipher.update(ciphertext), decipher.final()]);
}

function checkGcm(key: Uint8Array, nonce: Uint8Array): void {
  checkKey(key);
  if (nonce.length !== GCM_NONCE_LENGTH) throw new RangeError(`An AES-GCM nonce here is ${GCM_NONCE_LENGTH} bytes, not ${nonce.length}.`);
}

/** AES-256-GCM: the ciphertext with its 16-byte tag appended. */
export function aes256GcmSeal(key: Uint8Array, nonce: Uint8Array, associatedData: Uint8Array, plaintext: Uint8Array): Uint8Array {
  checkGcm(key, nonce);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: GCM_TAG_LENGTH });
  cipher.setAAD(associatedData);
  return owned([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

/** AES-256-GCM: the plaintext, or null when the tag does not verify (wrong key, nonce, data or tampering). */
export function aes256GcmOpen(key: Uint8Array, nonce: Uint8Array, associatedData: Uint8Array, sealed: Uint8Array): Uint8Array | null {
  checkGcm(key, nonce);
  if (sealed.length < GCM_TAG_LENGTH) return null;
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: GCM_TAG_LENGTH });
  decipher.setAAD(associatedData);
  decipher.setAuthTag(sealed.subarray(sealed.length - GCM_TAG_LENGTH));
  const plaintext = decipher.update(sealed.subarray(0, sealed.length - GCM_TAG_LENGTH));
  try {
    return owned([plaintext, decipher.final()]);
  } catch {
    // The tag did not verify: nothing decrypted may be used.
    plaintext.fill(0);
    return null;
  }
}
