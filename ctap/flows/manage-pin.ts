/**
 * PIN flows: status, set, change — CTAP 2.1 §6.5 (clientPIN) as the Windows "Security Key PIN"
 * page does it: decide from getInfo first, check a new PIN against the key's rules before sending
 * (§6.5.1), and turn the key's PIN statuses (§6.5.5.5–§6.5.5.7, §8.2) into outcomes with a next step.
 * @module
 */
import { ClientPin, Permission } from '../ctap2/client-pin.js';
import { isPinSet, supportsClientPin, type AuthenticatorInfo } from '../ctap2/info.js';
import { effectiveMaxBytes, effectiveMinLength, MAX_PIN_BYTES, MIN_PIN_CODE_POINTS, preparePin, type PinPolicy } from '../ctap2/pin.js';
import type { Ctap2Session } from '../ctap2/session.js';
import { CancelledError, CtapError, PinPolicyError, throwIfAborted, UnsupportedError, type PinPolicyReason } from '../errors.js';
import { CtapStatus } from '../status.js';
import type { PinRequest, UserPrompts } from './prompts.js';

export interface PinStatus {
  /** The key has a PIN capability at all. */
  pinSupported: boolean;
  pinSet: boolean;
  /** PIN attempts left before the key locks for good (§6.5.2.1), or null when the key has no PIN capability. */
  retries: number | null;
  /** Too many wrong PINs since the key was plugged in: remove and reinsert it before trying again. */
  powerCycleRequired: boolean;
  /** Minimum PIN length in code points, never below the spec's 4. */
  minPinLength: number;
  /** The key requires a new PIN before it is used again (§6.4 forcePINChange). */
  forcePinChange: boolean;
  /** Maximum PIN length in UTF-8 bytes. */
  maxPinBytes: number;
}

export type PinFlowOutcome =
  | { outcome: 'done' }
  /** The current PIN was wrong; `retries` left before the key locks (null if it would not say). */
  | { outcome: 'wrong-pin'; retries: number | null }
  /** CTAP2_ERR_PIN_AUTH_BLOCKED (0x34): remove and reinsert the key, then try again. */
  | { outcome: 'pin-auth-blocked' }
  /** CTAP2_ERR_PIN_BLOCKED (0x32): only a reset helps, and a reset erases everything on the key. */
  | { outcome: 'pin-blocked' }
  /** The new PIN breaks the key's rules (host check, or CTAP2_ERR_PIN_POLICY_VIOLATION 0x37). */
  | { outcome: 'policy-violation'; source: 'host' | 'key'; reason: PinPolicyReason | 'pin-rejected-by-key'; minLength: number; maxBytes: number }
  /** setPin on a key that already has a PIN. */
  | { outcome: 'already-set' }
  /** changePin on a key without a PIN. */
  | { outcome: 'no-pin' }
  | { outcome: 'cancelled' };

export interface PinFlowOptions {
  session: Ctap2Session;
  prompts: UserPrompts;
  signal?: AbortSignal;
}

/** How often a PIN the host refuses is asked for again before the flow gives up. */
const MAX_HOST_ATTEMPTS = 3;

/** PIN facts for the status page. Sends getInfo (fresh) and, where the key has a PIN capability, getPINRetries. */
export async function pinStatus(options: { session: Ctap2Session; signal?: AbortSignal }): Promise<PinStatus> {
  const info = await options.session.getInfo({ signal: options.signal });
  return statusFromInfo(options.session, info, options.signal);
}

/** Set the first PIN on a key that has none. */
export async function setPin(options: PinFlowOptions): Promise<PinFlowOutcome> {
  return guard(options.signal, async () => {
    const info = await options.session.getInfo({ signal: options.signal });
    requirePinCapability(info);
    if (isPinSet(info)) return { outcome: 'already-set' };
    const asked = await askPin(options, { purpose: 'new', retries: null, minLength: effectiveMinLength(info.minPINLength), maxBytes: effectiveMaxBytes(info.maxPINLength) });
    if (typeof asked !== 'string') return asked;
    return mapPinErrors(options, async () => {
      await new ClientPin(options.session).setPin(asked, { signal: options.signal });
      return { outcome: 'done' };
    });
  });
}

/**
 * Change the PIN. A key with forcePINChange set takes the same changePIN (§6.5.5.6); afterwards
 * the flag is clear.
 */
export async function changePin(options: PinFlowOptions): Promise<PinFlowOutcome> {
  return guard(options.signal, async () => {
    const info = await options.session.getInfo({ signal: options.signal });
    requirePinCapability(info);
    if (!isPinSet(info)) return { outcome: 'no-pin' };
    // The tries left are read only for a prompt that shows them; a blocked key otherwise answers
    // changePIN with PIN_BLOCKED / PIN_AUTH_BLOCKED (mapPinErrors).
    const status = await statusFromInfo(options.session, info, options.signal, options.prompts.showsRetries !== false);
    // Do not ask for a PIN the key will refuse to check anyway.
    if (status.retries === 0) return { outcome: 'pin-blocked' };
    if (status.powerCycleRequired) return { outcome: 'pin-auth-blocked' };

    const current = await askPin(options, { purpose: 'current', retries: status.retries, minLength: MIN_PIN_CODE_POINTS, maxBytes: status.maxPinBytes });
    if (typeof current !== 'string') return current;
    const next = await askPin(options, { purpose: 'new', retries: null, minLength: status.minPinLength, maxBytes: status.maxPinBytes }, current);
    if (typeof next !== 'string') return next;
    return mapPinErrors(options, async () => {
      await new ClientPin(options.session).changePin(current, next, { signal: options.signal });
      return { outcome: 'done' };
    });
  });
}

/**
 * The made-up website a verification token is scoped to (§6.5.5.7: mc/ga tokens name an RP):
 * the narrowest permission a CTAP 2.1 key grants, for a site that cannot exist (.invalid,
 * RFC 2606). The token is zeroed at once; nothing is signed with it.
 */
const VERIFY_RP_ID = 'pin-check.invalid';

/**
 * Check the current PIN without changing anything: ask for it, have the key check it by asking
 * for a token (2.1 keys: getAssertion for VERIFY_RP_ID only; older keys: the legacy token), drop
 * the token. A wrong PIN costs a try, as on any key; a key that wants its PIN changed still
 * proves the PIN right (§6.5.5.7 checks the PIN before forcePINChange).
 */
export async function verifyPin(options: PinFlowOptions): Promise<PinFlowOutcome> {
  const { session, prompts, signal } = options;
  return guard(signal, async () => {
    const info = await session.getInfo({ signal });
    requirePinCapability(info);
    if (!isPinSet(info)) return { outcome: 'no-pin' };
    const clientPin = new ClientPin(session);
    const { retries, powerCycleState } = await clientPin.getPinRetries({ signal });
    if (retries === 0) return { outcome: 'pin-blocked' };
    if (powerCycleState === true) return { outcome: 'pin-auth-blocked' };
    const pin = await prompts.pin({ purpose: 'current', retries, minLength: MIN_PIN_CODE_POINTS, maxBytes: effectiveMaxBytes(info.maxPINLength) }, signal);
    throwIfAborted(signal);
    return mapPinErrors(options, async () => {
      try {
        const token = await clientPin.getToken(pin, { permissions: Permission.ga, rpId: VERIFY_RP_ID, signal });
        token.dispose();
      } catch (error) {
        if (!(error instanceof CtapError) || error.status !== CtapStatus.PIN_POLICY_VIOLATION) throw error;
      }
      return { outcome: 'done' };
    });
  });
}

// ── internals ────────────────────────────────────────────────────────────────────────────────

async function statusFromInfo(session: Ctap2Session, info: AuthenticatorInfo, signal: AbortSignal | undefined, readRetries = true): Promise<PinStatus> {
  const pinSupported = supportsClientPin(info);
  const retries = pinSupported && readRetries ? await new ClientPin(session).getPinRetries({ signal }) : null;
  return {
    pinSupported,
    pinSet: isPinSet(info),
    retries: retries?.retries ?? null,
    powerCycleRequired: retries?.powerCycleState === true,
    minPinLength: effectiveMinLength(info.minPINLength),
    forcePinChange: info.forcePINChange,
    maxPinBytes: effectiveMaxBytes(info.maxPINLength),
  };
}

function requirePinCapability(info: AuthenticatorInfo): void {
  if (!supportsClientPin(info)) throw new UnsupportedError('clientPin', 'This security key does not support a PIN.');
}

/**
 * Ask for a PIN until it passes the host-side rules (nothing is sent to the key for a refused
 * PIN, so asking again costs no retry). `current`, when given, must differ from the answer.
 */
async function askPin(options: PinFlowOptions, request: PinRequest, current?: string): Promise<string | PinFlowOutcome> {
  const policy: PinPolicy = { minLength: request.minLength, maxBytes: request.maxBytes };
  let refusal: PinPolicyError | undefined;
  for (let attempt = 0; attempt < MAX_HOST_ATTEMPTS; attempt++) {
    throwIfAborted(options.signal);
    const answer = await options.prompts.pin(refusal ? { ...request, retry: { reason: refusal.reason, cause: 'host' } } : request, options.signal);
    throwIfAborted(options.signal);
    try {
      const bytes = preparePin(answer, policy);
      bytes.fill(0);
      if (current !== undefined && current.normalize('NFC') === answer.normalize('NFC')) {
        throw new PinPolicyError('same-as-current', request.minLength, 'The new PIN must be different from the current one.');
      }
      return answer;
    } catch (error) {
      if (!(error instanceof PinPolicyError)) throw error;
      refusal = error;
    }
  }
  return { outcome: 'policy-violation', source: 'host', reason: refusal?.reason ?? 'too-short', minLength: request.minLength, maxBytes: request.maxBytes };
}

/** The key's answers to a PIN that it checked, as outcomes (§6.5.5.6 / §8.2). */
async function mapPinErrors(options: PinFlowOptions, run: () => Promise<PinFlowOutcome>): Promise<PinFlowOutcome> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof PinPolicyError) return { outcome: 'policy-violation', source: 'host', reason: error.reason, minLength: error.minLength, maxBytes: MAX_PIN_BYTES };
    if (!(error instanceof CtapError)) throw error;
    switch (error.status) {
      case CtapStatus.PIN_INVALID: {
        // Re-read the counter: it is the only truthful source of how many tries are left.
        const retries = await new ClientPin(options.session).getPinRetries({ signal: options.signal });
        if (retries.retries === 0) return { outcome: 'pin-blocked' };
        return { outcome: 'wrong-pin', retries: retries.retries };
      }
      case CtapStatus.PIN_AUTH_BLOCKED:
        return { outcome: 'pin-auth-blocked' };
      case CtapStatus.PIN_BLOCKED:
        return { outcome: 'pin-blocked' };
      case CtapStatus.PIN_POLICY_VIOLATION:
        return { outcome: 'policy-violation', source: 'key', reason: 'pin-rejected-by-key', minLength: MIN_PIN_CODE_POINTS, maxBytes: MAX_PIN_BYTES };
      default:
        throw error;
    }
  }
}

/** A cancelled prompt or an aborted signal is an expected end, not a failure. */
async function guard(signal: AbortSignal | undefined, run: () => Promise<PinFlowOutcome>): Promise<PinFlowOutcome> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof CancelledError || signal?.aborted) return { outcome: 'cancelled' };
    throw error;
  }
}
