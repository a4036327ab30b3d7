/**
 * The shared helpers: response-field checks (ctap/ctap2/parse.ts) and the byte / hex helpers
 * (ctap/bytes.ts) every module uses instead of its own copy.
 */
import { describe, expect, it } from 'vitest';
import { equalBytes, hex } from '../../ctap/bytes.js';
import { responseParser } from '../../ctap/ctap2/parse.js';
import { ProtocolError } from '../../ctap/errors.js';

describe('responseParser', () => {
  const parse = responseParser('credentialManagement');

  it('reads an unsigned integer and names the command and field when it is not one', () => {
    expect(parse.requireUint(new Map([[0x05, 3]]), 0x05, 'totalRPs')).toBe(3);
    for (const bad of [-1, 1.5, 'three', undefined]) {
      const map = new Map(bad === undefined ? [] : [[0x05, bad]]);
      expect(() => parse.requireUint(map, 0x05, 'totalRPs')).toThrow(new ProtocolError('credentialManagement response: totalRPs must be an unsigned integer.'));
    }
  });

  it('reads optional text as null when absent and refuses another type', () => {
    expect(parse.optionalText(undefined, 'name')).toBeNull();
    expect(parse.optionalText('Alice', 'name')).toBe('Alice');
    expect(() => parse.optionalText(Uint8Array.of(1), 'name')).toThrow('credentialManagement response: name must be text.');
  });

  it('malformed builds a ProtocolError without throwing it', () => {
    const error = parse.malformed('rp must be a map');
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.message).toBe('credentialManagement response: rp must be a map.');
  });
});

describe('bytes helpers', () => {
  it('equalBytes compares content and length', () => {
    expect(equalBytes(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 3))).toBe(true);
    expect(equalBytes(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 4))).toBe(false);
    expect(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 3))).toBe(false);
    expect(equalBytes(new Uint8Array(0), new Uint8Array(0))).toBe(true);
  });

  it('hex writes 0x and at least the given digits', () => {
    expect(hex(0x6)).toBe('0x06');
    expect(hex(0x3f)).toBe('0x3f');
    expect(hex(0x1050, 4)).toBe('0x1050');
    expect(hex(0x50700, 6)).toBe('0x050700');
    expect(hex(0x1234)).toBe('0x1234');
  });
});
