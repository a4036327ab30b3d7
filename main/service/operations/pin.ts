/**
 * PIN operations for the app and the CLI — CTAP 2.1 §6.5 through ctap/flows/manage-pin.ts.
 * The flow returns outcomes; expected failures (wrong PIN, blocked, policy) become AppErrors here,
 * with the retries left and what happens next, so every front end words them the same way.
 * @module
 */
import type { Ctap2Session } from '../../../ctap/ctap2/session.js';
import { changePin, pinStatus, setPin, verifyPin, type PinFlowOutcome, type PinStatus } from '../../../ctap/flows/manage-pin.js';
import type { UserPrompts } from '../../../ctap/flows/prompts.js';
import { AppError } from '../errors.js';

export interface PinOperationOptions {
  session: Ctap2Session;
  prompts: UserPrompts;
  signal?: AbortSignal;
}

export type PinStatusReport = PinStatus;

/** Whether a PIN is set, tries left, minimum length, forced change. Sends no PIN. */
export async function readPinStatus(options: { session: Ctap2Session; signal?: AbortSignal }): Promise<PinStatusReport> {
  const status = await pinStatus(options);
  if (!status.pinSupported) throw new AppError('UNSUPPORTED', { feature: 'a PIN' });
  return status;
}

/** Set the first PIN (asked through `prompts`). */
export async function setNewPin(options: PinOperationOptions): Promise<{ pinSet: true }> {
  settle(await setPin(options));
  return { pinSet: true };
}

/** Change the PIN (current, then new, through `prompts`). */
export async function changeCurrentPin(options: PinOperationOptions): Promise<{ pinChanged: true }> {
  settle(await changePin(options));
  return { pinChanged: true };
}

/** What `pin verify` reports: the PIN was right; tries left (full again) and whether it must change. */
export interface PinVerifyReport {
  verified: true;
  pinRetries: number | null;
  forcePinChange: boolean;
}

/** Check the current PIN (asked through `prompts`) without changing anything. */
export async function verifyCurrentPin(options: PinOperationOptions): Promise<PinVerifyReport> {
  settle(await verifyPin(options));
  const status = await pinStatus(options);
  return { verified: true, pinRetries: status.retries, forcePinChange: status.forcePinChange };
}

/** Returns on success; throws the AppError that words any other outcome. */
function settle(result: PinFlowOutcome): void {
  switch (result.outcome) {
    case 'done':
      return;
    case 'wrong-pin':
      throw new AppError('PIN_INVALID', { retries: result.retries, details: 'CTAP2_ERR_PIN_INVALID (0x31)' });
    case 'pin-auth-blocked':
      throw new AppError('PIN_AUTH_BLOCKED', { details: 'CTAP2_ERR_PIN_AUTH_BLOCKED (0x34) or powerCycleState' });
    case 'pin-blocked':
      throw new AppError('PIN_BLOCKED', { retries: 0, details: 'CTAP2_ERR_PIN_BLOCKED (0x32) or no retries left' });
    case 'policy-violation':
      throw new AppError('PIN_POLICY', {
        reason: result.reason,
        minLength: result.minLength,
        maxBytes: result.maxBytes,
        details: result.source === 'key' ? 'CTAP2_ERR_PIN_POLICY_VIOLATION (0x37)' : 'refused on this computer; nothing was sent to the key',
      });
    case 'already-set':
      throw new AppError('PIN_ALREADY_SET');
    case 'no-pin':
      throw new AppError('PIN_NOT_SET');
    case 'cancelled':
      throw new AppError('CANCELLED');
    default: {
      const unreachable: never = result;
      throw new AppError('INTERNAL', { details: `unknown PIN outcome ${JSON.stringify(unreachable)}` });
    }
  }
}
