/**
 * CBOR for CTAP2 over cbor-x — CTAP 2.1 §8 "Message Encoding", "CTAP2 canonical CBOR encoding form".
 *
 * Invariants (the "iso" wrapper idea from SimpleWebAuthn):
 * - maps are always `Map` in and out (integer keys must keep their type);
 * - requests are encoded canonically: definite lengths, minimal integers, map keys sorted by
 *   major type, then encoded length, then bytes; no tags, no floats; `undefined` map values dropped;
 * - responses are decoded strictly: exactly one item, no trailing bytes, and the item must
 *   re-encode to the same bytes — which rejects wrong key order, duplicate keys, indefinite
 *   lengths, non-minimal integers and tags (python-fido2 does the same re-encode check);
 * - responses nest at most MAX_NESTING_DEPTH arrays/maps deep, as Chromium's CBOR reader
 *   (components/cbor/reader.h, 16 levels): CTAP responses nest a handful of levels, and a
 *   hostile key's 10 000 levels fit one USB message and would exhaust the stack.
 * @module
 */
// cbor-x's plain JavaScript build (its 'encode'/'decode' entries): the main entry also loads the
// native cbor-extract addon, which only speeds up reading long strings — CTAP messages are at
// most a few kilobytes — and costs every process several megabytes of memory to load.
import { Decoder } from 'cbor-x/decode';
import { Encoder } from 'cbor-x/encode';
import { equalBytes } from './bytes.js';
import { ProtocolError } from './errors.js';

export type CborValue =
  | number
  | bigint
  | string
  | boolean
  | null
  | Uint8Array
  | CborValue[]
  | CborMap;
export type CborKey = number | string;
export type CborMap = Map<CborKey, CborValue>;

const encoder = new Encoder({
  mapsAsObjects: false,
  useRecords: false,
  tagUint8Array: false,
  variableMapSize: true,
  pack: false,
});
const decoder = new Decoder({ mapsAsObjects: false, useRecords: false });

/** Arrays and maps inside one another allowed in a response (Chromium's limit). */
export const MAX_NESTING_DEPTH = 16;

/** Encode a value in CTAP2 canonical form. Throws TypeError for values CTAP never carries. */
export function encodeCanonical(value: unknown): Uint8Array {
  let canonical: unknown;
  try {
    canonical = canonicalize(value);
  } catch (error) {
    if (!(error instanceof ValueProblem)) throw error;
    throw new TypeError(`value${error.path.join('')}: ${error.message}`);
  }
  return new Uint8Array(encoder.encode(canonical));
}

/**
 * Decode one CBOR item that must be in CTAP2 canonical form.
 * @throws ProtocolError for malformed, truncated, trailing or non-canonical input.
 */
export function decodeStrict(bytes: Uint8Array): CborValue {
  let value: unknown;
  try {
    // A fresh view: cbor-x caches a DataView on the array it decodes, which must not leak onto
    // the caller's bytes.
    value = decoder.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (cause) {
    throw new ProtocolError(`Malformed CBOR: ${(cause as Error).message}`, { cause });
  }
  const normalized = normalizeDecoded(value, 0);
  let again: Uint8Array;
  try {
    again = encodeCanonical(normalized);
  } catch (cause) {
    throw new ProtocolError(`CBOR holds a value CTAP does not allow: ${(cause as Error).message}`, { cause });
  }
  if (!equalBytes(again, bytes)) {
    throw new ProtocolError('CBOR is not in CTAP2 canonical form (key order, duplicate keys, lengths or tags).');
  }
  return normalized;
}

/**
 * Decode the first CBOR item of `bytes` and return it with the bytes that follow it — for
 * structures that concatenate CBOR items, such as authenticator data (credentialPublicKey, then
 * the extensions map; WebAuthn §6.5.1). The item must be canonical, as in decodeStrict.
 * @throws ProtocolError for malformed, truncated or non-canonical input.
 */
export function decodeFirst(bytes: Uint8Array): { value: CborValue; rest: Uint8Array } {
  let first: unknown;
  let found = false;
  try {
    decoder.decodeMultiple(bytes, (value: unknown) => {
      first = value;
      found = true;
      return false;
    });
  } catch (cause) {
    throw new ProtocolError(`Malformed CBOR: ${(cause as Error).message}`, { cause });
  }
  if (!found) throw new ProtocolError('Expected a CBOR item, found no data.');
  const normalized = normalizeDecoded(first, 0);
  let again: Uint8Array;
  try {
    again = encodeCanonical(normalized);
  } catch (cause) {
    throw new ProtocolError(`CBOR holds a value CTAP does not allow: ${(cause as Error).message}`, { cause });
  }
  if (again.length > bytes.length || !equalBytes(again, bytes.subarray(0, again.length))) {
    throw new ProtocolError('CBOR is not in CTAP2 canonical form (key order, duplicate keys, lengths or tags).');
  }
  return { value: normalized, rest: bytes.subarray(again.length) };
}

/** Decode a response that must be a CBOR map (every CTAP2 response body is one). */
export function decodeMap(bytes: Uint8Array): CborMap {
  const value = decodeStrict(bytes);
  if (!(value instanceof Map)) throw new ProtocolError('Expected a CBOR map in the response.');
  return value;
}

/**
 * A value CTAP cannot carry, with where it sits (`[3]`, ` key`), innermost last. The path is
 * collected while the error unwinds, so encoding builds no path text for values that are fine.
 */
class ValueProblem extends Error {
  readonly path: string[] = [];
}

/** `error`, with `segment` added in front of its path when it is a ValueProblem. */
function within(error: unknown, segment: string): unknown {
  if (error instanceof ValueProblem) error.path.unshift(segment);
  return error;
}

/**
 * Encoded map keys by key: CTAP maps use a few dozen small integers and short names over and
 * over, and sorting needs each key's encoding. Bounded, so hostile or unusual keys cannot grow it.
 */
const encodedKeys = new Map<CborKey, Uint8Array>();
const MAX_ENCODED_KEYS = 512;

function encodedKey(key: CborKey): Uint8Array {
  let bytes = encodedKeys.get(key);
  if (bytes === undefined) {
    bytes = new Uint8Array(encoder.encode(canonicalize(key)));
    if (encodedKeys.size < MAX_ENCODED_KEYS) encodedKeys.set(key, bytes);
  }
  return bytes;
}

function canonicalize(value: unknown): unknown {
  if (value instanceof Uint8Array) return value;
  if (value instanceof Map) {
    const entries: [Uint8Array, CborKey, unknown][] = [];
    for (const [key, item] of value) {
      if (item === undefined) continue;
      if (typeof key !== 'number' && typeof key !== 'string') throw new ValueProblem(`map keys must be integers or text, got ${typeof key}`);
      let keyBytes: Uint8Array;
      try {
        keyBytes = encodedKey(key);
      } catch (error) {
        throw within(error, ' key');
      }
      try {
        entries.push([keyBytes, key, canonicalize(item)]);
      } catch (error) {
        throw within(error, `[${String(key)}]`);
      }
    }
    entries.sort(([a], [b]) => compareKeys(a, b));
    for (let i = 1; i < entries.length; i++) {
      if (compareKeys(entries[i - 1]![0], entries[i]![0]) === 0) throw new ValueProblem('duplicate map key');
    }
    const out = new Map<unknown, unknown>();
    // Integer keys beyond 32 bits are written as bigint, like integer values (below).
    for (const [, key, item] of entries) out.set(typeof key === 'number' && Math.abs(key) > 0xffffffff ? BigInt(key) : key, item);
    return out;
  }
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      try {
        out[i] = canonicalize(value[i]);
      } catch (error) {
        throw within(error, `[${i}]`);
      }
    }
    return out;
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'bigint':
      return value;
    case 'number':
      if (!Number.isSafeInteger(value)) throw new ValueProblem(`CTAP carries only integers, got ${value}`);
      // cbor-x writes integers beyond 32 bits as floats; bigint keeps them integers.
      return Math.abs(value) > 0xffffffff ? BigInt(value) : value;
    case 'object':
      if (value === null) return null;
      break;
  }
  throw new ValueProblem(`cannot encode ${Object.prototype.toString.call(value)} as CTAP CBOR`);
}

/** CTAP2 canonical key order: major type, then encoded length, then bytes (§8 "canonical CBOR"). */
function compareKeys(a: Uint8Array, b: Uint8Array): number {
  const majorA = a[0]! >> 5;
  const majorB = b[0]! >> 5;
  if (majorA !== majorB) return majorA - majorB;
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/**
 * Plain Uint8Array instead of Buffer; integers from 64-bit fields as numbers where safe.
 * `depth` counts the arrays and maps around `value`; deeper than MAX_NESTING_DEPTH is refused
 * before recursing, so the stack never runs out here or in the re-encode that follows.
 */
function normalizeDecoded(value: unknown, depth: number): CborValue {
  if (value instanceof Uint8Array) return new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength));
  if ((value instanceof Map || Array.isArray(value)) && depth >= MAX_NESTING_DEPTH) {
    throw new ProtocolError(`CBOR nests arrays and maps more than ${MAX_NESTING_DEPTH} levels deep.`);
  }
  if (value instanceof Map) {
    const out: CborMap = new Map();
    for (const [rawKey, item] of value) {
      const key = typeof rawKey === 'bigint' ? safeIntegerKey(rawKey) : rawKey;
      if (typeof key !== 'number' && typeof key !== 'string') throw new ProtocolError('CBOR map key is neither integer nor text.');
      out.set(key, normalizeDecoded(item, depth + 1));
    }
    // Duplicate keys collapse in Map; the re-encode comparison then fails, as it must.
    return out;
  }
  if (Array.isArray(value)) return value.map((item) => normalizeDecoded(item, depth + 1));
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value;
  if (value === null || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') return value;
  if (value === undefined) throw new ProtocolError('CBOR "undefined" is not allowed in CTAP.');
  throw new ProtocolError(`CBOR item of type ${Object.prototype.toString.call(value)} (tag?) is not allowed in CTAP.`);
}

/** Integer keys wider than 32 bits decode as bigint; CTAP keys are small, but stay exact. */
function safeIntegerKey(key: bigint): number {
  const asNumber = Number(key);
  if (!Number.isSafeInteger(asNumber)) throw new ProtocolError('CBOR map key is an integer beyond 2^53.');
  return asNumber;
}
