import { describe, expect, it } from 'vitest';
import {
  CancelledError,
  CtapError,
  PinPolicyError,
  ProtocolError,
  TransportError,
  UnsupportedError,
  type FidoErrorCode,
  type TransportErrorKind,
} from '../../ctap/errors.js';
import { CtapStatus } from '../../ctap/status.js';
import { APP_ERROR_CODES, AppError, codeForStatus, OPERATION_KINDS, toAppError } from '../../main/service/errors.js';
import { exitCodeFor } from '../../main/cli/output.js';
import { Copy } from '../../main/copy/index.js';

const cli = new Copy('cli');
/** What a person reads for an AppError (the CLI's words). */
const w = (error: AppError): { message: string; nextStep?: string } => cli.error(error.toServiceError());

const allStatuses = Array.from({ length: 256 }, (_, i) => i).filter((s) => s !== CtapStatus.OK);

function assertPlain(error: AppError): void {
  expect(APP_ERROR_CODES).toContain(error.code);
  expect(w(error).message.length).toBeGreaterThan(3);
  // Plain words only: spec names and raw codes belong in details.
  expect(w(error).message).not.toMatch(/CTAP[12]?_ERR|CTAP2_|0x[0-9a-f]{2}/i);
  if (w(error).nextStep !== undefined) expect(w(error).nextStep).not.toMatch(/CTAP[12]?_ERR/);
}

describe('errors table', () => {
  it('maps every status byte (0x01–0xFF) for every operation to a plain AppError with the raw status in details', () => {
    for (const operation of OPERATION_KINDS) {
      for (const status of allStatuses) {
        const error = toAppError(operation, new CtapError(status, 0x06));
        assertPlain(error);
        expect(error.details).toMatch(new RegExp(`0x${status.toString(16).padStart(2, '0')}`));
        expect(error.details).toContain('CLIENT_PIN');
      }
    }
  });

  it('maps every FidoError kind and every transport error kind', () => {
    const kinds: TransportErrorKind[] = ['disconnected', 'timeout', 'busy', 'permission', 'io', 'framing', 'status-word', 'hid-error', 'not-fido'];
    const byCode: Record<FidoErrorCode, Error> = {
      CTAP_STATUS: new CtapError(CtapStatus.PIN_INVALID, 0x06),
      TRANSPORT: new TransportError('io', 'write failed'),
      PROTOCOL: new ProtocolError('bad CBOR'),
      UNSUPPORTED: new UnsupportedError('credMgmt', 'This security key cannot list passkeys.'),
      PIN_POLICY: new PinPolicyError('too-short', 6, 'The PIN must have at least 6 characters.'),
      CANCELLED: new CancelledError(),
    };
    for (const operation of OPERATION_KINDS) {
      for (const error of Object.values(byCode)) {
        const mapped = toAppError(operation, error);
        assertPlain(mapped);
        expect(mapped.code).not.toBe('INTERNAL');
      }
      for (const kind of kinds) assertPlain(toAppError(operation, new TransportError(kind, 'x')));
    }
  });

  it('words each code differently where it matters', () => {
    expect(toAppError('pin-change', new TransportError('disconnected', 'gone')).code).toBe('DEVICE_GONE');
    expect(toAppError('info', new TransportError('not-fido', 'u2f')).code).toBe('NOT_FIDO2');
    const permission = toAppError('list', new TransportError('permission', 'EACCES', { guidance: 'Install the udev rules for FIDO keys.' }));
    expect(permission.code).toBe('PERMISSION_DENIED');
    expect(permission.facts.platform).toBe(process.platform);
    // The words come from the catalogue per platform; the transport's own hint stays in details.
    expect(permission.details).toContain('Install the udev rules for FIDO keys.');
    // A CTAPHID ERROR frame's CTAP1 status is mapped like a status.
    expect(toAppError('info', new TransportError('hid-error', 'busy', { ctapStatus: CtapStatus.CHANNEL_BUSY })).code).toBe('DEVICE_BUSY');
  });

  it('applies per-operation meanings from the spec', () => {
    expect(codeForStatus('pin-set', CtapStatus.NOT_ALLOWED)).toBe('PIN_ALREADY_SET');
    expect(codeForStatus('reset', CtapStatus.NOT_ALLOWED)).toBe('RESET_TOO_LATE');
    expect(codeForStatus('credentials', CtapStatus.NOT_ALLOWED)).toBe('NOT_ALLOWED');
    expect(codeForStatus('reset', CtapStatus.USER_ACTION_TIMEOUT)).toBe('TOUCH_TIMEOUT');
    expect(codeForStatus('reset', CtapStatus.ACTION_TIMEOUT)).toBe('TOUCH_TIMEOUT');
    expect(codeForStatus('fingerprints', CtapStatus.FP_DATABASE_FULL)).toBe('FINGERPRINT_STORE_FULL');
    expect(codeForStatus('info', 0xf3)).toBe('KEY_FAILURE');
  });

  it('says how many PIN tries are left and what happens next', () => {
    const some = new AppError('PIN_INVALID', { retries: 5 });
    expect(w(some).message).toContain('5 tries left');
    expect(w(some).nextStep).toMatch(/remove and reinsert/i);
    const one = new AppError('PIN_INVALID', { retries: 1 });
    expect(w(one).message).toContain('1 try left');
    expect(w(new AppError('PIN_BLOCKED')).nextStep).toMatch(/only a reset.*erases everything/i);
    expect(w(new AppError('PIN_AUTH_BLOCKED')).nextStep).toMatch(/remove and reinsert/i);
  });

  it('keeps PIN policy words from the host check and the minimum length', () => {
    const error = toAppError('pin-set', new PinPolicyError('too-short', 6, 'The PIN must have at least 6 characters.'));
    expect(error.code).toBe('PIN_POLICY');
    expect(error.facts.reason).toBe('too-short');
    expect(w(error).message).toBe('The PIN must have at least 6 characters.');
    expect(error.facts.minLength).toBe(6);
  });

  it('passes AppErrors through and turns unknown throwables into INTERNAL with details', () => {
    const original = new AppError('NO_DEVICE');
    expect(toAppError('info', original)).toBe(original);
    const internal = toAppError('info', new TypeError('x is undefined'));
    expect(internal.code).toBe('INTERNAL');
    expect(internal.details).toContain('x is undefined');
    expect(toAppError('info', 'a string').code).toBe('INTERNAL');
  });

  it('gives every code an exit code: 3 for "which key?", 2 for usage, 130 cancelled, 4 declined, 1 otherwise', () => {
    for (const code of APP_ERROR_CODES) {
      const expected = ['NO_DEVICE', 'SEVERAL_DEVICES', 'DEVICE_NOT_FOUND'].includes(code) ? 3 : code === 'USAGE' ? 2 : code === 'CANCELLED' ? 130 : 1;
      expect(exitCodeFor({ code, facts: {} })).toBe(expected);
      assertPlain(new AppError(code));
    }
    expect(exitCodeFor({ code: 'CANCELLED', facts: { reason: 'declined-reset' } })).toBe(4);
  });
});
