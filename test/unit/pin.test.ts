/** Host-side PIN rules — CTAP 2.1 §6.5.1 (NFC, code points, 63 bytes) and §6.5.5.5 (64-byte padding). */
import { describe, expect, it } from 'vitest';
import { PinPolicyError } from '../../ctap/errors.js';
import { effectiveMaxBytes, effectiveMinLength, padPin, preparePin } from '../../ctap/ctap2/pin.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

function policyError(run: () => unknown): PinPolicyError {
  try {
    run();
  } catch (error) {
    if (error instanceof PinPolicyError) return error;
    throw error;
  }
  throw new Error('expected a PinPolicyError');
}

describe('preparePin', () => {
  it('returns the UTF-8 bytes of an acceptable PIN', () => {
    expect(preparePin('1234', { minLength: 4 })).toEqual(utf8('1234'));
  });

  it('normalises to NFC: composed and decomposed "é" give the same bytes', () => {
    const composed = 'caf\u00e9';
    const decomposed = 'cafe\u0301';
    expect(decomposed.length).toBe(5);
    const a = preparePin(composed, { minLength: 4 });
    const b = preparePin(decomposed, { minLength: 4 });
    expect(b).toEqual(a);
    expect(a).toEqual(new Uint8Array([0x63, 0x61, 0x66, 0xc3, 0xa9]));
  });

  it('counts code points, not UTF-16 units or bytes: 4 emoji are 4 characters and 16 bytes', () => {
    const pin = '\u{1F511}\u{1F512}\u{1F513}\u{1F510}';
    expect(pin.length).toBe(8);
    expect(preparePin(pin, { minLength: 4 }).length).toBe(16);
    // 3 emoji are 6 UTF-16 units and 12 bytes, but only 3 code points: too short.
    expect(policyError(() => preparePin('\u{1F511}\u{1F512}\u{1F513}', { minLength: 4 })).reason).toBe('too-short');
  });

  it('applies the floor of 4 whatever the key reports, and the key minimum above it', () => {
    expect(policyError(() => preparePin('123', { minLength: 0 })).reason).toBe('too-short');
    const error = policyError(() => preparePin('1234567', { minLength: 8 }));
    expect(error.reason).toBe('too-short');
    expect(error.minLength).toBe(8);
    expect(error.message).toContain('8');
    expect(preparePin('12345678', { minLength: 8 }).length).toBe(8);
  });

  it('accepts 63 bytes and refuses 64 (§6.5.1), also in multi-byte characters', () => {
    expect(preparePin('a'.repeat(63), { minLength: 4 }).length).toBe(63);
    expect(policyError(() => preparePin('a'.repeat(64), { minLength: 4 })).reason).toBe('too-long');
    // 21 × "é" = 42 bytes is fine; 32 × "é" = 64 bytes is not, though only 32 characters.
    expect(preparePin('\u00e9'.repeat(21), { minLength: 4 }).length).toBe(42);
    expect(policyError(() => preparePin('\u00e9'.repeat(32), { minLength: 4 })).reason).toBe('too-long');
  });

  it('honours a smaller maxPINLength from the key but never more than 63', () => {
    expect(policyError(() => preparePin('123456789', { minLength: 4, maxBytes: 8 })).reason).toBe('too-long');
    expect(policyError(() => preparePin('a'.repeat(64), { minLength: 4, maxBytes: 100 })).reason).toBe('too-long');
    expect(effectiveMaxBytes(100)).toBe(63);
    expect(effectiveMaxBytes(undefined)).toBe(63);
    expect(effectiveMinLength(2)).toBe(4);
    expect(effectiveMinLength(6)).toBe(6);
  });

  it('refuses NUL, which would be indistinguishable from the padding', () => {
    expect(policyError(() => preparePin('12\u000034', { minLength: 4 })).reason).toBe('not-a-string');
  });

  it('refuses a lone surrogate (no UTF-8 form) but accepts a surrogate pair', () => {
    expect(policyError(() => preparePin('1234\ud800', { minLength: 4 })).reason).toBe('not-a-string');
    expect(policyError(() => preparePin('\udc001234', { minLength: 4 })).reason).toBe('not-a-string');
    expect(preparePin('123\u{1F511}', { minLength: 4 }).length).toBe(7);
  });

  it('refuses a non-string at run time', () => {
    expect(policyError(() => preparePin(1234 as unknown as string, { minLength: 4 })).reason).toBe('not-a-string');
  });
});

describe('padPin', () => {
  it('pads to 64 bytes with zeros and leaves the input untouched', () => {
    const bytes = utf8('1234');
    const padded = padPin(bytes);
    expect(padded.length).toBe(64);
    expect(padded.subarray(0, 4)).toEqual(bytes);
    expect(padded.subarray(4).every((b) => b === 0)).toBe(true);
    padded.fill(0);
    expect(bytes).toEqual(utf8('1234'));
  });

  it('keeps a 63-byte PIN followed by one zero byte, refuses 64', () => {
    const padded = padPin(utf8('x'.repeat(63)));
    expect(padded[62]).toBe(0x78);
    expect(padded[63]).toBe(0);
    expect(() => padPin(new Uint8Array(64).fill(0x31))).toThrow(PinPolicyError);
  });
});
