/**
 * Touch to select: when several keys are attached, every one of them blinks and the first one
 * touched is chosen — CTAP 2.1 §6.9 authenticatorSelection on 2.1 keys; on older CTAP2 keys the
 * fallback Chromium (FidoDeviceAuthenticator::GetTouch) and python-fido2 use: a makeCredential
 * for the dummy RP ".dummy", with a zero-length pinUvAuthParam on keys with PIN support
 * (§6.1.2 step 1: touch, then PIN_NOT_SET / PIN_INVALID); on U2F-only keys a U2F register with
 * dummy parameters, polled while the key answers "conditions not satisfied" (Chromium's
 * U2fRegisterOperation). The others are cancelled through their AbortSignal, which the transport
 * turns into CTAPHID_CANCEL / NFC cancel.
 * @module
 */
import { isCtap2, isCtap21, supportsClientPin, type AuthenticatorInfo } from '../ctap2/info.js';
import { CoseAlgorithm, makeCredential } from '../ctap2/make-credential.js';
import { selectAuthenticator } from '../ctap2/reset.js';
import type { Ctap2Session } from '../ctap2/session.js';
import { sha256 } from '../ctap2/sha256.js';
import { abortable, CancelledError, CtapError, throwIfAborted, TransportError, UnsupportedError } from '../errors.js';
import { CtapStatus } from '../status.js';
import type { DeviceDescriptor } from '../transport/discovery.js';
import { TransportCommand, type CtapTransport } from '../transport/transport.js';
import type { UserPrompts } from './prompts.js';

/** Chromium's dummy RP: an invalid domain no real credential can be scoped to. */
const DUMMY_RP_ID = '.dummy';

/** FIDO U2F Raw Message Formats §4.1: REGISTER; P1 0x03 "enforce user presence", as Chromium sends. */
const U2F_REGISTER = { cla: 0x00, ins: 0x01, p1: 0x03, p2: 0x00 } as const;
/** ISO 7816-4 status words a U2F key answers with (U2F Raw Message Formats §3.3). */
const SW_NO_ERROR = 0x9000;
const SW_CONDITIONS_NOT_SATISFIED = 0x6985;
/** How often a U2F key is asked again while it waits for a touch (Chromium's U2F retry delay). */
const U2F_POLL_INTERVAL_MS = 200;
/**
 * A U2F key never gives up by itself (it answers every poll at once), so stop asking after as
 * long as a CTAP2 key waits for a touch (YubiKeys answer USER_ACTION_TIMEOUT after 30 s); else a
 * U2F key nobody touches would keep the whole selection waiting forever.
 */
const U2F_TOUCH_TIMEOUT_MS = 30_000;

/** Statuses that prove a touch on the fallback makeCredential (Chromium's GetTouch list). */
const touchedStatuses = new Set<number>([CtapStatus.PIN_NOT_SET, CtapStatus.PIN_INVALID, CtapStatus.PIN_AUTH_INVALID]);

export interface SelectDeviceOptions {
  devices: readonly DeviceDescriptor[];
  openSession(device: DeviceDescriptor, options?: { signal?: AbortSignal }): Promise<Ctap2Session>;
  prompts: UserPrompts;
  signal?: AbortSignal;
}

export type SelectOutcome =
  /** The chosen key, with its session left open for the caller (who closes it). */
  | { outcome: 'selected'; device: DeviceDescriptor; session: Ctap2Session }
  | { outcome: 'no-devices' }
  /** Every key timed out, refused, or cannot wait for a touch (U2F-only keys). */
  | { outcome: 'none-touched' }
  | { outcome: 'cancelled' };

interface Candidate {
  device: DeviceDescriptor;
  session: Ctap2Session;
  abort: AbortController;
}

export async function selectDevice(options: SelectDeviceOptions): Promise<SelectOutcome> {
  const { devices, signal } = options;
  if (devices.length === 0) return { outcome: 'no-devices' };
  try {
    throwIfAborted(signal);
    if (devices.length === 1) {
      const device = devices[0]!;
      return { outcome: 'selected', device, session: await options.openSession(device, { signal }) };
    }
    return await race(options);
  } catch (error) {
    if (error instanceof CancelledError || isCancelStatus(error)) return { outcome: 'cancelled' };
    throw error;
  }
}

async function race(options: SelectDeviceOptions): Promise<SelectOutcome> {
  const { prompts, signal } = options;
  const opened = await Promise.allSettled(options.devices.map((device) => options.openSession(device, { signal })));
  const candidates: Candidate[] = [];
  opened.forEach((result, i) => {
    if (result.status === 'fulfilled') candidates.push({ device: options.devices[i]!, session: result.value, abort: new AbortController() });
  });
  const onAbort = () => candidates.forEach((c) => c.abort.abort());
  signal?.addEventListener('abort', onAbort, { once: true });
  const dismiss = prompts.touch({ reason: 'select', instruction: 'select-touch' });
  let winner: Candidate | null = null;
  try {
    await Promise.all(
      candidates.map(async (candidate) => {
        const touched = await waitForTouch(candidate.session, candidate.abort.signal).catch(() => false);
        if (touched && !winner) {
          winner = candidate;
          // The first touch wins: the others stop blinking (CTAPHID_CANCEL through their signals).
          for (const other of candidates) if (other !== candidate) other.abort.abort();
        }
      }),
    );
  } finally {
    dismiss();
    signal?.removeEventListener('abort', onAbort);
    await Promise.all(candidates.filter((c) => c !== winner).map((c) => c.session.transport.close().catch(() => undefined)));
  }
  const chosen = winner as Candidate | null;
  if (signal?.aborted) {
    // Cancelled after a touch came in: the caller gets nothing, so nothing stays open.
    await chosen?.session.transport.close();
    throw new CancelledError();
  }
  if (!chosen) return { outcome: 'none-touched' };
  return { outcome: 'selected', device: chosen.device, session: chosen.session };
}

/**
 * Make one key wait for a touch. Resolves true when touched, false when the key answered
 * without one (timeout, refusal); rejects when cancelled or the key cannot be asked at all.
 */
export async function waitForTouch(session: Ctap2Session, signal: AbortSignal): Promise<boolean> {
  const { transport } = session;
  // A U2F-only key has no CTAP2 to ask (CTAPHID CAPABILITY_CBOR clear), so never send it getInfo.
  if (!transport.capabilities.cbor) return waitForU2fTouch(transport, signal);
  let info: AuthenticatorInfo;
  try {
    info = await session.getInfo({ signal });
  } catch (error) {
    // A U2F-only NFC card selects like a dual one (its applet answers "U2F_V2", §11.3.3) and only
    // refuses the CTAP2 request itself, with an ISO 7816 status word (6D00).
    if (transport.capabilities.msg && error instanceof TransportError && error.kind === 'status-word') return waitForU2fTouch(transport, signal);
    throw error;
  }
  if (!isCtap2(info)) return waitForU2fTouch(transport, signal);
  try {
    if (isCtap21(info)) {
      await selectAuthenticator(session, { signal });
    } else {
      await makeCredential(session, {
        clientDataHash: sha256(new Uint8Array(0)),
        rp: { id: DUMMY_RP_ID },
        user: { id: new Uint8Array([1]), name: 'dummy' },
        algorithms: [CoseAlgorithm.ES256],
        touchOnly: supportsClientPin(info),
        signal,
      });
    }
    return true;
  } catch (error) {
    if (error instanceof CtapError && touchedStatuses.has(error.status)) return true;
    if (error instanceof CtapError && !isCancelStatus(error)) return false;
    throw error;
  }
}

/**
 * A U2F register with a dummy challenge and application (FIDO U2F Raw Message Formats §4.1):
 * the key answers SW_CONDITIONS_NOT_SATISFIED until it is touched, so ask again every 200 ms;
 * SW_NO_ERROR is the touch. The throwaway registration is never used. Any other status word, or
 * no touch within U2F_TOUCH_TIMEOUT_MS, is a key that will not be selected this way.
 */
async function waitForU2fTouch(transport: CtapTransport, signal: AbortSignal): Promise<boolean> {
  if (!transport.capabilities.msg) throw new UnsupportedError('selection', 'This security key cannot be selected by touch.');
  const request = u2fRegisterRequest({ challenge: sha256(new Uint8Array(0)), application: sha256(new TextEncoder().encode(DUMMY_RP_ID)) });
  const deadline = Date.now() + U2F_TOUCH_TIMEOUT_MS;
  for (;;) {
    if (Date.now() >= deadline) return false;
    const response = await transport.transact(TransportCommand.MSG, request, { signal });
    const sw = response.length >= 2 ? (response[response.length - 2]! << 8) | response[response.length - 1]! : 0;
    if (sw === SW_NO_ERROR) return true;
    if (sw !== SW_CONDITIONS_NOT_SATISFIED) return false;
    await pause(U2F_POLL_INTERVAL_MS, signal);
  }
}

/** Extended-length APDU (U2F Raw Message Formats §3.1.1): header, Lc 00 00 40, challenge ‖ application, Le 00 00. */
export function u2fRegisterRequest(args: { challenge: Uint8Array; application: Uint8Array }): Uint8Array {
  if (args.challenge.length !== 32 || args.application.length !== 32) throw new RangeError('U2F challenge and application parameters are 32 bytes each.');
  const { cla, ins, p1, p2 } = U2F_REGISTER;
  const apdu = new Uint8Array(7 + 64 + 2);
  apdu.set([cla, ins, p1, p2, 0x00, 0x00, 0x40]);
  apdu.set(args.challenge, 7);
  apdu.set(args.application, 39);
  return apdu;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return abortable(elapsed, signal).finally(() => clearTimeout(timer));
}

/** Blink the key so the person can see which one it is (CTAPHID_WINK). */
export async function winkDevice(options: { session: Ctap2Session; signal?: AbortSignal }): Promise<void> {
  const { transport } = options.session;
  if (!transport.capabilities.wink) throw new UnsupportedError('wink', 'This security key cannot blink on request.');
  await transport.wink({ signal: options.signal });
}

function isCancelStatus(error: unknown): boolean {
  return error instanceof CtapError && error.status === CtapStatus.KEEPALIVE_CANCEL;
}
