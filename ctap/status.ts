/**
 * CTAP status codes — CTAP 2.1 §8.2 "Status codes" (plus the CTAP 2.0 names that 2.1 reserved,
 * because 2.0 firmware still sends them). Unknown codes are kept as numbers, never dropped.
 * @module
 */
import { hex } from './bytes.js';

export const CtapStatus = {
  OK: 0x00,
  INVALID_COMMAND: 0x01,
  INVALID_PARAMETER: 0x02,
  INVALID_LENGTH: 0x03,
  INVALID_SEQ: 0x04,
  TIMEOUT: 0x05,
  CHANNEL_BUSY: 0x06,
  LOCK_REQUIRED: 0x0a,
  INVALID_CHANNEL: 0x0b,
  CBOR_UNEXPECTED_TYPE: 0x11,
  INVALID_CBOR: 0x12,
  MISSING_PARAMETER: 0x14,
  LIMIT_EXCEEDED: 0x15,
  UNSUPPORTED_EXTENSION: 0x16,
  FP_DATABASE_FULL: 0x17,
  LARGE_BLOB_STORAGE_FULL: 0x18,
  CREDENTIAL_EXCLUDED: 0x19,
  PROCESSING: 0x21,
  INVALID_CREDENTIAL: 0x22,
  USER_ACTION_PENDING: 0x23,
  OPERATION_PENDING: 0x24,
  NO_OPERATIONS: 0x25,
  UNSUPPORTED_ALGORITHM: 0x26,
  OPERATION_DENIED: 0x27,
  KEY_STORE_FULL: 0x28,
  NOT_BUSY: 0x29,
  NO_OPERATION_PENDING: 0x2a,
  UNSUPPORTED_OPTION: 0x2b,
  INVALID_OPTION: 0x2c,
  KEEPALIVE_CANCEL: 0x2d,
  NO_CREDENTIALS: 0x2e,
  USER_ACTION_TIMEOUT: 0x2f,
  NOT_ALLOWED: 0x30,
  PIN_INVALID: 0x31,
  PIN_BLOCKED: 0x32,
  PIN_AUTH_INVALID: 0x33,
  PIN_AUTH_BLOCKED: 0x34,
  PIN_NOT_SET: 0x35,
  PUAT_REQUIRED: 0x36,
  PIN_POLICY_VIOLATION: 0x37,
  PIN_TOKEN_EXPIRED: 0x38,
  REQUEST_TOO_LARGE: 0x39,
  ACTION_TIMEOUT: 0x3a,
  UP_REQUIRED: 0x3b,
  UV_BLOCKED: 0x3c,
  INTEGRITY_FAILURE: 0x3d,
  INVALID_SUBCOMMAND: 0x3e,
  UV_INVALID: 0x3f,
  UNAUTHORIZED_PERMISSION: 0x40,
  OTHER: 0x7f,
} as const;

export type CtapStatusName = keyof typeof CtapStatus;
export type CtapStatusCode = (typeof CtapStatus)[CtapStatusName];

const names = new Map<number, CtapStatusName>(
  (Object.entries(CtapStatus) as [CtapStatusName, number][]).map(([name, code]) => [code, name]),
);

/** Spec prefix: CTAP1_ERR_ for the codes CTAP1/CTAPHID defined, CTAP2_ERR_ for the rest. */
const ctap1Codes = new Set<number>([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0a, 0x0b, 0x7f]);

/** The spec's name for a status byte, e.g. `CTAP2_ERR_PIN_INVALID`; ranges for extension/vendor codes. */
export function statusName(code: number): string {
  const name = names.get(code);
  if (code === 0) return 'CTAP2_OK';
  if (name) return `${ctap1Codes.has(code) ? 'CTAP1' : 'CTAP2'}_ERR_${name}`;
  if (code >= 0xe0 && code <= 0xef) return `CTAP2_ERR_EXTENSION_${hex(code)}`;
  if (code >= 0xf0 && code <= 0xff) return `CTAP2_ERR_VENDOR_${hex(code)}`;
  return `CTAP_ERR_UNKNOWN_${hex(code)}`;
}

/** Whether a status code has a name in the spec (others are kept but flagged as unknown). */
export function isKnownStatus(code: number): code is CtapStatusCode {
  return names.has(code);
}
