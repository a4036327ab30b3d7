/**
 * Shared checks for the fields of a command's response map (CTAP 2.1 §6: each command's
 * response members and their CBOR types). A field of the wrong type is the key's fault: it
 * becomes a ProtocolError naming the command and the field, never a silently wrong record.
 * @module
 */
import type { CborMap, CborValue } from '../cbor.js';
import { ProtocolError } from '../errors.js';

export interface ResponseParser {
  /** The error for a response that does not follow the spec; `what` says how. */
  malformed(what: string): ProtocolError;
  /** A required unsigned integer member. */
  requireUint(map: CborMap, key: number, field: string): number;
  /** An optional text member; null when absent. */
  optionalText(value: CborValue | undefined, field: string): string | null;
}

/** The checks for one command's responses; `command` names it in every error. */
export function responseParser(command: string): ResponseParser {
  const malformed = (what: string): ProtocolError => new ProtocolError(`${command} response: ${what}.`);
  return {
    malformed,
    requireUint(map, key, field) {
      const value = map.get(key);
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw malformed(`${field} must be an unsigned integer`);
      return value;
    },
    optionalText(value, field) {
      if (value === undefined) return null;
      if (typeof value !== 'string') throw malformed(`${field} must be text`);
      return value;
    },
  };
}
