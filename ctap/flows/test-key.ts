/**
 * `skm test`: prove a key works end to end — CTAP 2.1 §6.1 makeCredential (discoverable when the
 * key can store passkeys), §6.2 getAssertion with the new credential, and the ES256 signature
 * checked with the public key the key just returned (WebAuthn L2 §7.2 step 20). A key with a PIN
 * is unlocked with a token per step (mc, then ga), as python-fido2's client does, because 2.1
 * keys may clear a token's permissions once it has been used for a credential.
 * @module
 */
import { randomBytes } from '@noble/hashes/utils.js';
import { ClientPin, Permission, type PinUvAuthToken } from '../ctap2/client-pin.js';
import { getAssertion, verifyAssertion } from '../ctap2/get-assertion.js';
import { isCtap2, isPinSet, option, type AuthenticatorInfo } from '../ctap2/info.js';
import { sealLargeBlob } from '../ctap2/large-blob-entry.js';
import { LargeBlobs, supportsLargeBlobs } from '../ctap2/large-blobs.js';
import { checkAttestation, makeCredential, type AttestationCheck } from '../ctap2/make-credential.js';
import { effectiveMaxBytes, MIN_PIN_CODE_POINTS } from '../ctap2/pin.js';
import type { Ctap2Session } from '../ctap2/session.js';
import { sha256 } from '../ctap2/sha256.js';
import { CancelledError, CtapError, throwIfAborted, UnsupportedError } from '../errors.js';
import { CtapStatus } from '../status.js';
import type { TestStepResult, TouchInstruction, UserPrompts } from './prompts.js';

export const DEFAULT_TEST_RP_ID = 'skm.test';
export const DEFAULT_TEST_USER_NAME = 'skm-test';

export interface TestKeyOptions {
  session: Ctap2Session;
  prompts: UserPrompts;
  signal?: AbortSignal;
  rpId?: string;
  userName?: string;
  /** Create a discoverable credential (default: when the key supports option rk). */
  residentKey?: boolean;
  /**
   * Store this data beside the test passkey: makeCredential with the largeBlobKey extension
   * (§12.3), then a write of the large-blob array (§6.10). Needs residentKey and largeBlobs.
   */
  largeBlob?: Uint8Array;
}

export type TestStepName = 'unlock' | 'make-credential' | 'large-blob' | 'attestation' | 'get-assertion' | 'signature';

export interface TestStep {
  step: TestStepName;
  ok: boolean;
  /** How the step ended, as a code the catalogue words (main/copy/). */
  result: TestStepResult;
  /** The website the test credential is for (make-credential). */
  rpId?: string;
  /** The attestation format when it is not one this app checks. */
  fmt?: string;
  /** The key's status when it refused the step (spec name, for the details). */
  statusName?: string;
  /** Bytes stored beside the passkey (large-blob). */
  bytes?: number;
}

/** Steps of a full run: unlock (with a PIN), make-credential, attestation, get-assertion, signature. */
const TOTAL_STEPS = 5;

export type TestKeyOutcome =
  | {
      outcome: 'passed';
      steps: TestStep[];
      credentialId: Uint8Array;
      discoverable: boolean;
      attestation: AttestationCheck;
      /** The signature counter after the assertion (0 on keys that do not count). */
      signCount: number;
      userVerified: boolean;
      /** Bytes stored beside the passkey, when asked to store some. */
      largeBlobSize: number | null;
    }
  /** A step answered, but not as a working key should (bad signature, refused command). */
  | { outcome: 'failed'; steps: TestStep[]; step: TestStepName; status: number | null }
  | { outcome: 'wrong-pin'; steps: TestStep[]; retries: number | null }
  | { outcome: 'pin-blocked'; steps: TestStep[] }
  | { outcome: 'not-touched'; steps: TestStep[] }
  | { outcome: 'declined'; steps: TestStep[] }
  | { outcome: 'cancelled'; steps: TestStep[] };

/** Progress of one run: the steps so far and the one being attempted. */
interface Run {
  steps: TestStep[];
  current: TestStepName;
  report(step: TestStep): void;
}

export async function testKey(options: TestKeyOptions): Promise<TestKeyOutcome> {
  const steps: TestStep[] = [];
  const progress: Run = {
    steps,
    current: 'unlock',
    report(step) {
      steps.push(step);
      options.prompts.progress({ step: 'test', test: step, current: steps.length, total: TOTAL_STEPS + (options.largeBlob ? 1 : 0) });
    },
  };
  try {
    return await run(options, progress);
  } catch (error) {
    if (error instanceof CancelledError) return { outcome: 'cancelled', steps };
    if (!(error instanceof CtapError)) throw error;
    switch (error.status) {
      case CtapStatus.KEEPALIVE_CANCEL:
        return { outcome: 'cancelled', steps };
      case CtapStatus.PIN_INVALID:
        return { outcome: 'wrong-pin', steps, retries: await retriesLeft(options) };
      case CtapStatus.PIN_BLOCKED:
      case CtapStatus.PIN_AUTH_BLOCKED:
        return { outcome: 'pin-blocked', steps };
      case CtapStatus.USER_ACTION_TIMEOUT:
      case CtapStatus.ACTION_TIMEOUT:
        return { outcome: 'not-touched', steps };
      case CtapStatus.OPERATION_DENIED:
        return { outcome: 'declined', steps };
      default:
        progress.report({ step: progress.current, ok: false, result: 'refused', statusName: error.statusName });
        return { outcome: 'failed', steps, step: progress.current, status: error.status };
    }
  }
}

async function run(options: TestKeyOptions, progress: Run): Promise<TestKeyOutcome> {
  const { session, prompts, signal } = options;
  const { steps } = progress;
  const report = (step: TestStep) => progress.report(step);
  const rpId = options.rpId ?? DEFAULT_TEST_RP_ID;
  const userName = options.userName ?? DEFAULT_TEST_USER_NAME;
  throwIfAborted(signal);
  const info = await session.getInfo({ signal });
  if (!isCtap2(info)) throw new UnsupportedError('ctap2', 'This security key only speaks U2F; it cannot be tested here.');
  const discoverable = options.residentKey ?? option(info, 'rk') === true;
  if (discoverable && option(info, 'rk') !== true) throw new UnsupportedError('rk', 'This security key cannot store passkeys.');
  const { largeBlob } = options;
  if (largeBlob && !discoverable) throw new RangeError('largeBlob needs residentKey: a blob belongs to a passkey kept on the key.');
  if (largeBlob && !supportsLargeBlobs(info)) throw new UnsupportedError('large-blobs', 'This security key cannot store data beside its passkeys.');

  // The PIN is asked once and used for both tokens; it is never kept beyond this flow.
  const pin = isPinSet(info) ? await askPin(options, info) : null;
  const token = (permissions: number) => (pin === null ? Promise.resolve(undefined) : new ClientPin(session).getToken(pin, { permissions, rpId, signal }));

  // §6.1.2 step 14 clears every permission but lbw once the credential is made, so one mc+lbw
  // token makes the passkey and then writes its blob.
  const mcToken = await token(largeBlob ? Permission.mc | Permission.lbw : Permission.mc);
  if (mcToken) report({ step: 'unlock', ok: true, result: 'unlocked' });
  progress.current = 'make-credential';
  const clientDataHash = challenge();
  // The same user handle every run: the key replaces the previous test passkey instead of filling up.
  const userId = sha256(new TextEncoder().encode(`skm-test-user:${userName}`)).slice(0, 16);
  const made = await withToken(mcToken, async () => {
    const made = await withTouch(prompts, 'make-credential', 'test-create', () =>
      makeCredential(session, {
        clientDataHash,
        rp: { id: rpId, name: 'Security Key Manager test' },
        user: { id: userId, name: userName, displayName: 'Security Key Manager test' },
        residentKey: discoverable,
        ...(largeBlob ? { largeBlobKey: true } : {}),
        token: mcToken,
        signal,
      }),
    );
    report({ step: 'make-credential', ok: true, result: discoverable ? 'created-passkey' : 'created-credential', rpId });
    if (!largeBlob) return made;
    progress.current = 'large-blob';
    const stored = await storeLargeBlob({ session, largeBlobKey: made.largeBlobKey, data: largeBlob, token: mcToken, signal });
    report({ step: 'large-blob', ok: stored === 'stored-blob', result: stored, ...(stored === 'stored-blob' ? { bytes: largeBlob.length } : {}) });
    return stored === 'stored-blob' ? made : null;
  });
  if (!made) return { outcome: 'failed', steps, step: 'large-blob', status: null };
  const credential = made.authData.attestedCredentialData!;

  progress.current = 'attestation';
  const attestation = checkAttestation(made, clientDataHash);
  if (attestation.kind === 'self' && !attestation.valid) {
    report({ step: 'attestation', ok: false, result: 'attestation-bad-signature' });
    return { outcome: 'failed', steps, step: 'attestation', status: null };
  }
  report({ step: 'attestation', ok: true, result: attestationResult(attestation), ...(attestation.kind === 'other' ? { fmt: made.fmt } : {}) });

  progress.current = 'unlock';
  const gaToken = await token(Permission.ga);
  progress.current = 'get-assertion';
  const assertionHash = challenge();
  const assertion = await withToken(gaToken, () =>
    withTouch(prompts, 'get-assertion', 'test-sign-in', () =>
      getAssertion(session, { rpId, clientDataHash: assertionHash, allowList: [{ id: credential.credentialId }], token: gaToken, signal }),
    ),
  );
  report({ step: 'get-assertion', ok: true, result: 'signed-in' });

  progress.current = 'signature';
  const valid = verifyAssertion({ assertion, clientDataHash: assertionHash, publicKey: credential.publicKey }) && assertion.authData.userPresent;
  if (!valid) {
    report({ step: 'signature', ok: false, result: 'signature-invalid' });
    return { outcome: 'failed', steps, step: 'signature', status: null };
  }
  report({ step: 'signature', ok: true, result: 'signature-valid' });
  return {
    outcome: 'passed',
    steps,
    credentialId: credential.credentialId,
    discoverable,
    attestation,
    signCount: assertion.authData.signCount,
    userVerified: assertion.authData.userVerified,
    largeBlobSize: largeBlob ? largeBlob.length : null,
  };
}

/**
 * Add the new passkey's entry to the large-blob array (§6.10.3), keeping every other entry. An
 * unreadable array is left alone: writing would erase it, and that needs its own question
 * (`skm blobs prune`).
 */
async function storeLargeBlob(args: {
  session: Ctap2Session;
  largeBlobKey: Uint8Array | null;
  data: Uint8Array;
  token: PinUvAuthToken | undefined;
  signal: AbortSignal | undefined;
}): Promise<Extract<TestStepResult, 'stored-blob' | 'no-blob-key' | 'blob-storage-unreadable'>> {
  const { largeBlobKey, signal } = args;
  if (!largeBlobKey || largeBlobKey.length !== 32) return 'no-blob-key';
  try {
    const blobs = new LargeBlobs(args.session, args.token);
    const array = await blobs.readArray({ signal });
    if (array.kind === 'corrupt') return 'blob-storage-unreadable';
    await blobs.writeArray([...array.entries, sealLargeBlob(largeBlobKey, args.data)], { signal });
    return 'stored-blob';
  } finally {
    largeBlobKey.fill(0);
  }
}

async function askPin(options: TestKeyOptions, info: AuthenticatorInfo): Promise<string> {
  return options.prompts.pin(
    { purpose: 'current', retries: options.prompts.showsRetries === false ? null : await retriesLeft(options), minLength: MIN_PIN_CODE_POINTS, maxBytes: effectiveMaxBytes(info.maxPINLength) },
    options.signal,
  );
}

async function retriesLeft(options: TestKeyOptions): Promise<number | null> {
  try {
    return (await new ClientPin(options.session).getPinRetries({ signal: options.signal })).retries;
  } catch (error) {
    if (error instanceof CtapError) return null;
    throw error;
  }
}

async function withToken<T>(token: PinUvAuthToken | undefined, use: () => Promise<T>): Promise<T> {
  try {
    return await use();
  } finally {
    token?.dispose();
  }
}

async function withTouch<T>(prompts: UserPrompts, reason: 'make-credential' | 'get-assertion', instruction: TouchInstruction, use: () => Promise<T>): Promise<T> {
  const dismiss = prompts.touch({ reason, instruction });
  try {
    return await use();
  } finally {
    dismiss();
  }
}

function challenge(): Uint8Array {
  return sha256(randomBytes(32));
}

function attestationResult(check: AttestationCheck): TestStepResult {
  switch (check.kind) {
    case 'none':
      return 'attestation-none';
    case 'self':
      return 'attestation-self';
    case 'certificate':
      return 'attestation-packed';
    case 'other':
      return 'attestation-other';
  }
}
