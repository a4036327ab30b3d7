/** Host-side PIN rules under arbitrary text — CTAP 2.1 §6.5.1 (NFC, code points, 63 bytes) and §6.5.5.5. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PinPolicyError } from '../../ctap/errors.js';
import { padPin, preparePin } from '../../ctap/ctap2/pin.js';

const runs = { numRuns: 500 };
const anyText = fc.string({ unit: 'binary', maxLength: 40 });
const unicodeText = fc.string({ unit: 'grapheme', maxLength: 30 });
const minLength = fc.integer({ min: 0, max: 12 });

/** The PIN's bytes, or the refusal's reason; anything else thrown fails the property. */
function outcome(pin: string, min: number): Uint8Array | PinPolicyError['reason'] {
  try {
    return preparePin(pin, { minLength: min });
  } catch (error) {
    if (error instanceof PinPolicyError) return error.reason;
    throw error;
  }
}

describe('preparePin properties', () => {
  it('accepted PINs are NFC UTF-8, long enough in code points, at most 63 bytes, without NUL', () => {
    fc.assert(
      fc.property(anyText, minLength, (pin, min) => {
        const result = outcome(pin, min);
        if (typeof result === 'string') return;
        const text = new TextDecoder('utf-8', { fatal: true }).decode(result);
        expect(text).toBe(pin.normalize('NFC'));
        expect([...text].length).toBeGreaterThanOrEqual(Math.max(4, min));
        expect(result.length).toBeLessThanOrEqual(63);
        expect(result.includes(0)).toBe(false);
      }),
      runs,
    );
  });

  it('canonically equivalent spellings (NFC, NFD) are the same PIN', () => {
    fc.assert(
      fc.property(unicodeText, minLength, (pin, min) => {
        expect(outcome(pin.normalize('NFD'), min)).toEqual(outcome(pin.normalize('NFC'), min));
      }),
      runs,
    );
  });

  it('refusals are for the stated reason', () => {
    fc.assert(
      fc.property(unicodeText, minLength, (pin, min) => {
        const result = outcome(pin, min);
        const nfc = pin.normalize('NFC');
        if (result === 'too-short') expect([...nfc].length).toBeLessThan(Math.max(4, min));
        if (result === 'too-long') expect(new TextEncoder().encode(nfc).length).toBeGreaterThan(63);
      }),
      runs,
    );
  });
});

describe('padPin properties', () => {
  it('pads every PIN of up to 63 bytes to 64, keeping the bytes and zeroing the rest', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 63 }), (bytes) => {
        const padded = padPin(bytes);
        expect(padded.length).toBe(64);
        expect(padded.subarray(0, bytes.length)).toEqual(bytes);
        expect(padded.subarray(bytes.length).every((b) => b === 0)).toBe(true);
      }),
      runs,
    );
  });
});
