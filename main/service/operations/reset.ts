/**
 * The reset ceremony for the app and the CLI — CTAP 2.1 §6.6 authenticatorReset through
 * ctap/flows/reset-device.ts (confirm, remove, reinsert, reset as the first command, vendor
 * touch instruction with the window's deadline). Every outcome other than a reset becomes an
 * AppError that says in plain words what happened and what to do next; the raw status, where
 * there is one, goes into `details`.
 *
 * A simulated key cannot be unplugged by a person: with `replug`, the reinsert prompts are
 * answered by removing and reinserting it (a real power-up, so the reset window starts again).
 * A key on an NFC / smart-card reader is switched off and on by the reader (PC/SC
 * SCARD_UNPOWER_CARD: a new power-up, so the window starts again) when the reader can, so the
 * person only touches or keeps the key on the reader; otherwise, or with `readerPowerCycle:
 * false`, the person is asked to lift the key and tap it again.
 * @module
 */
import { resetDevice, type ResetOutcome } from '../../../ctap/flows/reset-device.js';
import type { ReinsertRequest, UserPrompts } from '../../../ctap/flows/prompts.js';
import type { Ctap2Session } from '../../../ctap/ctap2/session.js';
import type { DeviceDescriptor, Discovery } from '../../../ctap/transport/discovery.js';
import { CancelledError, TransportError, UnsupportedError } from '../../../ctap/errors.js';
import { CtapNfcTransport } from '../../../ctap/transport/nfc/nfc-transport.js';
import { AppError } from '../errors.js';

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
    return transport instanceof CtapNfcTransport && transport.canPowerCycle;
  } finally {
    await transport.close();
  }
}

/** Switch the card on `device`'s reader off and on; the reset window starts at this power-up. */
async function powerCycleCard(device: DeviceDescriptor, signal: AbortSignal | undefined): Promise<void> {
  const transport = await device.open();
  try {
    if (!(transport instanceof CtapNfcTransport) || !transport.canPowerCycle) {
      throw new UnsupportedError('nfc-power-cycle', 'This reader cannot switch the card off and on.');
    }
    await transport.powerCycle({ signal });
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    throw new AppError('TRANSPORT', {
      message: 'The reader could not switch the key off and on, so it was not reset.',
      nextStep: 'Run `skm reset --no-power-cycle`, and lift the key off the reader and tap it again when asked.',
      details: error instanceof Error ? error.message : String(error),
      cause: error,
    });
  } finally {
    await transport.close();
  }
}

const seconds = (ms: number): number => Math.round(ms / 1000);

function hex(status: number): string {
  return `0x${status.toString(16).padStart(2, '0')}`;
}

/** Plain words and the next step for every outcome but 'reset' (DESIGN.md "Reset ceremony" 4). */
export function resetFailure(result: Exclude<ResetOutcome, { outcome: 'reset' }>): AppError {
  switch (result.outcome) {
    case 'too-late':
      return new AppError('RESET_TOO_LATE', {
        message: `Too late: this key accepts a reset only within ${seconds(result.windowMs)} seconds after it is plugged in. Nothing was reset.`,
        nextStep: 'Run `skm reset` again and touch the key as soon as it blinks after you reinsert it.',
        details: 'CTAP2_ERR_NOT_ALLOWED (0x30) from authenticatorReset',
      });
    case 'not-touched':
      return new AppError('TOUCH_TIMEOUT', {
        message: 'The key was not touched in time, so it was not reset.',
        nextStep: 'Run `skm reset` again and touch the key as soon as it blinks.',
        details: `${hex(result.status)} from authenticatorReset`,
      });
    case 'declined':
      return new AppError('OPERATION_DENIED', {
        message: 'The key refused the reset: it was declined on the key, or this key does not allow a reset over this connection.',
        nextStep: 'Run `skm reset` again and confirm on the key; if it keeps refusing, connect it the other way (USB instead of NFC, or the reverse).',
        details: 'CTAP2_ERR_OPERATION_DENIED (0x27) from authenticatorReset',
      });
    case 'not-allowed-on-transport':
      return new AppError('RESET_NOT_ALLOWED_ON_TRANSPORT', {
        message: `This key allows a reset only over ${result.allowed.map(transportWords).join(' or ')}, not over ${transportWords(result.transport)}. Nothing was sent.`,
        nextStep: 'Connect the key that way and run `skm reset` again.',
        details: `getInfo transportsForReset: ${result.allowed.join(', ')}`,
      });
    case 'different-key':
      return result.stage === 'before-reset'
        ? new AppError('DIFFERENT_KEY', {
            message: 'A different security key was inserted, so it was not reset; nothing on it was changed.',
            nextStep: 'Run `skm reset` again and reinsert the same key you started with.',
          })
        : new AppError('DIFFERENT_KEY', {
            message: 'The key that was reset does not answer like the key you chose.',
            nextStep: 'Check which key was reset with `skm info`; keep other keys away during a reset.',
            details: 'AAGUID or getInfo fingerprint differs after authenticatorReset',
          });
    case 'not-removed':
      return new AppError('TIMEOUT', {
        message: `The key was not removed within ${seconds(result.timeoutMs)} seconds, so it was not reset.`,
        nextStep: 'Run `skm reset` again and remove the key when asked.',
      });
    case 'not-reinserted':
      return new AppError('TIMEOUT', {
        message: `The key was not inserted again within ${seconds(result.timeoutMs)} seconds, so it was not reset.`,
        nextStep: 'Run `skm reset` again and reinsert the key when asked.',
      });
    case 'cancelled':
      return new AppError('CANCELLED', { message: 'Cancelled. Nothing was reset.' });
    default: {
      const unreachable: never = result;
      return new AppError('INTERNAL', { details: `unknown reset outcome ${JSON.stringify(unreachable)}` });
    }
  }
}

function transportWords(transport: string): string {
  if (transport === 'usb') return 'USB';
  if (transport === 'nfc') return 'NFC';
  return transport;
}

/**
 * Prompts whose reinsert requests are carried out on the key: the instruction is shown as
 * usual, then the key is removed ('remove') or plugged in again ('insert'). The flow listens
 * for discovery events before it prompts, so nothing is missed.
 */
function replugOnPrompt(prompts: UserPrompts, replug: Replug): UserPrompts {
  return {
    pin: (request, signal) => prompts.pin(request, signal),
    confirm: (request, signal) => prompts.confirm(request, signal),
    touch: (request) => prompts.touch(request),
    progress: (event) => prompts.progress(event),
    reinsert(request: ReinsertRequest): () => void {
      const dismiss = prompts.reinsert(request);
      if (request.phase === 'remove') {
        replug.remove();
        prompts.progress({ message: 'Simulated key: removed.' });
      } else {
        replug.insert();
        prompts.progress({ message: 'Simulated key: inserted again.' });
      }
      return dismiss;
    },
  };
}
