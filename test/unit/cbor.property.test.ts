/**
 * Canonical CBOR under arbitrary input — CTAP 2.1 §8 "CTAP2 canonical CBOR encoding form":
 * round trips, order independence, and junk → ProtocolError (never another error, never a hang).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeStrict, encodeCanonical, type CborValue } from '../../ctap/cbor.js';
import { ProtocolError } from '../../ctap/errors.js';

const runs = { numRuns: 300 };

/**
 * Byte comparison by content: cbor-x caches a `dataView` property on the arrays it decodes, which
 * a deep equality of the arrays themselves would count as a difference.
 */
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

const integer = fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.integer({ min: -30, max: 30 }));
const text = fc.string({ unit: 'grapheme', maxLength: 12 });
// CTAP map keys are small integers or text; wide integer keys must round-trip too.
const key = fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.integer({ min: -30, max: 30 }), text);

/** Every value CTAP carries: integers, text, bytes, booleans, null, arrays and maps (integer/text keys). */
const { value } = fc.letrec<{ value: CborValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    integer,
    text,
    fc.uint8Array({ maxLength: 40 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.uniqueArray(fc.tuple(key, tie('value')), { maxLength: 5, selector: ([k]) => `${typeof k}:${String(k)}` }).map((entries) => new Map(entries)),
  ),
}));

/** Decode, or return the ProtocolError; any other throw fails the property. */
function tryDecode(bytes: Uint8Array): CborValue | ProtocolError {
  try {
    return decodeStrict(bytes);
  } catch (error) {
    if (error instanceof ProtocolError) return error;
    throw error;
  }
}

function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = (seed * (i + 7)) % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The same value with every map's entries in another insertion order. */
function reorder(v: CborValue, seed: number): CborValue {
  if (v instanceof Map) return new Map(shuffled([...v].map(([k, item]) => [k, reorder(item, seed)] as [string | number, CborValue]), seed));
  if (Array.isArray(v)) return v.map((item) => reorder(item, seed));
  return v;
}

describe('canonical CBOR properties', () => {
  it('decode(encode(v)) = v, and re-encoding the decoded value gives the same bytes', () => {
    fc.assert(
      fc.property(value, (v) => {
        const bytes = encodeCanonical(v);
        const decoded = decodeStrict(bytes);
        expect(decoded).toEqual(v);
        expect(hex(encodeCanonical(decoded))).toBe(hex(bytes));
      }),
      runs,
    );
  });

  it('the encoding does not depend on map insertion order', () => {
    fc.assert(
      fc.property(value, fc.nat(1000), (v, seed) => {
        expect(hex(encodeCanonical(reorder(v, seed)))).toBe(hex(encodeCanonical(v)));
      }),
      runs,
    );
  });

  it('arbitrary bytes decode to a canonical value or fail with ProtocolError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const result = tryDecode(bytes);
        if (!(result instanceof ProtocolError)) expect(hex(encodeCanonical(result))).toBe(hex(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it('one changed, dropped or added byte in a canonical encoding never escapes as another error', () => {
    fc.assert(
      fc.property(value, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('flip', 'drop', 'append'), (v, at, byte, how) => {
        const bytes = encodeCanonical(v);
        const i = at % bytes.length;
        const mutated =
          how === 'flip'
            ? bytes.map((b, j) => (j === i ? b ^ (byte || 1) : b))
            : how === 'drop'
              ? new Uint8Array([...bytes.subarray(0, i), ...bytes.subarray(i + 1)])
              : new Uint8Array([...bytes, byte]);
        const result = tryDecode(mutated);
        if (how === 'append') expect(result).toBeInstanceOf(ProtocolError);
        if (!(result instanceof ProtocolError)) expect(hex(encodeCanonical(result))).toBe(hex(mutated));
      }),
      runs,
    );
  });
});
