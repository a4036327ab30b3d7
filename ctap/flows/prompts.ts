/**
 * How a flow talks to the person in front of the key. The CLI answers on the terminal; the app
 * answers through IPC prompt events. Every call may be abandoned through the flow's AbortSignal.
 *
 * Flows speak in codes and facts, never in sentences: a PIN prompt carries why it is asked again
 * (`wrong-pin`, `too-short`…), a touch carries a vendor instruction id
 * (`yubico-usb-touch-contact`…), a confirmation carries its consequences as codes with counts.
 * The words live in one message catalogue per language (main/copy/), so adding a language never
 * touches ctap/.
 *
 * A PIN is returned as a string (JS strings cannot be wiped); flows turn it into bytes at once
 * and zero those after use (DESIGN.md "The rules that keep it simple").
 * @module
 */
import type { SampleFeedback } from '../ctap2/bio-enrollment.js';
import type { PinPolicyReason } from '../errors.js';
import type { TestStep } from './test-key.js';

/** Why a PIN is asked again: the key's answer (`wrong-pin`) or a check on this computer. */
export type PinRetryReason = 'wrong-pin' | 'pin-rejected-by-key' | PinPolicyReason;

export interface PinRequest {
  /** `current`: unlock with the existing PIN; `new`: choose a PIN (set or change). */
  purpose: 'current' | 'new';
  /** Retries left before the key locks, when known. */
  retries: number | null;
  /** Minimum length in Unicode code points (max(4, key's minPINLength)). */
  minLength: number;
  /** Maximum length in UTF-8 bytes (63 per spec, less on some keys). */
  maxBytes: number;
  /**
   * Set when the previous answer was refused. `cause`: `host` (a policy check here; nothing was
   * sent, no try spent) or `key` (the key said the PIN was wrong; `retries` went down).
   */
  retry?: { reason: PinRetryReason; cause: 'host' | 'key' };
}

export type TouchReason = 'reset' | 'select' | 'enroll' | 'make-credential' | 'get-assertion' | 'generic';

/**
 * What the person should do to give user presence, per vendor and transport (Microsoft's reset
 * table for Windows Settings; vendors.ts decides which one applies).
 */
export const TOUCH_INSTRUCTIONS = [
  'generic-touch',
  'nfc-tap',
  'nfc-hold',
  'long-touch',
  'yubico-long-touch',
  'yubico-usb-touch-contact',
  'yubico-nfc-hold',
  'feitian-bio-touch-twice',
  'hid-card-tap-twice',
  'select-touch',
  'enroll-first-touch',
  'enroll-next-touch',
  'test-create',
  'test-sign-in',
] as const;
export type TouchInstruction = (typeof TOUCH_INSTRUCTIONS)[number];

/** How to call the key in a sentence ("your YubiKey", "your card"). */
export type KeyNoun = 'yubikey' | 'card' | 'security-key';

export interface TouchRequest {
  reason: TouchReason;
  instruction: TouchInstruction;
  /** How the instruction names the key, where it does ("your YubiKey"). */
  noun?: KeyNoun;
  /** Clock time (ms) after which the key stops waiting, when known (reset window, touch timeout). */
  deadline?: number;
}

export const REINSERT_INSTRUCTIONS = ['usb-remove', 'usb-insert', 'nfc-lift', 'nfc-tap-again'] as const;
export type ReinsertInstruction = (typeof REINSERT_INSTRUCTIONS)[number];

export interface ReinsertRequest {
  phase: 'remove' | 'insert';
  instruction: ReinsertInstruction;
  noun: KeyNoun;
}

export const CONFIRM_ACTIONS = [
  'reset',
  'delete-passkey',
  'remove-fingerprint',
  'change-pin-rules',
  'always-uv-on',
  'always-uv-off',
  'enable-enterprise-attestation',
  'delete-blob',
  'prune-blobs',
  'clear-blob-storage',
] as const;
export type ConfirmAction = (typeof CONFIRM_ACTIONS)[number];

/**
 * One thing that will be lost or changed. Counts are given where the flow knows them
 * ("12 passkeys on 5 websites"); the catalogue words the uncounted form otherwise.
 */
export type Consequence =
  | { code: 'passkeys-deleted'; passkeys?: number; sites?: number }
  | { code: 'fingerprints-deleted'; fingerprints?: number }
  | { code: 'pin-removed' }
  | { code: 'settings-to-defaults' }
  | { code: 'passkey-sign-in-lost'; rpId: string; account: string | null }
  | { code: 'cannot-undo-website-may-list' }
  | { code: 'fingerprint-unlock-lost'; name: string | null }
  | { code: 'min-pin-length-raised'; minLength: number }
  | { code: 'min-pin-length-only-up' }
  | { code: 'short-pin-must-change'; minLength: number }
  | { code: 'pin-must-change' }
  | { code: 'min-pin-length-sites'; rpIds: string[] }
  | { code: 'always-uv-every-sign-in' }
  | { code: 'always-uv-u2f-stops' }
  | { code: 'always-uv-no-pin-yet' }
  | { code: 'always-uv-reset-off' }
  | { code: 'always-uv-off-websites-decide' }
  | { code: 'enterprise-attestation-identifies' }
  | { code: 'enterprise-attestation-reset-off' }
  | { code: 'blob-deleted'; rpId: string; account: string | null; bytes: number }
  | { code: 'orphaned-blobs-deleted'; blobs: number; bytes: number }
  /** After `skm creds delete`: the deleted passkey's data, which nothing could read any more. */
  | { code: 'blob-of-deleted-passkey-deleted'; rpId: string; account: string | null; bytes: number }
  /** The whole large-blob array, which fails its integrity check (CTAP 2.1 §6.10.1). */
  | { code: 'unreadable-blobs-deleted'; bytes: number; reason: 'truncated' | 'hash-mismatch' | 'malformed' | 'not-an-array' };

export interface ConfirmRequest {
  action: ConfirmAction;
  /** What the action is about, for the title ("the passkey for github.com", "Left thumb"). */
  subject?: { rpId?: string; account?: string | null; name?: string | null; noun?: KeyNoun };
  /** Everything that will be lost; the person must see these before agreeing. */
  consequences: Consequence[];
}

/** A step of a test run (flows/test-key.ts) and how it ended. */
export type TestStepResult =
  | 'unlocked'
  | 'created-passkey'
  | 'created-credential'
  | 'attestation-packed'
  | 'attestation-self'
  | 'attestation-none'
  | 'attestation-other'
  | 'attestation-bad-signature'
  | 'signed-in'
  | 'signature-valid'
  | 'signature-invalid'
  | 'stored-blob'
  | 'no-blob-key'
  | 'blob-storage-unreadable'
  | 'refused';

/** Live progress of a multi-step flow. */
export type ProgressEvent =
  | { step: 'reading-passkeys'; rpId: string; current: number; total: number }
  | { step: 'fingerprint-sample'; feedback: SampleFeedback; remaining: number; total: number; done: boolean }
  | { step: 'test'; test: TestStep; current: number; total: number }
  | { step: 'simulated-removed' }
  | { step: 'simulated-inserted' };

export interface UserPrompts {
  /**
   * Whether the PIN prompt shows `retries` to the person before they type. When false (a PIN
   * read from a pipe), the flows save the getPINRetries they would send only to fill it in; after
   * a wrong PIN they still read the tries left. Absent means shown.
   */
  readonly showsRetries?: boolean;
  pin(request: PinRequest, signal?: AbortSignal): Promise<string>;
  confirm(request: ConfirmRequest, signal?: AbortSignal): Promise<boolean>;
  /** The key is waiting for a touch now; call the returned function when it no longer is. */
  touch(request: TouchRequest): () => void;
  /** Ask the person to remove / reinsert the key; the flow itself watches discovery for it. */
  reinsert(request: ReinsertRequest): () => void;
  progress(event: ProgressEvent): void;
}
