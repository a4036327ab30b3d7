/**
 * Virtual key state: what survives a replug (credentials, PIN, retries, templates, settings),
 * and, apart from it, what a power cycle clears. Persistence to a file lives here too.
 * @module
 */
import type { KeyAgreementKeyPair } from '../ctap2/pin-protocol.js';

export interface StoredCredential {
  id: Uint8Array;
  rpId: string;
  rpName: string | null;
  userId: Uint8Array;
  userName: string | null;
  userDisplayName: string | null;
  /** P-256 secret scalar (ES256). */
  privateKey: Uint8Array;
  signCount: number;
  /** credProtect level 1–3 (§12.1). */
  credProtect: number;
  largeBlobKey: Uint8Array | null;
  discoverable: boolean;
  createdAt: number;
}

export interface BioTemplate {
  id: Uint8Array;
  friendlyName: string | null;
}

/** Survives removal and power cycles; persisted by `skm --virtual FILE`. */
export interface VirtualKeyState {
  /** LEFT(SHA-256(PIN), 16) as the spec stores it (§6.5.5.5), or null when no PIN is set. */
  pinHash: Uint8Array | null;
  /** Code points of the current PIN, to decide forcePINChange when minPINLength rises (§6.11.4). */
  pinLength: number | null;
  /** pinRetries counter, 8 at most (§6.5.2.1). */
  pinRetries: number;
  uvRetries: number;
  forcePinChange: boolean;
  minPinLength: number;
  minPinLengthRpIds: string[];
  alwaysUv: boolean;
  enterpriseAttestation: boolean;
  credentials: StoredCredential[];
  templates: BioTemplate[];
}

/** Cleared by every power cycle (§6.5.2: per-power-up PIN block, new key agreement, new token). */
export interface PowerUpState {
  /** Clock time of power-up; the reset window counts from here. */
  poweredAt: number;
  /** Consecutive wrong PINs since power-up; 3 → PIN_AUTH_BLOCKED until power cycle. */
  consecutivePinFailures: number;
  consecutiveUvFailures: number;
  keyAgreement: KeyAgreementKeyPair;
  /** The pinUvAuthToken and its state (§6.5.2.1); null until one is issued. */
  token: {
    value: Uint8Array;
    protocol: number;
    permissions: number;
    rpId: string | null;
    userPresent: boolean;
    userVerified: boolean;
    /** Legacy getPinToken (0x05) tokens carry every permission implicitly. */
    legacy: boolean;
  } | null;
  /** Reset is still allowed (window not expired, permission not revoked by a quirk). */
  resetPermission: boolean;
  /** Command-family iterators (credMgmt enumerate, getNextAssertion, bio enrollment in progress). */
  pending: { kind: string; data: unknown } | null;
}
