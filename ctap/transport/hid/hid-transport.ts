/**
 * CTAPHID host transport — CTAP 2.1 §11.2 "USB Human Interface Device (USB HID)".
 *
 * Opens a channel with CTAPHID_INIT on the broadcast CID (§11.2.9.1.3), then runs one
 * request/response transaction at a time on it: keepalives (§11.2.9.1.7) become status-change
 * callbacks and restart the response timeout, ERR_CHANNEL_BUSY is retried with backoff,
 * an overall deadline caps each transaction however many keepalives arrive (see
 * TransactionDeadline: a key that sends PROCESSING forever is cancelled, not waited on),
 * ERR_INVALID_CHANNEL re-opens the channel once, and an abort sends CTAPHID_CANCEL (§11.2.9.1.5).
 * Behaviour follows libfido2 (src/hid.c, src/io.c) and python-fido2 (fido2/hid/__init__.py).
 * @module
 */
import { randomFillSync } from 'node:crypto';
import { equalBytes, hex } from '../../bytes.js';
import { CancelledError, ProtocolError, TransportError, UnsupportedError, abortable, throwIfAborted } from '../../errors.js';
import { CtapStatus } from '../../status.js';
import {
  TransportCommand,
  type CtapTransport,
  type KeepaliveStatus,
  type TransactOptions,
  type TransportCapabilities,
} from '../transport.js';
import { TransactionDeadline, type DeadlineOptions } from '../deadline.js';
import { BROADCAST_CID, MAX_MESSAGE_SIZE, MessageReassembler, encodeMessage, packetCid, type HidMessage } from './framing.js';
import type { HidConnection } from './hid-connection.js';

/** CTAPHID_INIT response capability flags (§11.2.9.1.3). */
export const CtaphidCapability = {
  WINK: 0x01,
  CBOR: 0x04,
  NMSG: 0x08,
} as const;

/** CTAPHID_KEEPALIVE status bytes (§11.2.9.1.7); other values are reserved and ignored. */
const KeepaliveCode = { PROCESSING: 1, UPNEEDED: 2 } as const;

const INIT_NONCE_LENGTH = 8;
/** nonce (8) | CID (4) | protocol version | major | minor | build | capabilities (§11.2.9.1.3). */
const INIT_RESPONSE_LENGTH = 17;
const DEFAULT_RESPONSE_TIMEOUT_MS = 5_000;
/** How long to wait for the key's answer to a cancelled request before giving up on it. */
const DEFAULT_CANCEL_TIMEOUT_MS = 1_000;
/** ERR_CHANNEL_BUSY backoff: another client owns the key for a moment (libfido2 retries too). */
const BUSY_FIRST_DELAY_MS = 100;
const BUSY_MAX_DELAY_MS = 1_000;
/** CTAPHID_LOCK accepts 0..10 seconds (§11.2.9.2.2). */
const MAX_LOCK_SECONDS = 10;

export interface HidTransportOptions extends DeadlineOptions {
  signal?: AbortSignal;
  /** Default for TransactOptions.timeoutMs: silence allowed between frames of one response. */
  responseTimeoutMs?: number;
  /** How long to wait for the key's answer after CTAPHID_CANCEL. */
  cancelTimeoutMs?: number;
}

export interface DeviceVersion {
  readonly major: number;
  readonly minor: number;
  readonly build: number;
}

interface ExchangeOptions {
  signal?: AbortSignal;
  onKeepalive?: (status: KeepaliveStatus) => void;
  timeoutMs: number;
  /** Whether a complete non-keepalive, non-error message answers this request. */
  accepts(message: HidMessage): boolean;
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return abortable(elapsed, signal).finally(() => clearTimeout(timer));
}

function asTransportError(error: unknown): TransportError {
  if (error instanceof TransportError) return error;
  return new TransportError('disconnected', 'The security key was disconnected.', {}, { cause: error });
}

function hidError(code: number): TransportError {
  return new TransportError('hid-error', `The security key reported a USB protocol error (${hex(code)}).`, { ctapStatus: code });
}

export class CtapHidTransport implements CtapTransport {
  readonly kind = 'hid' as const;
  #cid = BROADCAST_CID;
  #protocolVersion = 0;
  #deviceVersion: DeviceVersion = { major: 0, minor: 0, build: 0 };
  #capabilityFlags = 0;
  #closed = false;
  /** Set when a read or write failed: the key is gone and this channel with it. */
  #disconnected = false;
  /** Tail of the transaction queue: transactions on one channel must not overlap (§11.2.9). */
  #tail: Promise<void> = Promise.resolve();
  /** A read abandoned by an abort; its report belongs to whoever reads next. */
  #pendingRead: Promise<Uint8Array | null> | undefined;
  /**
   * A cancelled request whose final answer never came: it may still arrive, late, and would
   * then pass for the answer to our next request on this channel. So the next transaction first
   * takes a fresh channel (CTAPHID_INIT); anything late for the old one is then ignored.
   */
  #answerOutstanding = false;

  private constructor(
    private readonly connection: HidConnection,
    private readonly responseTimeoutMs: number,
    private readonly cancelTimeoutMs: number,
    private readonly deadlines: DeadlineOptions,
  ) {}

  /** Allocate a channel (CTAPHID_INIT) and read the key's version and capabilities. */
  static async open(connection: HidConnection, options: HidTransportOptions = {}): Promise<CtapHidTransport> {
    const responseTimeoutMs = options.responseTimeoutMs ?? DEFAULT_RESPONSE_TIMEOUT_MS;
    const cancelTimeoutMs = options.cancelTimeoutMs ?? DEFAULT_CANCEL_TIMEOUT_MS;
    if (!(responseTimeoutMs > 0) || !(cancelTimeoutMs >= 0)) {
      throw new RangeError('CTAPHID timeouts must be positive numbers of milliseconds');
    }
    const deadlines = { processingDeadlineMs: options.processingDeadlineMs, touchDeadlineMs: options.touchDeadlineMs };
    const transport = new CtapHidTransport(connection, responseTimeoutMs, cancelTimeoutMs, deadlines);
    await transport.#init({ signal: options.signal, timeoutMs: responseTimeoutMs });
    return transport;
  }

  /** The channel id the key allocated to us. */
  get channelId(): number {
    return this.#cid;
  }

  /** CTAPHID protocol version from the INIT response (2 for every current key). */
  get protocolVersion(): number {
    return this.#protocolVersion;
  }

  /** Vendor-defined firmware version from the INIT response. */
  get deviceVersion(): DeviceVersion {
    return this.#deviceVersion;
  }

  /** Raw CTAPHID capability flags (see CtaphidCapability). */
  get capabilityFlags(): number {
    return this.#capabilityFlags;
  }

  get capabilities(): TransportCapabilities {
    const flags = this.#capabilityFlags;
    return {
      cbor: (flags & CtaphidCapability.CBOR) !== 0,
      // NMSG means "does NOT implement CTAPHID_MSG".
      msg: (flags & CtaphidCapability.NMSG) === 0,
      wink: (flags & CtaphidCapability.WINK) !== 0,
    };
  }

  async transact(command: number, data: Uint8Array, options: TransactOptions = {}): Promise<Uint8Array> {
    if (!Number.isInteger(command) || command < 0 || command > 0x7f) {
      throw new RangeError(`CTAPHID command must be 0x00..0x7f, got ${command}`);
    }
    // Refuse before sending: a key cannot receive more than 128 continuation packets (§11.2.4).
    if (data.length > MAX_MESSAGE_SIZE) {
      throw new TransportError('framing', `The request is too large for USB (${data.length} > ${MAX_MESSAGE_SIZE} bytes).`, {
        ctapStatus: CtapStatus.INVALID_LENGTH,
      });
    }
    this.#checkOpen();
    throwIfAborted(options.signal);
    return this.#exclusive(options.signal, () => this.#call(command, data, options));
  }

  /** CTAPHID_PING: the key must echo the data unchanged (§11.2.9.1.4). */
  async ping(data: Uint8Array, options: TransactOptions = {}): Promise<void> {
    const echo = await this.transact(TransportCommand.PING, data, options);
    if (!equalBytes(echo, data)) throw new ProtocolError('The security key answered PING with different data.');
  }

  /** CTAPHID_WINK: make the key blink so the user can tell which one it is (§11.2.9.2.1). */
  async wink(options: TransactOptions = {}): Promise<void> {
    if (!this.capabilities.wink) throw new UnsupportedError('wink', 'This security key cannot blink to identify itself.');
    await this.transact(TransportCommand.WINK, new Uint8Array(0), options);
  }

  /** CTAPHID_LOCK: reserve the key for this channel for 1..10 s; 0 releases it (§11.2.9.2.2). */
  async lock(seconds: number, options: TransactOptions = {}): Promise<void> {
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_LOCK_SECONDS) {
      throw new RangeError(`CTAPHID_LOCK takes 0..${MAX_LOCK_SECONDS} seconds, got ${seconds}`);
    }
    await this.transact(TransportCommand.LOCK, Uint8Array.of(seconds), options);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.connection.close();
  }

  #checkOpen(): void {
    if (this.#closed || this.#disconnected) throw new TransportError('disconnected', 'The connection to the security key is closed.');
  }

  /** Run `task` after every earlier transaction finished; waiting in the queue honours the signal. */
  async #exclusive<T>(signal: AbortSignal | undefined, task: () => Promise<T>): Promise<T> {
    const previous = this.#tail;
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Chain on `previous` too, so a caller that gives up while queued never lets the next one
    // overtake a transaction still running.
    this.#tail = previous.then(() => mine);
    try {
      await abortable(previous, signal);
      this.#checkOpen();
      return await task();
    } finally {
      release();
    }
  }

  async #call(command: number, data: Uint8Array, options: TransactOptions): Promise<Uint8Array> {
    const timeoutMs = options.timeoutMs ?? this.responseTimeoutMs;
    if (this.#answerOutstanding) {
      await this.#init({ signal: options.signal, timeoutMs });
      this.#answerOutstanding = false;
    }
    let reopened = false;
    for (;;) {
      try {
        const response = await this.#request(
          { cid: this.#cid, cmd: command, payload: data },
          {
            signal: options.signal,
            onKeepalive: options.onKeepalive,
            timeoutMs,
            // Anything else is a late answer to an earlier, cancelled request: skip it.
            accepts: (message) => message.cmd === command,
          },
        );
        return response.payload;
      } catch (error) {
        // The key forgot our channel (it lost power, or dropped it to make room for another
        // client): allocate a fresh one and resend once. A second refusal is a real fault.
        const staleChannel = error instanceof TransportError && error.kind === 'hid-error' && error.details.ctapStatus === CtapStatus.INVALID_CHANNEL;
        if (staleChannel && !reopened) {
          reopened = true;
          await this.#init({ signal: options.signal, timeoutMs });
          continue;
        }
        throw error;
      }
    }
  }

  async #init(options: { signal?: AbortSignal; timeoutMs: number }): Promise<void> {
    const nonce = randomFillSync(new Uint8Array(INIT_NONCE_LENGTH));
    const response = await this.#request(
      { cid: BROADCAST_CID, cmd: TransportCommand.INIT, payload: nonce },
      {
        ...options,
        // Every client's INIT answer arrives on the broadcast channel; only ours has our nonce.
        accepts: (message) =>
          message.cmd === TransportCommand.INIT &&
          message.payload.length >= INIT_NONCE_LENGTH &&
          equalBytes(message.payload.subarray(0, INIT_NONCE_LENGTH), nonce),
      },
    );
    const payload = response.payload;
    if (payload.length < INIT_RESPONSE_LENGTH) {
      throw new ProtocolError(`CTAPHID_INIT response too short (${payload.length} of ${INIT_RESPONSE_LENGTH} bytes).`);
    }
    const cid = new DataView(payload.buffer, payload.byteOffset, payload.byteLength).getUint32(INIT_NONCE_LENGTH);
    if (cid === 0 || cid === BROADCAST_CID) {
      throw new ProtocolError(`The security key allocated a reserved channel id (0x${cid.toString(16)}).`);
    }
    this.#cid = cid;
    this.#protocolVersion = payload[12]!;
    this.#deviceVersion = { major: payload[13]!, minor: payload[14]!, build: payload[15]! };
    this.#capabilityFlags = payload[16]!;
  }

  /** One exchange, retried while the key answers ERR_CHANNEL_BUSY; other ERROR frames throw. */
  async #request(request: HidMessage, options: ExchangeOptions): Promise<HidMessage> {
    let busyDelay = BUSY_FIRST_DELAY_MS;
    let busyWaited = 0;
    for (;;) {
      const message = await this.#exchange(request, options);
      if (message.cmd !== TransportCommand.ERROR) return message;
      const code = message.payload[0] ?? CtapStatus.OTHER;
      if (code !== CtapStatus.CHANNEL_BUSY) throw hidError(code);
      if (busyWaited + busyDelay > options.timeoutMs) {
        throw new TransportError('busy', 'The security key is busy with another application.', { ctapStatus: code });
      }
      await delay(busyDelay, options.signal);
      busyWaited += busyDelay;
      busyDelay = Math.min(busyDelay * 2, BUSY_MAX_DELAY_MS);
    }
  }

  /** Send one message and read frames on its channel until an accepted answer or ERROR arrives. */
  async #exchange(request: HidMessage, options: ExchangeOptions): Promise<HidMessage> {
    const { signal, timeoutMs } = options;
    throwIfAborted(signal);
    for (const report of encodeMessage(request)) await this.#write(report);

    const reassembler = new MessageReassembler();
    const overall = new TransactionDeadline(this.deadlines);
    let lastStatus: KeepaliveStatus | undefined;
    let deadline = Date.now() + timeoutMs;
    for (;;) {
      const remaining = Math.min(deadline, overall.endsAt) - Date.now();
      if (remaining <= 0) {
        await this.#cancel(request, reassembler);
        throw deadline <= overall.endsAt ? new TransportError('timeout', 'The security key stopped responding.') : overall.error();
      }
      let report: Uint8Array | null;
      try {
        report = await this.#read(remaining, signal);
      } catch (error) {
        if (error instanceof CancelledError) await this.#cancel(request, reassembler);
        throw error;
      }
      // Other channels belong to other applications sharing the key (§11.2.3): not ours to read.
      if (report === null || packetCid(report) !== request.cid) continue;
      const message = reassembler.push(report);
      if (message === undefined) continue;
      if (message.cmd === TransportCommand.KEEPALIVE) {
        // A keepalive proves the key is alive: the silence timeout starts over (§11.2.9.1.7).
        deadline = Date.now() + timeoutMs;
        const status = this.#keepaliveStatus(message.payload[0]);
        if (status !== undefined) overall.saw(status);
        if (status !== undefined && status !== lastStatus) {
          lastStatus = status;
          options.onKeepalive?.(status);
        }
        continue;
      }
      if (message.cmd === TransportCommand.ERROR || options.accepts(message)) return message;
    }
  }

  #keepaliveStatus(code: number | undefined): KeepaliveStatus | undefined {
    if (code === KeepaliveCode.PROCESSING) return 'processing';
    if (code === KeepaliveCode.UPNEEDED) return 'user-presence-needed';
    return undefined;
  }

  /**
   * CTAPHID_CANCEL has no response of its own; the key answers the pending request instead,
   * normally with CTAP2_ERR_KEEPALIVE_CANCEL (§11.2.9.1.5). Read that answer (briefly) so it
   * cannot be mistaken for the response to our next request.
   */
  async #cancel(request: HidMessage, reassembler: MessageReassembler): Promise<void> {
    // INIT is answered at once and runs on the broadcast channel: there is nothing to cancel.
    if (request.cmd === TransportCommand.INIT) return;
    this.#answerOutstanding = true;
    try {
      await this.#write(encodeMessage({ cid: request.cid, cmd: TransportCommand.CANCEL, payload: new Uint8Array(0) })[0]!);
      const deadline = Date.now() + this.cancelTimeoutMs;
      for (let remaining = this.cancelTimeoutMs; remaining > 0; remaining = deadline - Date.now()) {
        const report = await this.#read(remaining, undefined);
        if (report === null || packetCid(report) !== request.cid) continue;
        const message = reassembler.push(report);
        if (message !== undefined && message.cmd !== TransportCommand.KEEPALIVE) {
          this.#answerOutstanding = false;
          return;
        }
      }
    } catch {
      // Best effort: a key that vanished or garbled its final answer is cancelled either way,
      // and the caller reports why it gave up (cancelled or timed out), not this.
    }
  }

  async #write(report: Uint8Array): Promise<void> {
    try {
      await this.connection.write(report);
    } catch (error) {
      throw this.#failed(error);
    }
  }

  /** Read one report; an abort leaves the read pending for the next reader instead of losing it. */
  async #read(timeoutMs: number, signal: AbortSignal | undefined): Promise<Uint8Array | null> {
    const read = this.#pendingRead ?? this.connection.read(timeoutMs);
    this.#pendingRead = read;
    let report: Uint8Array | null;
    try {
      report = await abortable(read, signal);
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      this.#pendingRead = undefined;
      throw this.#failed(error);
    }
    this.#pendingRead = undefined;
    return report;
  }

  #failed(error: unknown): TransportError {
    const failure = asTransportError(error);
    if (failure.kind === 'disconnected') this.#disconnected = true;
    return failure;
  }
}
