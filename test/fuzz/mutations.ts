/**
 * fast-check arbitraries that make hostile inputs out of the recorded seeds: byte-level mutations
 * (flip, overwrite with boundary values, insert, delete, duplicate, truncate, huge CBOR length
 * headers) and structure-aware ones over the decoded CTAP maps (a field of the wrong type, counts
 * inflated to the integer limits, arrays and maps nested thousands deep, non-canonical CBOR).
 * @module
 */
import { Encoder } from 'cbor-x';
import fc from 'fast-check';
import { encodeCanonical, type CborMap, type CborValue } from '../../ctap/cbor.js';
import { decodedSeed } from './corpus.js';

type Mutation = (bytes: Uint8Array) => Uint8Array;

/** Bytes that sit on CBOR and length boundaries: additional info 23/24/27/31, sign bits, break. */
const INTERESTING = [0x00, 0x01, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1f, 0x3f, 0x40, 0x5f, 0x7f, 0x80, 0x9f, 0xa0, 0xbf, 0xc0, 0xf4, 0xf6, 0xf7, 0xf9, 0xfb, 0xff];

/** CBOR heads that announce far more than any message holds (2^64-1 / 2^32-1 items or bytes). */
const HUGE_HEADS = [0x5b, 0x7b, 0x9b, 0xbb, 0x5a, 0x7a, 0x9a, 0xba].map((head) => Uint8Array.of(head, ...new Array<number>(head & 1 ? 8 : 4).fill(0xff)));

function splice(bytes: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  const start = bytes.length === 0 ? 0 : at % (bytes.length + 1);
  const end = Math.min(bytes.length, start + remove);
  const out = new Uint8Array(bytes.length - (end - start) + insert.length);
  out.set(bytes.subarray(0, start));
  out.set(insert, start);
  out.set(bytes.subarray(end), start + insert.length);
  return out;
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })).map(([at, bit]): Mutation => (b) => {
    if (b.length === 0) return b;
    const out = b.slice();
    out[at % b.length]! ^= 1 << bit;
    return out;
  }),
  fc.tuple(fc.nat(), fc.constantFrom(...INTERESTING)).map(([at, value]): Mutation => (b) => splice(b, at, 1, Uint8Array.of(value))),
  fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 16 })).map(([at, insert]): Mutation => (b) => splice(b, at, 0, insert)),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 64 })).map(([at, remove]): Mutation => (b) => splice(b, at, remove, new Uint8Array(0))),
  fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 64 })).map(([from, to, length]): Mutation => (b) => {
    if (b.length === 0) return b;
    const start = from % b.length;
    return splice(b, to, 0, b.slice(start, start + length));
  }),
  fc.nat().map((keep): Mutation => (b) => b.slice(0, keep % (b.length + 1))),
  fc.tuple(fc.nat(), fc.constantFrom(...HUGE_HEADS)).map(([at, head]): Mutation => (b) => splice(b, at, 1, head)),
);

/** A seed with one to four byte-level mutations. */
export function mutatedSeed(seeds: Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc.tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([seed, steps]) => steps.reduce((bytes, step) => step(bytes), seed));
}

/** Any value CTAP CBOR can carry, a few levels deep. */
export const cborValue: fc.Arbitrary<CborValue> = fc.letrec<{ value: CborValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer({ min: -1_000_000, max: 1_000_000 }),
    fc.constantFrom<CborValue>(-1, 0, 0xff, 0xffff, 0xffffffff, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2n ** 64n - 1n, -(2n ** 64n)),
    fc.string({ maxLength: 40 }),
    fc.uint8Array({ maxLength: 80 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(fc.oneof(fc.integer({ min: -5, max: 30 }), fc.string({ maxLength: 12 })), tie('value')), { maxLength: 4 }).map((entries) => new Map(entries)),
  ),
})).value;

/** The keys of a decoded map and, one level down, of the maps inside it. */
function setPath(map: CborMap, index: number, nestedIndex: number, value: CborValue): CborMap {
  const out = new Map(map);
  const keys = [...out.keys()];
  if (keys.length === 0) return new Map([[1, value]]);
  const key = keys[index % keys.length]!;
  const inner = out.get(key);
  if (inner instanceof Map && inner.size > 0 && nestedIndex % 2 === 0) {
    out.set(key, setPath(inner, nestedIndex, nestedIndex + 1, value));
  } else {
    out.set(key, value);
  }
  return out;
}

function reencode(map: CborMap): Uint8Array {
  try {
    return encodeCanonical(map);
  } catch {
    return new Uint8Array(0);
  }
}

/** A seed map with one field (or a field of a nested map) replaced by a value of another type. */
export function wrongTypeField(seeds: Uint8Array[]): fc.Arbitrary<Uint8Array> {
  const maps = seeds.map(decodedSeed).filter((m): m is CborMap => m !== null);
  if (maps.length === 0) return fc.constant(new Uint8Array(0));
  return fc.tuple(fc.constantFrom(...maps), fc.nat(), fc.nat(), cborValue).map(([map, index, nested, value]) => reencode(setPath(map, index, nested, value)));
}

/** A seed map whose integer fields (counts, lengths, retries) are pushed to the limits. */
export function inflatedCounts(seeds: Uint8Array[]): fc.Arbitrary<Uint8Array> {
  const maps = seeds.map(decodedSeed).filter((m): m is CborMap => m !== null);
  if (maps.length === 0) return fc.constant(new Uint8Array(0));
  const extreme = fc.constantFrom(-1, -(2 ** 31), 0, 2 ** 16, 2 ** 31, 0xffffffff, Number.MAX_SAFE_INTEGER);
  return fc.tuple(fc.constantFrom(...maps), extreme).map(([map, value]) => {
    const out = new Map(map);
    for (const [key, item] of out) if (typeof item === 'number') out.set(key, value);
    return reencode(out);
  });
}

/**
 * A map whose field 1 holds arrays or maps nested `depth` deep (one USB message holds ~7 600).
 * Mostly just past the limit; one in ten 3 000–10 000 deep (the stack-exhaustion range, slow).
 */
export const deepNesting: fc.Arbitrary<Uint8Array> = fc
  .tuple(
    fc.oneof({ arbitrary: fc.integer({ min: 10, max: 200 }), weight: 9 }, { arbitrary: fc.integer({ min: 3_000, max: 10_000 }), weight: 1 }),
    fc.constantFrom([0x81], [0xa1, 0x01], [0x82, 0x00]),
  )
  .map(([depth, unit]) => {
    const out = new Uint8Array(2 + depth * unit.length + 1);
    out.set([0xa1, 0x01]);
    for (let i = 0; i < depth; i++) out.set(unit, 2 + i * unit.length);
    return out;
  });

const looseEncoder = new Encoder({ useRecords: false, mapsAsObjects: false });

/** Well-formed but non-canonical CBOR (floats, tags, unsorted keys, as a generic encoder writes). */
export const nonCanonical: fc.Arbitrary<Uint8Array> = fc
  .oneof(fc.anything({ maxDepth: 3 }), cborValue.map((v) => (v instanceof Map ? v : new Map([[1, v]]))))
  .map((value) => {
    try {
      return new Uint8Array(looseEncoder.encode(value));
    } catch {
      return new Uint8Array(0);
    }
  });

/** Every kind of hostile input for one parser, weighted towards the recorded seeds. */
export function hostileInputs(seeds: Uint8Array[], options: { structured?: boolean } = {}): fc.Arbitrary<Uint8Array> {
  const random = fc.uint8Array({ maxLength: 1024 });
  if (seeds.length === 0) return random;
  const arbitraries: fc.WeightedArbitrary<Uint8Array>[] = [
    { arbitrary: mutatedSeed(seeds), weight: 6 },
    { arbitrary: random, weight: 1 },
  ];
  if (options.structured !== false) {
    arbitraries.push(
      { arbitrary: wrongTypeField(seeds), weight: 3 },
      { arbitrary: inflatedCounts(seeds), weight: 1 },
      { arbitrary: deepNesting, weight: 1 },
      { arbitrary: nonCanonical, weight: 1 },
    );
  }
  return fc.oneof(...arbitraries);
}

/** A state-file seed (JSON) with one field, at any depth, replaced by a JSON value of any type. */
export function jsonFieldSwap(seeds: Uint8Array[]): fc.Arbitrary<Uint8Array> {
  const documents = seeds.map((seed) => JSON.parse(new TextDecoder().decode(seed)) as unknown);
  return fc.tuple(fc.constantFrom(...documents), fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), fc.jsonValue({ maxDepth: 2 })).map(([document, path, value]) => {
    const copy = structuredClone(document);
    let node: unknown = copy;
    for (const [depth, step] of path.entries()) {
      if (node === null || typeof node !== 'object') break;
      const keys = Object.keys(node);
      if (keys.length === 0) break;
      const key = keys[step % keys.length]!;
      if (depth === path.length - 1) (node as Record<string, unknown>)[key] = value;
      else node = (node as Record<string, unknown>)[key];
    }
    return new TextEncoder().encode(JSON.stringify(copy));
  });
}
