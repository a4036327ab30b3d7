/**
 * authenticatorGetInfo parsing — CTAP 2.1 §6.4: real responses from YubiKeys, the spec's defaults
 * for absent fields, unknown keys kept, wrong types refused, and the capability predicates.
 */
import { describe, expect, it } from 'vitest';
import { decodeMap, encodeCanonical, type CborMap, type CborValue } from '../../ctap/cbor.js';
import { ProtocolError } from '../../ctap/errors.js';
import {
  aaguidString,
  bioEnrollmentSupport,
  credentialManagementSupport,
  InfoKey,
  isCtap2,
  isCtap21,
  isCtap21Pre,
  isPinSet,
  option,
  parseInfo,
  preferredPinProtocols,
  supportsClientPin,
  supportsConfig,
  supportsPermissions,
} from '../../ctap/ctap2/info.js';

const bytes = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));

/**
 * A YubiKey 5 (firmware 5.2, FIDO_2_1_PRE) getInfo body, reassembled from the CTAPHID frames of
 * libfido2's fuzz/wiredata_fido2.h WIREDATA_CTAP_CBOR_INFO (status byte 00 removed).
 */
const YUBIKEY_5_INFO = bytes(
  'a90183665532465f5632684649444f5f325f306c4649444f5f325f315f50524502826b6372656450726f746563746b686d61632d73656372657403501956e5bda37445f1a814356403fdbc1804a562726bf5627570f564706c6174f469636c69656e7450696ef47563726564656e7469616c4d676d7450726576696577f5051904b006810107080818800a82a263616c672664747970656a7075626c69632d6b6579a263616c672764747970656a7075626c69632d6b6579',
);

/** "Security Key by Yubico" (FIDO_2_0), from python-fido2 tests/test_ctap2.py _INFO. */
const SECURITY_KEY_INFO = bytes(
  'a60182665532465f5632684649444f5f325f3002826375766d6b686d61632d7365637265740350f8a011f38c0a4d15800617111f9edc7d04a462726bf5627570f564706c6174f469636c69656e7450696ef4051904b0068101',
);

/** The same with an extra key 0x63 = 1234 (python-fido2 _INFO_EXTRA_KEY). */
const SECURITY_KEY_INFO_EXTRA = bytes(
  'a70182665532465f5632684649444f5f325f3002826375766d6b686d61632d7365637265740350f8a011f38c0a4d15800617111f9edc7d04a462726bf5627570f564706c6174f469636c69656e7450696ef4051904b006810118631904d2',
);

function minimal(extra: [number, CborValue][] = []): CborMap {
  return new Map<number, CborValue>([
    [InfoKey.versions, ['FIDO_2_0']],
    [InfoKey.aaguid, new Uint8Array(16)],
    ...extra,
  ]);
}

describe('real getInfo responses', () => {
  it('parses a YubiKey 5 (2.1-PRE) through the strict canonical decoder', () => {
    const info = parseInfo(decodeMap(YUBIKEY_5_INFO));
    expect(info.versions).toEqual(['U2F_V2', 'FIDO_2_0', 'FIDO_2_1_PRE']);
    expect(info.extensions).toEqual(['credProtect', 'hmac-secret']);
    expect(aaguidString(info.aaguid)).toBe('1956e5bd-a374-45f1-a814-356403fdbc18');
    expect(info.options).toEqual({ rk: true, up: true, plat: false, clientPin: false, credentialMgmtPreview: true });
    expect(info.maxMsgSize).toBe(1200);
    expect(info.pinUvAuthProtocols).toEqual([1]);
    expect(info.maxCredentialCountInList).toBe(8);
    expect(info.maxCredentialIdLength).toBe(128);
    expect(info.algorithms).toEqual([
      { type: 'public-key', alg: -7 },
      { type: 'public-key', alg: -8 },
    ]);
    expect(info.unknown.size).toBe(0);

    expect(isCtap2(info)).toBe(true);
    expect(isCtap21(info)).toBe(false);
    expect(isCtap21Pre(info)).toBe(true);
    expect(supportsClientPin(info)).toBe(true);
    expect(isPinSet(info)).toBe(false);
    expect(supportsPermissions(info)).toBe(false);
    expect(credentialManagementSupport(info)).toBe('preview');
    expect(bioEnrollmentSupport(info)).toBe('none');
    expect(supportsConfig(info)).toBe(false);
    expect(preferredPinProtocols(info)).toEqual([1]);
  });

  it('parses a Security Key by Yubico (FIDO_2_0)', () => {
    const info = parseInfo(decodeMap(SECURITY_KEY_INFO));
    expect(info.versions).toEqual(['U2F_V2', 'FIDO_2_0']);
    expect(info.extensions).toEqual(['uvm', 'hmac-secret']);
    expect(aaguidString(info.aaguid)).toBe('f8a011f3-8c0a-4d15-8006-17111f9edc7d');
    expect(info.options).toEqual({ rk: true, up: true, plat: false, clientPin: false });
    expect(info.maxMsgSize).toBe(1200);
    expect(isCtap21Pre(info)).toBe(false);
    expect(credentialManagementSupport(info)).toBe('none');
  });

  it('keeps keys it does not know', () => {
    const info = parseInfo(decodeMap(SECURITY_KEY_INFO_EXTRA));
    expect(info.versions).toEqual(['U2F_V2', 'FIDO_2_0']);
    expect([...info.unknown]).toEqual([[0x63, 1234]]);
  });
});

describe('defaults for absent fields (§6.4)', () => {
  const info = parseInfo(minimal());

  it('uses the spec defaults', () => {
    expect(info.maxMsgSize).toBe(1024);
    expect(info.minPINLength).toBe(4);
    expect(info.maxPINLength).toBe(63);
    expect(info.forcePINChange).toBe(false);
    expect(info.longTouchForReset).toBe(false);
    expect(info.transportsForReset).toBeNull();
    expect(info.extensions).toEqual([]);
    expect(info.transports).toEqual([]);
    expect(info.pinUvAuthProtocols).toEqual([]);
    expect(info.algorithms).toBeNull();
    expect(info.firmwareVersion).toBeNull();
  });

  it('applies option defaults: up=true, rk=false, plat=false, others absent', () => {
    expect(option(info, 'up')).toBe(true);
    expect(option(info, 'rk')).toBe(false);
    expect(option(info, 'plat')).toBe(false);
    expect(option(info, 'clientPin')).toBeUndefined();
    expect(supportsClientPin(info)).toBe(false);
    expect(preferredPinProtocols(info)).toEqual([]);
  });

  it('assumes protocol 1 for a PIN-capable key that lists no protocols', () => {
    const pinKey = parseInfo(minimal([[InfoKey.options, new Map([['clientPin', true]])]]));
    expect(isPinSet(pinKey)).toBe(true);
    expect(preferredPinProtocols(pinKey)).toEqual([1]);
  });
});

describe('CTAP 2.1 fields', () => {
  it('reads a full 2.1 key and prefers protocol 2', () => {
    const map = minimal([
      [InfoKey.versions, ['FIDO_2_0', 'FIDO_2_1']],
      [InfoKey.options, new Map([['clientPin', true], ['pinUvAuthToken', true], ['credMgmt', true], ['authnrCfg', true], ['bioEnroll', false]])],
      [InfoKey.pinUvAuthProtocols, [2, 1]],
      [InfoKey.forcePINChange, true],
      [InfoKey.minPINLength, 6],
      [InfoKey.firmwareVersion, 0x050700],
      [InfoKey.transportsForReset, ['usb']],
      [InfoKey.longTouchForReset, true],
      [InfoKey.maxPINLength, 32],
      [InfoKey.certifications, new Map([['FIDO', 2]])],
    ]);
    const info = parseInfo(decodeMap(encodeCanonical(map)));
    expect(isCtap21(info)).toBe(true);
    expect(isCtap21Pre(info)).toBe(false);
    expect(supportsPermissions(info)).toBe(true);
    expect(credentialManagementSupport(info)).toBe('full');
    expect(bioEnrollmentSupport(info)).toBe('full');
    expect(supportsConfig(info)).toBe(true);
    expect(preferredPinProtocols(info)).toEqual([2, 1]);
    expect(info.forcePINChange).toBe(true);
    expect(info.minPINLength).toBe(6);
    expect(info.firmwareVersion).toBe(0x050700);
    expect(info.transportsForReset).toEqual(['usb']);
    expect(info.longTouchForReset).toBe(true);
    expect(info.maxPINLength).toBe(32);
    expect(info.certifications).toEqual({ FIDO: 2 });
  });

  it('ignores protocols it does not know', () => {
    expect(preferredPinProtocols(parseInfo(minimal([[InfoKey.pinUvAuthProtocols, [3, 1]]])))).toEqual([1]);
  });
});

describe('malformed getInfo → ProtocolError', () => {
  it.each<[string, CborMap]>([
    ['missing versions', new Map<number, CborValue>([[InfoKey.aaguid, new Uint8Array(16)]])],
    ['empty versions', minimal([[InfoKey.versions, []]])],
    ['missing aaguid', new Map<number, CborValue>([[InfoKey.versions, ['FIDO_2_0']]])],
    ['short aaguid', minimal([[InfoKey.aaguid, new Uint8Array(15)]])],
    ['aaguid as text', minimal([[InfoKey.aaguid, '00000000-0000-0000-0000-000000000000']])],
    ['versions not strings', minimal([[InfoKey.versions, [1]]])],
    ['options not a map', minimal([[InfoKey.options, ['rk']]])],
    ['option value not boolean', minimal([[InfoKey.options, new Map([['rk', 1]])]])],
    ['maxMsgSize as text', minimal([[InfoKey.maxMsgSize, '1200']])],
    ['negative minPINLength', minimal([[InfoKey.minPINLength, -1]])],
    ['forcePINChange as integer', minimal([[InfoKey.forcePINChange, 1]])],
    ['pinUvAuthProtocols not integers', minimal([[InfoKey.pinUvAuthProtocols, ['2']]])],
    ['algorithms entry without alg', minimal([[InfoKey.algorithms, [new Map([['type', 'public-key']])]]])],
  ])('%s', (_what, map) => {
    expect(() => parseInfo(map)).toThrow(ProtocolError);
  });
});
