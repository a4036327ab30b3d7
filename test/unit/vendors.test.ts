import { hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { identifyVendor, resetGuide, resetWindowMs, ResetWindow } from '../../ctap/flows/vendors.js';

const YUBIKEY_5_NFC = hexToBytes('ee882879721c491397753dfcce97072a');
const ZERO = new Uint8Array(16);

function info(overrides: Partial<{ aaguid: Uint8Array; firmwareVersion: number | null; versions: string[]; longTouchForReset: boolean }> = {}) {
  return { aaguid: ZERO, firmwareVersion: null, versions: ['FIDO_2_0', 'FIDO_2_1'], longTouchForReset: false, ...overrides };
}

describe('identifyVendor', () => {
  it('names Yubico from the AAGUID and calls the key a YubiKey', () => {
    const id = identifyVendor({ aaguid: YUBIKEY_5_NFC, vid: null });
    expect(id.vendor).toBe('Yubico');
    expect(id.model).toMatch(/YubiKey/);
    expect(id.noun).toBe('yubikey');
  });

  it('falls back to the USB vendor ID for the all-zero AAGUID', () => {
    expect(identifyVendor({ aaguid: ZERO, vid: 0x096e }).vendor).toBe('Feitian');
    expect(identifyVendor({ aaguid: ZERO, vid: 0x076b }).noun).toBe('card');
  });

  it('knows nothing about an unknown key', () => {
    expect(identifyVendor({ aaguid: ZERO, vid: 0x1234 })).toEqual({ vendor: null, model: null, noun: 'security-key' });
  });
});

describe('resetGuide', () => {
  it('Yubico over USB: reinsert, then touch the contact when the light flashes', () => {
    const guide = resetGuide({ transport: 'usb', vid: 0x1050, info: info({ aaguid: YUBIKEY_5_NFC, firmwareVersion: 0x050700 }) });
    expect(guide).toMatchObject({ noun: 'yubikey', remove: 'usb-remove', insert: 'usb-insert', touch: 'yubico-usb-touch-contact' });
    expect(guide.windowMs).toBe(10_000);
  });

  it('Yubico over NFC: tap on the reader', () => {
    const guide = resetGuide({ transport: 'nfc', vid: null, info: info({ aaguid: YUBIKEY_5_NFC }) });
    expect(guide).toMatchObject({ noun: 'yubikey', remove: 'nfc-lift', insert: 'nfc-tap-again', touch: 'yubico-nfc-hold' });
  });

  it('Feitian: touch the fingerprint sensor twice; HID Global: tap the card twice', () => {
    expect(resetGuide({ transport: 'usb', vid: 0x096e, info: info() }).touch).toBe('feitian-bio-touch-twice');
    expect(resetGuide({ transport: 'nfc', vid: 0x076b, info: info() })).toMatchObject({ touch: 'hid-card-tap-twice', noun: 'card' });
  });

  it('long-touch keys are told to hold, whatever the vendor', () => {
    const guide = resetGuide({ transport: 'usb', vid: 0x096e, info: info({ longTouchForReset: true }) });
    expect(guide.longTouch).toBe(true);
    expect(guide.touch).toBe('long-touch');
  });

  it('generic keys get plain words and the spec window', () => {
    const guide = resetGuide({ transport: 'virtual', vid: 0x1209, info: info() });
    expect(guide.vendor).not.toBe('Yubico');
    expect(guide.touch).toBe('generic-touch');
    expect(guide.windowMs).toBe(ResetWindow.specMs);
  });
});

describe('resetWindowMs', () => {
  it('is 5 s on YubiKey firmware before 5.5.4 and 10 s from it on', () => {
    expect(resetWindowMs({ vendor: 'Yubico', info: info({ firmwareVersion: 0x050403 }) })).toBe(5_000);
    expect(resetWindowMs({ vendor: 'Yubico', info: info({ firmwareVersion: 0x050503 }) })).toBe(5_000);
    expect(resetWindowMs({ vendor: 'Yubico', info: info({ firmwareVersion: 0x050504 }) })).toBe(10_000);
  });

  it('assumes 5 s for a YubiKey without a firmware version unless it is CTAP 2.1', () => {
    expect(resetWindowMs({ vendor: 'Yubico', info: info({ versions: ['FIDO_2_0', 'FIDO_2_1_PRE'] }) })).toBe(5_000);
    expect(resetWindowMs({ vendor: 'Yubico', info: info({ versions: ['FIDO_2_1'] }) })).toBe(10_000);
  });

  it('is the spec 10 s for other vendors and for unknown keys', () => {
    expect(resetWindowMs({ vendor: 'Feitian', info: info({ firmwareVersion: 1 }) })).toBe(10_000);
    expect(resetWindowMs({ vendor: null, info: null })).toBe(10_000);
  });
});
