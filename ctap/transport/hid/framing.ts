/**
 * CTAPHID message framing — CTAP 2.1 §11.2.4 "Message and packet structure".
 *
 * A message is split into one initialization packet
 *   CID (4, big-endian) | CMD (1, bit 7 set) | BCNTH | BCNTL | DATA (report size − 7)
 * and up to 128 continuation packets
 *   CID (4, big-endian) | SEQ (1, 0..0x7f, bit 7 clear) | DATA (report size − 5),
 * zero padded to the report size. Pure: no I/O, so it can be fuzzed. The host transport and the
 * virtual key's CTAPHID server both build on it (one reassembler per channel).
 * @module
 */
import { TransportError } from '../../errors.js';
import { CtapStatus } from '../../status.js';
import { HID_REPORT_SIZE } from './hid-connection.js';

/** The channel every CTAPHID_INIT for a new channel is sent on (§11.2.9.1.3). */
export const BROADCAST_CID = 0xffffffff;
/** 57 + 128 × 59: one init packet and 128 continuation packets of a 64-byte report (§11.2.4). */
export const MAX_MESSAGE_SIZE = 7609;

/** Continuation packets carry SEQ 0..0x7f, so at most 128 of them follow the init packet. */
const MAX_SEQ = 0x7f;
const INIT_BIT = 0x80;
const INIT_HEADER = 7;
const CONT_HEADER = 5;

export interface HidMessage {
  cid: number;
  /** Command byte WITHOUT the 0x80 initialization-packet bit (e.g. 0x10 for CTAPHID_CBOR). */
  cmd: number;
  payload: Uint8Array;
}

/** Largest payload one message can carry with reports of `reportSize` bytes. */
export function maxMessageSize(reportSize: number = HID_REPORT_SIZE): number {
  return reportSize - INIT_HEADER + (MAX_SEQ + 1) * (reportSize - CONT_HEADER);
}

function checkReportSize(reportSize: number): void {
  // A continuation packet must carry at least one byte of data, or framing cannot progress.
  if (!Number.isInteger(reportSize) || reportSize < INIT_HEADER + 1) {
    throw new RangeError(`CTAPHID report size must be an integer of at least ${INIT_HEADER + 1}, got ${reportSize}`);
  }
}

function checkCid(cid: number): void {
  if (!Number.isInteger(cid) || cid < 0 || cid > 0xffffffff) {
    throw new RangeError(`CTAPHID channel id must be a 32-bit unsigned integer, got ${cid}`);
  }
}

/** Channel id of any CTAPHID packet (its first four bytes, big-endian). */
export function packetCid(report: Uint8Array): number {
  if (report.length < 4) {
    throw new TransportError('framing', `CTAPHID report too short for a channel id (${report.length} bytes)`, {
      ctapStatus: CtapStatus.INVALID_LENGTH,
    });
  }
  // >>> 0 keeps 0xffffffff positive (bitwise ops are signed 32-bit in JS).
  return ((report[0]! << 24) | (report[1]! << 16) | (report[2]! << 8) | report[3]!) >>> 0;
}

/** True when the packet is an initialization packet (bit 7 of byte 4 set, §11.2.4). */
export function isInitPacket(report: Uint8Array): boolean {
  return report.length > 4 && (report[4]! & INIT_BIT) !== 0;
}

/** Split one message into zero-padded reports: one init packet, then continuation packets. */
export function encodeMessage(message: HidMessage, reportSize: number = HID_REPORT_SIZE): Uint8Array[] {
  checkReportSize(reportSize);
  checkCid(message.cid);
  const { cid, cmd, payload } = message;
  if (!Number.isInteger(cmd) || cmd < 0 || cmd > 0x7f) {
    throw new RangeError(`CTAPHID command must be 0x00..0x7f (without the init bit), got ${cmd}`);
  }
  const limit = maxMessageSize(reportSize);
  if (payload.length > limit) {
    throw new TransportError('framing', `CTAPHID message of ${payload.length} bytes exceeds the ${limit}-byte limit`, {
      ctapStatus: CtapStatus.INVALID_LENGTH,
    });
  }

  const reports: Uint8Array[] = [];
  const init = new Uint8Array(reportSize);
  const view = new DataView(init.buffer);
  view.setUint32(0, cid);
  init[4] = cmd | INIT_BIT;
  view.setUint16(5, payload.length);
  let offset = Math.min(payload.length, reportSize - INIT_HEADER);
  init.set(payload.subarray(0, offset), INIT_HEADER);
  reports.push(init);

  for (let seq = 0; offset < payload.length; seq++) {
    const cont = new Uint8Array(reportSize);
    new DataView(cont.buffer).setUint32(0, cid);
    cont[4] = seq;
    const chunk = payload.subarray(offset, offset + reportSize - CONT_HEADER);
    cont.set(chunk, CONT_HEADER);
    offset += chunk.length;
    reports.push(cont);
  }
  return reports;
}

function framingError(message: string, ctapStatus: number): TransportError {
  // ctapStatus is the CTAPHID error a device answers with (§11.2.9.1.6), so the virtual key's
  // server can reply ERR_INVALID_SEQ / ERR_INVALID_LEN / ERR_INVALID_CHANNEL without re-deciding.
  return new TransportError('framing', message, { ctapStatus });
}

interface Pending {
  cid: number;
  cmd: number;
  payload: Uint8Array;
  received: number;
  nextSeq: number;
}

/**
 * Reassembles one message at a time from the packets of one channel. Callers route packets by
 * CID first (the host skips other channels; a device keeps one reassembler per channel), so a
 * foreign CID mid-message is a framing error here. After any error the reassembler is idle
 * again, ready for the next initialization packet.
 */
export class MessageReassembler {
  #pending: Pending | undefined;

  constructor(private readonly reportSize: number = HID_REPORT_SIZE) {
    checkReportSize(reportSize);
  }

  /** True while a message has started but is not complete. */
  get inProgress(): boolean {
    return this.#pending !== undefined;
  }

  /** Drop any partial message (e.g. after a timeout or a channel resync). */
  reset(): void {
    this.#pending = undefined;
  }

  /** Feed one report; returns the message once its last packet arrived, else undefined. */
  push(report: Uint8Array): HidMessage | undefined {
    try {
      return this.#push(report);
    } catch (error) {
      this.#pending = undefined;
      throw error;
    }
  }

  #push(report: Uint8Array): HidMessage | undefined {
    // Reports have a fixed size (§11.2.4); a shorter one was truncated somewhere below us.
    if (report.length < this.reportSize) {
      throw framingError(`CTAPHID report too short (${report.length} of ${this.reportSize} bytes)`, CtapStatus.INVALID_LENGTH);
    }
    const cid = packetCid(report);
    const pending = this.#pending;

    if (isInitPacket(report)) {
      if (pending !== undefined) {
        // A new init packet mid-message is a sequence error (§11.2.4: packets of a message are
        // sent in order); the device-side resync via CTAPHID_INIT is the caller's decision.
        throw framingError(
          pending.cid === cid ? 'CTAPHID init packet arrived before the previous message was complete' : 'CTAPHID packet from another channel mid-message',
          pending.cid === cid ? CtapStatus.INVALID_SEQ : CtapStatus.INVALID_CHANNEL,
        );
      }
      return this.#start(report, cid);
    }

    if (pending === undefined) {
      throw framingError('CTAPHID continuation packet without an init packet', CtapStatus.INVALID_SEQ);
    }
    if (cid !== pending.cid) {
      throw framingError('CTAPHID packet from another channel mid-message', CtapStatus.INVALID_CHANNEL);
    }
    const seq = report[4]!;
    if (seq !== pending.nextSeq) {
      throw framingError(`CTAPHID continuation packet out of order (expected ${pending.nextSeq}, got ${seq})`, CtapStatus.INVALID_SEQ);
    }
    const take = Math.min(pending.payload.length - pending.received, this.reportSize - CONT_HEADER);
    pending.payload.set(report.subarray(CONT_HEADER, CONT_HEADER + take), pending.received);
    pending.received += take;
    pending.nextSeq += 1;
    return this.#finishIfComplete();
  }

  #start(report: Uint8Array, cid: number): HidMessage | undefined {
    const length = (report[5]! << 8) | report[6]!;
    const limit = maxMessageSize(this.reportSize);
    if (length > limit) {
      throw framingError(`CTAPHID message length ${length} exceeds the ${limit}-byte limit`, CtapStatus.INVALID_LENGTH);
    }
    const payload = new Uint8Array(length);
    const take = Math.min(length, this.reportSize - INIT_HEADER);
    payload.set(report.subarray(INIT_HEADER, INIT_HEADER + take));
    this.#pending = { cid, cmd: report[4]! & ~INIT_BIT & 0xff, payload, received: take, nextSeq: 0 };
    return this.#finishIfComplete();
  }

  #finishIfComplete(): HidMessage | undefined {
    const pending = this.#pending;
    if (pending === undefined || pending.received < pending.payload.length) return undefined;
    this.#pending = undefined;
    return { cid: pending.cid, cmd: pending.cmd, payload: pending.payload };
  }
}
