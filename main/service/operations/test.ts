/**
 * `skm test` for the app and the CLI: makeCredential (CTAP 2.1 §6.1) + getAssertion (§6.2) with
 * the signature checked against the new public key, through ctap/flows/test-key.ts. The PIN is
 * asked once through the prompts and only for a key that has one. The report lists every step
 * in plain words; ids are unpadded base64url.
 * @module
 */
import type { AttestationCheck } from '../../../ctap/ctap2/make-credential.js';
import type { Ctap2Session } from '../../../ctap/ctap2/session.js';
import { pinStatus } from '../../../ctap/flows/manage-pin.js';
import type { UserPrompts } from '../../../ctap/flows/prompts.js';
import { DEFAULT_TEST_RP_ID, DEFAULT_TEST_USER_NAME, testKey, type TestKeyOutcome, type TestStep } from '../../../ctap/flows/test-key.js';
import { statusName } from '../../../ctap/status.js';
import { AppError, codeForStatus } from '../errors.js';
import { base64url } from './credentials.js';

export interface TestOperationOptions {
  session: Ctap2Session;
  prompts: UserPrompts;
  signal?: AbortSignal;
  /** Store the test passkey on the key (a discoverable credential); otherwise nothing is stored. */
  resident: boolean;
  rpId?: string;
  userName?: string;
  /** Text to store beside the test passkey in the key's large-blob storage (needs `resident`). */
  largeBlob?: string;
}

export interface TestReport {
  passed: true;
  rpId: string;
  userName: string;
  /** Stored on the key (visible in `skm creds list`). */
  discoverable: boolean;
  credentialId: string;
  attestation: AttestationCheck;
  signatureValid: true;
  signCount: number;
  userVerified: boolean;
  /** Bytes stored beside the test passkey (large blob), or null. */
  largeBlobSize: number | null;
  steps: TestStep[];
}

export async function runTest(options: TestOperationOptions): Promise<TestReport> {
  const rpId = options.rpId ?? DEFAULT_TEST_RP_ID;
  const userName = options.userName ?? DEFAULT_TEST_USER_NAME;
  const result = await testKey({
    session: options.session,
    prompts: options.prompts,
    signal: options.signal,
    rpId,
    userName,
    // A test takes no passkey slot unless asked to (a key that cannot store passkeys says so).
    residentKey: options.resident,
    ...(options.largeBlob !== undefined ? { largeBlob: new TextEncoder().encode(options.largeBlob) } : {}),
  });
  if (result.outcome === 'pin-blocked') throw await pinBlockedFailure(options);
  if (result.outcome !== 'passed') throw testFailure(result);
  return {
    passed: true,
    rpId,
    userName,
    discoverable: result.discoverable,
    credentialId: base64url(result.credentialId),
    attestation: result.attestation,
    signatureValid: true,
    signCount: result.signCount,
    userVerified: result.userVerified,
    largeBlobSize: result.largeBlobSize,
    steps: result.steps,
  };
}

/**
 * The flow reports PIN_BLOCKED (§6.5.2.1: no tries left, only a reset helps) and
 * PIN_AUTH_BLOCKED (3 wrong in one power-up, a replug helps) alike; the tries left tell them
 * apart, so the next step is the right one.
 */
async function pinBlockedFailure(options: TestOperationOptions): Promise<AppError> {
  const { retries } = await pinStatus({ session: options.session, signal: options.signal });
  if (retries === 0) return new AppError('PIN_BLOCKED', { retries: 0, details: 'CTAP2_ERR_PIN_BLOCKED (0x32): no PIN tries left' });
  return new AppError('PIN_AUTH_BLOCKED', { details: 'CTAP2_ERR_PIN_AUTH_BLOCKED (0x34): 3 wrong PINs since the key was plugged in' });
}

function testFailure(result: Exclude<TestKeyOutcome, { outcome: 'passed' | 'pin-blocked' }>): AppError {
  switch (result.outcome) {
    case 'wrong-pin':
      return new AppError('PIN_INVALID', { retries: result.retries, details: 'CTAP2_ERR_PIN_INVALID (0x31)' });
    case 'not-touched':
      return new AppError('TOUCH_TIMEOUT', { reason: 'test-not-touched' });
    case 'declined':
      return new AppError('OPERATION_DENIED');
    case 'cancelled':
      return new AppError('CANCELLED');
    case 'failed': {
      // A refusal with a status words like any other; a bad signature is the key's own failure.
      if (result.status !== null) {
        return new AppError(codeForStatus('test', result.status), { details: `${statusName(result.status)} during ${result.step}` });
      }
      const failed = result.steps.find((s) => !s.ok);
      return new AppError('KEY_FAILURE', { reason: 'test-step-failed', step: failed?.result ?? result.step, details: `step ${result.step}` });
    }
    default: {
      const unreachable: never = result;
      return new AppError('INTERNAL', { details: `unknown test outcome ${JSON.stringify(unreachable)}` });
    }
  }
}
