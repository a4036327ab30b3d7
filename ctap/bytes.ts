/**
 * Small byte and number helpers shared by ctap/ and main/, kept in one place (as noble keeps
 * `equalBytes` and `abytes` in its utils).
 * @module
 */

/**
 * Byte equality whose time does not depend on where two equal-length arrays differ (noble's
 * constant-time compare). Used for every comparison, secrets or not, so there is one to choose.
 */
export { equalBytes } from '@noble/ciphers/utils.js';

/** `0x` and at least `digits` lowercase hex digits, as the spec writes statuses and commands. */
export function hex(n: number, digits = 2): string {
  return `0x${n.toString(16).padStart(digits, '0')}`;
}
