/**
 * Vendor-specific instructions for the reset ceremony — CTAP 2.1 §6.6 leaves the user flow to the
 * vendor, so the steps differ per key. The touch instructions follow Microsoft's table for
 * Windows Settings ("Reset a security key": Yubico USB / NFC, Feitian, HID Global); the window
 * length follows §6.6 (10 s) and Yubico's FIDO2 reset notes (5 s on firmware before 5.5.4);
 * long-press keys advertise getInfo longTouchForReset (CTAP 2.2 §6.4, 0x18).
 * @module
 */
import { identifyModel } from '../ctap2/models.js';
import type { AuthenticatorInfo } from '../ctap2/info.js';
import type { DeviceTransportName } from '../transport/discovery.js';
import type { KeyNoun, ReinsertInstruction, TouchInstruction } from './prompts.js';

/** Reset window lengths after power-up. */
export const ResetWindow = {
  /** §6.6: "within 10 seconds of powering up". */
  specMs: 10_000,
  /** YubiKey firmware before 5.5.4 (Yubico .NET SDK "FIDO2 reset"; libfido2 fido_dev_reset(3)). */
  oldYubiKeyMs: 5_000,
} as const;

/** First YubiKey firmware with the 10 s window, as getInfo firmwareVersion encodes it (0xMMmmpp). */
const YUBIKEY_TEN_SECOND_FIRMWARE = 0x050504;

export interface VendorIdentity {
  /** "Yubico", "Feitian", … or null when neither the AAGUID nor the USB vendor ID tells. */
  vendor: string | null;
  model: string | null;
  /** How to call the key in a sentence: "YubiKey", "card", "security key". */
  noun: KeyNoun;
}

export interface ResetGuide extends VendorIdentity {
  /** Instruction ids for prompts.reinsert and prompts.touch (worded in main/copy/). */
  remove: ReinsertInstruction;
  insert: ReinsertInstruction;
  touch: TouchInstruction;
  /** How long after power-up the key accepts a reset. */
  windowMs: number;
  /** The key wants a long press rather than a tap (getInfo longTouchForReset). */
  longTouch: boolean;
}

/** The vendor and model of a key from its AAGUID and/or USB vendor ID (via ctap2/models.ts). */
export function identifyVendor(options: { aaguid: Uint8Array | null; vid: number | null }): VendorIdentity {
  const { model, vendor } = identifyModel({ aaguid: options.aaguid, vid: options.vid });
  return { vendor, model, noun: nounFor(vendor) };
}

/**
 * How long the key accepts a reset after power-up: 5 s on YubiKeys older than 5.5.4 (2.1-PRE
 * YubiKeys do not report a firmware version; all of them are older), 10 s otherwise (§6.6).
 */
export function resetWindowMs(options: { vendor: string | null; info: Pick<AuthenticatorInfo, 'firmwareVersion' | 'versions'> | null }): number {
  if (options.vendor !== 'Yubico') return ResetWindow.specMs;
  const firmware = options.info?.firmwareVersion ?? null;
  if (firmware !== null) return firmware < YUBIKEY_TEN_SECOND_FIRMWARE ? ResetWindow.oldYubiKeyMs : ResetWindow.specMs;
  return options.info?.versions.includes('FIDO_2_1') ? ResetWindow.specMs : ResetWindow.oldYubiKeyMs;
}

/**
 * Which instructions the reset ceremony gives, for this key over this transport.
 * `info` is the getInfo read before the ceremony (null for a key that could not be asked).
 */
export function resetGuide(options: {
  transport: DeviceTransportName;
  vid: number | null;
  info: Pick<AuthenticatorInfo, 'aaguid' | 'firmwareVersion' | 'versions' | 'longTouchForReset'> | null;
}): ResetGuide {
  const identity = identifyVendor({ aaguid: options.info?.aaguid ?? null, vid: options.vid });
  const longTouch = options.info?.longTouchForReset ?? false;
  const windowMs = resetWindowMs({ vendor: identity.vendor, info: options.info });
  const nfc = options.transport === 'nfc';
  const phases: Pick<ResetGuide, 'remove' | 'insert'> = nfc ? { remove: 'nfc-lift', insert: 'nfc-tap-again' } : { remove: 'usb-remove', insert: 'usb-insert' };
  return { ...identity, ...phases, touch: touchInstruction({ vendor: identity.vendor, nfc, longTouch }), windowMs, longTouch };
}

/** Microsoft's per-vendor reset instructions (Windows Settings "Reset a security key"). */
function touchInstruction(options: { vendor: string | null; nfc: boolean; longTouch: boolean }): TouchInstruction {
  const { vendor, nfc, longTouch } = options;
  if (longTouch) return vendor === 'Yubico' ? 'yubico-long-touch' : 'long-touch';
  if (vendor === 'Yubico') return nfc ? 'yubico-nfc-hold' : 'yubico-usb-touch-contact';
  if (vendor === 'Feitian') return 'feitian-bio-touch-twice';
  if (vendor === 'HID Global') return 'hid-card-tap-twice';
  return nfc ? 'nfc-hold' : 'generic-touch';
}

function nounFor(vendor: string | null): KeyNoun {
  if (vendor === 'Yubico') return 'yubikey';
  // HID Global's FIDO products are Crescendo smart cards.
  if (vendor === 'HID Global') return 'card';
  return 'security-key';
}
