/**
 * Virtual key configuration: what the key *is* (capabilities, identity, firmware quirks).
 * Fixed for the life of a key; what it *holds* lives in state.ts (Chromium's
 * VirtualFidoDevice Config/State split).
 * @module
 */
import { hexToBytes } from '@noble/hashes/utils.js';
import { UnsupportedError } from '../errors.js';
import { CtapStatus } from '../status.js';
import type { FaultName } from './faults.js';

export type PresetName = 'ctap21' | 'ctap21-pre' | 'ctap20';

export interface VirtualKeyConfig {
  preset: string;
  /** Shown in lists; the app always labels a virtual key "Simulated key" as well. */
  productName: string;
  manufacturer: string;
  vid: number;
  pid: number;
  serial: string;
  aaguid: Uint8Array;
  versions: string[];
  extensions: string[];
  /**
   * Static getInfo options. Dynamic ones (clientPin set?, alwaysUv, bioEnroll enrolled?, ep) are
   * filled from state at getInfo time; list here only whether the capability exists.
   */
  options: Record<string, boolean>;
  pinUvAuthProtocols: number[];
  maxMsgSize: number;
  maxCredentialCountInList: number;
  maxCredentialIdLength: number;
  transports: string[];
  firmwareVersion: number;
  /** Discoverable credential slots (25 on a YubiKey 5, 100 on newer keys). */
  credentialSlots: number;
  maxRPIDsForSetMinPINLength: number;
  /** Capabilities the key has at all. */
  supports: {
    clientPin: boolean;
    /** getPinUvAuthTokenUsingPinWithPermissions & friends (CTAP 2.1); false → legacy getPinToken only. */
    permissionTokens: boolean;
    credMgmt: 'full' | 'preview' | 'none';
    bio: 'full' | 'preview' | 'none';
    config: boolean;
    enterpriseAttestation: boolean;
    /** Answers CTAPHID_MSG (U2F). */
    u2f: boolean;
    /** Answers CTAP2 at all (false = U2F-only key). */
    ctap2: boolean;
    selection: boolean;
    wink: boolean;
  };
  bio: {
    maxTemplates: number;
    samplesRequired: number;
    maxTemplateFriendlyName: number;
    /**
     * Simulated finger: lastEnrollSampleStatus codes (§6.7.1) the sensor reports, one per sample,
     * consumed in order; good samples (0x00) once it runs out. Optional.
     */
    sampleScript?: number[];
  };
  reset: {
    /** Reset allowed only this long after power-up (5 s on old YubiKeys, 10 s per spec). */
    windowMs: number;
    longTouchForReset: boolean;
    /** null = reset over every transport. */
    transportsForReset: string[] | null;
    /** OpenSK-style: any command other than getInfo/selection revokes the reset permission. */
    dropsPermissionAfterOtherCommands: boolean;
    /** OpenSK-style: traffic on another CTAPHID channel revokes the reset permission. */
    dropsPermissionOnOtherChannel: boolean;
  };
  /** How long the key waits for a touch before giving up. */
  touchTimeoutMs: number;
  /** Status sent when no touch came: 0x2F per spec, 0x3A on YubiKeys. */
  touchTimeoutStatus: number;
  /** Simulated USB latency per 64-byte report (0 = none); benchmarks use 1 ms. */
  reportLatencyMs: number;
  /** getInfo maxCredBlobLength (§6.4: ≥ 32 when credBlob is offered); optional. */
  maxCredBlobLength?: number;
  /** getInfo uvModality (FIDO Registry §3.1: 0x02 = fingerprint internal); optional. */
  uvModality?: number;
  /** getInfo preferredPlatformUvAttempts (§6.4); optional. */
  preferredPlatformUvAttempts?: number;
  /** Faults to inject (faults.ts); none by default. */
  faults?: FaultName[];
  /** CTAP commands answered normally before the faults start (default 0). */
  faultAfterCommands?: number;
  /** Delay of 'answer-before-timeout' and 'late-answer-after-cancel' (default 4 500 ms). */
  faultDelayMs?: number;
  /** getInfo maxSerializedLargeBlobArray (§6.4: ≥ 1024); set on keys whose options say largeBlobs. */
  maxSerializedLargeBlobArray?: number;
  /**
   * A maker's attestation (WebAuthn L2 §8.2 "packed" with x5c): the P-256 private key of the
   * leaf certificate and the chain, leaf first, DER. Without it the key attests itself (self
   * attestation), as every preset does.
   */
  attestation?: { privateKey: Uint8Array; x5c: Uint8Array[] };
}

// ── presets ─────────────────────────────────────────────────────────────────────────────────
// Each preset models one family of real firmware; the comment above each names the keys it
// resembles and which of their behaviours it copies. Identity values (serials, our own AAGUID)
// are fixed so that a key persisted with `skm --virtual FILE` keeps its id across runs.

function uuid(text: string): Uint8Array {
  return hexToBytes(text.replaceAll('-', ''));
}

/** Our own AAGUID for simulated keys (random, registered nowhere), so no model table names it. */
const SIMULATED_AAGUID = '61ddbe7a-8d4c-493c-8787-366dafc32987';
/** Yubico's AAGUID for YubiKey 5 NFC firmware 5.2/5.4 (FIDO MDS), for the 2.1-PRE simulation. */
const YUBIKEY_5_NFC_AAGUID = 'ee882879-721c-4913-9775-3dfcce97072a';
/** Separate AAGUIDs for simulated bio keys (a model is one AAGUID per WebAuthn §6.1). */
const SIMULATED_BIO_AAGUID = '61ddbe7a-8d4c-493c-8787-366dafc32988';
const SIMULATED_U2F_AAGUID = '00000000-0000-0000-0000-000000000000';
/** The AAGUIDs only simulated keys carry, so that a front end can tell one over any transport. */
export const SIMULATED_AAGUIDS: readonly string[] = [SIMULATED_AAGUID, SIMULATED_BIO_AAGUID];

/** VID/PID pairs. 0x1209 is pid.codes' open-source VID; its 0x0001–0x000F PIDs are test PIDs. */
const SIMULATED_VID = 0x1209;
const YUBICO_VID = 0x1050;
/** YubiKey 5 NFC in FIDO+CCID+OTP mode. */
const YUBIKEY_5_OTP_FIDO_CCID_PID = 0x0407;
const FEITIAN_VID = 0x096e;
/** OpenSK on Nordic nRF52840 (OpenSK's default USB descriptor). */
const NORDIC_VID = 0x1915;
const OPENSK_PID = 0x521f;

/**
 * A full CTAP 2.1 key, the default. Resembles YubiKey 5 series firmware 5.7 and Token2 /
 * Feitian 2.1 keys: FIDO_2_1 with pinUvAuthToken, credMgmt, authnrCfg, setMinPINLength,
 * makeCredUvNotRqd, alwaysUv and enterprise attestation capable, PIN protocols 2 then 1.
 */
const ctap21: VirtualKeyConfig = {
  preset: 'ctap21',
  productName: 'Virtual FIDO2 Key',
  manufacturer: 'Simulated',
  vid: SIMULATED_VID,
  pid: 0x0001,
  serial: 'SIM21000001',
  aaguid: uuid(SIMULATED_AAGUID),
  versions: ['U2F_V2', 'FIDO_2_0', 'FIDO_2_1_PRE', 'FIDO_2_1'],
  extensions: ['credProtect', 'hmac-secret', 'largeBlobKey', 'minPinLength', 'credBlob'],
  // Values here only say "the capability exists"; get-info.ts fills clientPin, alwaysUv and ep
  // from the key's state (§6.4: present-but-false means "supported, not set/enabled").
  options: {
    rk: true,
    up: true,
    clientPin: false,
    pinUvAuthToken: true,
    credMgmt: true,
    authnrCfg: true,
    setMinPINLength: true,
    makeCredUvNotRqd: true,
    alwaysUv: false,
    ep: false,
    largeBlobs: true,
  },
  pinUvAuthProtocols: [2, 1],
  maxMsgSize: 1200,
  maxCredentialCountInList: 8,
  maxCredentialIdLength: 128,
  transports: ['usb', 'nfc'],
  firmwareVersion: 0x050700,
  credentialSlots: 100,
  maxRPIDsForSetMinPINLength: 4,
  supports: {
    clientPin: true,
    permissionTokens: true,
    credMgmt: 'full',
    bio: 'none',
    config: true,
    enterpriseAttestation: true,
    u2f: true,
    ctap2: true,
    selection: true,
    wink: true,
  },
  bio: { maxTemplates: 0, samplesRequired: 0, maxTemplateFriendlyName: 0 },
  reset: {
    // §6.6: "within 10 seconds" of power-up.
    windowMs: 10_000,
    longTouchForReset: false,
    transportsForReset: null,
    dropsPermissionAfterOtherCommands: false,
    dropsPermissionOnOtherChannel: false,
  },
  touchTimeoutMs: 30_000,
  touchTimeoutStatus: CtapStatus.USER_ACTION_TIMEOUT,
  reportLatencyMs: 0,
  maxCredBlobLength: 32,
  // §6.4: the spec's minimum, which is also what many 2.1 keys offer.
  maxSerializedLargeBlobArray: 1024,
};

/**
 * A FIDO_2_1_PRE key: YubiKey 5 series firmware 5.2–5.4. Only the preview credential
 * management command (0x41, option credentialMgmtPreview), PIN protocol 1, legacy getPinToken
 * (no pinUvAuthToken option), 25 discoverable slots, reset only within 5 s of insertion, and
 * ACTION_TIMEOUT (0x3A) instead of USER_ACTION_TIMEOUT when nobody touches it (as ykman sees).
 */
const ctap21Pre: VirtualKeyConfig = {
  ...ctap21,
  preset: 'ctap21-pre',
  productName: 'YubiKey 5 NFC',
  manufacturer: 'Yubico',
  vid: YUBICO_VID,
  pid: YUBIKEY_5_OTP_FIDO_CCID_PID,
  serial: 'SIM21P00001',
  aaguid: uuid(YUBIKEY_5_NFC_AAGUID),
  versions: ['U2F_V2', 'FIDO_2_0', 'FIDO_2_1_PRE'],
  extensions: ['credProtect', 'hmac-secret'],
  options: { rk: true, up: true, clientPin: false, credentialMgmtPreview: true },
  pinUvAuthProtocols: [1],
  maxMsgSize: 1200,
  firmwareVersion: 0x050403,
  credentialSlots: 25,
  maxRPIDsForSetMinPINLength: 0,
  supports: {
    ...ctap21.supports,
    permissionTokens: false,
    credMgmt: 'preview',
    config: false,
    enterpriseAttestation: false,
    // authenticatorSelection (0x0B) arrived with CTAP 2.1; older firmware answers INVALID_COMMAND.
    selection: false,
  },
  reset: { ...ctap21.reset, windowMs: 5_000 },
  touchTimeoutStatus: CtapStatus.ACTION_TIMEOUT,
  maxCredBlobLength: undefined,
  // Large blobs arrived with CTAP 2.1; 2.1-PRE and older firmware has no authenticatorLargeBlobs.
  maxSerializedLargeBlobArray: undefined,
};

/**
 * A CTAP 2.0 key with a PIN and nothing more: YubiKey 5 firmware 5.1, Security Key by Yubico
 * (blue, 5.1), SoloKeys Solo 1 (3.x firmware): FIDO_2_0 + U2F_V2, PIN protocol 1, 25 slots.
 */
const ctap20: VirtualKeyConfig = {
  ...ctap21Pre,
  preset: 'ctap20',
  productName: 'Virtual FIDO2 Key (CTAP 2.0)',
  manufacturer: 'Simulated',
  vid: SIMULATED_VID,
  pid: 0x0002,
  serial: 'SIM20000001',
  aaguid: uuid(SIMULATED_AAGUID),
  versions: ['U2F_V2', 'FIDO_2_0'],
  extensions: ['hmac-secret'],
  options: { rk: true, up: true, clientPin: false },
  firmwareVersion: 0x050102,
  supports: { ...ctap21Pre.supports, credMgmt: 'none' },
  reset: { ...ctap21.reset },
  touchTimeoutStatus: CtapStatus.USER_ACTION_TIMEOUT,
};

/**
 * A CTAP 2.1 fingerprint key: YubiKey Bio (firmware 5.6) / Feitian BioPass K27 2.1 firmware.
 * bioEnroll and uv (both filled from enrolled templates at getInfo time), 5 fingerprints,
 * 4 good samples per enrolment, friendly names up to 15 bytes, PIN/UV tokens via UV too.
 */
const bio: VirtualKeyConfig = {
  ...ctap21,
  preset: 'bio',
  productName: 'Virtual FIDO2 Bio Key',
  pid: 0x0003,
  serial: 'SIMBIO00001',
  aaguid: uuid(SIMULATED_BIO_AAGUID),
  options: { ...ctap21.options, bioEnroll: false, uv: false, uvBioEnroll: true },
  transports: ['usb'],
  firmwareVersion: 0x050602,
  credentialSlots: 100,
  supports: { ...ctap21.supports, bio: 'full' },
  bio: { maxTemplates: 5, samplesRequired: 4, maxTemplateFriendlyName: 15 },
  uvModality: 0x02,
  preferredPlatformUvAttempts: 3,
};

/**
 * A FIDO_2_1_PRE fingerprint key: Feitian BioPass K26/K43 (2.x firmware) and the YubiKey Bio
 * preview firmware 5.5: only the preview commands 0x40 (userVerificationMgmtPreview) and 0x41
 * (credentialMgmtPreview), PIN protocol 1, legacy getPinToken.
 */
const bioPre: VirtualKeyConfig = {
  ...ctap21Pre,
  preset: 'bio-pre',
  productName: 'BioPass FIDO2',
  manufacturer: 'Feitian',
  vid: FEITIAN_VID,
  pid: 0x0858,
  serial: 'SIMBIOP0001',
  aaguid: uuid(SIMULATED_BIO_AAGUID),
  options: { rk: true, up: true, clientPin: false, uv: false, credentialMgmtPreview: true, userVerificationMgmtPreview: false },
  transports: ['usb'],
  firmwareVersion: 0x020000,
  supports: { ...ctap21Pre.supports, bio: 'preview' },
  bio: { maxTemplates: 5, samplesRequired: 4, maxTemplateFriendlyName: 15 },
  reset: { ...ctap21.reset },
  touchTimeoutStatus: CtapStatus.USER_ACTION_TIMEOUT,
  uvModality: 0x02,
};

/**
 * OpenSK (Google's Rust firmware, 2.1 branch): the reset permission is dropped by any command
 * other than getInfo/selection and by traffic on a second CTAPHID channel (its
 * `ResetPermission` / channel check), so a reset must be the first thing sent after insertion.
 */
const resetDropsPermission: VirtualKeyConfig = {
  ...ctap21,
  preset: 'reset-drops-permission',
  productName: 'OpenSK',
  manufacturer: 'OpenSK',
  vid: NORDIC_VID,
  pid: OPENSK_PID,
  serial: 'SIMOPENSK01',
  transports: ['usb', 'nfc'],
  firmwareVersion: 0x010000,
  credentialSlots: 150,
  reset: { ...ctap21.reset, dropsPermissionAfterOtherCommands: true, dropsPermissionOnOtherChannel: true },
};

/** An NFC-only card (Feitian / HID Crescendo / Token2 card style): no USB, no wink, no LED. */
const nfcCard: VirtualKeyConfig = {
  ...ctap21,
  preset: 'nfc-card',
  productName: 'Virtual FIDO2 Card',
  pid: 0x0004,
  serial: 'SIMCARD0001',
  transports: ['nfc'],
  supports: { ...ctap21.supports, wink: false },
};

/**
 * A U2F-only key: FIDO U2F Security Key (Yubico, 4.x firmware) / Feitian ePass U2F. CTAPHID
 * without CAPABILITY_CBOR, so CTAPHID_CBOR is answered with ERR_INVALID_COMMAND.
 */
const u2fOnly: VirtualKeyConfig = {
  ...ctap20,
  preset: 'u2f-only',
  productName: 'Virtual U2F Key',
  pid: 0x0005,
  serial: 'SIMU2F00001',
  aaguid: uuid(SIMULATED_U2F_AAGUID),
  versions: ['U2F_V2'],
  extensions: [],
  options: { up: true },
  pinUvAuthProtocols: [],
  transports: ['usb'],
  credentialSlots: 0,
  supports: { ...ctap20.supports, clientPin: false, ctap2: false, selection: false },
};

interface PresetEntry {
  config: VirtualKeyConfig;
  description: string;
}

const entries: Record<string, PresetEntry> = {
  ctap21: { config: ctap21, description: 'CTAP 2.1 key with PIN, passkey management and settings, 100 passkey slots (default)' },
  'ctap21-pre': { config: ctap21Pre, description: 'CTAP 2.1-PRE key like a YubiKey 5 (firmware 5.2–5.4): preview passkey management, legacy PIN tokens, 25 slots, 5 s reset window' },
  ctap20: { config: ctap20, description: 'CTAP 2.0 key with a PIN only, 25 passkey slots' },
  bio: { config: bio, description: 'CTAP 2.1 fingerprint key like a YubiKey Bio: 5 fingerprints, 4 samples each' },
  'bio-pre': { config: bioPre, description: 'CTAP 2.1-PRE fingerprint key like a Feitian BioPass: preview fingerprint and passkey commands' },
  'reset-5s': { config: { ...ctap21, preset: 'reset-5s', reset: { ...ctap21.reset, windowMs: 5_000 } }, description: 'CTAP 2.1 key whose reset window is 5 s, like older YubiKeys' },
  'reset-10s': { config: { ...ctap21, preset: 'reset-10s', reset: { ...ctap21.reset, windowMs: 10_000 } }, description: 'CTAP 2.1 key with the spec reset window of 10 s' },
  'reset-drops-permission': { config: resetDropsPermission, description: 'CTAP 2.1 key like OpenSK: any other command or channel before reset makes reset fail' },
  'slots-25': { config: { ...ctap21, preset: 'slots-25', credentialSlots: 25 }, description: 'CTAP 2.1 key with 25 passkey slots' },
  'slots-100': { config: { ...ctap21, preset: 'slots-100', credentialSlots: 100 }, description: 'CTAP 2.1 key with 100 passkey slots' },
  'nfc-card': { config: nfcCard, description: 'CTAP 2.1 NFC-only card (no USB)' },
  'u2f-only': { config: u2fOnly, description: 'U2F-only key (no FIDO2: no PIN, no passkeys)' },
};

export const DEFAULT_PRESET = 'ctap21';

/** Every preset by name (read-only templates; use presetConfig for a copy to modify). */
export const presets: Readonly<Record<string, VirtualKeyConfig>> = Object.freeze(
  Object.fromEntries(Object.entries(entries).map(([name, entry]) => [name, entry.config])),
);

/** A preset name nobody defined; lists the valid ones for the CLI's message. */
export class UnknownPresetError extends UnsupportedError {
  constructor(
    readonly preset: string,
    readonly validNames: string[],
  ) {
    super('virtual-key-preset', `There is no simulated key preset called "${preset}". Choose one of: ${validNames.join(', ')}.`);
  }
}

/** A fresh, independent copy of a preset's configuration. */
export function presetConfig(name: string): VirtualKeyConfig {
  const entry = Object.hasOwn(entries, name) ? entries[name] : undefined;
  if (!entry) throw new UnknownPresetError(name, Object.keys(entries));
  return structuredClone(entry.config);
}

/** For `skm virtual-key presets`. */
export function describePresets(): { name: string; description: string }[] {
  return Object.entries(entries).map(([name, entry]) => ({ name, description: entry.description }));
}
