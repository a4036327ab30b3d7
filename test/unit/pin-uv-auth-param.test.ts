/**
 * The one pinUvAuthParam builder (CTAP 2.1 §6.5.5.7 tokens, §6.7 / §6.8 / §6.11 messages): exact
 * message bytes for each family's prefix, and the MAC under both PIN/UV auth protocols.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { Permission } from '../../ctap/ctap2/client-pin.js';
import { pinUvAuth, subCommandMessage } from '../../ctap/ctap2/pin-uv-auth-param.js';
import { fixedToken } from '../flows/manage-helpers.js';

describe('subCommandMessage', () => {
  it('is prefix ‖ subCommand ‖ canonical subCommandParams', () => {
    // §6.8.2 enumerateCredentialsBegin: 0x04 ‖ {1: h'0102'} (keys in canonical order).
    expect(bytesToHex(subCommandMessage(new Uint8Array(0), 0x04, new Map([[0x01, Uint8Array.of(1, 2)]])))).toBe('04a101420102');
    // §6.7 removeEnrollment: modality ‖ 0x06 ‖ {1: h'aa'}.
    expect(bytesToHex(subCommandMessage(Uint8Array.of(0x01), 0x06, new Map([[0x01, Uint8Array.of(0xaa)]])))).toBe('0106a10141aa');
    // Params are sorted canonically whatever order the map was built in.
    expect(bytesToHex(subCommandMessage(new Uint8Array(0), 0x03, new Map([[0x02, 1], [0x01, 2]])))).toBe('03a201020201');
  });

  it('ends at the sub-command when there are no params (§6.11 toggleAlwaysUv)', () => {
    const prefix = new Uint8Array(33).fill(0xff);
    prefix[32] = 0x0d;
    expect(bytesToHex(subCommandMessage(prefix, 0x02, undefined))).toBe('ff'.repeat(32) + '0d02');
  });
});

describe('pinUvAuth', () => {
  const message = Uint8Array.of(0x01, 0x02, 0x03);

  it('protocol 2: the whole HMAC-SHA-256 and protocol number 2', () => {
    const token = fixedToken({ version: 2, permissions: Permission.cm });
    const auth = pinUvAuth(token, message);
    expect(auth.protocol).toBe(2);
    expect(bytesToHex(auth.param)).toBe(bytesToHex(hmac(sha256, token.token, message)));
  });

  it('protocol 1: the first 16 bytes of the HMAC and protocol number 1', () => {
    const token = fixedToken({ version: 1, permissions: Permission.cm });
    const auth = pinUvAuth(token, message);
    expect(auth.protocol).toBe(1);
    expect(bytesToHex(auth.param)).toBe(bytesToHex(hmac(sha256, token.token, message).subarray(0, 16)));
  });
});
