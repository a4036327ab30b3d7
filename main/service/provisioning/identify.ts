/**
 * Who a key is, for the report and for recognising it on a later run: model, AAGUID, firmware,
 * and a fingerprint of the parts of getInfo that a key's settings do not change.
 *
 * The identity used to recognise a key is its device id where that names the key itself (USB:
 * vendor, product and serial number; a simulated key: its serial). A key on an NFC reader is
 * known only by the reader's name, which is not the key's; such keys are never skipped as
 * "already done" (two cards tapped on one reader would otherwise be taken for one).
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { KeyInfoReport } from '../operations/info.js';

export interface KeyIdentity {
  deviceId: string;
  /** Recognises the key on a later run; null when the connection does not name the key. */
  identity: string | null;
  model: string;
  aaguid: string;
  firmware: number | null;
  fingerprint: string;
}

export function identify(info: KeyInfoReport): KeyIdentity {
  return {
    deviceId: info.id,
    identity: info.transport === 'nfc' ? null : info.id,
    model: info.model ?? info.name,
    aaguid: info.aaguid,
    firmware: info.firmwareVersion,
    fingerprint: fingerprint(info),
  };
}

/**
 * SHA-256 (first 8 bytes, hex) over what stays the same through a reset, a PIN and every
 * setting: model identity and capabilities, not options or counters.
 */
function fingerprint(info: KeyInfoReport): string {
  const stable = {
    aaguid: info.aaguid,
    versions: info.versions,
    extensions: info.extensions,
    firmwareVersion: info.firmwareVersion,
    transports: info.transports,
    pinUvAuthProtocols: info.pinUvAuthProtocols,
    maxMsgSize: info.maxMsgSize,
    algorithms: info.algorithms,
    optionNames: Object.keys(info.options).sort(),
  };
  return bytesToHex(sha256(utf8ToBytes(JSON.stringify(stable))).slice(0, 8));
}

/** The report label for the key: the profile's pattern with its placeholders filled in. */
export function labelFor(pattern: string, key: KeyIdentity, n: number): string {
  const serial = key.identity ?? key.deviceId;
  const values: Record<string, string> = { n: String(n), serial: serial.slice(serial.lastIndexOf(':') + 1), model: key.model, aaguid: key.aaguid };
  return pattern.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}
