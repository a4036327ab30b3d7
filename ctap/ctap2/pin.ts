/**
 * PIN normalisation and host-side policy checks — CTAP 2.1 §6.5.1 "PIN Composition Requirements"
 * and §6.5.5.5 (newPin padded to 64 bytes).
 *
 * §6.5.1: a PIN is Unicode text in Normalization Form C, at least minPINLength (default 4) code
 * points long, at most 63 bytes once UTF-8 encoded, and the platform checks this before sending.
 * Checking here means the key's retry counter is never spent on a PIN it must refuse anyway.
 * @module
 */
import { PinPolicyError } from '../errors.js';

/** §6.5.1: the absolute minimum, whatever the key reports. */
export const MIN_PIN_CODE_POINTS = 4;
/** §6.5.1: 63 UTF-8 bytes, so that the padded newPin (64 bytes) always ends with a zero byte. */
export const MAX_PIN_BYTES = 63;
/** §6.5.5.5: newPin is padded with zeros to 64 bytes before encryption. */
export const PADDED_PIN_LENGTH = 64;

export interface PinPolicy {
  /** The key's minPINLength in code points (getInfo 0x0D); the floor of 4 always applies. */
  minLength: number;
  /** The key's maxPINLength in UTF-8 bytes (getInfo 0x1D); never more than 63. */
  maxBytes?: number;
}

/** The minimum a PIN must have on this key, in code points (never below the spec's 4). */
export function effectiveMinLength(minLength: number): number {
  return Math.max(MIN_PIN_CODE_POINTS, minLength);
}

/** The maximum a PIN may have on this key, in UTF-8 bytes (never above the spec's 63). */
export function effectiveMaxBytes(maxBytes: number | undefined): number {
  return Math.min(MAX_PIN_BYTES, maxBytes ?? MAX_PIN_BYTES);
}

/**
 * Normalise a PIN to NFC, check it against the policy, and return its UTF-8 bytes.
 * The caller owns the returned array and must zero it after use.
 * @throws PinPolicyError with a plain-language message when the PIN cannot be used.
 */
export function preparePin(pin: string, policy: PinPolicy): Uint8Array {
  const minLength = effectiveMinLength(policy.minLength);
  const maxBytes = effectiveMaxBytes(policy.maxBytes);
  if (typeof pin !== 'string') {
    throw new PinPolicyError('not-a-string', minLength, 'The PIN must be text.');
  }
  // §6.5.1 requires NFC, so "é" typed as one or as two code points is the same PIN on every OS.
  const normalized = pin.normalize('NFC');
  // A NUL would be indistinguishable from the zero padding of §6.5.5.5, and a lone surrogate has
  // no UTF-8 form (TextEncoder would silently turn it into U+FFFD, a different PIN).
  if (normalized.includes('\u0000') || /\p{Cs}/u.test(normalized)) {
    throw new PinPolicyError('not-a-string', minLength, 'The PIN contains a character that cannot be used.');
  }
  // Length is counted in Unicode code points (§6.5.1), not UTF-16 units: one emoji is one.
  const codePoints = [...normalized].length;
  if (codePoints < minLength) {
    throw new PinPolicyError('too-short', minLength, `The PIN must have at least ${minLength} characters.`);
  }
  const bytes = new TextEncoder().encode(normalized);
  if (bytes.length > maxBytes) {
    bytes.fill(0);
    throw new PinPolicyError('too-long', minLength, `The PIN is too long: it can use at most ${maxBytes} bytes (fewer characters if they are not plain letters and digits).`);
  }
  return bytes;
}

/**
 * §6.5.5.5: newPin is the UTF-8 PIN padded with zeros to 64 bytes (so its length cannot be read
 * from the ciphertext). Returns a new array; the caller zeroes it after use.
 */
export function padPin(bytes: Uint8Array): Uint8Array {
  if (bytes.length > MAX_PIN_BYTES) {
    throw new PinPolicyError('too-long', MIN_PIN_CODE_POINTS, `The PIN is too long: it can use at most ${MAX_PIN_BYTES} bytes.`);
  }
  const padded = new Uint8Array(PADDED_PIN_LENGTH);
  padded.set(bytes);
  return padded;
}
