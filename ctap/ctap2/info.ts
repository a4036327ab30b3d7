/**
 * authenticatorGetInfo (0x04) response — CTAP 2.1 §6.4, with the fields CTAP 2.2 added.
 * Every field has the spec's default when absent; unknown keys are kept in `unknown`.
 * Capability predicates decide what a key can do before anything else is sent (DESIGN.md
 * "Capability first").
 * @module
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import type { CborMap, CborValue } from '../cbor.js';
import { ProtocolError } from '../errors.js';

export const InfoKey = {
  versions: 0x01,
  extensions: 0x02,
  aaguid: 0x03,
  options: 0x04,
  maxMsgSize: 0x05,
  pinUvAuthProtocols: 0x06,
  maxCredentialCountInList: 0x07,
  maxCredentialIdLength: 0x08,
  transports: 0x09,
  algorithms: 0x0a,
  maxSerializedLargeBlobArray: 0x0b,
  forcePINChange: 0x0c,
  minPINLength: 0x0d,
  firmwareVersion: 0x0e,
  maxCredBlobLength: 0x0f,
  maxRPIDsForSetMinPINLength: 0x10,
  preferredPlatformUvAttempts: 0x11,
  uvModality: 0x12,
  certifications: 0x13,
  remainingDiscoverableCredentials: 0x14,
  vendorPrototypeConfigCommands: 0x15,
  attestationFormats: 0x16,
  uvCountSinceLastPinEntry: 0x17,
  longTouchForReset: 0x18,
  encIdentifier: 0x19,
  transportsForReset: 0x1a,
  pinComplexityPolicy: 0x1b,
  pinComplexityPolicyURL: 0x1c,
  maxPINLength: 0x1d,
  encCredStoreState: 0x1e,
  authenticatorConfigCommands: 0x1f,
} as const;

export interface PublicKeyCredentialParameters {
  type: string;
  alg: number;
}

export interface AuthenticatorInfo {
  versions: string[];
  extensions: string[];
  /** 16 bytes; see `aaguidString`. */
  aaguid: Uint8Array;
  /** Option flags exactly as reported; use `option()` for the spec's defaults. */
  options: Record<string, boolean>;
  /** Default 1024 (§6.4). */
  maxMsgSize: number;
  pinUvAuthProtocols: number[];
  maxCredentialCountInList: number | null;
  maxCredentialIdLength: number | null;
  transports: string[];
  algorithms: PublicKeyCredentialParameters[] | null;
  maxSerializedLargeBlobArray: number | null;
  /** Default false. */
  forcePINChange: boolean;
  /** Default 4 (§6.4: "If absent, the minimum PIN length is 4 code points"). */
  minPINLength: number;
  firmwareVersion: number | null;
  maxCredBlobLength: number | null;
  maxRPIDsForSetMinPINLength: number | null;
  preferredPlatformUvAttempts: number | null;
  uvModality: number | null;
  certifications: Record<string, number> | null;
  remainingDiscoverableCredentials: number | null;
  vendorPrototypeConfigCommands: number[] | null;
  attestationFormats: string[] | null;
  uvCountSinceLastPinEntry: number | null;
  /** Default false: the key resets on an ordinary touch. */
  longTouchForReset: boolean;
  encIdentifier: Uint8Array | null;
  /** Null when absent: then reset is allowed over every transport (§6.4). */
  transportsForReset: string[] | null;
  pinComplexityPolicy: boolean | null;
  pinComplexityPolicyURL: Uint8Array | null;
  /** Default 63 UTF-8 bytes (§6.5.1). */
  maxPINLength: number;
  encCredStoreState: Uint8Array | null;
  authenticatorConfigCommands: number[] | null;
  /** Keys this code does not know, kept for developers. */
  unknown: Map<number | string, CborValue>;
}

/** §6.4 option defaults: plat=false, rk=false, up=true, makeCredUvNotRqd=false; others "absent". */
const optionDefaults: Record<string, boolean> = { plat: false, rk: false, up: true };

export function option(info: AuthenticatorInfo, name: string): boolean | undefined {
  return info.options[name] ?? optionDefaults[name];
}

export function parseInfo(map: CborMap): AuthenticatorInfo {
  const known = new Set<number | string>(Object.values(InfoKey));
  const unknown = new Map<number | string, CborValue>();
  for (const [key, value] of map) if (!known.has(key)) unknown.set(key, value);

  const aaguid = bytes(map.get(InfoKey.aaguid), 'aaguid');
  if (!aaguid || aaguid.length !== 16) throw new ProtocolError('getInfo: aaguid must be 16 bytes.');
  const versions = strings(map.get(InfoKey.versions), 'versions');
  if (!versions || versions.length === 0) throw new ProtocolError('getInfo: versions is required.');

  return {
    versions,
    extensions: strings(map.get(InfoKey.extensions), 'extensions') ?? [],
    aaguid,
    options: booleans(map.get(InfoKey.options), 'options'),
    maxMsgSize: uint(map.get(InfoKey.maxMsgSize), 'maxMsgSize') ?? 1024,
    pinUvAuthProtocols: uints(map.get(InfoKey.pinUvAuthProtocols), 'pinUvAuthProtocols') ?? [],
    maxCredentialCountInList: uint(map.get(InfoKey.maxCredentialCountInList), 'maxCredentialCountInList'),
    maxCredentialIdLength: uint(map.get(InfoKey.maxCredentialIdLength), 'maxCredentialIdLength'),
    transports: strings(map.get(InfoKey.transports), 'transports') ?? [],
    algorithms: algorithms(map.get(InfoKey.algorithms)),
    maxSerializedLargeBlobArray: uint(map.get(InfoKey.maxSerializedLargeBlobArray), 'maxSerializedLargeBlobArray'),
    forcePINChange: bool(map.get(InfoKey.forcePINChange), 'forcePINChange') ?? false,
    minPINLength: uint(map.get(InfoKey.minPINLength), 'minPINLength') ?? 4,
    firmwareVersion: uint(map.get(InfoKey.firmwareVersion), 'firmwareVersion'),
    maxCredBlobLength: uint(map.get(InfoKey.maxCredBlobLength), 'maxCredBlobLength'),
    maxRPIDsForSetMinPINLength: uint(map.get(InfoKey.maxRPIDsForSetMinPINLength), 'maxRPIDsForSetMinPINLength'),
    preferredPlatformUvAttempts: uint(map.get(InfoKey.preferredPlatformUvAttempts), 'preferredPlatformUvAttempts'),
    uvModality: uint(map.get(InfoKey.uvModality), 'uvModality'),
    certifications: certifications(map.get(InfoKey.certifications)),
    remainingDiscoverableCredentials: uint(map.get(InfoKey.remainingDiscoverableCredentials), 'remainingDiscoverableCredentials'),
    vendorPrototypeConfigCommands: uints(map.get(InfoKey.vendorPrototypeConfigCommands), 'vendorPrototypeConfigCommands'),
    attestationFormats: strings(map.get(InfoKey.attestationFormats), 'attestationFormats'),
    uvCountSinceLastPinEntry: uint(map.get(InfoKey.uvCountSinceLastPinEntry), 'uvCountSinceLastPinEntry'),
    longTouchForReset: bool(map.get(InfoKey.longTouchForReset), 'longTouchForReset') ?? false,
    encIdentifier: bytes(map.get(InfoKey.encIdentifier), 'encIdentifier'),
    transportsForReset: strings(map.get(InfoKey.transportsForReset), 'transportsForReset'),
    pinComplexityPolicy: bool(map.get(InfoKey.pinComplexityPolicy), 'pinComplexityPolicy'),
    pinComplexityPolicyURL: bytes(map.get(InfoKey.pinComplexityPolicyURL), 'pinComplexityPolicyURL'),
    maxPINLength: uint(map.get(InfoKey.maxPINLength), 'maxPINLength') ?? 63,
    encCredStoreState: bytes(map.get(InfoKey.encCredStoreState), 'encCredStoreState'),
    authenticatorConfigCommands: uints(map.get(InfoKey.authenticatorConfigCommands), 'authenticatorConfigCommands'),
    unknown,
  };
}

/** Lowercase hyphenated UUID, e.g. `ee882879-721c-4913-9775-3dfcce97072a`. */
export function aaguidString(aaguid: Uint8Array): string {
  const h = bytesToHex(aaguid);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// ── capability predicates ───────────────────────────────────────────────────────────────────

export function isCtap2(info: AuthenticatorInfo): boolean {
  return info.versions.some((v) => v.startsWith('FIDO_2'));
}
export function isCtap21(info: AuthenticatorInfo): boolean {
  return info.versions.includes('FIDO_2_1');
}
export function isCtap21Pre(info: AuthenticatorInfo): boolean {
  return !isCtap21(info) && info.versions.includes('FIDO_2_1_PRE');
}
/** The key has a clientPin capability at all (option present), whether or not a PIN is set. */
export function supportsClientPin(info: AuthenticatorInfo): boolean {
  return info.options.clientPin !== undefined;
}
export function isPinSet(info: AuthenticatorInfo): boolean {
  return info.options.clientPin === true;
}
/** §6.5.5.7: 2.1 keys with option pinUvAuthToken support permission-scoped tokens. */
export function supportsPermissions(info: AuthenticatorInfo): boolean {
  return info.options.pinUvAuthToken === true;
}
export type FeatureSupport = 'full' | 'preview' | 'none';

/** credMgmt (0x0A) on 2.1; credentialMgmtPreview (0x41) on 2.1-PRE (§6.8, python-fido2 credman). */
export function credentialManagementSupport(info: AuthenticatorInfo): FeatureSupport {
  if (info.options.credMgmt === true) return 'full';
  if (info.options.credentialMgmtPreview === true && info.versions.includes('FIDO_2_1_PRE')) return 'preview';
  return 'none';
}
/** bioEnroll (0x09) or userVerificationMgmtPreview (0x40); present-but-false means no enrollments yet. */
export function bioEnrollmentSupport(info: AuthenticatorInfo): FeatureSupport {
  if (info.options.bioEnroll !== undefined) return 'full';
  if (info.options.userVerificationMgmtPreview !== undefined && info.versions.includes('FIDO_2_1_PRE')) return 'preview';
  return 'none';
}
export function supportsConfig(info: AuthenticatorInfo): boolean {
  return info.options.authnrCfg === true;
}
/** Protocols we can use, best first (§6.5.4: the platform picks from pinUvAuthProtocols). */
export function preferredPinProtocols(info: AuthenticatorInfo): (1 | 2)[] {
  const offered = info.pinUvAuthProtocols.length > 0 ? info.pinUvAuthProtocols : supportsClientPin(info) ? [1] : [];
  return ([2, 1] as const).filter((v) => offered.includes(v));
}

// ── field decoders: fail fast, naming the field ─────────────────────────────────────────────

function bad(field: string, expected: string): never {
  throw new ProtocolError(`getInfo: ${field} must be ${expected}.`);
}
function uint(v: CborValue | undefined, field: string): number | null {
  if (v === undefined) return null;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) bad(field, 'an unsigned integer');
  return v;
}
function bool(v: CborValue | undefined, field: string): boolean | null {
  if (v === undefined) return null;
  if (typeof v !== 'boolean') bad(field, 'a boolean');
  return v;
}
function bytes(v: CborValue | undefined, field: string): Uint8Array | null {
  if (v === undefined) return null;
  if (!(v instanceof Uint8Array)) bad(field, 'a byte string');
  return v;
}
function strings(v: CborValue | undefined, field: string): string[] | null {
  if (v === undefined) return null;
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) bad(field, 'an array of text strings');
  return v as string[];
}
function uints(v: CborValue | undefined, field: string): number[] | null {
  if (v === undefined) return null;
  if (!Array.isArray(v) || !v.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0)) bad(field, 'an array of unsigned integers');
  return v as number[];
}
function booleans(v: CborValue | undefined, field: string): Record<string, boolean> {
  if (v === undefined) return {};
  if (!(v instanceof Map)) bad(field, 'a map');
  const out: Record<string, boolean> = {};
  for (const [k, b] of v) {
    if (typeof k !== 'string' || typeof b !== 'boolean') bad(field, 'a map of text → boolean');
    out[k] = b;
  }
  return out;
}
function algorithms(v: CborValue | undefined): PublicKeyCredentialParameters[] | null {
  if (v === undefined) return null;
  if (!Array.isArray(v)) bad('algorithms', 'an array');
  return v.map((p) => {
    if (!(p instanceof Map) || typeof p.get('type') !== 'string' || typeof p.get('alg') !== 'number') bad('algorithms', 'an array of {type, alg}');
    return { type: p.get('type') as string, alg: p.get('alg') as number };
  });
}
function certifications(v: CborValue | undefined): Record<string, number> | null {
  if (v === undefined) return null;
  if (!(v instanceof Map)) bad('certifications', 'a map');
  const out: Record<string, number> = {};
  for (const [k, n] of v) {
    if (typeof k !== 'string' || typeof n !== 'number') bad('certifications', 'a map of text → integer');
    out[k] = n;
  }
  return out;
}
