/**
 * Simulated user presence — the "test of user presence" of CTAP 2.1 §6 (a touch, a tap, a
 * finger on the sensor). A script decides how the simulated person answers each request, so
 * tests can exercise every outcome: approve, deny (a bio key's "wrong finger", a declined
 * prompt), never (walked away), a touch after some time, or a touch on demand (`manual`).
 * @module
 */
import { CancelledError } from '../errors.js';

export type PresenceScript = 'approve' | 'deny' | 'never' | { afterMs: number } | 'manual';

export type PresenceResult = 'touched' | 'denied' | 'timeout';

interface Waiter {
  settle(result: PresenceResult): void;
}

export class Presence {
  readonly #waiters = new Set<Waiter>();
  #script: PresenceScript;

  constructor(script: PresenceScript = 'approve') {
    checkScript(script);
    this.#script = script;
  }

  /** How the simulated person answers the next request (changeable between requests). */
  get script(): PresenceScript {
    return this.#script;
  }

  set script(script: PresenceScript) {
    checkScript(script);
    this.#script = script;
  }

  /** True while the key is waiting for a touch (a `manual` script's cue to call `touch()`). */
  get waiting(): boolean {
    return this.#waiters.size > 0;
  }

  /**
   * The simulated person touches the key. Only a key that is waiting notices a touch, as with a
   * real key (touching an idle key does nothing), so this returns whether anyone was waiting.
   */
  touch(): boolean {
    const waiters = [...this.#waiters];
    for (const waiter of waiters) waiter.settle('touched');
    return waiters.length > 0;
  }

  /**
   * Wait for the script's answer, at most `timeoutMs`.
   * @throws CancelledError when `signal` fires first (the host cancelled or the key was removed).
   */
  wait(options: { signal: AbortSignal; timeoutMs: number }): Promise<PresenceResult> {
    const { signal, timeoutMs } = options;
    if (!Number.isFinite(timeoutMs) || timeoutMs < 0) throw new RangeError(`timeoutMs must be a non-negative number, got ${timeoutMs}`);
    if (signal.aborted) return Promise.reject(new CancelledError());
    const script = this.script;
    if (script === 'approve') return Promise.resolve('touched');
    if (script === 'deny') return Promise.resolve('denied');

    return new Promise<PresenceResult>((resolve, reject) => {
      const timers: ReturnType<typeof setTimeout>[] = [];
      const waiter: Waiter = {
        settle: (result) => {
          cleanup();
          resolve(result);
        },
      };
      const onAbort = (): void => {
        cleanup();
        reject(new CancelledError());
      };
      const cleanup = (): void => {
        for (const timer of timers) clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.#waiters.delete(waiter);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiters.add(waiter);
      timers.push(setTimeout(() => waiter.settle('timeout'), timeoutMs));
      if (typeof script === 'object' && script.afterMs < timeoutMs) {
        timers.push(setTimeout(() => waiter.settle('touched'), script.afterMs));
      }
    });
  }
}

function checkScript(script: PresenceScript): void {
  if (typeof script === 'object' && (!Number.isFinite(script.afterMs) || script.afterMs < 0)) {
    throw new RangeError(`afterMs must be a non-negative number, got ${script.afterMs}`);
  }
}
