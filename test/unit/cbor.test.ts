/** CTAP2 canonical CBOR — CTAP 2.1 §8 "CTAP2 canonical CBOR encoding form" (+ RFC 8949 §4.2.3 length-first order). */
import { describe, expect, it } from 'vitest';
import { MAX_NESTING_DEPTH, decodeFirst, decodeMap, decodeStrict, encodeCanonical, type CborMap } from '../../ctap/cbor.js';
import { ProtocolError } from '../../ctap/errors.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const bytes = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h.replaceAll(' ', ''), 'hex'));

describe('encodeCanonical', () => {
  it.each([
    [0, '00'],
    [23, '17'],
    [24, '1818'],
    [255, '18ff'],
    [256, '190100'],
    [65535, '19ffff'],
    [65536, '1a00010000'],
    [0xffffffff, '1affffffff'],
    [0x100000000, '1b0000000100000000'],
    [-1, '20'],
    [-24, '37'],
    [-25, '3818'],
    [-257, '390100'],
    [true, 'f5'],
    [false, 'f4'],
    [null, 'f6'],
    ['', '60'],
    ['a', '6161'],
    ['\u00fc', '62c3bc'],
  ])('%s → %s (smallest encoding)', (value, expected) => {
    expect(hex(encodeCanonical(value))).toBe(expected);
  });

  it('encodes byte strings and arrays with definite lengths', () => {
    expect(hex(encodeCanonical(new Uint8Array([1, 2, 3])))).toBe('43010203');
    expect(hex(encodeCanonical(new Uint8Array(24)))).toBe('5818' + '00'.repeat(24));
    expect(hex(encodeCanonical([1, [2, 3]]))).toBe('8201820203');
  });

  it('orders map keys by major type, then encoded length, then bytes', () => {
    const keys = ['aa', -1, 100, 'z', 10, 256, -25, 24, 'b', -24, 255];
    const map = new Map(keys.map((k) => [k, 0]));
    const encoded = encodeCanonical(map);
    const order = [...(decodeStrict(encoded) as CborMap).keys()];
    expect(order).toEqual([10, 24, 100, 255, 256, -1, -24, -25, 'b', 'z', 'aa']);
    expect(hex(encoded)).toBe('ab' + '0a00' + '181800' + '186400' + '18ff00' + '19010000' + '2000' + '3700' + '381800' + '616200' + '617a00' + '62616100');
  });

  it('orders nested maps too, and drops undefined values', () => {
    const inner = new Map<string, number | undefined>([['type', 1], ['alg', -7], ['skip', undefined]]);
    const outer = new Map<number, unknown>([[3, inner], [1, 'x'], [2, undefined]]);
    expect(hex(encodeCanonical(outer))).toBe('a2' + '016178' + '03a2' + '63616c6726' + '647479706501');
  });

  it('encodes a clientPIN getPINRetries request as a201010201', () => {
    expect(hex(encodeCanonical(new Map([[2, 1], [1, 1]])))).toBe('a201010201');
  });

  it('refuses values CTAP never carries', () => {
    expect(() => encodeCanonical(1.5)).toThrow(TypeError);
    expect(() => encodeCanonical(Number.NaN)).toThrow(TypeError);
    expect(() => encodeCanonical(undefined)).toThrow(TypeError);
    expect(() => encodeCanonical({ a: 1 })).toThrow(TypeError);
    expect(() => encodeCanonical(new Map<unknown, number>([[true, 1]]))).toThrow(TypeError);
    expect(() => encodeCanonical(new Map<number | bigint, number>([[1, 1], [1n, 2]]))).toThrow(TypeError);
  });

  it('names where a refused value sits', () => {
    expect(() => encodeCanonical(new Map<number, unknown>([[1, [1, 2, 1.5]]]))).toThrow('value[1][2]: CTAP carries only integers, got 1.5');
    expect(() => encodeCanonical([new Map([['a', new Map<unknown, number>([[true, 1]])]])])).toThrow('value[0][a]: map keys must be integers or text');
  });

  it('writes map keys beyond 32 bits as integers and sorts them among the others, every time', () => {
    const map = new Map<number | string, number>([['a', 1], [5_000_000_000, 2], [-1, 3], [2, 4]]);
    const expected = 'a4' + '0204' + '1b000000012a05f20002' + '2003' + '616101';
    // The second encoding uses the remembered key encodings.
    expect(hex(encodeCanonical(map))).toBe(expected);
    expect(hex(encodeCanonical(map))).toBe(expected);
  });
});

describe('decodeStrict', () => {
  it('round-trips canonical data with integer keys kept as integers', () => {
    const map = new Map<number | string, unknown>([[1, new Uint8Array([9])], [2, 'text'], [-3, [true, null]], ['k', new Map([[1, 2]])]]);
    const decoded = decodeMap(encodeCanonical(map));
    expect(decoded.get(1)).toEqual(new Uint8Array([9]));
    expect(decoded.get(1)).toBeInstanceOf(Uint8Array);
    expect(Buffer.isBuffer(decoded.get(1))).toBe(false);
    expect(decoded.get(2)).toBe('text');
    expect(decoded.get(-3)).toEqual([true, null]);
    expect((decoded.get('k') as CborMap).get(1)).toBe(2);
  });

  it('keeps 64-bit integers exact', () => {
    expect(decodeStrict(bytes('1b0000000100000000'))).toBe(0x100000000);
    expect(decodeStrict(bytes('1bffffffffffffffff'))).toBe(0xffffffffffffffffn);
  });

  it.each([
    ['keys out of order', 'a2 02 00 01 00'],
    ['length-first order broken (text)', 'a2 62 61 61 00 61 7a 00'],
    ['major-type order broken', 'a2 20 00 01 00'],
    ['duplicate keys', 'a2 01 00 01 00'],
    ['indefinite-length map', 'bf 01 00 ff'],
    ['indefinite-length array', '9f 01 ff'],
    ['indefinite-length byte string', '5f 41 00 ff'],
    ['indefinite-length text string', '7f 61 61 ff'],
    ['non-minimal integer', '18 05'],
    ['non-minimal length', '78 01 61'],
    ['trailing bytes', '01 00'],
    ['truncated map', 'a2 01 00'],
    ['truncated byte string', '44 01 02'],
    ['tag 0 (date)', 'c0 74 32 30 31 33 2d 30 33 2d 32 31 54 32 30 3a 30 34 3a 30 30 5a'],
    ['tag 2 (bignum)', 'c2 41 01'],
    ['unknown tag', 'd9 ff ff 00'],
    ['half float', 'f9 3c 00'],
    ['double', 'fb 3f f1 99 99 99 99 99 9a'],
    ['undefined', 'f7'],
    ['empty input', ''],
  ])('rejects %s with ProtocolError', (_what, input) => {
    expect(() => decodeStrict(bytes(input))).toThrow(ProtocolError);
  });

  /** `levels` arrays (0x81) or single-entry maps (0xa1 00) around a 0. */
  const nested = (levels: number, unit: number[]): Uint8Array => {
    const out = new Uint8Array(levels * unit.length + 1);
    for (let i = 0; i < levels; i++) out.set(unit, i * unit.length);
    return out;
  };

  it('accepts nesting up to the depth limit', () => {
    expect(() => decodeStrict(nested(MAX_NESTING_DEPTH, [0x81]))).not.toThrow();
  });

  it.each([17, 3_000, 10_000, 60_000])('rejects %i nested levels with ProtocolError, also once the decoder is warm', (levels) => {
    // Deep input used to escape as a RangeError only after the JIT had warmed the decoder up.
    const normal = encodeCanonical(new Map<number, unknown>([[1, [1, 2, new Map([[3, 'x']])]], [2, new Uint8Array(10)]]));
    for (let i = 0; i < 20_000; i++) decodeStrict(normal);
    for (const unit of [[0x81], [0xa1, 0x00]]) {
      const input = nested(levels, unit);
      expect(() => decodeStrict(input)).toThrow(ProtocolError);
      expect(() => decodeFirst(input)).toThrow(ProtocolError);
    }
  });

  it('decodeMap rejects a non-map item', () => {
    expect(() => decodeMap(bytes('8101'))).toThrow(ProtocolError);
    expect(decodeMap(bytes('a0')).size).toBe(0);
  });
});
