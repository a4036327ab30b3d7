/**
 * The ONE table from (operation, error) to an AppErrorCode with plain words and a next step
 * (DESIGN.md "Errors": ctap raises typed errors, flows return outcomes, main maps them here).
 *
 * - Every CTAP status (CTAP 2.1 §8.2) has a base mapping; a few statuses mean something more
 *   specific inside one operation (§6.5.5.5 setPin answers NOT_ALLOWED when a PIN exists, §6.6
 *   reset answers NOT_ALLOWED after the power-up window) and are overridden per operation.
 * - Every FidoError code and every TransportError kind has a mapping.
 * - Plain messages (error-copy.ts) never show spec names ("CTAP2_ERR_…"); the raw status goes
 *   into `details` (shown with --verbose, and as error.details in --json).
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
import { errorCopy } from './error-copy.js';

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
  'INTERNAL',
] as const;

export type AppErrorCode = (typeof APP_ERROR_CODES)[number];

/**
 * The user operations of the app and the CLI. H8 adds none: every operation kind the service
 * will carry is listed here so the table stays in one place.
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
] as const;

export type OperationKind = (typeof OPERATION_KINDS)[number];

/** Values some messages need (retries left, minimum PIN length, feature name, devices). */
export interface AppErrorFacts {
  retries?: number | null;
  minLength?: number;
  maxBytes?: number;
  feature?: string;
  guidance?: string;
  devices?: string[];
  deviceId?: string;
  path?: string;
}

export interface AppErrorOptions extends AppErrorFacts {
  /** Raw, technical detail (spec status name, transport kind); shown with --verbose and in --json. */
  details?: string;
  /** Replaces the table's message (only where the caller knows better words). */
  message?: string;
  /** Replaces the table's next step (same rule). */
  nextStep?: string;
  cause?: unknown;
}

/** An error ready to show a person: code, plain message, next step, technical details. */
export class AppError extends Error {
  readonly nextStep: string | undefined;
  readonly details: string | undefined;
  readonly facts: AppErrorFacts;

  constructor(
    readonly code: AppErrorCode,
    options: AppErrorOptions = {},
  ) {
    const { details, message, nextStep, cause, ...facts } = options;
    const words = errorCopy[code](facts);
    super(message ?? words.message, { cause });
    this.name = 'AppError';
    this.nextStep = nextStep ?? words.nextStep;
    this.details = details;
    this.facts = facts;
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

function hex(n: number): string {
  return `0x${n.toString(16).padStart(2, '0')}`;
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
        guidance: e.details.guidance ?? facts.guidance,
        details: `transport ${e.kind}: ${e.message}${extra.length ? ` (${extra.join(', ')})` : ''}`,
        cause: e,
      });
    }
    case 'PIN_POLICY': {
      // ctap/ctap2/pin.ts words its policy errors plainly; they say more than the generic copy.
      return new AppError('PIN_POLICY', { ...facts, minLength: e.minLength, message: e.message, details: `PIN policy: ${e.reason}`, cause: e });
    }
    case 'UNSUPPORTED': {
      // Capability checks in ctap/ explain in plain words what the key lacks.
      return new AppError('UNSUPPORTED', { ...facts, feature: facts.feature ?? e.feature, message: e.message, details: `unsupported: ${e.feature}`, cause: e });
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
