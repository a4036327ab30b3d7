// CTAPHID framing vectors — CTAP 2.1 §11.2.4.
import { describe, expect, it } from 'vitest';
import { TransportError } from '../../ctap/errors.js';
import { CtapStatus } from '../../ctap/status.js';
import {
  BROADCAST_CID,
  MAX_MESSAGE_SIZE,
  MessageReassembler,
  encodeMessage,
  isInitPacket,
  maxMessageSize,
  packetCid,
} from '../../ctap/transport/hid/framing.js';

function hex(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
}

function padded(prefix: string, size = 64): Uint8Array {
  const out = new Uint8Array(size);
  out.set(hex(prefix));
  return out;
}

function patterned(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 7 + 3) & 0xff);
}

function framingStatus(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TransportError);
    const transportError = error as TransportError;
    expect(transportError.kind).toBe('framing');
    return transportError.details.ctapStatus;
  }
  throw new Error('expected a framing error');
}

describe('constants', () => {
  it('match the 64-byte report limits of §11.2.4', () => {
    expect(BROADCAST_CID).toBe(0xffffffff);
    expect(MAX_MESSAGE_SIZE).toBe(57 + 128 * 59);
    expect(maxMessageSize(64)).toBe(MAX_MESSAGE_SIZE);
  });
});

describe('encodeMessage', () => {
  it('encodes a CTAPHID_INIT request on the broadcast channel byte for byte', () => {
    const nonce = hex('0102030405060708');
    const reports = encodeMessage({ cid: BROADCAST_CID, cmd: 0x06, payload: nonce });
    expect(reports).toHaveLength(1);
    expect(reports[0]).toEqual(padded('ffffffff 86 0008 0102030405060708'));
  });

  it('encodes an empty payload as one zero-padded init packet', () => {
    const reports = encodeMessage({ cid: 0x01020304, cmd: 0x08, payload: new Uint8Array(0) });
    expect(reports).toEqual([padded('01020304 88 0000')]);
  });

  it('fills the init packet with 57 bytes and continuation packets with 59', () => {
    const payload = patterned(57 + 59 + 1);
    const reports = encodeMessage({ cid: 0xcafebabe, cmd: 0x10, payload });
    expect(reports).toHaveLength(3);
    expect(Array.from(reports[0]!.subarray(0, 7))).toEqual([0xca, 0xfe, 0xba, 0xbe, 0x90, 0x00, 117]);
    expect(reports[0]!.subarray(7)).toEqual(payload.subarray(0, 57));
    expect(Array.from(reports[1]!.subarray(0, 5))).toEqual([0xca, 0xfe, 0xba, 0xbe, 0x00]);
    expect(reports[1]!.subarray(5)).toEqual(payload.subarray(57, 116));
    expect(Array.from(reports[2]!.subarray(0, 6))).toEqual([0xca, 0xfe, 0xba, 0xbe, 0x01, payload[116]!]);
    // Zero padding after the last data byte.
    expect(reports[2]!.subarray(6).every((byte) => byte === 0)).toBe(true);
    expect(reports.every((report) => report.length === 64)).toBe(true);
  });

  it('encodes a 7609-byte message as one init packet and 128 continuation packets, seq 0..127', () => {
    const payload = patterned(MAX_MESSAGE_SIZE);
    const reports = encodeMessage({ cid: 7, cmd: 0x10, payload });
    expect(reports).toHaveLength(129);
    expect(Array.from(reports[0]!.subarray(0, 7))).toEqual([0, 0, 0, 7, 0x90, 0x1d, 0xb9]);
    expect(reports.slice(1).map((report) => report[4])).toEqual(Array.from({ length: 128 }, (_, i) => i));
    // The last continuation packet is exactly full: no padding needed.
    expect(reports[128]!.subarray(5)).toEqual(payload.subarray(MAX_MESSAGE_SIZE - 59));
  });

  it('refuses a message one byte over the limit (it would need SEQ 128)', () => {
    expect(framingStatus(() => encodeMessage({ cid: 1, cmd: 0x10, payload: new Uint8Array(MAX_MESSAGE_SIZE + 1) }))).toBe(
      CtapStatus.INVALID_LENGTH,
    );
  });

  it('rejects a command byte with the init bit or a channel id outside 32 bits', () => {
    expect(() => encodeMessage({ cid: 1, cmd: 0x90, payload: new Uint8Array(0) })).toThrow(RangeError);
    expect(() => encodeMessage({ cid: 2 ** 32, cmd: 0x10, payload: new Uint8Array(0) })).toThrow(RangeError);
    expect(() => encodeMessage({ cid: -1, cmd: 0x10, payload: new Uint8Array(0) })).toThrow(RangeError);
  });
});

describe('packet helpers', () => {
  it('reads the channel id big-endian and unsigned, and tells init from continuation packets', () => {
    expect(packetCid(padded('ffffffff 86'))).toBe(0xffffffff);
    expect(packetCid(padded('80000001 00'))).toBe(0x80000001);
    expect(isInitPacket(padded('00000001 90'))).toBe(true);
    expect(isInitPacket(padded('00000001 7f'))).toBe(false);
    expect(isInitPacket(new Uint8Array(4))).toBe(false);
  });
});

describe('MessageReassembler', () => {
  it('returns a single-packet message at once, without the init bit in cmd', () => {
    const reassembler = new MessageReassembler();
    const message = reassembler.push(padded('0a0b0c0d bb 0001 02'));
    expect(message).toEqual({ cid: 0x0a0b0c0d, cmd: 0x3b, payload: hex('02') });
    expect(reassembler.inProgress).toBe(false);
  });

  it('reassembles a 7609-byte message only when its last packet arrives', () => {
    const payload = patterned(MAX_MESSAGE_SIZE);
    const reports = encodeMessage({ cid: 0x11223344, cmd: 0x10, payload });
    const reassembler = new MessageReassembler();
    for (const report of reports.slice(0, -1)) {
      expect(reassembler.push(report)).toBeUndefined();
    }
    expect(reassembler.inProgress).toBe(true);
    expect(reassembler.push(reports.at(-1)!)).toEqual({ cid: 0x11223344, cmd: 0x10, payload });
  });

  it('ignores padding bytes beyond BCNT', () => {
    const report = padded('00000001 83 0002 aabb');
    report.fill(0xee, 9);
    expect(new MessageReassembler().push(report)?.payload).toEqual(hex('aabb'));
  });

  it('refuses a continuation packet before any init packet (ERR_INVALID_SEQ)', () => {
    expect(framingStatus(() => new MessageReassembler().push(padded('00000001 00')))).toBe(CtapStatus.INVALID_SEQ);
  });

  it('refuses a continuation packet with the wrong sequence number, then starts afresh', () => {
    const reports = encodeMessage({ cid: 5, cmd: 0x10, payload: patterned(200) });
    const reassembler = new MessageReassembler();
    reassembler.push(reports[0]!);
    expect(framingStatus(() => reassembler.push(reports[2]!))).toBe(CtapStatus.INVALID_SEQ);
    expect(reassembler.inProgress).toBe(false);
    // The reassembler recovers on the next init packet.
    let message;
    for (const report of reports) message = reassembler.push(report);
    expect(message?.payload).toEqual(patterned(200));
  });

  it('refuses a packet from another channel mid-message (ERR_INVALID_CHANNEL)', () => {
    const reassembler = new MessageReassembler();
    reassembler.push(encodeMessage({ cid: 5, cmd: 0x10, payload: patterned(100) })[0]!);
    expect(framingStatus(() => reassembler.push(padded('00000006 00')))).toBe(CtapStatus.INVALID_CHANNEL);
  });

  it('refuses a second init packet on the same channel mid-message', () => {
    const reassembler = new MessageReassembler();
    reassembler.push(encodeMessage({ cid: 5, cmd: 0x10, payload: patterned(100) })[0]!);
    expect(framingStatus(() => reassembler.push(padded('00000005 90 0001 00')))).toBe(CtapStatus.INVALID_SEQ);
  });

  it('refuses a BCNT above 7609 (ERR_INVALID_LEN) but accepts exactly 7609', () => {
    expect(framingStatus(() => new MessageReassembler().push(padded('00000001 90 1dba')))).toBe(CtapStatus.INVALID_LENGTH);
    expect(new MessageReassembler().push(padded('00000001 90 1db9'))).toBeUndefined();
  });

  it('refuses a truncated report', () => {
    expect(framingStatus(() => new MessageReassembler().push(hex('00000001 90 0001 00')))).toBe(CtapStatus.INVALID_LENGTH);
  });

  it('reset() drops a partial message', () => {
    const reassembler = new MessageReassembler();
    reassembler.push(encodeMessage({ cid: 5, cmd: 0x10, payload: patterned(100) })[0]!);
    reassembler.reset();
    expect(reassembler.inProgress).toBe(false);
    expect(framingStatus(() => reassembler.push(padded('00000005 00')))).toBe(CtapStatus.INVALID_SEQ);
  });
});
