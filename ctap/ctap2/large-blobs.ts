/**
 * authenticatorLargeBlobs — CTAP 2.1 §6.10 (command 0x0C), platform side: the serialized
 * large-blob array read and written in fragments (§6.10.2), and its integrity check (§6.10.1:
 * the CBOR array followed by LEFT(SHA-256(array), 16)). Shape after python-fido2 `LargeBlobs`
 * (fido2/ctap2/blob.py) and libfido2 src/largeblob.c. The entries themselves (per-passkey,
 * encrypted with a largeBlobKey) are in large-blob-entry.ts.
 *
 * Reading needs no token. Writing does on a key with a PIN or alwaysUv (§6.10.2 step 4.e): a
 * pinUvAuthToken with the `lbw` permission, MACed over every fragment.
 * @module
 */
import { concatBytes } from '@noble/hashes/utils.js';
import { equalBytes } from '../bytes.js';
import { decodeStrict, encodeCanonical, type CborMap, type CborValue } from '../cbor.js';
import { CtapError, ProtocolError, UnsupportedError, throwIfAborted } from '../errors.js';
import { CtapStatus } from '../status.js';
import type { TransactOptions } from '../transport/transport.js';
import type { PinUvAuthToken } from './client-pin.js';
import { Ctap2Command } from './commands.js';
import type { AuthenticatorInfo } from './info.js';
import { pinUvAuth } from './pin-uv-auth-param.js';
import type { Ctap2Session } from './session.js';
import { sha256 } from './sha256.js';

/** §6.10 request map keys. */
export const LargeBlobsRequestKey = {
  get: 0x01,
  set: 0x02,
  offset: 0x03,
  length: 0x04,
  pinUvAuthParam: 0x05,
  pinUvAuthProtocol: 0x06,
} as const;

/** §6.10 response map keys. */
export const LargeBlobsResponseKey = {
  config: 0x01,
} as const;

/** §6.10.1: the array is followed by the first 16 bytes of its SHA-256. */
export const LARGE_BLOB_HASH_LENGTH = 16;

/** §6.10.2: maxFragmentLength = maxMsgSize − 64 (room for the request's other fields). */
const FRAGMENT_OVERHEAD = 64;

/**
 * §6.4: a key with largeBlobs must offer at least 1024 bytes; a key that leaves
 * maxSerializedLargeBlobArray out is held to that, so a read always ends.
 */
export const MIN_SERIALIZED_LARGE_BLOB_ARRAY = 1024;

/** Why a serialized array cannot be used (each is the key's data, not a failure of this code). */
export type CorruptReason =
  /** Shorter than the 16-byte hash plus one byte of CBOR. */
  | 'truncated'
  /** The trailing 16 bytes are not LEFT(SHA-256(array), 16). */
  | 'hash-mismatch'
  /** The hash holds but the bytes are not one canonical CBOR item (§8 canonical form). */
  | 'malformed'
  /** One CBOR item, but not an array. */
  | 'not-an-array';

/** The serialized large-blob array as read from the key. `size` counts every byte, hash included. */
export type LargeBlobArray =
  | { kind: 'valid'; entries: CborValue[]; size: number; serialized: Uint8Array }
  | { kind: 'corrupt'; reason: CorruptReason; size: number; serialized: Uint8Array };

/** LEFT(SHA-256(data), 16) — §6.10.1. */
export function largeBlobArrayHash(data: Uint8Array): Uint8Array {
  return sha256(data).slice(0, LARGE_BLOB_HASH_LENGTH);
}

/** The bytes to store for `entries`: canonical CBOR array ‖ its 16-byte hash (§6.10.1). */
export function serializeLargeBlobArray(entries: readonly CborValue[]): Uint8Array {
  const body = encodeCanonical([...entries]);
  return concatBytes(body, largeBlobArrayHash(body));
}

/**
 * Check and decode a serialized array. Never throws: whatever the key holds is reported as
 * valid or as corrupt with its size (python-fido2 and libfido2 silently read a bad array as
 * empty; here the person is told, because the next write would erase it).
 */
export function parseLargeBlobArray(serialized: Uint8Array): LargeBlobArray {
  const size = serialized.length;
  const corrupt = (reason: CorruptReason): LargeBlobArray => ({ kind: 'corrupt', reason, size, serialized });
  if (size <= LARGE_BLOB_HASH_LENGTH) return corrupt('truncated');
  const body = serialized.subarray(0, size - LARGE_BLOB_HASH_LENGTH);
  if (!equalBytes(largeBlobArrayHash(body), serialized.subarray(size - LARGE_BLOB_HASH_LENGTH))) return corrupt('hash-mismatch');
  let value: CborValue;
  try {
    value = decodeStrict(body);
  } catch (error) {
    if (error instanceof ProtocolError) return corrupt('malformed');
    throw error;
  }
  if (!Array.isArray(value)) return corrupt('not-an-array');
  return { kind: 'valid', entries: value, size, serialized };
}

/** The key offers authenticatorLargeBlobs (§6.4 option largeBlobs). */
export function supportsLargeBlobs(info: AuthenticatorInfo): boolean {
  return info.options.largeBlobs === true;
}

/** §6.10.2 maxFragmentLength for this key. */
export function maxFragmentLength(info: AuthenticatorInfo): number {
  return info.maxMsgSize - FRAGMENT_OVERHEAD;
}

/** §6.4 maxSerializedLargeBlobArray, or the spec's minimum when the key leaves it out. */
export function maxSerializedLargeBlobArray(info: AuthenticatorInfo): number {
  return info.maxSerializedLargeBlobArray ?? MIN_SERIALIZED_LARGE_BLOB_ARRAY;
}

/**
 * The pinUvAuthParam message of one write fragment (§6.10.2 step 4.e.iv):
 * 32×0xff ‖ 0x0c ‖ 0x00 ‖ uint32LittleEndian(offset) ‖ SHA-256(fragment).
 */
export function largeBlobWriteMessage(offset: number, fragment: Uint8Array): Uint8Array {
  if (!Number.isInteger(offset) || offset < 0 || offset > 0xffffffff) throw new RangeError('offset must fit in 32 bits.');
  const offsetLe = new Uint8Array(4);
  new DataView(offsetLe.buffer).setUint32(0, offset, true);
  return concatBytes(new Uint8Array(32).fill(0xff), Uint8Array.of(Ctap2Command.LARGE_BLOBS, 0x00), offsetLe, sha256(fragment));
}

export class LargeBlobs {
  static isSupported(info: AuthenticatorInfo): boolean {
    return supportsLargeBlobs(info);
  }

  /**
   * @param token a pinUvAuthToken with the `lbw` permission; needed only to write, and only on a
   *   key with a PIN or alwaysUv (§6.10.2 step 4.e). Reads never send it (§6.10.2 step 3.b).
   */
  constructor(
    private readonly session: Ctap2Session,
    private readonly token?: PinUvAuthToken,
  ) {}

  /**
   * The whole serialized array, fragment by fragment: ask for maxFragmentLength bytes at each
   * offset until a shorter fragment ends it (python-fido2 read_blob_array, libfido2
   * largeblob_get_array). A key that sends more than it may is a ProtocolError.
   */
  async readSerialized(options: TransactOptions = {}): Promise<Uint8Array> {
    const info = await this.requireLargeBlobs(options);
    const fragmentLength = maxFragmentLength(info);
    const limit = maxSerializedLargeBlobArray(info);
    const fragments: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      throwIfAborted(options.signal);
      const request: CborMap = new Map<number, CborValue>([
        [LargeBlobsRequestKey.get, fragmentLength],
        [LargeBlobsRequestKey.offset, size],
      ]);
      const response = await this.session.send(Ctap2Command.LARGE_BLOBS, request, options);
      const fragment = response?.get(LargeBlobsResponseKey.config);
      if (!(fragment instanceof Uint8Array)) throw new ProtocolError('largeBlobs: the answer to a read has no config byte string.');
      if (fragment.length > fragmentLength) throw new ProtocolError(`largeBlobs: asked for ${fragmentLength} bytes, got ${fragment.length}.`);
      fragments.push(fragment);
      size += fragment.length;
      if (size > limit) throw new ProtocolError(`largeBlobs: the key sent more than its ${limit}-byte maximum.`);
      if (fragment.length < fragmentLength) break;
    }
    return concatBytes(...fragments);
  }

  /** Read and check the array; a corrupt one comes back as `{ kind: 'corrupt' }`, not an error. */
  async readArray(options: TransactOptions = {}): Promise<LargeBlobArray> {
    return parseLargeBlobArray(await this.readSerialized(options));
  }

  /** Replace the whole array with `entries` (§6.10.2: a write always replaces the array). */
  async writeArray(entries: readonly CborValue[], options: TransactOptions = {}): Promise<void> {
    await this.writeSerialized(serializeLargeBlobArray(entries), options);
  }

  /**
   * Write a serialized array in fragments of at most maxFragmentLength; the first carries the
   * total length (§6.10.2 step 4.b). The key checks the hash once the last byte is in and keeps
   * the old array if it fails (INTEGRITY_FAILURE). Too big for the key → LARGE_BLOB_STORAGE_FULL
   * before anything is sent, as the key itself would answer (§6.10.2 step 4.b.ii).
   */
  async writeSerialized(serialized: Uint8Array, options: TransactOptions = {}): Promise<void> {
    const info = await this.requireLargeBlobs(options);
    if (serialized.length <= LARGE_BLOB_HASH_LENGTH) throw new RangeError('A serialized large-blob array is at least 17 bytes.');
    if (serialized.length > maxSerializedLargeBlobArray(info)) throw new CtapError(CtapStatus.LARGE_BLOB_STORAGE_FULL, Ctap2Command.LARGE_BLOBS);
    const fragmentLength = maxFragmentLength(info);
    for (let offset = 0; offset < serialized.length; offset += fragmentLength) {
      throwIfAborted(options.signal);
      const fragment = serialized.subarray(offset, Math.min(offset + fragmentLength, serialized.length));
      const request: CborMap = new Map<number, CborValue>([
        [LargeBlobsRequestKey.set, fragment],
        [LargeBlobsRequestKey.offset, offset],
      ]);
      if (offset === 0) request.set(LargeBlobsRequestKey.length, serialized.length);
      if (this.token) {
        const auth = pinUvAuth(this.token, largeBlobWriteMessage(offset, fragment));
        request.set(LargeBlobsRequestKey.pinUvAuthParam, auth.param);
        request.set(LargeBlobsRequestKey.pinUvAuthProtocol, auth.protocol);
      }
      await this.session.send(Ctap2Command.LARGE_BLOBS, request, options);
    }
  }

  private async requireLargeBlobs(options: TransactOptions): Promise<AuthenticatorInfo> {
    const info = await this.session.getInfo(options);
    if (!supportsLargeBlobs(info)) throw new UnsupportedError('large-blobs', 'This key cannot store data beside its passkeys (no large-blob storage).');
    if (maxFragmentLength(info) <= 0) throw new ProtocolError(`largeBlobs: maxMsgSize ${info.maxMsgSize} leaves no room for a fragment.`);
    return info;
  }
}
