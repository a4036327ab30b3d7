// The virtual key's CTAPHID server (CTAP 2.1 §11.2), driven by raw 64-byte reports.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TransportError } from '../../ctap/errors.js';
import { CtapStatus } from '../../ctap/status.js';
import { BROADCAST_CID } from '../../ctap/transport/hid/framing.js';
import type { HidConnection } from '../../ctap/transport/hid/hid-connection.js';
import { TransportCommand } from '../../ctap/transport/transport.js';
import { Ctap2Command } from '../../ctap/ctap2/commands.js';
import { VirtualKey, type VirtualKeyOptions } from '../../ctap/virtual/virtual-key.js';
import { ERROR, allocateChannel, rawReport, receive, receiveFinal, send } from './helpers/raw-hid.js';

const CBOR = TransportCommand.CBOR;
const getInfoRequest = Uint8Array.of(Ctap2Command.GET_INFO);
const selectionRequest = Uint8Array.of(Ctap2Command.SELECTION);

const open: HidConnection[] = [];
function connect(options: VirtualKeyOptions = {}): { key: VirtualKey; hid: HidConnection } {
  const key = VirtualKey.create({ onInternalError: (error) => expect.fail(String(error)), ...options });
  const hid = key.openHid();
  open.push(hid);
  return { key, hid };
}

afterEach(async () => {
  vi.useRealTimers();
  for (const hid of open.splice(0)) await hid.close();
});

describe('CTAPHID_INIT', () => {
  it('allocates a fresh channel and reports version and capabilities', async () => {
    const { hid } = connect();
    const first = await allocateChannel(hid);
    const second = await allocateChannel(hid);
    expect(first.response.subarray(0, 8)).toEqual(first.nonce);
    expect(first.cid).not.toBe(second.cid);
    expect([0, BROADCAST_CID]).not.toContain(first.cid);
    // protocol version 2, firmware 5.7.0 of the ctap21 preset, capabilities WINK | CBOR (MSG supported).
    expect([...first.response.subarray(12, 17)]).toEqual([2, 5, 7, 0, 0x01 | 0x04]);
  });

  it('a U2F-only key has no CBOR capability and answers CBOR with ERR_INVALID_CMD', async () => {
    const { hid } = connect({ preset: 'u2f-only' });
    const { cid, response } = await allocateChannel(hid);
    expect(response[16]! & 0x04).toBe(0);
    await send(hid, { cid, cmd: CBOR, payload: getInfoRequest });
    expect(await receive(hid, cid)).toEqual({ cid, cmd: ERROR, payload: Uint8Array.of(CtapStatus.INVALID_COMMAND) });
  });

  it('rejects an INIT whose nonce is not 8 bytes', async () => {
    const { hid } = connect();
    await send(hid, { cid: BROADCAST_CID, cmd: TransportCommand.INIT, payload: new Uint8Array(4) });
    expect((await receive(hid, BROADCAST_CID)).payload).toEqual(Uint8Array.of(CtapStatus.INVALID_LENGTH));
  });
});

describe('channels and framing', () => {
  it('echoes a multi-packet PING', async () => {
    const { hid } = connect();
    const { cid } = await allocateChannel(hid);
    const payload = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
    await send(hid, { cid, cmd: TransportCommand.PING, payload });
    expect(await receive(hid, cid)).toEqual({ cid, cmd: TransportCommand.PING, payload });
  });

  it('answers ERR_INVALID_CHANNEL for a channel it never allocated and for CID 0', async () => {
    const { hid } = connect();
    await send(hid, { cid: 0x12345678, cmd: TransportCommand.PING, payload: Uint8Array.of(1) });
    expect((await receive(hid, 0x12345678)).payload).toEqual(Uint8Array.of(CtapStatus.INVALID_CHANNEL));
    await send(hid, { cid: 0, cmd: TransportCommand.PING, payload: Uint8Array.of(1) });
    expect((await receive(hid, 0)).payload).toEqual(Uint8Array.of(CtapStatus.INVALID_CHANNEL));
  });

  it('ignores a continuation packet without a start (§11.2.5.4 "spurious continuation packets … will be ignored")', async () => {
    const { hid } = connect();
    const { cid } = await allocateChannel(hid);
    await hid.write(rawReport(cid, [0x00]));
    await hid.write(rawReport(cid, [0x05]));
    // The first thing the channel hears back is the answer to the next real request.
    await send(hid, { cid, cmd: TransportCommand.PING, payload: Uint8Array.of(7) });
    expect(await receive(hid, cid)).toEqual({ cid, cmd: TransportCommand.PING, payload: Uint8Array.of(7) });
  });

  it('answers ERR_INVALID_SEQ for a skipped sequence number', async () => {
    const { hid } = connect();
    const { cid } = await allocateChannel(hid);

    // PING of 100 bytes needs init + 1 continuation (seq 0); send seq 1 instead.
    await hid.write(rawReport(cid, [0x80 | TransportCommand.PING, 0, 100]));
    await hid.write(rawReport(cid, [0x01]));
    expect((await receive(hid, cid)).payload).toEqual(Uint8Array.of(CtapStatus.INVALID_SEQ));
    // The channel works again afterwards.
    await send(hid, { cid, cmd: TransportCommand.PING, payload: Uint8Array.of(9) });
    expect((await receive(hid, cid)).payload).toEqual(Uint8Array.of(9));
  });

  it('answers ERR_INVALID_LEN for a declared length beyond the CTAPHID maximum', async () => {
    const { hid } = connect();
    const { cid } = await allocateChannel(hid);
    await hid.write(rawReport(cid, [0x80 | TransportCommand.PING, 0xff, 0xff]));
    expect((await receive(hid, cid)).payload).toEqual(Uint8Array.of(CtapStatus.INVALID_LENGTH));
  });

  it('answers ERR_MSG_TIMEOUT when a message stops half-way', async () => {
    vi.useFakeTimers();
    const { hid } = connect();
    const cidPromise = allocateChannel(hid);
    const { cid } = await cidPromise;
    await hid.write(rawReport(cid, [0x80 | TransportCommand.PING, 0, 100]));
    const answer = receive(hid, cid, 5_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await answer).payload).toEqual(Uint8Array.of(CtapStatus.TIMEOUT));
  });

  it('answers ERR_INVALID_CMD for an unknown command and for WINK on a key without a light', async () => {
    const { hid } = connect({ preset: 'nfc-card' });
    const { cid, response } = await allocateChannel(hid);
    expect(response[16]! & 0x01).toBe(0);
    await send(hid, { cid, cmd: TransportCommand.WINK, payload: new Uint8Array(0) });
    expect((await receive(hid, cid)).payload).toEqual(Uint8Array.of(CtapStatus.INVALID_COMMAND));
    await send(hid, { cid, cmd: 0x55, payload: new Uint8Array(0) });
    expect((await receive(hid, cid)).payload).toEqual(Uint8Array.of(CtapStatus.INVALID_COMMAND));
  });

  it('answers U2F VERSION over CTAPHID_MSG, or ERR_INVALID_CMD on a key without U2F', async () => {
    const { hid } = connect();
    const { cid } = await allocateChannel(hid);
    await send(hid, { cid, cmd: TransportCommand.MSG, payload: Uint8Array.of(0x00, 0x03, 0x00, 0x00, 0x00) });
    const version = await receive(hid, cid);
    expect(new TextDecoder().decode(version.payload.subarray(0, -2))).toBe('U2F_V2');
    expect([...version.payload.subarray(-2)]).toEqual([0x90, 0x00]);

    const noU2f = connect({ config: { supports: { ...VirtualKey.create().config.supports, u2f: false } } });
    const channel = await allocateChannel(noU2f.hid);
    expect(channel.response[16]! & 0x08).toBe(0x08);
    await send(noU2f.hid, { cid: channel.cid, cmd: TransportCommand.MSG, payload: Uint8Array.of(0x00, 0x03, 0x00, 0x00, 0x00) });
    expect((await receive(noU2f.hid, channel.cid)).payload).toEqual(Uint8Array.of(CtapStatus.INVALID_COMMAND));
  });
});

describe('CBOR requests', () => {
  it('answers getInfo with status 0 and a CBOR map', async () => {
    const { hid } = connect();
    const { cid } = await allocateChannel(hid);
    await send(hid, { cid, cmd: CBOR, payload: getInfoRequest });
    const { keepalives, message } = await receiveFinal(hid, cid);
    expect(keepalives).toEqual([]);
    expect(message.cmd).toBe(CBOR);
    expect(message.payload[0]).toBe(CtapStatus.OK);
    expect(message.payload[1]! >> 5).toBe(5); // major type 5: a map
  });

  it('sends KEEPALIVE UPNEEDED while waiting for a touch, then the answer after the touch', async () => {
    const { key, hid } = connect({ presence: 'manual' });
    const { cid } = await allocateChannel(hid);
    await send(hid, { cid, cmd: CBOR, payload: selectionRequest });
    const keepalive = await receive(hid, cid);
    expect(keepalive).toEqual({ cid, cmd: TransportCommand.KEEPALIVE, payload: Uint8Array.of(2) });
    expect(key.presence.touch()).toBe(true);
    const { message } = await receiveFinal(hid, cid);
    expect(message).toEqual({ cid, cmd: CBOR, payload: Uint8Array.of(CtapStatus.OK) });
  });

  it('answers ERR_CHANNEL_BUSY to other channels while a request runs, and KEEPALIVE_CANCEL after CANCEL', async () => {
    const { hid } = connect({ presence: 'manual' });
    const a = await allocateChannel(hid);
    const b = await allocateChannel(hid);
    await send(hid, { cid: a.cid, cmd: CBOR, payload: selectionRequest });
    await receive(hid, a.cid); // the first keepalive: the request is running

    await send(hid, { cid: b.cid, cmd: TransportCommand.PING, payload: Uint8Array.of(1) });
    expect(await receive(hid, b.cid)).toEqual({ cid: b.cid, cmd: ERROR, payload: Uint8Array.of(CtapStatus.CHANNEL_BUSY) });
    // A second request on the busy channel itself is refused too.
    await send(hid, { cid: a.cid, cmd: CBOR, payload: getInfoRequest });
    expect((await receiveFinal(hid, a.cid)).message.payload).toEqual(Uint8Array.of(CtapStatus.CHANNEL_BUSY));

    await send(hid, { cid: a.cid, cmd: TransportCommand.CANCEL, payload: new Uint8Array(0) });
    expect((await receiveFinal(hid, a.cid)).message).toEqual({ cid: a.cid, cmd: CBOR, payload: Uint8Array.of(CtapStatus.KEEPALIVE_CANCEL) });

    // Free again for channel B.
    await send(hid, { cid: b.cid, cmd: TransportCommand.PING, payload: Uint8Array.of(7) });
    expect((await receive(hid, b.cid)).payload).toEqual(Uint8Array.of(7));
  });

  it('INIT on a busy channel resynchronises it: the running request is dropped without an answer', async () => {
    const { hid } = connect({ presence: 'manual' });
    const { cid } = await allocateChannel(hid);
    await send(hid, { cid, cmd: CBOR, payload: selectionRequest });
    await receive(hid, cid);
    const nonce = Uint8Array.of(9, 9, 9, 9, 9, 9, 9, 9);
    await send(hid, { cid, cmd: TransportCommand.INIT, payload: nonce });
    const { message } = await receiveFinal(hid, cid);
    expect(message.cmd).toBe(TransportCommand.INIT);
    expect(message.payload.subarray(0, 8)).toEqual(nonce);
    expect(new DataView(message.payload.buffer).getUint32(8)).toBe(cid);
    // The next message on the channel is the answer to a new request, not the dropped one.
    await send(hid, { cid, cmd: TransportCommand.PING, payload: Uint8Array.of(3) });
    expect(await receive(hid, cid)).toEqual({ cid, cmd: TransportCommand.PING, payload: Uint8Array.of(3) });
  });

  it('LOCK keeps other channels out until released', async () => {
    const { hid } = connect();
    const a = await allocateChannel(hid);
    const b = await allocateChannel(hid);
    await send(hid, { cid: a.cid, cmd: TransportCommand.LOCK, payload: Uint8Array.of(5) });
    expect((await receive(hid, a.cid)).cmd).toBe(TransportCommand.LOCK);
    await send(hid, { cid: b.cid, cmd: TransportCommand.PING, payload: Uint8Array.of(1) });
    expect((await receive(hid, b.cid)).payload).toEqual(Uint8Array.of(CtapStatus.CHANNEL_BUSY));
    await send(hid, { cid: a.cid, cmd: TransportCommand.LOCK, payload: Uint8Array.of(0) });
    await receive(hid, a.cid);
    await send(hid, { cid: b.cid, cmd: TransportCommand.PING, payload: Uint8Array.of(1) });
    expect((await receive(hid, b.cid)).cmd).toBe(TransportCommand.PING);
    await send(hid, { cid: a.cid, cmd: TransportCommand.LOCK, payload: Uint8Array.of(11) });
    expect((await receive(hid, a.cid)).payload).toEqual(Uint8Array.of(CtapStatus.INVALID_PARAMETER));
  });
});

describe('simulated USB latency', () => {
  it('still answers correctly, multi-packet messages included, when every report is delayed', async () => {
    const { hid } = connect({ config: { reportLatencyMs: 1 } });
    const { cid } = await allocateChannel(hid);
    const payload = Uint8Array.from({ length: 200 }, (_, i) => 255 - (i & 0xff));
    await send(hid, { cid, cmd: TransportCommand.PING, payload });
    expect(await receive(hid, cid)).toEqual({ cid, cmd: TransportCommand.PING, payload });
  });
});

describe('removal', () => {
  it('fails pending and later reads and writes with TransportError disconnected', async () => {
    const { key, hid } = connect({ presence: 'manual' });
    const { cid } = await allocateChannel(hid);
    await send(hid, { cid, cmd: CBOR, payload: selectionRequest });
    await receive(hid, cid);
    const pending = hid.read(5_000);
    key.remove();
    await expect(pending).rejects.toMatchObject({ kind: 'disconnected' });
    await expect(hid.write(rawReport(cid, [0x81, 0, 0]))).rejects.toBeInstanceOf(TransportError);
    expect(() => key.openHid()).toThrow(TransportError);
    expect(key.presence.waiting).toBe(false);
  });

  it('a reinserted key has forgotten its channels', async () => {
    const { key, hid } = connect();
    const { cid } = await allocateChannel(hid);
    key.remove();
    key.insert();
    const again = key.openHid();
    open.push(again);
    await send(again, { cid, cmd: TransportCommand.PING, payload: Uint8Array.of(1) });
    expect((await receive(again, cid)).payload).toEqual(Uint8Array.of(CtapStatus.INVALID_CHANNEL));
  });
});
