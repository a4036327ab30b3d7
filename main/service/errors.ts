/**
 * The ONE table from (operation, error) to an AppErrorCode with facts and technical details
 * (DESIGN.md "Errors": ctap raises typed errors, flows return outcomes, main maps them here).
 *
 * - Every CTAP status (CTAP 2.1 §8.2) has a base mapping; a few statuses mean something more
 *   specific inside one operation (§6.5.5.5 setPin answers NOT_ALLOWED when a PIN exists, §6.6
 *   reset answers NOT_ALLOWED after the power-up window) and are overridden per operation.
 * - Every FidoError code and every TransportError kind has a mapping.
 * - No words here: the catalogue (main/copy/) words every code for each language and front end,
 *   never with spec names ("CTAP2_ERR_…"); the raw status goes into `details`.
 * The compiler enforces exhaustiveness (Record over every name); a test enforces it at runtime.
 * @module
 */
import {
  FidoError,
  type CancelledError,
  type CtapError,
  type PinPolicyError,
  type ProtocolError,
  type TransportError,
  type TransportErrorKind,
  type UnsupportedError,
} from '../../ctap/errors.js';
import { CtapStatus, statusName, type CtapStatusName } from '../../ctap/status.js';
import { commandName } from '../../ctap/ctap2/commands.js';
import { hex } from '../../ctap/bytes.js';

export const APP_ERROR_CODES = [
  'NO_DEVICE',
  'SEVERAL_DEVICES',
  'DEVICE_NOT_FOUND',
  'DEVICE_BUSY',
  'DEVICE_GONE',
  'PERMISSION_DENIED',
  'TIMEOUT',
  'TRANSPORT',
  'PROTOCOL',
  'NOT_FIDO2',
  'KEY_REJECTED_REQUEST',
  'KEY_FAILURE',
  'REQUEST_TOO_LARGE',
  'PIN_INVALID',
  'PIN_AUTH_BLOCKED',
  'PIN_BLOCKED',
  'PIN_NOT_SET',
  'PIN_ALREADY_SET',
  'PIN_POLICY',
  'PIN_REQUIRED',
  'PIN_MISMATCH',
  'PIN_CHANGE_REQUIRED',
  'SESSION_EXPIRED',
  'UV_INVALID',
  'UV_BLOCKED',
  'TOUCH_TIMEOUT',
  'TOUCH_REQUIRED',
  'OPERATION_DENIED',
  'NOT_ALLOWED',
  'RESET_TOO_LATE',
  'RESET_NOT_ALLOWED_ON_TRANSPORT',
  'DIFFERENT_KEY',
  'KEY_STORE_FULL',
  'FINGERPRINT_STORE_FULL',
  'FINGERPRINT_NOT_FOUND',
  'FINGERPRINT_NOT_READ',
  'LARGE_BLOB_STORE_FULL',
  'CREDENTIAL_EXCLUDED',
  'CREDENTIAL_NOT_FOUND',
  'NO_CREDENTIALS',
  'UNSUPPORTED',
  'CANCELLED',
  'STATE_FILE_CORRUPT',
  'FILE_ACCESS',
  'USAGE',
  'BAD_REQUEST',
  'FORBIDDEN',
  'INTERNAL',
] as const;

export type AppErrorCode = (typeof APP_ERROR_CODES)[number];

/**
 * The user operations of the app and the CLI (the keys of the per-operation overrides below).
 */
export const OPERATION_KINDS = [
  'list',
  'info',
  'pin-status',
  'pin-set',
  'pin-change',
  'credentials',
  'fingerprints',
  'settings',
  'reset',
  'select',
  'wink',
  'test',
  'virtual-key',
  'doctor',
  'provision',
] as const;

export type OperationKind = (typeof OPERATION_KINDS)[number];

/**
 * Why an error happened, more precisely than its code: selects the catalogue's words for it
 * (main/copy/). A code without a reason gets the code's own words.
 */
export const ERROR_REASONS = [
  // PIN_POLICY: what the host or the key refused (ctap/flows/prompts.ts PinRetryReason)
  'too-short',
  'too-long',
  'not-a-string',
  'same-as-current',
  'pin-rejected-by-key',
  // CANCELLED: the person said no to a confirmation
  'declined-delete',
  'declined-change',
  'declined-remove',
  'declined-reset',
  // TOUCH_TIMEOUT
  'no-finger',
  'none-touched',
  'reset-not-touched',
  'test-not-touched',
  // OPERATION_DENIED
  'reset-declined',
  // TIMEOUT in the reset ceremony
  'not-removed',
  'not-reinserted',
  // TRANSPORT
  'power-cycle-failed',
  'pcscd-not-running',
  // DIFFERENT_KEY
  'before-reset',
  'after-reset',
  // NOT_ALLOWED (minimum PIN length; ctap/flows/configure.ts MinPinLengthRefusal)
  'only-goes-up',
  'no-rp-ids',
  'too-many-rp-ids',
  'policy',
  // REQUEST_TOO_LARGE
  'name-too-long',
  // KEY_FAILURE
  'test-step-failed',
  // DEVICE_BUSY / FILE_ACCESS / USAGE around simulated key files
  'state-file-in-use',
  'state-file-not-saved',
  'virtual-file-twice',
  'unknown-preset',
  'virtual-preset-without-file',
  // USAGE (input that cannot be used, from any front end)
  'invalid-credential-id',
  'invalid-template-id',
  'empty-name',
  'nothing-to-update',
  'no-pin-on-stdin',
  'confirmation-needed',
  'missing-command',
  'pin-in-arguments',
  'pin-extra-arguments',
  'argument-parser',
  'vpcd-missing',
  // UNSUPPORTED
  'cannot-wink',
  'os-action-unavailable',
  // CANCELLED: the person refused the administrator (UAC) prompt
  'elevation-declined',
  // Fleet provisioning (skm provision): the profile, the report, the shared PIN
  'profile-invalid',
  'profile-unreadable',
  'report-in-use',
  'report-unreadable',
  'report-not-saved',
  'policy-not-saved',
  'pin-file-unreadable',
  'no-shared-pin',
  'shared-pin-unused',
  'attestation-needs-mds',
  'mds-invalid',
  'mds-untrusted',
  'mds-too-large',
  'mds-without-root',
  // FILE_ACCESS: a file the app was asked to write or read (report, export, profile)
  'path-not-allowed',
  'export-not-saved',
  'profile-too-large',
  // USAGE: the app's provisioning run
  'provisioning-running',
  'no-report-yet',
  // large blobs: NO_CREDENTIALS, KEY_FAILURE, DEVICE_BUSY, FILE_ACCESS, USAGE
  'no-blob',
  'blob-storage-unreadable',
  'blob-storage-changed',
  'out-file-exists',
  'large-blob-needs-resident',
  // SEVERAL_DEVICES: the id given matches more than one key
  'ambiguous-device',
  // USAGE: the start of a credential id that matches more than one passkey
  'ambiguous-credential-id',
] as const;

export type ErrorReason = (typeof ERROR_REASONS)[number];

/**
 * Values the words need (retries left, minimum PIN length, feature, devices…). Plain data only:
 * errors cross the IPC boundary as `{ code, facts, details }`.
 */
export interface AppErrorFacts {
  reason?: ErrorReason;
  retries?: number | null;
  minLength?: number;
  maxBytes?: number;
  /** What the key lacks (UnsupportedError.feature / a flow's UnsupportedFeature). */
  feature?: string;
  /** Keys a choice is between (several connected, or an id that matches several). */
  devices?: DeviceFact[];
  deviceId?: string;
  path?: string;
  seconds?: number;
  transport?: string;
  allowed?: string[];
  /** The operating system, for permission hints (process.platform). */
  platform?: string;
  preset?: string;
  current?: number;
  maxRpIds?: number;
  /** Passkeys a choice is between (the start of an id that matches several). */
  passkeys?: { credentialId: string; rpId: string; userName: string | null }[];
  /** Input echoed back in the words (already shortened by the caller). */
  input?: string;
  step?: string;
  /** A size in bytes (large-blob storage). */
  bytes?: number;
  /** The argument parser's own sentence (kept apart; the CLI decides whether to show it). */
  parserMessage?: string;
  /** A confirmation that could not be asked (no terminal): its title and consequences as worded. */
  consequences?: string[];
  action?: string;
}

/** A key named in an error: its id (for --device) and its name. */
export interface DeviceFact {
  id: string;
  name: string;
}

export interface AppErrorOptions extends AppErrorFacts {
  /** Raw, technical detail (spec status name, transport kind); shown with --verbose and in --json. */
  details?: string;
  cause?: unknown;
}

/** How an error crosses layers and the IPC boundary: data, never sentences. */
export interface ServiceError {
  code: AppErrorCode;
  facts: AppErrorFacts;
  details?: string;
}

/**
 * An error thrown inside main/service: a code, facts and technical details. It carries no
 * words; front ends word it from the catalogue (main/copy/).
 */
export class AppError extends Error {
  readonly details: string | undefined;
  readonly facts: AppErrorFacts;

  constructor(
    readonly code: AppErrorCode,
    options: AppErrorOptions = {},
  ) {
    const { details, cause, ...facts } = options;
    super(details ?? code, { cause });
    this.name = 'AppError';
    this.details = details;
    this.facts = facts;
  }

  /** The plain-data form (structured-clone safe, for Result and IPC). */
  toServiceError(): ServiceError {
    return { code: this.code, facts: { ...this.facts }, ...(this.details !== undefined ? { details: this.details } : {}) };
  }
}

/** Base mapping of every CTAP status (§8.2). Exhaustive by type over every status name. */
const statusTable: Record<CtapStatusName, AppErrorCode> = {
  // A CtapError never carries OK; if one does, the key's answer was inconsistent.
  OK: 'PROTOCOL',
  INVALID_COMMAND: 'UNSUPPORTED',
  INVALID_PARAMETER: 'KEY_REJECTED_REQUEST',
  INVALID_LENGTH: 'KEY_REJECTED_REQUEST',
  INVALID_SEQ: 'TRANSPORT',
  TIMEOUT: 'TIMEOUT',
  CHANNEL_BUSY: 'DEVICE_BUSY',
  LOCK_REQUIRED: 'DEVICE_BUSY',
  INVALID_CHANNEL: 'TRANSPORT',
  CBOR_UNEXPECTED_TYPE: 'KEY_REJECTED_REQUEST',
  INVALID_CBOR: 'KEY_REJECTED_REQUEST',
  MISSING_PARAMETER: 'KEY_REJECTED_REQUEST',
  LIMIT_EXCEEDED: 'REQUEST_TOO_LARGE',
  UNSUPPORTED_EXTENSION: 'UNSUPPORTED',
  FP_DATABASE_FULL: 'FINGERPRINT_STORE_FULL',
  LARGE_BLOB_STORAGE_FULL: 'LARGE_BLOB_STORE_FULL',
  CREDENTIAL_EXCLUDED: 'CREDENTIAL_EXCLUDED',
  // CTAP 2.0 reserved "busy"-family codes: the key is doing something else.
  PROCESSING: 'DEVICE_BUSY',
  INVALID_CREDENTIAL: 'CREDENTIAL_NOT_FOUND',
  USER_ACTION_PENDING: 'DEVICE_BUSY',
  OPERATION_PENDING: 'DEVICE_BUSY',
  NO_OPERATIONS: 'KEY_REJECTED_REQUEST',
  UNSUPPORTED_ALGORITHM: 'UNSUPPORTED',
  OPERATION_DENIED: 'OPERATION_DENIED',
  KEY_STORE_FULL: 'KEY_STORE_FULL',
  NOT_BUSY: 'KEY_REJECTED_REQUEST',
  NO_OPERATION_PENDING: 'KEY_REJECTED_REQUEST',
  UNSUPPORTED_OPTION: 'UNSUPPORTED',
  INVALID_OPTION: 'KEY_REJECTED_REQUEST',
  KEEPALIVE_CANCEL: 'CANCELLED',
  NO_CREDENTIALS: 'NO_CREDENTIALS',
  USER_ACTION_TIMEOUT: 'TOUCH_TIMEOUT',
  NOT_ALLOWED: 'NOT_ALLOWED',
  PIN_INVALID: 'PIN_INVALID',
  PIN_BLOCKED: 'PIN_BLOCKED',
  // §6.5.5.7: a MAC over the request that the key does not accept (token gone, power cycle).
  PIN_AUTH_INVALID: 'SESSION_EXPIRED',
  PIN_AUTH_BLOCKED: 'PIN_AUTH_BLOCKED',
  PIN_NOT_SET: 'PIN_NOT_SET',
  PUAT_REQUIRED: 'PIN_REQUIRED',
  PIN_POLICY_VIOLATION: 'PIN_POLICY',
  PIN_TOKEN_EXPIRED: 'SESSION_EXPIRED',
  REQUEST_TOO_LARGE: 'REQUEST_TOO_LARGE',
  // YubiKeys send ACTION_TIMEOUT instead of USER_ACTION_TIMEOUT (DESIGN.md "Reset ceremony").
  ACTION_TIMEOUT: 'TOUCH_TIMEOUT',
  // §8.2 "User presence is required for the requested operation": a touch is what is missing.
  UP_REQUIRED: 'TOUCH_REQUIRED',
  UV_BLOCKED: 'UV_BLOCKED',
  INTEGRITY_FAILURE: 'KEY_FAILURE',
  INVALID_SUBCOMMAND: 'UNSUPPORTED',
  UV_INVALID: 'UV_INVALID',
  UNAUTHORIZED_PERMISSION: 'KEY_REJECTED_REQUEST',
  OTHER: 'KEY_FAILURE',
};

/** Where a status means something more specific inside one operation. */
const operationOverrides: Partial<Record<OperationKind, Partial<Record<CtapStatusName, AppErrorCode>>>> = {
  // §6.5.5.5 setPin on a key that has a PIN: CTAP 2.1 answers PIN_AUTH_INVALID, 2.0 firmware
  // NOT_ALLOWED.
  'pin-set': { NOT_ALLOWED: 'PIN_ALREADY_SET', PIN_AUTH_INVALID: 'PIN_ALREADY_SET' },
  // §6.6 authenticatorReset: NOT_ALLOWED after the power-up window.
  reset: { NOT_ALLOWED: 'RESET_TOO_LATE' },
  // authenticatorConfig stores no passkeys: a full store there is the RP ID list of §6.11.4.
  settings: { KEY_STORE_FULL: 'REQUEST_TOO_LARGE' },
};

/** Human-readable names for TransportError kinds in `details`. */
const transportTable: Record<TransportErrorKind, AppErrorCode> = {
  disconnected: 'DEVICE_GONE',
  timeout: 'TIMEOUT',
  busy: 'DEVICE_BUSY',
  permission: 'PERMISSION_DENIED',
  io: 'TRANSPORT',
  framing: 'PROTOCOL',
  'status-word': 'TRANSPORT',
  'hid-error': 'TRANSPORT',
  'not-fido': 'NOT_FIDO2',
};

const statusNames = new Map<number, CtapStatusName>(
  (Object.entries(CtapStatus) as [CtapStatusName, number][]).map(([name, code]) => [code, name]),
);

/** The AppErrorCode for a CTAP status inside an operation. Unknown (vendor/extension) codes are key failures. */
export function codeForStatus(operation: OperationKind, status: number): AppErrorCode {
  const name = statusNames.get(status);
  if (name === undefined) return 'KEY_FAILURE';
  return operationOverrides[operation]?.[name] ?? statusTable[name];
}

/**
 * Map anything an operation threw to an AppError. AppErrors pass through; FidoErrors go through
 * the tables (a switch over every FidoErrorCode, so a new kind does not compile until mapped);
 * anything else is a bug of this app (INTERNAL), with its message kept in details.
 */
export function toAppError(operation: OperationKind, error: unknown, facts: AppErrorFacts = {}): AppError {
  if (error instanceof AppError) return error;
  if (!(error instanceof FidoError)) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return new AppError('INTERNAL', { ...facts, details: message, cause: error });
  }
  // Every FidoError subclass has a literal `code`, so this union narrows per case.
  const e = error as CtapError | TransportError | ProtocolError | UnsupportedError | PinPolicyError | CancelledError;
  switch (e.code) {
    case 'CTAP_STATUS': {
      const command = e.command >= 0 ? ` from ${commandName(e.command)}` : '';
      return new AppError(codeForStatus(operation, e.status), {
        ...facts,
        details: `${statusName(e.status)} (${hex(e.status)})${command}`,
        cause: e,
      });
    }
    case 'TRANSPORT': {
      // A CTAPHID ERROR frame carries a CTAP1 status; map it like any status when present.
      const code =
        e.kind === 'hid-error' && e.details.ctapStatus !== undefined
          ? codeForStatus(operation, e.details.ctapStatus)
          : transportTable[e.kind];
      const extra = [
        e.details.sw !== undefined ? `SW ${e.details.sw.toString(16).padStart(4, '0')}` : '',
        e.details.ctapStatus !== undefined ? statusName(e.details.ctapStatus) : '',
      ].filter(Boolean);
      return new AppError(code, {
        ...facts,
        ...(e.kind === 'permission' ? { platform: process.platform } : {}),
        details: `transport ${e.kind}: ${e.message}${extra.length ? ` (${extra.join(", ")})` : ""}${e.details.guidance ? ` — ${e.details.guidance}` : ""}`,
        cause: e,
      });
    }
    case 'PIN_POLICY': {
      // ctap/ctap2/pin.ts words its policy errors plainly; they say more than the generic copy.
      return new AppError('PIN_POLICY', { ...facts, reason: e.reason, minLength: e.minLength, details: `PIN policy: ${e.reason}: ${e.message}`, cause: e });
    }
    case 'UNSUPPORTED': {
      // Capability checks in ctap/ explain in plain words what the key lacks.
      return new AppError('UNSUPPORTED', { ...facts, feature: facts.feature ?? e.feature, details: `unsupported: ${e.feature}: ${e.message}`, cause: e });
    }
    case 'CANCELLED':
      return new AppError('CANCELLED', { ...facts, details: e.message, cause: e });
    case 'PROTOCOL':
      return new AppError('PROTOCOL', { ...facts, details: `${e.name}: ${e.message}`, cause: e });
    default: {
      const unreachable: never = e;
      return new AppError('INTERNAL', { ...facts, details: `unmapped error kind ${String(unreachable)}`, cause: error });
    }
  }
}
