/**
 * The virtual key's CTAPHID server — CTAP 2.1 §11.2 "USB HID", the device side: it answers raw
 * 64-byte reports, so the production CtapHidTransport runs over it unchanged.
 *
 * - §11.2.9.1.3 INIT on the broadcast CID allocates a channel; INIT on an existing channel
 *   resynchronises it (aborting what it was doing).
 * - §11.2.9.1.1–4 PING echo, MSG (U2F VERSION only, or ERR_INVALID_CMD without U2F), CBOR with
 *   KEEPALIVE every 100 ms while the authenticator works (§11.2.9.2.1), CANCEL (§11.2.9.1.5),
 *   WINK and LOCK (§11.2.9.2.2, §11.2.9.2.4).
 * - §11.2.4 / §11.2.9.1.6 errors: ERR_INVALID_CHANNEL for CIDs never allocated,
 *   ERR_CHANNEL_BUSY while another channel holds the device, ERR_INVALID_SEQ / ERR_INVALID_LEN
 *   for bad framing, ERR_MSG_TIMEOUT when a message stalls half-way; a continuation packet
 *   with no message started is ignored (§11.2.5.4).
 *
 * Like hidraw, every open connection receives every input report; hosts filter by CID.
 * @module
 */
import { TransportError } from '../errors.js';
import { CtapStatus } from '../status.js';
import { BROADCAST_CID, MessageReassembler, encodeMessage, isInitPacket, packetCid, type HidMessage } from '../transport/hid/framing.js';
import { HID_REPORT_SIZE, type HidConnection } from '../transport/hid/hid-connection.js';
import { CtaphidCapability } from '../transport/hid/hid-transport.js';
import { TransportCommand, type KeepaliveStatus } from '../transport/transport.js';
import type { VirtualAuthenticator } from './authenticator.js';
import type { VirtualKeyConfig } from './config.js';
import { VirtualHidConnection, delay } from './hid-handle.js';

/** §11.2.9.2.1: a device sends KEEPALIVE at least every 100 ms while processing. */
const KEEPALIVE_INTERVAL_MS = 100;
const KeepaliveCode: Record<KeepaliveStatus, number> = { processing: 1, 'user-presence-needed': 2 };
/** §11.2.9.1.3: the CTAPHID protocol version this device implements. */
const CTAPHID_PROTOCOL_VERSION = 2;
const INIT_NONCE_LENGTH = 8;
/** How long the device waits for the rest of a multi-packet message (libfido2 and Solo use ~0.5 s). */
const MESSAGE_TIMEOUT_MS = 500;
const MAX_LOCK_SECONDS = 10;
/** ISO 7816 status words for the minimal U2F answer (FIDO U2F Raw Message Formats §3.3). */
const SW_NO_ERROR = 0x9000;
const SW_INS_NOT_SUPPORTED = 0x6d00;
const SW_CLA_NOT_SUPPORTED = 0x6e00;
const U2F_VERSION_INS = 0x03;

interface Transaction {
  cid: number;
  controller: AbortController;
  /** 'late-answer-after-cancel': the cancelled request's answer goes out this much later. */
  lateByMs?: number;
}

interface Channel {
  reassembler: MessageReassembler;
  /** Fires ERR_MSG_TIMEOUT when a message's continuation packets stop coming. */
  timer: ReturnType<typeof setTimeout> | null;
}

export interface VirtualHidDeviceOptions {
  authenticator: VirtualAuthenticator;
  config: VirtualKeyConfig;
  clock: () => number;
  /** The key blinked (CTAPHID_WINK): the one outward sign of a wink, so tests can count them. */
  onWink?: () => void;
}

export class VirtualHidDevice {
  readonly #authenticator: VirtualAuthenticator;
  readonly #config: VirtualKeyConfig;
  readonly #clock: () => number;
  readonly #onWink: (() => void) | undefined;
  readonly #connections = new Set<VirtualHidConnection>();
  readonly #channels = new Map<number, Channel>();
  #nextCid = 1;
  #transaction: Transaction | null = null;
  #lock: { cid: number; until: number } | null = null;
  #output: Promise<void> = Promise.resolve();
  #connected = true;

  constructor(options: VirtualHidDeviceOptions) {
    this.#authenticator = options.authenticator;
    this.#config = options.config;
    this.#clock = options.clock;
    this.#onWink = options.onWink;
  }

  /** A new handle onto the device, like opening its hidraw node. */
  open(): HidConnection {
    if (!this.#connected) throw new TransportError('disconnected', 'The simulated key is not plugged in.');
    const connection = new VirtualHidConnection(this, this.#config.reportLatencyMs);
    this.#connections.add(connection);
    return connection;
  }

  /**
   * The device lost power (removal): abort the running request, forget every channel, and fail
   * every handle's pending and future reads and writes with TransportError('disconnected').
   */
  disconnect(): void {
    this.#connected = false;
    this.#transaction?.controller.abort();
    this.#transaction = null;
    this.#lock = null;
    for (const channel of this.#channels.values()) if (channel.timer) clearTimeout(channel.timer);
    this.#channels.clear();
    for (const connection of this.#connections) connection.disconnected();
    this.#connections.clear();
  }

  /** @internal VirtualHidConnection hands its closed handle back. */
  release(connection: VirtualHidConnection): void {
    this.#connections.delete(connection);
  }

  /** @internal One output report from the host. */
  receive(report: Uint8Array): void {
    if (!this.#connected) throw new TransportError('disconnected', 'The simulated key was removed.');
    if (report.length !== HID_REPORT_SIZE) {
      throw new TransportError('io', `A CTAPHID output report is ${HID_REPORT_SIZE} bytes, got ${report.length}.`);
    }
    const cid = packetCid(report);
    const init = isInitPacket(report);
    if (init && report[4]! === (TransportCommand.INIT | 0x80)) {
      this.#init(cid, report);
      return;
    }
    const channel = this.#channels.get(cid);
    if (!channel) {
      // CID 0, the broadcast CID for anything but INIT, and never-allocated CIDs (§11.2.4).
      if (init) this.#error(cid, CtapStatus.INVALID_CHANNEL);
      return;
    }
    if (init && report[4]! === (TransportCommand.CANCEL | 0x80)) {
      // §11.2.9.1.5: CANCEL has no response of its own; the cancelled request answers KEEPALIVE_CANCEL.
      if (this.#transaction?.cid === cid) {
        if (this.#authenticator.faults.active('late-answer-after-cancel')) this.#transaction.lateByMs = this.#authenticator.faults.delayMs;
        this.#transaction.controller.abort();
      }
      return;
    }
    // §11.2.5.4 packet sequencing: "Spurious continuation packets appearing without a prior
    // initialization packet will be ignored" (OpenSK does the same) — no error frame.
    if (!init && !channel.reassembler.inProgress) return;
    if (this.#busyFor(cid)) {
      if (init) this.#error(cid, CtapStatus.CHANNEL_BUSY);
      return;
    }
    let message: HidMessage | undefined;
    try {
      message = channel.reassembler.push(report);
    } catch (error) {
      this.#stopTimer(channel);
      const status = error instanceof TransportError ? error.details.ctapStatus : undefined;
      this.#error(cid, status ?? CtapStatus.OTHER);
      return;
    }
    this.#stopTimer(channel);
    if (!message) {
      channel.timer = setTimeout(() => {
        channel.timer = null;
        channel.reassembler.reset();
        this.#error(cid, CtapStatus.TIMEOUT);
      }, MESSAGE_TIMEOUT_MS);
      channel.timer.unref?.();
      return;
    }
    this.#authenticator.observeChannel(cid);
    this.#dispatch(message);
  }

  /**
   * A request is running (on any channel: one transaction at a time, and a channel may not send
   * a second request before the first is answered), another channel is mid-message, or holds
   * the lock.
   */
  #busyFor(cid: number): boolean {
    if (this.#transaction) return true;
    if (this.#lock && this.#lock.cid !== cid && this.#clock() < this.#lock.until) return true;
    for (const [other, channel] of this.#channels) if (other !== cid && channel.reassembler.inProgress) return true;
    return false;
  }

  #stopTimer(channel: Channel): void {
    if (channel.timer) clearTimeout(channel.timer);
    channel.timer = null;
  }

  /** §11.2.9.1.3 CTAPHID_INIT: allocate (broadcast) or resynchronise (existing channel). */
  #init(cid: number, report: Uint8Array): void {
    const length = (report[5]! << 8) | report[6]!;
    if (length !== INIT_NONCE_LENGTH) {
      this.#error(cid, CtapStatus.INVALID_LENGTH);
      return;
    }
    const nonce = report.slice(7, 7 + INIT_NONCE_LENGTH);
    let channelId: number;
    if (cid === BROADCAST_CID) {
      channelId = this.#allocate();
    } else {
      const channel = this.#channels.get(cid);
      if (!channel) {
        this.#error(cid, CtapStatus.INVALID_CHANNEL);
        return;
      }
      // Resync: drop the partial message and abort the channel's request; its answer is dropped.
      this.#stopTimer(channel);
      channel.reassembler.reset();
      if (this.#transaction?.cid === cid) {
        this.#transaction.controller.abort();
        this.#transaction = null;
      }
      this.#authenticator.observeChannel(cid);
      channelId = cid;
    }
    const version = this.#config.firmwareVersion;
    const capabilities =
      (this.#config.supports.wink ? CtaphidCapability.WINK : 0) |
      (this.#config.supports.ctap2 ? CtaphidCapability.CBOR : 0) |
      (this.#config.supports.u2f ? 0 : CtaphidCapability.NMSG);
    const payload = new Uint8Array(17);
    payload.set(nonce);
    new DataView(payload.buffer).setUint32(8, channelId);
    payload.set([CTAPHID_PROTOCOL_VERSION, (version >> 16) & 0xff, (version >> 8) & 0xff, version & 0xff, capabilities], 12);
    this.#send({ cid, cmd: TransportCommand.INIT, payload });
  }

  #allocate(): number {
    const cid = this.#nextCid;
    // CID 0 and 0xffffffff are reserved (§11.2.4); wrap around past them.
    this.#nextCid = cid >= 0xfffffffe ? 1 : cid + 1;
    this.#channels.set(cid, { reassembler: new MessageReassembler(HID_REPORT_SIZE), timer: null });
    return cid;
  }

  #dispatch(message: HidMessage): void {
    const { cid, cmd, payload } = message;
    switch (cmd) {
      case TransportCommand.PING:
        this.#send({ cid, cmd, payload });
        return;
      case TransportCommand.WINK:
        if (!this.#config.supports.wink) this.#error(cid, CtapStatus.INVALID_COMMAND);
        else {
          this.#onWink?.();
          this.#send({ cid, cmd, payload: new Uint8Array(0) });
        }
        return;
      case TransportCommand.LOCK:
        this.#lockChannel(cid, payload);
        return;
      case TransportCommand.MSG:
        if (!this.#config.supports.u2f) this.#error(cid, CtapStatus.INVALID_COMMAND);
        else this.#send({ cid, cmd, payload: u2fResponse(payload) });
        return;
      case TransportCommand.CBOR:
        if (!this.#config.supports.ctap2) this.#error(cid, CtapStatus.INVALID_COMMAND);
        else if (payload.length === 0) this.#error(cid, CtapStatus.INVALID_LENGTH);
        else if (!this.#refusedByFault(cid)) void this.#cbor(cid, payload);
        return;
      default:
        this.#error(cid, CtapStatus.INVALID_COMMAND);
    }
  }

  /** §11.2.9.2.4: lock the device to one channel for 1–10 s; 0 releases it. */
  #lockChannel(cid: number, payload: Uint8Array): void {
    if (payload.length !== 1) {
      this.#error(cid, CtapStatus.INVALID_LENGTH);
      return;
    }
    const seconds = payload[0]!;
    if (seconds > MAX_LOCK_SECONDS) {
      this.#error(cid, CtapStatus.INVALID_PARAMETER);
      return;
    }
    this.#lock = seconds === 0 ? null : { cid, until: this.#clock() + seconds * 1000 };
    this.#send({ cid, cmd: TransportCommand.LOCK, payload: new Uint8Array(0) });
  }

  /** HID faults that answer a CTAP2 request without running it (faults.ts); true when one did. */
  #refusedByFault(cid: number): boolean {
    const faults = this.#authenticator.faults;
    if (faults.takeBusyAnswer()) this.#error(cid, CtapStatus.CHANNEL_BUSY);
    else if (faults.takeChannelLoss()) {
      this.#channels.delete(cid);
      this.#error(cid, CtapStatus.INVALID_CHANNEL);
    } else if (faults.active('hid-error')) this.#error(cid, CtapStatus.OTHER);
    else if (faults.active('endless-keepalive') || faults.active('endless-keepalive-touch')) this.#keepaliveForever(cid, faults.active('endless-keepalive') ? 'processing' : 'user-presence-needed');
    else return false;
    return true;
  }

  /** 'endless-keepalive': KEEPALIVE until the host sends CANCEL (then KEEPALIVE_CANCEL) or INIT. */
  #keepaliveForever(cid: number, status: KeepaliveStatus): void {
    const transaction: Transaction = { cid, controller: new AbortController() };
    this.#transaction = transaction;
    const timer = setInterval(() => {
      if (this.#transaction !== transaction || !this.#connected) clearInterval(timer);
      else if (transaction.controller.signal.aborted) {
        clearInterval(timer);
        this.#transaction = null;
        this.#send({ cid, cmd: TransportCommand.CBOR, payload: Uint8Array.of(CtapStatus.KEEPALIVE_CANCEL) });
      } else this.#send({ cid, cmd: TransportCommand.KEEPALIVE, payload: Uint8Array.of(KeepaliveCode[status]) });
    }, KEEPALIVE_INTERVAL_MS);
  }

  /** One CTAP2 request: the authenticator works while KEEPALIVE frames go out every 100 ms. */
  async #cbor(cid: number, request: Uint8Array): Promise<void> {
    const transaction: Transaction = { cid, controller: new AbortController() };
    this.#transaction = transaction;
    let status: KeepaliveStatus = 'processing';
    const keepalive = (): void => {
      // After CANCEL, a resync or removal, the request may still be unwinding: stay silent.
      if (this.#transaction !== transaction || transaction.controller.signal.aborted) return;
      this.#send({ cid, cmd: TransportCommand.KEEPALIVE, payload: Uint8Array.of(KeepaliveCode[status]) });
    };
    const timer = setInterval(keepalive, KEEPALIVE_INTERVAL_MS);
    let response: Uint8Array;
    try {
      response = await this.#authenticator.handle(request, {
        transport: 'usb',
        channel: cid,
        signal: transaction.controller.signal,
        keepalive: (next) => {
          if (next === status) return;
          status = next;
          keepalive();
        },
      });
    } finally {
      clearInterval(timer);
    }
    // A resync (INIT) or a removal ended this transaction; nobody waits for its answer any more.
    if (this.#transaction !== transaction || !this.#connected) return;
    const faults = this.#authenticator.faults;
    // A late answer to a cancelled request: the key is free for the next one meanwhile.
    if (transaction.lateByMs !== undefined) this.#transaction = null;
    const delayMs = transaction.lateByMs ?? (faults.active('answer-before-timeout') ? faults.delayMs : 0);
    if (delayMs > 0) await delay(delayMs);
    if (this.#transaction === transaction) this.#transaction = null;
    if (faults.active('dropped-response') || !this.#connected) return;
    const answer = { cid: faults.active('wrong-channel') ? (cid + 1) >>> 0 : cid, cmd: TransportCommand.CBOR, payload: response };
    const reports = encodeMessage(answer, HID_REPORT_SIZE);
    if (reports.length > 2 && faults.active('wrong-sequence')) [reports[1], reports[2]] = [reports[2]!, reports[1]!];
    this.#sendReports(faults.active('truncated-response') ? reports.slice(0, 1) : reports);
  }

  #error(cid: number, code: number): void {
    this.#send({ cid, cmd: TransportCommand.ERROR, payload: Uint8Array.of(code) });
  }

  /** Packetise and deliver to every open handle, after the simulated per-report latency. */
  #send(message: HidMessage): void {
    this.#sendReports(encodeMessage(message, HID_REPORT_SIZE));
  }

  #sendReports(reports: Uint8Array[]): void {
    const latency = this.#config.reportLatencyMs;
    if (latency <= 0) {
      for (const report of reports) this.#deliver(report);
      return;
    }
    for (const report of reports) {
      this.#output = this.#output.then(() => delay(latency)).then(() => this.#deliver(report));
    }
  }

  #deliver(report: Uint8Array): void {
    if (!this.#connected) return;
    for (const connection of this.#connections) connection.enqueue(report);
  }
}

/**
 * FIDO U2F over CTAPHID_MSG, only as far as a U2F-capable key must answer a probe: VERSION
 * returns "U2F_V2"; other instructions SW_INS_NOT_SUPPORTED (U2F Raw Message Formats §3.3, §6).
 */
function u2fResponse(apdu: Uint8Array): Uint8Array {
  const sw = (code: number): Uint8Array => Uint8Array.of(code >> 8, code & 0xff);
  if (apdu.length < 4) return sw(SW_INS_NOT_SUPPORTED);
  if (apdu[0] !== 0x00) return sw(SW_CLA_NOT_SUPPORTED);
  if (apdu[1] !== U2F_VERSION_INS) return sw(SW_INS_NOT_SUPPORTED);
  const version = new TextEncoder().encode('U2F_V2');
  const out = new Uint8Array(version.length + 2);
  out.set(version);
  out.set(sw(SW_NO_ERROR), version.length);
  return out;
}
