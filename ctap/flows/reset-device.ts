/**
 * The reset ceremony — CTAP 2.1 §6.6 authenticatorReset as DESIGN.md "Reset ceremony" lays it
 * out, after ykman's reinsert-and-verify and Windows Settings' vendor instructions:
 *
 * 1. Read getInfo and the key's identity; refuse early when transportsForReset excludes this
 *    transport; confirm, naming everything that is lost.
 * 2. Close the session; ask to remove the key and wait for discovery to report it gone; ask to
 *    reinsert it and wait for a key on the same transport (or power-cycle a card in its reader).
 * 3. Compare what can be compared without sending anything (vid/pid/serial/name); a different
 *    key gets nothing at all.
 * 4. Send authenticatorReset AS THE FIRST COMMAND — no getInfo first: OpenSK-like firmware
 *    drops the reset permission after any other command or after traffic on another channel —
 *    while showing the vendor's touch instruction and the window's deadline. The one exception:
 *    a card tapped again is identified by getInfo first (its reader's descriptor cannot tell two
 *    cards apart, and getInfo keeps the permission), so a different card is never reset.
 * 5. Check with getInfo that the AAGUID is the one we identified, and map every status to an
 *    outcome: 0x30 too late, 0x27 declined, 0x2F/0x3A not touched (§6.6, YubiKey ACTION_TIMEOUT).
 * @module
 */
import { aaguidString, bioEnrollmentSupport, isCtap2, type AuthenticatorInfo } from '../ctap2/info.js';
import { resetAuthenticator } from '../ctap2/reset.js';
import type { Ctap2Session } from '../ctap2/session.js';
import { CancelledError, CtapError, throwIfAborted, UnsupportedError } from '../errors.js';
import { CtapStatus } from '../status.js';
import type { DeviceDescriptor, Discovery, DiscoveryEvent } from '../transport/discovery.js';
import type { Consequence, UserPrompts } from './prompts.js';
import { resetGuide, type ResetGuide } from './vendors.js';

/** How long to wait for the person to remove, then to reinsert, the key (ykman waits without limit). */
const DEFAULT_REMOVAL_TIMEOUT_MS = 60_000;
const DEFAULT_REINSERT_TIMEOUT_MS = 60_000;

export interface ResetDeviceOptions {
  discovery: Discovery;
  device: DeviceDescriptor;
  /**
   * Open a CTAP2 session on a device WITHOUT sending any CTAP command (no getInfo): the
   * ceremony's reset must be the first command the key sees after power-up.
   */
  openSession(device: DeviceDescriptor, options?: { signal?: AbortSignal }): Promise<Ctap2Session>;
  prompts: UserPrompts;
  signal?: AbortSignal;
  /** Clock for the reset deadline shown to the person (default Date.now). */
  clock?: () => number;
  removalTimeoutMs?: number;
  reinsertTimeoutMs?: number;
  /**
   * Power-cycle the key in place (PC/SC card reset) instead of asking for removal. When given,
   * the same device descriptor is opened again afterwards.
   */
  powerCycle?: () => Promise<void>;
  /** What the caller knows the key holds, so the confirmation can count what is lost. */
  known?: KnownContents;
}

/** The key's identity as read before the ceremony: what a replugged key must match. */
export interface KeyIdentity {
  aaguid: string;
  vid: number | null;
  pid: number | null;
  serial: string | null;
  name: string;
  /** getInfo facts that a reset does not change (versions, firmware, protocols, limits). */
  fingerprint: string;
}

export type ResetOutcome =
  | { outcome: 'reset'; device: DeviceDescriptor; identity: KeyIdentity }
  /** 0x30 NOT_ALLOWED: the reset came later than `windowMs` after insertion. */
  | { outcome: 'too-late'; windowMs: number }
  /** 0x2F / 0x3A: nobody touched the key in time. */
  | { outcome: 'not-touched'; status: number }
  /** 0x27 OPERATION_DENIED after a touch: the person (or the key's policy) declined. */
  | { outcome: 'declined' }
  /** getInfo transportsForReset excludes this transport (CTAP 2.2 §6.4 0x1A). */
  | { outcome: 'not-allowed-on-transport'; transport: string; allowed: string[] }
  /** The key that came back is not the one identified (stage says whether reset was sent). */
  | { outcome: 'different-key'; stage: 'before-reset' | 'after-reset' }
  | { outcome: 'cancelled' }
  | { outcome: 'not-removed'; timeoutMs: number }
  | { outcome: 'not-reinserted'; timeoutMs: number };

/**
 * What the person is told is lost, before anything is sent (§6.6). Counts are included when the
 * caller knows them (a front end that listed the passkeys and fingerprints first). Fingerprints
 * are named only for a key with a sensor (getInfo bioEnroll / userVerificationMgmtPreview):
 * telling someone their fingerprints go when the key has none makes them doubt the rest.
 */
export function resetConsequences(known: KnownContents = {}, info?: AuthenticatorInfo): Consequence[] {
  const fingerprints = info === undefined || bioEnrollmentSupport(info) !== 'none';
  return [
    { code: 'passkeys-deleted', ...known.passkeys },
    ...(fingerprints ? [{ code: 'fingerprints-deleted' as const, ...(known.fingerprints !== undefined ? { fingerprints: known.fingerprints } : {}) }] : []),
    { code: 'pin-removed' },
    { code: 'settings-to-defaults' },
  ];
}

/** What the caller already knows the key holds (for the confirmation's counts). */
export interface KnownContents {
  passkeys?: { passkeys: number; sites: number };
  fingerprints?: number;
}

export async function resetDevice(options: ResetDeviceOptions): Promise<ResetOutcome> {
  try {
    return await runCeremony(options);
  } catch (error) {
    if (error instanceof CancelledError) return { outcome: 'cancelled' };
    if (error instanceof CtapError && error.status === CtapStatus.KEEPALIVE_CANCEL) return { outcome: 'cancelled' };
    throw error;
  }
}

async function runCeremony(options: ResetDeviceOptions): Promise<ResetOutcome> {
  const { device, prompts, signal } = options;
  const clock = options.clock ?? Date.now;
  throwIfAborted(signal);

  // ── 1. identify, check the transport, confirm ──
  const before = await options.openSession(device, { signal });
  let info: AuthenticatorInfo;
  try {
    info = await before.getInfo({ refresh: true, signal });
  } finally {
    // Closed before the person unplugs the key, and before a card is power-cycled.
    await before.transport.close();
  }
  if (!isCtap2(info)) throw new UnsupportedError('reset', 'The key does not speak CTAP2 (getInfo versions), so authenticatorReset is not available.');
  const identity = identify(device, info);
  const transport = device.transport === 'nfc' ? 'nfc' : 'usb';
  if (info.transportsForReset !== null && !info.transportsForReset.includes(transport)) {
    return { outcome: 'not-allowed-on-transport', transport, allowed: info.transportsForReset };
  }
  const guide = resetGuide({ transport: device.transport, vid: device.vid, info });
  const confirmed = await prompts.confirm({ action: 'reset', subject: { noun: guide.noun }, consequences: resetConsequences(options.known, info) }, signal);
  if (!confirmed) return { outcome: 'cancelled' };
  throwIfAborted(signal);

  // ── 2. power cycle: replug / re-tap, or a reader-driven card reset ──
  let target: DeviceDescriptor;
  let insertedAt: number;
  if (options.powerCycle) {
    await options.powerCycle();
    throwIfAborted(signal);
    target = device;
    insertedAt = clock();
  } else {
    const replug = await waitForReplug({ ...options, guide });
    if ('outcome' in replug) return replug;
    target = replug.device;
    insertedAt = replug.at;
    // ── 3. compare without sending anything ──
    if (!sameDescriptor(device, target)) return { outcome: 'different-key', stage: 'before-reset' };
  }

  // ── 4. reset as the first command, touch prompt with the window's deadline ──
  const session = await options.openSession(target, { signal });
  try {
    // A card's descriptor is its reader's, so it cannot tell the tapped card from another one.
    // getInfo can (AAGUID, firmware, limits), and it is one of the commands after which even
    // OpenSK-like firmware keeps the reset permission; ykman reads it before resetting too.
    if (!options.powerCycle && target.transport === 'nfc') {
      const tapped = identify(target, await session.getInfo({ refresh: true, signal }));
      if (tapped.aaguid !== identity.aaguid || tapped.fingerprint !== identity.fingerprint) return { outcome: 'different-key', stage: 'before-reset' };
    }
    const dismiss = prompts.touch({ reason: 'reset', instruction: guide.touch, noun: guide.noun, deadline: insertedAt + guide.windowMs });
    try {
      await resetAuthenticator(session, { signal });
    } catch (error) {
      const mapped = mapResetError(error, guide);
      if (mapped) return mapped;
      throw error;
    } finally {
      dismiss();
    }
    // ── 5. the key that was reset must be the one identified ──
    const after = identify(target, await session.getInfo({ refresh: true, signal }));
    if (after.aaguid !== identity.aaguid || after.fingerprint !== identity.fingerprint) return { outcome: 'different-key', stage: 'after-reset' };
    return { outcome: 'reset', device: target, identity };
  } finally {
    await session.transport.close();
  }
}

function mapResetError(error: unknown, guide: ResetGuide): ResetOutcome | null {
  if (!(error instanceof CtapError)) return null;
  switch (error.status) {
    case CtapStatus.NOT_ALLOWED:
    // YubiKeys answer a late reset with PIN_AUTH_BLOCKED too (ykman maps both to "too late").
    case CtapStatus.PIN_AUTH_BLOCKED:
      return { outcome: 'too-late', windowMs: guide.windowMs };
    case CtapStatus.OPERATION_DENIED:
      return { outcome: 'declined' };
    case CtapStatus.USER_ACTION_TIMEOUT:
    case CtapStatus.ACTION_TIMEOUT:
      return { outcome: 'not-touched', status: error.status };
    default:
      return null;
  }
}

/** The identity to compare against after the replug (ykman: serial + version, else full getInfo). */
export function identify(device: DeviceDescriptor, info: AuthenticatorInfo): KeyIdentity {
  return {
    aaguid: aaguidString(info.aaguid),
    vid: device.vid,
    pid: device.pid,
    serial: device.serial,
    name: device.name,
    fingerprint: JSON.stringify({
      // Not the options: their values (clientPin, alwaysUv, ep, bioEnroll) change with a reset.
      versions: info.versions,
      firmwareVersion: info.firmwareVersion,
      pinUvAuthProtocols: info.pinUvAuthProtocols,
      maxMsgSize: info.maxMsgSize,
      transports: info.transports,
    }),
  };
}

/** Same key by every descriptor field both sides know (nothing is sent to find out). */
export function sameDescriptor(a: DeviceDescriptor, b: DeviceDescriptor): boolean {
  if (a.transport !== b.transport) return false;
  const known = <T>(x: T | null, y: T | null) => x === null || y === null || x === y;
  if (!known(a.vid, b.vid) || !known(a.pid, b.pid) || !known(a.serial, b.serial)) return false;
  // An NFC "name" is the reader's or the card's and may change between taps; a USB product string does not.
  return a.transport === 'nfc' || a.name === b.name;
}

type Replug = { device: DeviceDescriptor; at: number } | Extract<ResetOutcome, { outcome: 'not-removed' | 'not-reinserted' }>;

/** Ask to remove, wait for 'removed'; ask to reinsert, wait for 'added' on the same transport. */
async function waitForReplug(options: ResetDeviceOptions & { guide: ResetGuide }): Promise<Replug> {
  const { discovery, device, prompts, signal, guide } = options;
  const clock = options.clock ?? Date.now;
  const removalTimeoutMs = options.removalTimeoutMs ?? DEFAULT_REMOVAL_TIMEOUT_MS;
  const reinsertTimeoutMs = options.reinsertTimeoutMs ?? DEFAULT_REINSERT_TIMEOUT_MS;
  // Listen before prompting: the key may be pulled the moment the prompt appears.
  const events = new EventQueue(discovery, clock);
  try {
    const stillThere = (await discovery.list()).some((d) => d.id === device.id && d.status === 'ready');
    if (stillThere) {
      const dismiss = prompts.reinsert({ phase: 'remove', instruction: guide.remove, noun: guide.noun });
      try {
        const gone = await events.next((e) => e.device.id === device.id && (e.type === 'removed' || e.device.status === 'no-card'), {
          timeoutMs: removalTimeoutMs,
          signal,
        });
        if (!gone) return { outcome: 'not-removed', timeoutMs: removalTimeoutMs };
      } finally {
        dismiss();
      }
    }
    const dismiss = prompts.reinsert({ phase: 'insert', instruction: guide.insert, noun: guide.noun });
    try {
      const added = await events.next((e) => e.type === 'added' && e.device.transport === device.transport && e.device.status === 'ready', {
        timeoutMs: reinsertTimeoutMs,
        signal,
      });
      if (!added) return { outcome: 'not-reinserted', timeoutMs: reinsertTimeoutMs };
      return { device: added.device, at: added.at };
    } finally {
      dismiss();
    }
  } finally {
    events.close();
  }
}

type TimedEvent = DiscoveryEvent & { at: number };

/**
 * Discovery events buffered from construction on, consumed in order, each stamped with its
 * arrival time: the reset window counts from the moment the key came back, not from when the
 * flow got round to it.
 */
class EventQueue {
  readonly #buffer: TimedEvent[] = [];
  #wake: (() => void) | null = null;
  readonly #stop: () => void;

  constructor(discovery: Discovery, clock: () => number) {
    this.#stop = discovery.watch((event) => {
      this.#buffer.push({ ...event, at: clock() });
      this.#wake?.();
    });
  }

  /** The first matching event (earlier non-matching ones are dropped), or null on timeout. */
  async next(match: (event: DiscoveryEvent) => boolean, options: { timeoutMs: number; signal: AbortSignal | undefined }): Promise<TimedEvent | null> {
    const { signal } = options;
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      throwIfAborted(signal);
      while (this.#buffer.length > 0) {
        const event = this.#buffer.shift()!;
        if (match(event)) return event;
      }
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        const onAbort = () => done();
        signal?.addEventListener('abort', onAbort, { once: true });
        this.#wake = done;
        function done() {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }
      });
      this.#wake = null;
    }
  }

  close(): void {
    this.#stop();
  }
}
