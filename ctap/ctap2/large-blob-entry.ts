/**
 * One entry of the large-blob array — CTAP 2.1 §6.10.3 "Large, per-credential blobs": a map
 * { 1: ciphertext, 2: nonce, 3: origSize } where ciphertext is AES-256-GCM under the passkey's
 * largeBlobKey (§12.3) with a 12-byte nonce and associated data "blob" ‖ uint64LE(origSize),
 * over the DEFLATE-compressed (RFC 1951) data. An entry belongs to the passkey whose key opens
 * it; an entry no passkey opens has lost its passkey. Same format as libfido2 largeblob.c and
 * Chromium's LargeBlobData; the cipher is Node's (aes.ts), compression node:zlib.
 * @module
 */
import { randomFillSync } from 'node:crypto';
import type * as zlibModule from 'node:zlib';
import type { CborMap, CborValue } from '../cbor.js';
import { aes256GcmOpen, aes256GcmSeal } from './aes.js';

/** §6.10.3 large-blob map keys. */
export const LargeBlobEntryKey = {
  ciphertext: 0x01,
  nonce: 0x02,
  origSize: 0x03,
} as const;

export const LARGE_BLOB_KEY_LENGTH = 32;
export const LARGE_BLOB_NONCE_LENGTH = 12;
/** AES-GCM appends a 16-byte tag to the ciphertext (§6.10.3). */
const GCM_TAG_LENGTH = 16;
const AD_PREFIX = new TextEncoder().encode('blob');

export interface LargeBlobEntry {
  /** Ciphertext with the 16-byte GCM tag at its end. */
  ciphertext: Uint8Array;
  nonce: Uint8Array;
  /** Length of the data before compression. */
  origSize: number;
}

/** What a largeBlobKey makes of an entry. */
export type OpenedEntry =
  /** Not this passkey's entry (the GCM tag does not verify under this key). */
  | { kind: 'not-mine' }
  | { kind: 'opened'; data: Uint8Array }
  /** This passkey's entry, but the data inside does not inflate to origSize bytes. */
  | { kind: 'damaged' };

/** "blob" ‖ uint64LittleEndian(origSize) — the associated data of §6.10.3. */
export function largeBlobAssociatedData(origSize: number): Uint8Array {
  const ad = new Uint8Array(AD_PREFIX.length + 8);
  ad.set(AD_PREFIX);
  new DataView(ad.buffer).setBigUint64(AD_PREFIX.length, BigInt(origSize), true);
  return ad;
}

/** The entry's fields, or null when the item is not a well-formed large-blob map. */
export function parseLargeBlobEntry(item: CborValue): LargeBlobEntry | null {
  if (!(item instanceof Map)) return null;
  const ciphertext = item.get(LargeBlobEntryKey.ciphertext);
  const nonce = item.get(LargeBlobEntryKey.nonce);
  const origSize = item.get(LargeBlobEntryKey.origSize);
  if (!(ciphertext instanceof Uint8Array) || ciphertext.length < GCM_TAG_LENGTH) return null;
  if (!(nonce instanceof Uint8Array) || nonce.length !== LARGE_BLOB_NONCE_LENGTH) return null;
  // A count beyond 2^53 arrives as bigint: nothing this code could inflate, so not an entry.
  if (typeof origSize !== 'number' || !Number.isSafeInteger(origSize) || origSize < 0) return null;
  return { ciphertext, nonce, origSize };
}

/**
 * Seal `data` for the passkey with `largeBlobKey` (§6.10.3 steps for the platform). The nonce is
 * random unless a test supplies one.
 */
export function sealLargeBlob(largeBlobKey: Uint8Array, data: Uint8Array, nonce: Uint8Array = randomFillSync(new Uint8Array(LARGE_BLOB_NONCE_LENGTH))): CborMap {
  assertKey(largeBlobKey);
  if (nonce.length !== LARGE_BLOB_NONCE_LENGTH) throw new RangeError('A large-blob nonce is 12 bytes.');
  const compressed = new Uint8Array(zlib().deflateRawSync(data));
  const ciphertext = aes256GcmSeal(largeBlobKey, nonce, largeBlobAssociatedData(data.length), compressed);
  return new Map<number, CborValue>([
    [LargeBlobEntryKey.ciphertext, ciphertext],
    [LargeBlobEntryKey.nonce, nonce],
    [LargeBlobEntryKey.origSize, data.length],
  ]);
}

/** Try `largeBlobKey` on `entry`: not this passkey's, its data, or damaged inside. */
export function openLargeBlob(largeBlobKey: Uint8Array, entry: LargeBlobEntry): OpenedEntry {
  assertKey(largeBlobKey);
  const compressed = aes256GcmOpen(largeBlobKey, entry.nonce, largeBlobAssociatedData(entry.origSize), entry.ciphertext);
  if (!compressed) return { kind: 'not-mine' };
  const data = inflateExactly(compressed, entry.origSize);
  return data ? { kind: 'opened', data } : { kind: 'damaged' };
}

/**
 * Inflate to exactly `size` bytes, never more (the limit keeps a hostile entry from inflating
 * without bound). Raw DEFLATE as §6.10.3 says; zlib-wrapped (RFC 1950) data is accepted too,
 * because libfido2 wrote that before it moved to raw DEFLATE (its compress.c used zlib's
 * compress()/uncompress()).
 */
function inflateExactly(compressed: Uint8Array, size: number): Uint8Array | null {
  const { inflateRawSync, inflateSync } = zlib();
  for (const inflate of [inflateRawSync, inflateSync]) {
    try {
      const data = inflate(compressed, { maxOutputLength: Math.max(size, 1) });
      if (data.length === size) return new Uint8Array(data);
    } catch {
      // Not this framing, or more than `size` bytes: try the next, then give up.
    }
  }
  return null;
}

/**
 * node:zlib, read when an entry is first sealed or opened: loading it costs every process that
 * touches no large blob, such as a passkey listing, 1-2 ms.
 */
function zlib(): typeof zlibModule {
  return process.getBuiltinModule('node:zlib');
}

function assertKey(largeBlobKey: Uint8Array): void {
  if (largeBlobKey.length !== LARGE_BLOB_KEY_LENGTH) throw new RangeError('A largeBlobKey is 32 bytes (AES-256).');
}
