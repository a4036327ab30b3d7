// The virtual key's getInfo (CTAP 2.1 §6.4) per preset, read back with the production parser.
import { describe, expect, it } from 'vitest';
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import { aaguidString, bioEnrollmentSupport, credentialManagementSupport, isCtap21, isCtap21Pre, type AuthenticatorInfo } from '../../ctap/ctap2/info.js';
import { describePresets, presetConfig, presets, UnknownPresetError } from '../../ctap/virtual/config.js';
import type { VirtualAuthenticator } from '../../ctap/virtual/authenticator.js';
import { DirectTransport } from './helpers/direct-transport.js';
import { makeAuthenticator } from './helpers/requests.js';

async function info(auth: VirtualAuthenticator): Promise<AuthenticatorInfo> {
  return new Ctap2Session(new DirectTransport(auth)).getInfo();
}

function credential(discoverable: boolean): VirtualAuthenticator['state']['credentials'][number] {
  return {
    id: Uint8Array.of(1),
    rpId: 'example.com',
    rpName: null,
    userId: Uint8Array.of(2),
    userName: null,
    userDisplayName: null,
    privateKey: new Uint8Array(32).fill(1),
    signCount: 0,
    credProtect: 1,
    largeBlobKey: null,
    discoverable,
    createdAt: 0,
  };
}

describe('getInfo per preset', () => {
  it('ctap21: a full CTAP 2.1 key', async () => {
    const result = await info(makeAuthenticator());
    expect(isCtap21(result)).toBe(true);
    expect(result.versions).toEqual(['U2F_V2', 'FIDO_2_0', 'FIDO_2_1_PRE', 'FIDO_2_1']);
    expect(result.options).toEqual({
      rk: true, up: true, clientPin: false, pinUvAuthToken: true, credMgmt: true, authnrCfg: true,
      setMinPINLength: true, makeCredUvNotRqd: true, alwaysUv: false, ep: false, largeBlobs: true,
    });
    expect(result.maxSerializedLargeBlobArray).toBe(1024);
    expect(result.pinUvAuthProtocols).toEqual([2, 1]);
    expect(result.maxMsgSize).toBe(1200);
    expect(result.remainingDiscoverableCredentials).toBe(100);
    expect(result.extensions).toEqual(['credProtect', 'hmac-secret', 'largeBlobKey', 'minPinLength', 'credBlob']);
    expect(result.maxCredBlobLength).toBeGreaterThanOrEqual(32);
    expect(result.transports).toEqual(['usb', 'nfc']);
    expect(result.algorithms).toEqual([{ type: 'public-key', alg: -7 }]);
    expect(result.minPINLength).toBe(4);
    expect(result.forcePINChange).toBe(false);
    expect(aaguidString(result.aaguid)).toBe('61ddbe7a-8d4c-493c-8787-366dafc32987');
    expect(credentialManagementSupport(result)).toBe('full');
  });

  it('ctap21-pre: YubiKey 5.2–5.4 shape — preview credMgmt, protocol 1, no 2.1-only fields', async () => {
    const result = await info(makeAuthenticator({ preset: 'ctap21-pre' }));
    expect(isCtap21Pre(result)).toBe(true);
    expect(result.options).toEqual({ rk: true, up: true, clientPin: false, credentialMgmtPreview: true });
    expect(result.pinUvAuthProtocols).toEqual([1]);
    expect(credentialManagementSupport(result)).toBe('preview');
    expect(result.maxCredentialCountInList).toBe(8);
    expect(result.firmwareVersion).toBeNull();
    expect(result.remainingDiscoverableCredentials).toBeNull();
    expect(aaguidString(result.aaguid)).toBe('ee882879-721c-4913-9775-3dfcce97072a');
  });

  it('ctap20: only the CTAP 2.0 fields', async () => {
    const result = await info(makeAuthenticator({ preset: 'ctap20' }));
    expect(result.versions).toEqual(['U2F_V2', 'FIDO_2_0']);
    expect(result.options).toEqual({ rk: true, up: true, clientPin: false });
    expect(result.transports).toEqual([]);
    expect(result.maxCredentialCountInList).toBeNull();
    expect(credentialManagementSupport(result)).toBe('none');
  });

  it('bio and bio-pre report the sensor and whether fingers are enrolled', async () => {
    const bio = makeAuthenticator({ preset: 'bio' });
    let result = await info(bio);
    expect(result.options).toMatchObject({ bioEnroll: false, uv: false });
    expect(result.uvModality).toBe(2);
    bio.state.templates.push({ id: Uint8Array.of(1), friendlyName: null });
    result = await info(bio);
    expect(result.options).toMatchObject({ bioEnroll: true, uv: true });
    expect(bioEnrollmentSupport(result)).toBe('full');

    const pre = await info(makeAuthenticator({ preset: 'bio-pre' }));
    expect(pre.options).toMatchObject({ userVerificationMgmtPreview: false, credentialMgmtPreview: true });
    expect(bioEnrollmentSupport(pre)).toBe('preview');
  });

  it('nfc-card lists only NFC; reset-5s keeps the spec fields', async () => {
    expect((await info(makeAuthenticator({ preset: 'nfc-card' }))).transports).toEqual(['nfc']);
    expect((await info(makeAuthenticator({ preset: 'slots-25' }))).remainingDiscoverableCredentials).toBe(25);
  });
});

describe('getInfo follows the key state', () => {
  it('clientPin, forcePINChange, minPINLength, alwaysUv, ep and remaining slots', async () => {
    const auth = makeAuthenticator({ preset: 'slots-25' });
    auth.state.pinHash = new Uint8Array(16);
    auth.state.forcePinChange = true;
    auth.state.minPinLength = 8;
    auth.state.alwaysUv = true;
    auth.state.enterpriseAttestation = true;
    auth.state.credentials.push(credential(true), credential(true), credential(false));
    const result = await info(auth);
    expect(result.options).toMatchObject({ clientPin: true, alwaysUv: true, ep: true, makeCredUvNotRqd: false });
    expect(result.forcePINChange).toBe(true);
    expect(result.minPINLength).toBe(8);
    expect(result.remainingDiscoverableCredentials).toBe(23);
  });

  it('reset constraints appear when a key has them', async () => {
    const auth = makeAuthenticator({ config: { reset: { ...presetConfig('ctap21').reset, transportsForReset: ['usb'], longTouchForReset: true } } });
    const result = await info(auth);
    expect(result.transportsForReset).toEqual(['usb']);
    expect(result.longTouchForReset).toBe(true);
  });
});

describe('presets', () => {
  it('every described preset exists and is named after its key', () => {
    const names = describePresets().map((p) => p.name);
    expect(names).toEqual(Object.keys(presets));
    for (const name of names) expect(presetConfig(name).preset).toBe(name);
    expect(names).toEqual(expect.arrayContaining(['ctap21', 'ctap21-pre', 'ctap20', 'bio', 'bio-pre', 'reset-5s', 'reset-10s', 'reset-drops-permission', 'slots-25', 'slots-100', 'nfc-card', 'u2f-only']));
  });

  it('presetConfig returns an independent copy', () => {
    const copy = presetConfig('ctap21');
    copy.aaguid[0] = 0;
    copy.options.rk = false;
    expect(presetConfig('ctap21').aaguid[0]).toBe(0x61);
    expect(presetConfig('ctap21').options.rk).toBe(true);
  });

  it('an unknown name throws a typed error listing the valid ones', () => {
    expect(() => presetConfig('yubikey')).toThrow(UnknownPresetError);
    expect(() => presetConfig('toString')).toThrow(/ctap21-pre/);
  });
});
