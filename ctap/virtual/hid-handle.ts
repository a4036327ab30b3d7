/**
 * One open handle onto the virtual key's CTAPHID device (hid-device.ts), as a hidraw node gives
 * each reader: its own queue of 64-byte input reports, reads that end empty at their timeout,
 * and TransportError('disconnected') for every pending and later call once the key is removed.
 * @module
 */
import { TransportError } from '../errors.js';
import type { HidConnection } from '../transport/hid/hid-connection.js';

/** What a handle needs from its device: somewhere to send output reports and to hand itself back. */
export interface HandleOwner {
  receive(report: Uint8Array): void;
  release(connection: VirtualHidConnection): void;
}

/** Wait `ms`: the simulated USB latency and the device's KEEPALIVE pacing. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface Reader {
  resolve(report: Uint8Array | null): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/** One open handle: its own queue of input reports (hidraw gives each reader every report). */
export class VirtualHidConnection implements HidConnection {
  readonly #queue: Uint8Array[] = [];
  readonly #readers: Reader[] = [];
  #state: 'open' | 'closed' | 'disconnected' = 'open';

  constructor(
    private readonly device: HandleOwner,
    private readonly latencyMs: number,
  ) {}

  async write(report: Uint8Array): Promise<void> {
    this.#check();
    if (this.latencyMs > 0) {
      await delay(this.latencyMs);
      this.#check();
    }
    this.device.receive(report.slice());
  }

  read(timeoutMs: number): Promise<Uint8Array | null> {
    try {
      this.#check();
    } catch (error) {
      return Promise.reject(error as Error);
    }
    const queued = this.#queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const reader: Reader = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#readers.splice(this.#readers.indexOf(reader), 1);
          resolve(null);
        }, Math.max(0, timeoutMs)),
      };
      this.#readers.push(reader);
    });
  }

  async close(): Promise<void> {
    if (this.#state !== 'open') return;
    this.#state = 'closed';
    this.device.release(this);
    this.#failReaders(new TransportError('io', 'The connection to the simulated key was closed.'));
  }

  /** @internal */
  enqueue(report: Uint8Array): void {
    const reader = this.#readers.shift();
    if (reader) {
      clearTimeout(reader.timer);
      reader.resolve(report.slice());
    } else {
      this.#queue.push(report.slice());
    }
  }

  /** @internal The device went away. */
  disconnected(): void {
    if (this.#state !== 'open') return;
    this.#state = 'disconnected';
    this.#queue.length = 0;
    this.#failReaders(new TransportError('disconnected', 'The simulated key was removed.'));
  }

  #failReaders(error: TransportError): void {
    for (const reader of this.#readers.splice(0)) {
      clearTimeout(reader.timer);
      reader.reject(error);
    }
  }

  #check(): void {
    if (this.#state === 'disconnected') throw new TransportError('disconnected', 'The simulated key was removed.');
    if (this.#state === 'closed') throw new TransportError('io', 'The connection to the simulated key is closed.');
  }
}
