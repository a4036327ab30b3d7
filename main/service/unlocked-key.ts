/**
 * The app's unlocked key: once the PIN has been entered for a key's passkeys, the
 * pinUvAuthToken it bought is kept here, in the main process, and lent to the next passkey and
 * large-blob operations on that same key — so deleting two passkeys asks for the PIN once, as
 * Windows Settings' Security Key › Manage does. The token never crosses IPC; nothing but its
 * existence ("unlocked") is ever told.
 *
 * Bounds (each drops the token and zeroes its bytes):
 * - one key only: lending to another key drops the held one first;
 * - the key is removed (another card tapped on the reader is a removal first);
 * - an operation on the key ends in a PIN or token error (a wrong or blocked PIN, a token the key
 *   refused) or an unexpected one — the next operation asks again (answers about the data, such
 *   as "no such passkey" or unreadable blob storage, keep it);
 * - an operation on the key that gets a token of its own or changes the PIN (fingerprints,
 *   settings, PIN, reset, test): CTAP 2.1 §6.5.5.7 getting a token resets the one before it;
 * - idle for `idleMs` (5 minutes), and at the latest `maxAgeMs` (10 minutes) after the first
 *   operation that held it ended: §6.5.2.1 "pinUvAuthToken usage timer" lets a key stop honouring a token after its
 *   maxUsageTimePeriod (10 minutes by default), so the app never relies on one longer;
 * - the renderer leaves the key's pages (`lock`), and the service closes.
 * A token the key refuses anyway (power loss, its own timer) is answered PIN_AUTH_INVALID before
 * the key acts, and the flows then ask for the PIN once and carry on (withToken).
 * @module
 */
import { OperationTokens } from '../../ctap/flows/manage-credentials.js';

export interface UnlockLimits {
  /** Drop the token after this long unused (default 5 minutes). */
  idleMs?: number;
  /** Drop the token this long after it was first lent at the latest (default 10 minutes). */
  maxAgeMs?: number;
  /** The clock (tests move it). */
  now?: () => number;
}

export const DEFAULT_IDLE_MS = 5 * 60_000;
export const DEFAULT_MAX_AGE_MS = 10 * 60_000;

interface Held {
  deviceId: string;
  tokens: OperationTokens;
  /** When a token was first held (set when an operation ends holding one). */
  since: number | undefined;
  lastUsed: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export class UnlockedKey {
  #held: Held | undefined;
  readonly #idleMs: number;
  readonly #maxAgeMs: number;
  readonly #now: () => number;

  constructor(limits: UnlockLimits = {}) {
    this.#idleMs = limits.idleMs ?? DEFAULT_IDLE_MS;
    this.#maxAgeMs = limits.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
    this.#now = limits.now ?? Date.now;
  }

  /** Whether a token for this key is held now. */
  isUnlocked(deviceId: string): boolean {
    this.#expire();
    return this.#held?.deviceId === deviceId && this.#held.tokens.holding;
  }

  /**
   * The tokens an operation on `deviceId` may use (empty ones when none are held); `alsoPermit`
   * is what a new token should carry beyond the step that asks for it (lbw beside cm).
   */
  lend(deviceId: string, alsoPermit: number): OperationTokens {
    this.#expire();
    if (this.#held && this.#held.deviceId !== deviceId) this.lock();
    if (!this.#held) {
      this.#held = { deviceId, tokens: new OperationTokens(), since: undefined, lastUsed: this.#now(), timer: undefined };
    }
    this.#held.tokens.alsoPermit = alsoPermit;
    this.#clearTimer();
    return this.#held.tokens;
  }

  /** The operation that borrowed the tokens ended: keep them (success, cancelled) or drop them. */
  settle(deviceId: string, keep: boolean): void {
    const held = this.#held;
    if (!held || held.deviceId !== deviceId) return;
    if (!keep || !held.tokens.holding) return this.lock();
    held.lastUsed = this.#now();
    held.since ??= held.lastUsed;
    this.#clearTimer();
    // The timer zeroes the bytes of an idle token even if nothing else happens; unref'd, it
    // never keeps the process alive.
    held.timer = setTimeout(() => this.lock(), this.#idleMs);
    held.timer.unref?.();
  }

  /** Drop and zero the held token (of `deviceId` only, when given). */
  lock(deviceId?: string): void {
    const held = this.#held;
    if (!held || (deviceId !== undefined && held.deviceId !== deviceId)) return;
    this.#clearTimer();
    this.#held = undefined;
    held.tokens.dispose();
  }

  /** The held key, if any (to drop it when that key goes away). */
  get deviceId(): string | undefined {
    return this.#held?.deviceId;
  }

  #expire(): void {
    const held = this.#held;
    if (!held) return;
    const now = this.#now();
    if (now - held.lastUsed >= this.#idleMs || (held.since !== undefined && now - held.since >= this.#maxAgeMs)) this.lock();
  }

  #clearTimer(): void {
    if (this.#held?.timer !== undefined) clearTimeout(this.#held.timer);
    if (this.#held) this.#held.timer = undefined;
  }
}
