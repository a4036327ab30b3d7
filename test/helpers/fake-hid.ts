// A scripted CTAPHID device for transport tests (CTAP 2.1 §11.2): records every report the host
// writes, reassembles them per channel, and answers through a test-supplied responder. It can
// delay, interleave other channels, send errors, and disconnect — the faults a real USB key shows.
import { TransportError } from '../../ctap/errors.js';
import { BROADCAST_CID, MessageReassembler, encodeMessage, packetCid, type HidMessage } from '../../ctap/transport/hid/framing.js';
import type { HidConnection } from '../../ctap/transport/hid/hid-connection.js';
import { TransportCommand } from '../../ctap/transport/transport.js';

export type Responder = (request: HidMessage, hid: FakeHid) => void;

interface Waiter {
  resolve(report: Uint8Array | null): void;
  reject(error: unknown): void;
  timer: NodeJS.Timeout;
}

export class FakeHid implements HidConnection {
  /** Every report the host wrote, in order. */
  readonly writes: Uint8Array[] = [];
  /** Every complete message the host wrote (reassembled per channel). */
  readonly requests: HidMessage[] = [];
  closed = false;
  #responder: Responder | undefined;
  #incoming: Uint8Array[] = [];
  #waiters: Waiter[] = [];
  #reassemblers = new Map<number, MessageReassembler>();
  #disconnected = false;
  #timers = new Set<NodeJS.Timeout>();

  /** Answer each complete request the host writes. */
  onRequest(responder: Responder): this {
    this.#responder = responder;
    return this;
  }

  /** Queue a whole message for the host to read (optionally after a delay). */
  send(message: HidMessage, options: { delayMs?: number } = {}): void {
    this.sendReports(encodeMessage(message), options);
  }

  /** Queue raw reports (for malformed or partial frames). */
  sendReports(reports: Uint8Array[], options: { delayMs?: number } = {}): void {
    this.#later(options.delayMs, () => {
      for (const report of reports) this.#deliver(report);
    });
  }

  /** From now on every read and write fails as if the key was pulled out. */
  disconnect(options: { delayMs?: number } = {}): void {
    this.#later(options.delayMs, () => {
      this.#disconnected = true;
      this.#incoming = [];
      for (const waiter of this.#waiters.splice(0)) {
        clearTimeout(waiter.timer);
        waiter.reject(new TransportError('disconnected', 'fake key removed'));
      }
    });
  }

  /** Requests written with this command byte (e.g. CANCEL). */
  requestsWith(cmd: number): HidMessage[] {
    return this.requests.filter((request) => request.cmd === cmd);
  }

  async write(report: Uint8Array): Promise<void> {
    if (this.#disconnected) throw new TransportError('disconnected', 'fake key removed');
    if (report.length !== 64) throw new Error(`host wrote a ${report.length}-byte report`);
    this.writes.push(report.slice());
    const cid = packetCid(report);
    let reassembler = this.#reassemblers.get(cid);
    if (!reassembler) {
      reassembler = new MessageReassembler();
      this.#reassemblers.set(cid, reassembler);
    }
    const message = reassembler.push(report);
    if (message) {
      this.requests.push(message);
      this.#responder?.(message, this);
    }
  }

  read(timeoutMs: number): Promise<Uint8Array | null> {
    if (this.#disconnected) return Promise.reject(new TransportError('disconnected', 'fake key removed'));
    const next = this.#incoming.shift();
    if (next) return Promise.resolve(next);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          resolve(null);
        }, timeoutMs),
      };
      this.#waiters.push(waiter);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  #deliver(report: Uint8Array): void {
    if (this.#disconnected) return;
    const waiter = this.#waiters.shift();
    if (waiter) {
      clearTimeout(waiter.timer);
      waiter.resolve(report);
    } else {
      this.#incoming.push(report);
    }
  }

  #later(delayMs: number | undefined, action: () => void): void {
    if (!delayMs) {
      action();
      return;
    }
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      action();
    }, delayMs);
    this.#timers.add(timer);
  }
}

export interface InitReplyOptions {
  cid: number;
  capabilities?: number;
  version?: [number, number, number];
  /** Answer with this nonce instead of the request's (a reply meant for another client). */
  nonce?: Uint8Array;
}

/** The CTAPHID_INIT response a key sends on the broadcast channel (§11.2.9.1.3). */
export function initReply(request: HidMessage, options: InitReplyOptions): HidMessage {
  const payload = new Uint8Array(17);
  payload.set(options.nonce ?? request.payload.subarray(0, 8));
  new DataView(payload.buffer).setUint32(8, options.cid);
  payload[12] = 2;
  payload.set(options.version ?? [5, 4, 3], 13);
  payload[16] = options.capabilities ?? 0x05;
  return { cid: BROADCAST_CID, cmd: TransportCommand.INIT, payload };
}

export function keepalive(cid: number, status: number): HidMessage {
  return { cid, cmd: TransportCommand.KEEPALIVE, payload: Uint8Array.of(status) };
}

export function hidErrorFrame(cid: number, code: number): HidMessage {
  return { cid, cmd: TransportCommand.ERROR, payload: Uint8Array.of(code) };
}
