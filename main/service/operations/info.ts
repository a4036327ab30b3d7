/**
 * Key listing and key details — CTAP 2.1 §6.4 authenticatorGetInfo, every field, in JSON-ready
 * form (camelCase names, bytes as hex, AAGUID as a lowercase hyphenated UUID), plus the model
 * and vendor (ctap/ctap2/models.ts) and the PIN retries (§6.5.5.2) where the key has a PIN.
 *
 * Read-only and tolerant: PIN retries are asked for only when getInfo says a PIN is set
 * (clientPin true; Chromium does the same), and an optional counter the key refuses or answers
 * out of range (a negative retry count, seen on open-source firmware) becomes null and is named in
 * `unreadableFields` instead of failing the whole report. Keys with large blobs also report how
 * much of that storage is used (§6.10.2: reading it needs no PIN), and the raw getInfo map is
 * given in CBOR diagnostic notation for developers.
 * @module
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { diagnose } from 'cbor2/diagnostic';
import type { CborValue } from '../../../ctap/cbor.js';
import { ClientPin } from '../../../ctap/ctap2/client-pin.js';
import { aaguidString, isPinSet, supportsClientPin, type AuthenticatorInfo, type PublicKeyCredentialParameters } from '../../../ctap/ctap2/info.js';
import { LargeBlobs, maxSerializedLargeBlobArray, supportsLargeBlobs } from '../../../ctap/ctap2/large-blobs.js';
import { identifyModel } from '../../../ctap/ctap2/models.js';
import { SIMULATED_AAGUIDS } from '../../../ctap/virtual/config.js';
import type { Ctap2Session } from '../../../ctap/ctap2/session.js';
import { CtapError, FidoError, ProtocolError, throwIfAborted } from '../../../ctap/errors.js';
import type { DeviceDescriptor, DeviceTransportName } from '../../../ctap/transport/discovery.js';
import type { DeviceManager } from '../device-manager.js';
import { modelFacts, type MdsIndex, type MdsModelFacts } from '../provisioning/mds-index.js';

/** One row of `skm list`; null where unknown. */
export interface DeviceSummary {
  id: string;
  transport: DeviceTransportName;
  name: string;
  status: 'ready' | 'no-card';
  model: string | null;
  vendor: string | null;
  aaguid: string | null;
  reader: string | null;
  vid: number | null;
  pid: number | null;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Everything `skm info` shows. */
export interface KeyInfoReport {
  id: string;
  transport: DeviceTransportName;
  name: string;
  model: string | null;
  vendor: string | null;
  aaguid: string;
  versions: string[];
  extensions: string[];
  options: Record<string, boolean>;
  pinUvAuthProtocols: number[];
  minPinLength: number;
  forcePinChange: boolean;
  firmwareVersion: number | null;
  remainingDiscoverableCredentials: number | null;
  /** PIN tries left (§6.5.5.2); null when the key has no PIN capability or would not say. */
  pinRetries: number | null;
  /** Built-in UV (fingerprint) tries left (§6.5.5.3); null without built-in UV. */
  uvRetries: number | null;
  /** Optional fields the key answered out of range ("pinRetries", "uvRetries"); shown as null. */
  unreadableFields: string[];
  maxMsgSize: number;
  maxCredentialCountInList: number | null;
  maxCredentialIdLength: number | null;
  transports: string[];
  algorithms: PublicKeyCredentialParameters[] | null;
  maxSerializedLargeBlobArray: number | null;
  maxCredBlobLength: number | null;
  maxRpIdsForSetMinPinLength: number | null;
  preferredPlatformUvAttempts: number | null;
  uvModality: number | null;
  certifications: Record<string, number> | null;
  vendorPrototypeConfigCommands: number[] | null;
  attestationFormats: string[] | null;
  uvCountSinceLastPinEntry: number | null;
  longTouchForReset: boolean;
  encIdentifier: string | null;
  transportsForReset: string[] | null;
  pinComplexityPolicy: boolean | null;
  pinComplexityPolicyUrl: string | null;
  maxPinLength: number;
  encCredStoreState: string | null;
  authenticatorConfigCommands: number[] | null;
  /** getInfo keys this app does not know (key as text), values JSON-encoded. */
  unknownFields: Record<string, JsonValue>;
  /**
   * The getInfo response map exactly as the key sent it, in CBOR diagnostic notation (RFC 8949
   * §8: integer keys, byte strings as h'…'), for developers; null if the bytes were not kept.
   */
  getInfoDiagnostic: string | null;
  /** Large-blob storage on keys with the largeBlobs option; null on others or when unreadable. */
  largeBlobStorage: LargeBlobStorageReport | null;
  /** The model in the FIDO Metadata Service BLOB the service was given; absent without one. */
  mds?: MdsModelFacts;
}

/**
 * Bytes of the serialized large-blob array read from the key (§6.10.2: reading needs no PIN),
 * hash included, and the most it may hold (getInfo maxSerializedLargeBlobArray). `corrupt`: the
 * array's hash or CBOR does not check out (§6.10.3), so `used` is what the key holds, unreadable.
 */
export interface LargeBlobStorageReport {
  used: number;
  max: number;
  state: 'valid' | 'corrupt';
}

/** Every key, with its AAGUID, model and vendor from a getInfo where the key can answer one. */
export async function listDevices(options: { manager: DeviceManager; signal?: AbortSignal }): Promise<DeviceSummary[]> {
  const devices = await options.manager.list({ signal: options.signal });
  const rows: DeviceSummary[] = [];
  // One key at a time: getInfo is quick, and parallel opens would compete on shared readers.
  for (const device of devices) rows.push(await summarize(device, options.manager, options.signal));
  return rows;
}

async function summarize(device: DeviceDescriptor, manager: DeviceManager, signal: AbortSignal | undefined): Promise<DeviceSummary> {
  let aaguid: Uint8Array | null = null;
  // A reader without a card has no AAGUID; a key busy with another operation is listed without one.
  if (device.status === 'ready' && !manager.isBusy(device.id)) {
    try {
      aaguid = await manager.withSession(device, async (session) => (await session.getInfo({ signal })).aaguid, { signal });
    } catch (error) {
      throwIfAborted(signal);
      // U2F-only keys and keys that fail getInfo are still listed; only our own bugs escape.
      if (!(error instanceof FidoError)) throw error;
    }
  }
  const { model, vendor } = describeModel(device, aaguid);
  return {
    id: device.id,
    transport: device.transport,
    name: displayName(device, model),
    status: device.status,
    model,
    vendor,
    aaguid: aaguid ? aaguidString(aaguid) : null,
    reader: device.reader,
    vid: device.vid,
    pid: device.pid,
  };
}

/**
 * Model and vendor from the AAGUID (then the USB vendor id), whatever the transport. A simulated
 * key whose AAGUID is our own says so — in-process and as a card on a PC/SC reader alike —
 * instead of borrowing the vendor of the USB id it imitates.
 */
function describeModel(device: DeviceDescriptor, aaguid: Uint8Array | null): { model: string | null; vendor: string | null } {
  if (aaguid !== null && aaguid.length === 16 && SIMULATED_AAGUIDS.includes(aaguidString(aaguid))) {
    return { model: 'Simulated key', vendor: 'Security Key Manager' };
  }
  return identifyModel({ aaguid, vid: device.vid });
}

/**
 * What to call the key: its model where the AAGUID names one. A PC/SC descriptor is named after
 * the reader (the card has no name of its own) and a USB one after its product string; the
 * reader stays in `reader`. In-process simulated keys keep their labelled name.
 */
function displayName(device: DeviceDescriptor, model: string | null): string {
  return model !== null && device.transport !== 'virtual' ? model : device.name;
}

/** getInfo (fresh) and the retry counters of one key. */
export async function keyInfo(options: { session: Ctap2Session; device: DeviceDescriptor; signal?: AbortSignal; mds?: MdsIndex | null }): Promise<KeyInfoReport> {
  const { session, device, signal } = options;
  const info = await session.getInfo({ refresh: true, signal });
  const { model, vendor } = describeModel(device, info.aaguid);
  const clientPin = new ClientPin(session);
  const unreadableFields: string[] = [];
  const pinRetries = isPinSet(info)
    ? await optional('pinRetries', unreadableFields, () => clientPin.getPinRetries({ signal }).then((r) => r.retries))
    : null;
  const uvRetries =
    info.options.uv !== undefined && supportsClientPin(info)
      ? await optional('uvRetries', unreadableFields, () => clientPin.getUvRetries({ signal }).then((r) => r.retries))
      : null;
  // Kept by the session from the getInfo above, before any other command could replace it.
  const infoBytes = session.cachedInfoBytes;
  const largeBlobStorage = supportsLargeBlobs(info)
    ? await optional('largeBlobStorage', unreadableFields, async (): Promise<LargeBlobStorageReport> => {
        const array = await new LargeBlobs(session).readArray({ signal });
        return { used: array.size, max: maxSerializedLargeBlobArray(info), state: array.kind };
      })
    : null;
  return {
    id: device.id,
    transport: device.transport,
    name: displayName(device, model),
    model,
    vendor,
    aaguid: aaguidString(info.aaguid),
    versions: info.versions,
    extensions: info.extensions,
    options: info.options,
    pinUvAuthProtocols: info.pinUvAuthProtocols,
    minPinLength: info.minPINLength,
    forcePinChange: info.forcePINChange,
    firmwareVersion: info.firmwareVersion,
    remainingDiscoverableCredentials: info.remainingDiscoverableCredentials,
    pinRetries,
    uvRetries,
    unreadableFields,
    ...otherFields(info),
    getInfoDiagnostic: infoBytes ? diagnosticNotation(infoBytes) : null,
    largeBlobStorage,
    ...(options.mds ? { mds: modelFacts(options.mds, aaguidString(info.aaguid)) } : {}),
  };
}

/** RFC 8949 §8 diagnostic notation by cbor2, indented; a map cbor2 cannot walk gives null. */
function diagnosticNotation(bytes: Uint8Array): string | null {
  try {
    return diagnose(bytes, { pretty: true });
  } catch {
    // getInfo parsed with cbor-x already, so this would be a cbor2 limit, not a bad key.
    return null;
  }
}

/**
 * A reading the key may refuse (some 2.0 firmware refuses retry counters) or answer out of range:
 * "unknown" (and, when the answer was unreadable, listed in `unreadable`), not a failure.
 */
async function optional<T>(field: string, unreadable: string[], read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof CtapError) return null;
    if (error instanceof ProtocolError) {
      unreadable.push(field);
      return null;
    }
    throw error;
  }
}

function otherFields(info: AuthenticatorInfo): Omit<
  KeyInfoReport,
  | 'id' | 'transport' | 'name' | 'model' | 'vendor' | 'aaguid' | 'versions' | 'extensions' | 'options'
  | 'pinUvAuthProtocols' | 'minPinLength' | 'forcePinChange' | 'firmwareVersion'
  | 'remainingDiscoverableCredentials' | 'pinRetries' | 'uvRetries' | 'unreadableFields'
  | 'getInfoDiagnostic' | 'largeBlobStorage'
> {
  return {
    maxMsgSize: info.maxMsgSize,
    maxCredentialCountInList: info.maxCredentialCountInList,
    maxCredentialIdLength: info.maxCredentialIdLength,
    transports: info.transports,
    algorithms: info.algorithms,
    maxSerializedLargeBlobArray: info.maxSerializedLargeBlobArray,
    maxCredBlobLength: info.maxCredBlobLength,
    maxRpIdsForSetMinPinLength: info.maxRPIDsForSetMinPINLength,
    preferredPlatformUvAttempts: info.preferredPlatformUvAttempts,
    uvModality: info.uvModality,
    certifications: info.certifications,
    vendorPrototypeConfigCommands: info.vendorPrototypeConfigCommands,
    attestationFormats: info.attestationFormats,
    uvCountSinceLastPinEntry: info.uvCountSinceLastPinEntry,
    longTouchForReset: info.longTouchForReset,
    encIdentifier: info.encIdentifier ? bytesToHex(info.encIdentifier) : null,
    transportsForReset: info.transportsForReset,
    pinComplexityPolicy: info.pinComplexityPolicy,
    // §6.4 0x1C is a byte string holding a URL.
    pinComplexityPolicyUrl: info.pinComplexityPolicyURL ? new TextDecoder().decode(info.pinComplexityPolicyURL) : null,
    maxPinLength: info.maxPINLength,
    encCredStoreState: info.encCredStoreState ? bytesToHex(info.encCredStoreState) : null,
    authenticatorConfigCommands: info.authenticatorConfigCommands,
    unknownFields: Object.fromEntries([...info.unknown].map(([key, value]) => [String(key), toJson(value)])),
  };
}

/** CBOR → JSON for fields we do not know: bytes as hex, maps as objects with text keys. */
export function toJson(value: CborValue): JsonValue {
  if (value instanceof Uint8Array) return bytesToHex(value);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), toJson(v)]));
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'bigint') return value.toString();
  return value;
}
