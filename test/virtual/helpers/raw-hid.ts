/**
 * A bare CTAPHID host for driving the virtual key's HID interface report by report, so tests
 * can send what the production transport never would (wrong sequence, unknown channel, …).
 */
import { BROADCAST_CID, MessageReassembler, encodeMessage, packetCid, type HidMessage } from '../../../ctap/transport/hid/framing.js';
import { HID_REPORT_SIZE, type HidConnection } from '../../../ctap/transport/hid/hid-connection.js';
import { TransportCommand } from '../../../ctap/transport/transport.js';

export const ERROR = TransportCommand.ERROR;

export async function send(connection: HidConnection, message: HidMessage): Promise<void> {
  for (const report of encodeMessage(message)) await connection.write(report);
}

/** Next complete message on `cid` (reports of other channels are skipped, as a host does). */
export async function receive(connection: HidConnection, cid: number, timeoutMs = 2_000): Promise<HidMessage> {
  const reassembler = new MessageReassembler();
  for (;;) {
    const report = await connection.read(timeoutMs);
    if (!report) throw new Error(`no report on channel 0x${cid.toString(16)} within ${timeoutMs} ms`);
    if (packetCid(report) !== cid) continue;
    const message = reassembler.push(report);
    if (message) return message;
  }
}

/** Every message on `cid` until one whose command is not KEEPALIVE; returns both. */
export async function receiveFinal(connection: HidConnection, cid: number): Promise<{ keepalives: number[]; message: HidMessage }> {
  const keepalives: number[] = [];
  for (;;) {
    const message = await receive(connection, cid);
    if (message.cmd !== TransportCommand.KEEPALIVE) return { keepalives, message };
    keepalives.push(message.payload[0]!);
  }
}

/** CTAPHID_INIT on the broadcast channel; returns the new CID and the raw INIT response. */
export async function allocateChannel(connection: HidConnection): Promise<{ cid: number; response: Uint8Array; nonce: Uint8Array }> {
  const nonce = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
  await send(connection, { cid: BROADCAST_CID, cmd: TransportCommand.INIT, payload: nonce });
  for (;;) {
    const message = await receive(connection, BROADCAST_CID);
    if (message.cmd === TransportCommand.INIT && message.payload.subarray(0, 8).every((b, i) => b === nonce[i])) {
      return { cid: new DataView(message.payload.buffer, message.payload.byteOffset).getUint32(8), response: message.payload, nonce };
    }
  }
}

/** One raw report with the given header bytes (after the CID) and zero padding. */
export function rawReport(cid: number, bytes: number[]): Uint8Array {
  const report = new Uint8Array(HID_REPORT_SIZE);
  new DataView(report.buffer).setUint32(0, cid);
  report.set(bytes, 4);
  return report;
}
