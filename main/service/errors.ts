/**
 * The ONE table from (operation, error) to an AppErrorCode with plain words and a next step
 * (DESIGN.md "Errors": ctap raises typed errors, flows return outcomes, main maps them here).
 *
 * - Every CTAP status (CTAP 2.1 §8.2) has a base mapping; a few statuses mean something more
 *   specific inside one operation (§6.5.5.5 setPin answers NOT_ALLOWED when a PIN exists, §6.6
 *   reset answers NOT_ALLOWED after the power-up window) and are overridden per operation.
 * - Every FidoError code and every TransportError kind has a mapping.
 * - Plain messages never show spec names ("CTAP2_ERR_…"); the raw status goes into `details`.
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
    const words = copy[code](facts);
    super(message ?? words.message, { cause });
    this.name = 'AppError';
    this.nextStep = nextStep ?? words.nextStep;
    this.details = details;
    this.facts = facts;
  }
}

interface Words {
  message: string;
  nextStep?: string;
}

function triesLeft(retries: number | null | undefined): string {
  if (retries === null || retries === undefined) return '';
  return retries === 1 ? ' 1 try left.' : ` ${retries} tries left.`;
}

/** Plain words per code. Exhaustive by type: adding a code without words does not compile. */
const copy: Record<AppErrorCode, (facts: AppErrorFacts) => Words> = {
  NO_DEVICE: () => ({
    message: 'No security key found.',
    nextStep: 'Insert your security key (or tap it on the reader) and try again. To practise on a simulated key, add --virtual FILE.',
  }),
  SEVERAL_DEVICES: (f) => ({
    message: `Several security keys are connected${f.devices?.length ? `: ${f.devices.join(', ')}` : ''}.`,
    nextStep: 'Choose one with --device ID (see `skm list`), or remove the others.',
  }),
  DEVICE_NOT_FOUND: (f) => ({
    message: `No security key matches "${f.deviceId ?? ''}".`,
    nextStep: 'Run `skm list` to see the connected keys and their ids.',
  }),
  DEVICE_BUSY: () => ({
    message: 'The security key is busy with another operation.',
    nextStep: 'Wait for the other operation (or the other app using the key) to finish, then try again.',
  }),
  DEVICE_GONE: () => ({
    message: 'The security key was removed.',
    nextStep: 'Insert the key again (or keep it on the reader) and try again.',
  }),
  PERMISSION_DENIED: (f) => ({
    message: 'This computer did not allow access to the security key.',
    nextStep: f.guidance ?? 'Check that your user may access USB security keys, then try again.',
  }),
  TIMEOUT: () => ({
    message: 'The security key did not answer in time.',
    nextStep: 'Remove and reinsert the key, then try again.',
  }),
  TRANSPORT: () => ({
    message: 'Could not talk to the security key.',
    nextStep: 'Remove and reinsert the key (or tap it again), then try again.',
  }),
  PROTOCOL: () => ({
    message: "The security key's answer could not be understood.",
    nextStep: 'Try again; if it keeps happening, the key may not be compatible with this app.',
  }),
  NOT_FIDO2: () => ({
    message: 'This key is not a FIDO2 security key (it may be an older U2F-only key): it has no PIN, passkeys or settings to manage.',
    nextStep: 'Use a security key that supports FIDO2.',
  }),
  KEY_REJECTED_REQUEST: () => ({
    message: 'The security key refused the request.',
    nextStep: 'Your key may not support this in the way this app asks. Check for a firmware or app update.',
  }),
  KEY_FAILURE: () => ({
    message: 'The security key reported an internal failure.',
    nextStep: 'Remove and reinsert the key and try again; if it keeps happening, contact the key vendor.',
  }),
  REQUEST_TOO_LARGE: () => ({
    message: 'The request is too large for this security key.',
    nextStep: 'Use shorter names or fewer items.',
  }),
  PIN_INVALID: (f) => ({
    message: `That PIN is wrong.${triesLeft(f.retries)}`,
    nextStep:
      f.retries === 0
        ? 'The key is locked; only a reset will make it usable, and it erases everything.'
        : 'Try again with the right PIN. After 3 wrong PINs in a row, remove and reinsert the key; when no tries are left, the key locks.',
  }),
  PIN_AUTH_BLOCKED: () => ({
    message: 'Too many wrong PINs in a row.',
    nextStep: 'Remove and reinsert the key, then try again.',
  }),
  PIN_BLOCKED: () => ({
    message: 'The PIN is locked: too many wrong PINs.',
    nextStep: 'The key is locked; only a reset will make it usable, and it erases everything.',
  }),
  PIN_NOT_SET: () => ({
    message: 'This security key has no PIN yet.',
    nextStep: 'Set one with `skm pin set`.',
  }),
  PIN_ALREADY_SET: () => ({
    message: 'This security key already has a PIN.',
    nextStep: 'Change it with `skm pin change`.',
  }),
  PIN_POLICY: (f) => ({
    message:
      f.minLength !== undefined
        ? `That PIN does not meet the key's rules: it needs at least ${f.minLength} characters${f.maxBytes ? ` and at most ${f.maxBytes} bytes` : ''}.`
        : "That PIN does not meet the key's rules.",
    nextStep: 'Choose a PIN that meets the rules (a longer one, or one different from the current PIN).',
  }),
  PIN_REQUIRED: () => ({
    message: 'This needs the PIN of the security key.',
    nextStep: 'Enter the PIN when asked, or set one first with `skm pin set`.',
  }),
  PIN_MISMATCH: () => ({
    message: 'The two PINs you typed are different.',
    nextStep: 'Try again and type the same PIN twice.',
  }),
  PIN_CHANGE_REQUIRED: () => ({
    message: 'This security key requires a new PIN before it can be used.',
    nextStep: 'Change the PIN with `skm pin change`, then try again.',
  }),
  SESSION_EXPIRED: () => ({
    message: 'The security key no longer accepts this session.',
    nextStep: 'Try again; you will be asked for the PIN again.',
  }),
  UV_INVALID: (f) => ({
    message: `The fingerprint was not recognised.${triesLeft(f.retries)}`,
    nextStep: 'Try again, or use the PIN.',
  }),
  UV_BLOCKED: () => ({
    message: 'Fingerprint unlock is blocked after too many failed attempts.',
    nextStep: 'Use the PIN instead; entering it unblocks the fingerprint sensor.',
  }),
  TOUCH_TIMEOUT: () => ({
    message: 'The security key was not touched in time.',
    nextStep: 'Try again and touch the key when it blinks.',
  }),
  OPERATION_DENIED: () => ({
    message: 'The security key refused: the request was declined on the key.',
    nextStep: 'Try again and confirm on the key. Some keys do not allow this over every connection (USB / NFC).',
  }),
  NOT_ALLOWED: () => ({
    message: 'The security key does not allow this right now.',
    nextStep: 'Remove and reinsert the key, then try again.',
  }),
  RESET_TOO_LATE: () => ({
    message: 'Too late to reset: a key allows a reset only in the first seconds after it is plugged in.',
    nextStep: 'Remove and reinsert the key, then start the reset again at once.',
  }),
  RESET_NOT_ALLOWED_ON_TRANSPORT: () => ({
    message: 'This security key does not allow a reset over this connection.',
    nextStep: 'Connect it the other way (USB instead of NFC, or the reverse) and try again.',
  }),
  DIFFERENT_KEY: () => ({
    message: 'A different security key was inserted.',
    nextStep: 'Insert the same key you started with.',
  }),
  KEY_STORE_FULL: () => ({
    message: 'The security key has no room for more passkeys.',
    nextStep: 'Delete passkeys you no longer need (`skm creds`), then try again.',
  }),
  FINGERPRINT_STORE_FULL: () => ({
    message: 'The security key has no room for more fingerprints.',
    nextStep: 'Remove a fingerprint you no longer need, then try again.',
  }),
  FINGERPRINT_NOT_FOUND: () => ({
    message: 'That fingerprint is not on this security key.',
    nextStep: 'List the fingerprints with `skm bio list` and pick one that exists.',
  }),
  FINGERPRINT_NOT_READ: () => ({
    message: 'The security key could not read your finger clearly.',
    nextStep: 'Clean the sensor and your finger, then try again.',
  }),
  LARGE_BLOB_STORE_FULL: () => ({
    message: 'The security key has no room for more data.',
    nextStep: 'Delete passkeys you no longer need, then try again.',
  }),
  CREDENTIAL_EXCLUDED: () => ({
    message: 'This security key is already registered for that account.',
    nextStep: 'Use the key as it is, or pick another key.',
  }),
  CREDENTIAL_NOT_FOUND: () => ({
    message: 'That passkey is not on this security key.',
    nextStep: 'List the passkeys again and pick one that exists.',
  }),
  NO_CREDENTIALS: () => ({
    message: 'There are no passkeys on this security key for that.',
  }),
  UNSUPPORTED: (f) => ({
    message: `This security key does not support ${f.feature ?? 'this operation'}.`,
    nextStep: 'Check for a firmware update from the key vendor, or use a key that supports it.',
  }),
  CANCELLED: () => ({
    message: 'Cancelled.',
  }),
  STATE_FILE_CORRUPT: (f) => ({
    message: `The simulated key file${f.path ? ` ${f.path}` : ''} is damaged; it was left untouched.`,
    nextStep: 'Pass another file name to --virtual to start a new simulated key, or restore the file.',
  }),
  FILE_ACCESS: (f) => ({
    message: `Could not read or write the file${f.path ? ` ${f.path}` : ''}.`,
    nextStep: 'Check that the file and its folder exist and that you may write to them.',
  }),
  USAGE: () => ({
    message: 'The command was not used correctly.',
    nextStep: 'Run `skm --help` to see how to use it.',
  }),
  INTERNAL: () => ({
    message: 'Something went wrong inside this app.',
    nextStep: 'Try again; if it keeps happening, report it with the output of --verbose.',
  }),
};

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
  UP_REQUIRED: 'KEY_REJECTED_REQUEST',
  UV_BLOCKED: 'UV_BLOCKED',
  INTEGRITY_FAILURE: 'KEY_FAILURE',
  INVALID_SUBCOMMAND: 'UNSUPPORTED',
  UV_INVALID: 'UV_INVALID',
  UNAUTHORIZED_PERMISSION: 'KEY_REJECTED_REQUEST',
  OTHER: 'KEY_FAILURE',
};

/** Where a status means something more specific inside one operation. */
const operationOverrides: Partial<Record<OperationKind, Partial<Record<CtapStatusName, AppErrorCode>>>> = {
  // §6.5.5.5 setPin: "If a PIN has already been set, return CTAP2_ERR_NOT_ALLOWED".
  'pin-set': { NOT_ALLOWED: 'PIN_ALREADY_SET' },
  // §6.5.5.6 changePin: a wrong current PIN is PIN_INVALID; PIN_AUTH_INVALID here is the same event
  // seen by firmware that reports the failed pinHashEnc check through the MAC.
  'pin-change': { PIN_AUTH_INVALID: 'PIN_INVALID' },
  // §6.6 authenticatorReset: NOT_ALLOWED after the power-up window.
  reset: { NOT_ALLOWED: 'RESET_TOO_LATE' },
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
