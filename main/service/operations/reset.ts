/**
 * The reset ceremony for the app and the CLI — CTAP 2.1 §6.6 authenticatorReset through
 * ctap/flows/reset-device.ts (confirm, remove, reinsert, reset as the first command, vendor
 * touch instruction with the window's deadline). Every outcome other than a reset becomes an
 * AppError with a reason and facts (main/copy/ words it); the raw status goes into `details`.
 *
 * A simulated key cannot be unplugged by a person: with `replug`, the reinsert prompts are
 * answered by removing and reinserting it (a real power-up, so the reset window starts again).
 * A key on an NFC / smart-card reader is switched off and on by the reader (PC/SC
 * SCARD_UNPOWER_CARD: a new power-up, so the window starts again) when the reader can, so the
 * person only touches or keeps the key on the reader; otherwise, or with `readerPowerCycle:
 * false`, the person is asked to lift the key and tap it again.
 * @module
 */
import { resetDevice, type KnownContents, type ResetOutcome } from '../../../ctap/flows/reset-device.js';
import type { ReinsertRequest, UserPrompts } from '../../../ctap/flows/prompts.js';
import type { Ctap2Session } from '../../../ctap/ctap2/session.js';
import type { DeviceDescriptor, Discovery } from '../../../ctap/transport/discovery.js';
import { CancelledError, TransportError, UnsupportedError } from '../../../ctap/errors.js';
import { AppError } from '../errors.js';
import { hex } from '../../../ctap/bytes.js';

/** Unplug and plug in a key without a person (a simulated key). */
export interface Replug {
  remove(): void;
  insert(): void;
}

export interface ResetOperationOptions {
  /** Watched for the key going away and coming back. */
  discovery: Discovery;
  device: DeviceDescriptor;
  /** Opens a session WITHOUT sending anything (the reset must be the first command). */
  openSession(device: DeviceDescriptor, options?: { signal?: AbortSignal }): Promise<Ctap2Session>;
  prompts: UserPrompts;
  signal?: AbortSignal;
  replug?: Replug;
  /**
   * A key on a card reader: let the reader switch it off and on when it can (default true);
   * false always asks for a lift and tap. Keys on other connections ignore it.
   */
  readerPowerCycle?: boolean;
  /** What the caller knows the key holds (counts in the confirmation). */
  known?: KnownContents;
}

export interface ResetReport {
  reset: true;
  id: string;
  name: string;
  aaguid: string;
}

export async function resetKey(options: ResetOperationOptions): Promise<ResetReport> {
  const prompts = options.replug ? replugOnPrompt(options.prompts, options.replug) : options.prompts;
  const byReader = options.readerPowerCycle !== false && (await readerCanPowerCycle(options.device));
  const result = await resetDevice({
    discovery: options.discovery,
    device: options.device,
    openSession: (device, o) => openFido2Session(options, device, o),
    prompts,
    signal: options.signal,
    ...(byReader ? { powerCycle: () => powerCycleCard(options.device, options.signal) } : {}),
    ...(options.known ? { known: options.known } : {}),
  });
  if (result.outcome === 'reset') return { reset: true, id: result.device.id, name: result.device.name, aaguid: result.identity.aaguid };
  throw resetFailure(result);
}

/**
 * Capability first: a U2F-only key (no CTAPHID CBOR / no FIDO2 applet, known from opening it)
 * gets no CTAP2 command and a plain NOT_FIDO2 error, as everywhere else.
 */
async function openFido2Session(options: ResetOperationOptions, device: DeviceDescriptor, o?: { signal?: AbortSignal }): Promise<Ctap2Session> {
  const session = await options.openSession(device, o);
  if (!session.transport.capabilities.cbor) {
    await session.transport.close();
    throw new TransportError('not-fido', `${device.name} speaks only U2F (CTAP1), not FIDO2 (CTAP2); it has no FIDO2 reset.`);
  }
  return session;
}

/**
 * Whether `device` is a card whose reader can switch it off and on. Opening a card only selects
 * the FIDO applet (ISO 7816-4 SELECT, CTAP 2.1 §11.3.3); no CTAP command reaches the key.
 */
async function readerCanPowerCycle(device: DeviceDescriptor): Promise<boolean> {
  if (device.transport !== 'nfc') return false;
  const transport = await device.open();
  try {
    return transport.powerCycle !== undefined;
  } finally {
    await transport.close();
  }
}

/** Switch the card on `device`'s reader off and on; the reset window starts at this power-up. */
async function powerCycleCard(device: DeviceDescriptor, signal: AbortSignal | undefined): Promise<void> {
  const transport = await device.open();
  try {
    if (!transport.powerCycle) throw new UnsupportedError('nfc-power-cycle', 'This reader cannot switch the card off and on.');
    await transport.powerCycle({ signal });
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    throw new AppError('TRANSPORT', {
      reason: 'power-cycle-failed',
      details: error instanceof Error ? error.message : String(error),
      cause: error,
    });
  } finally {
    await transport.close();
  }
}

const seconds = (ms: number): number => Math.round(ms / 1000);

/** The error for every outcome but 'reset' (DESIGN.md "Reset ceremony" 4): codes and facts. */
export function resetFailure(result: Exclude<ResetOutcome, { outcome: 'reset' }>): AppError {
  switch (result.outcome) {
    case 'too-late':
      return new AppError('RESET_TOO_LATE', { seconds: seconds(result.windowMs), details: 'CTAP2_ERR_NOT_ALLOWED (0x30) from authenticatorReset' });
    case 'not-touched':
      return new AppError('TOUCH_TIMEOUT', { reason: 'reset-not-touched', details: `${hex(result.status)} from authenticatorReset` });
    case 'declined':
      return new AppError('OPERATION_DENIED', { reason: 'reset-declined', details: 'CTAP2_ERR_OPERATION_DENIED (0x27) from authenticatorReset' });
    case 'not-allowed-on-transport':
      return new AppError('RESET_NOT_ALLOWED_ON_TRANSPORT', {
        allowed: result.allowed,
        transport: result.transport,
        details: `getInfo transportsForReset: ${result.allowed.join(', ')}`,
      });
    case 'different-key':
      return new AppError('DIFFERENT_KEY', {
        reason: result.stage,
        ...(result.stage === 'after-reset' ? { details: 'AAGUID or getInfo fingerprint differs after authenticatorReset' } : {}),
      });
    case 'not-removed':
      return new AppError('TIMEOUT', { reason: 'not-removed', seconds: seconds(result.timeoutMs) });
    case 'not-reinserted':
      return new AppError('TIMEOUT', { reason: 'not-reinserted', seconds: seconds(result.timeoutMs) });
    case 'cancelled':
      return new AppError('CANCELLED', { reason: 'declined-reset' });
    default: {
      const unreachable: never = result;
      return new AppError('INTERNAL', { details: `unknown reset outcome ${JSON.stringify(unreachable)}` });
    }
  }
}

/**
 * Prompts whose reinsert requests are carried out on the key: the instruction is shown as
 * usual, then the key is removed ('remove') or plugged in again ('insert'). The flow listens
 * for discovery events before it prompts, so nothing is missed.
 */
function replugOnPrompt(prompts: UserPrompts, replug: Replug): UserPrompts {
  return {
    showsRetries: prompts.showsRetries,
    pin: (request, signal) => prompts.pin(request, signal),
    confirm: (request, signal) => prompts.confirm(request, signal),
    touch: (request) => prompts.touch(request),
    progress: (event) => prompts.progress(event),
    reinsert(request: ReinsertRequest): () => void {
      const dismiss = prompts.reinsert(request);
      if (request.phase === 'remove') {
        replug.remove();
        prompts.progress({ step: 'simulated-removed' });
      } else {
        replug.insert();
        prompts.progress({ step: 'simulated-inserted' });
      }
      return dismiss;
    },
  };
}
