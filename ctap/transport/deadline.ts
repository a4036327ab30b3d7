/**
 * The overall deadline of one transaction, shared by the USB and NFC transports.
 *
 * CTAPHID_KEEPALIVE (CTAP 2.1 §11.2.9.1.7) and the NFC 9100 status (§11.3.5) tell the client
 * the key is still working, so each one restarts the silence timeout — but a key that keeps
 * sending them forever would then be waited on forever. The spec bounds what a well-behaved key
 * does instead: it waits for user presence for a limited time and then answers
 * USER_ACTION_TIMEOUT (§6.1.2 "user presence … timeout", about 30 s on YubiKeys). So the client
 * allows a transaction PROCESSING for `processingDeadlineMs` overall, and, once the key has said
 * it waits for a touch (UPNEEDED), `touchDeadlineMs` overall; past that it sends CANCEL and fails
 * with TransportError('timeout').
 * @module
 */
import { TransportError } from '../errors.js';
import type { KeepaliveStatus } from './transport.js';

/** Generous for the slowest crypto on a key (RSA or many-credential operations take seconds). */
export const DEFAULT_PROCESSING_DEADLINE_MS = 30_000;
/** Three times the usual touch wait of a key, for firmware with a long timeout and slow people. */
export const DEFAULT_TOUCH_DEADLINE_MS = 90_000;

export interface DeadlineOptions {
  /** Overall limit for a transaction while the key only says "processing" (or nothing). */
  processingDeadlineMs?: number;
  /** Overall limit once the key has said it waits for user presence. */
  touchDeadlineMs?: number;
}

export class TransactionDeadline {
  readonly #startedAt = Date.now();
  readonly #processingMs: number;
  readonly #touchMs: number;
  #waitingForTouch = false;

  constructor(options: DeadlineOptions = {}) {
    this.#processingMs = options.processingDeadlineMs ?? DEFAULT_PROCESSING_DEADLINE_MS;
    this.#touchMs = Math.max(options.touchDeadlineMs ?? DEFAULT_TOUCH_DEADLINE_MS, this.#processingMs);
    if (!(this.#processingMs > 0)) throw new RangeError('Transaction deadlines must be positive numbers of milliseconds');
  }

  /** Clock time (ms) at which the transaction must be given up. */
  get endsAt(): number {
    return this.#startedAt + (this.#waitingForTouch ? this.#touchMs : this.#processingMs);
  }

  get expired(): boolean {
    return Date.now() >= this.endsAt;
  }

  /** Record a keepalive status; waiting for a touch earns the longer deadline, for good. */
  saw(status: KeepaliveStatus): void {
    if (status === 'user-presence-needed') this.#waitingForTouch = true;
  }

  error(): TransportError {
    const limit = this.#waitingForTouch ? this.#touchMs : this.#processingMs;
    return new TransportError('timeout', `The security key kept the request pending for more than ${Math.round(limit / 1000)} s.`, {
      guidance: this.#waitingForTouch ? 'Touch the key when it blinks, or remove and reinsert it.' : 'Remove and reinsert the key, then try again.',
    });
  }
}
