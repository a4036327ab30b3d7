/**
 * attachToVpcd against a stand-in for pcscd's vpcd driver (a local TCP server speaking the vpcd
 * framing), so reconnection and framing can be checked without pcscd.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeCommand, parseResponse } from '../../ctap/transport/nfc/apdu.js';
import { attachToVpcd, VpcdControl, type VpcdStatus } from '../../ctap/virtual/vpcd.js';
import { makeCard } from './helpers/virtual-card.js';

const SELECT = encodeCommand({ cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x00, data: Uint8Array.from(Buffer.from('A0000006472F0001', 'hex')), le: 256 }, 'short');

/** One vpcd-side connection: send a frame, read the card's answer frame. */
class VpcdPeer {
  private buffer = Buffer.alloc(0);
  private waiting: (() => void) | undefined;
  /** Raw chunks as they arrived, to check that each answer came in one write. */
  readonly chunks: Buffer[] = [];
  constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.waiting?.();
    });
  }
  send(payload: Uint8Array): void {
    const frame = Buffer.alloc(2 + payload.length);
    frame.writeUInt16BE(payload.length);
    frame.set(payload, 2);
    this.socket.write(frame);
  }
  async receive(): Promise<Uint8Array> {
    while (this.buffer.length < 2 || this.buffer.length < 2 + this.buffer.readUInt16BE(0)) {
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
    const length = this.buffer.readUInt16BE(0);
    const payload = Uint8Array.from(this.buffer.subarray(2, 2 + length));
    this.buffer = this.buffer.subarray(2 + length);
    return payload;
  }
  async exchange(payload: Uint8Array): Promise<Uint8Array> {
    this.send(payload);
    return this.receive();
  }
}

async function listen(port = 0): Promise<{ server: Server; port: number; next(): Promise<VpcdPeer>; close(): Promise<void> }> {
  const pending: VpcdPeer[] = [];
  const sockets = new Set<Socket>();
  let wake: (() => void) | undefined;
  const server = createServer((socket) => {
    sockets.add(socket);
    pending.push(new VpcdPeer(socket));
    wake?.();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    async next() {
      while (pending.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      return pending.shift()!;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function attach(port: number, card = makeCard().card) {
  const controller = new AbortController();
  const statuses: VpcdStatus[] = [];
  const done = attachToVpcd({ card, port, signal: controller.signal, onStatus: (s) => statuses.push(s), retryMs: { initial: 20, max: 80 } });
  cleanups.push(async () => {
    controller.abort();
    await done;
  });
  return { controller, statuses, done, card };
}

describe('attachToVpcd (vsmartcard vpcd protocol)', () => {
  it('powers the card, answers ATR and APDUs, each answer in one frame written at once', async () => {
    const vpcd = await listen();
    cleanups.push(() => vpcd.close());
    const { card } = attach(vpcd.port);
    const peer = await vpcd.next();
    peer.send(Uint8Array.of(VpcdControl.ON));
    const atr = await peer.exchange(Uint8Array.of(VpcdControl.ATR));
    expect(atr).toEqual(card.atr);
    expect(card.isPowered).toBe(true);
    const response = parseResponse(await peer.exchange(SELECT));
    expect(response.sw).toBe(0x9000);
    expect(peer.chunks).toHaveLength(2);
    peer.send(Uint8Array.of(VpcdControl.OFF));
    await peer.exchange(Uint8Array.of(VpcdControl.ATR));
    expect(card.isPowered).toBe(false);
  });

  it('reconnects with backoff when pcscd goes away and comes back', async () => {
    const first = await listen();
    const { statuses, card } = attach(first.port);
    const peer = await first.next();
    peer.send(Uint8Array.of(VpcdControl.ON));
    await peer.exchange(Uint8Array.of(VpcdControl.ATR));
    // pcscd stops: the socket closes and the port stays closed for a while.
    const port = first.port;
    await first.close();
    const failures = (): VpcdStatus[] => statuses.filter((s) => s.state === 'disconnected');
    while (failures().length < 3) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(card.isPowered).toBe(false);
    const delays = failures().map((s) => (s.state === 'disconnected' ? s.retryInMs : 0));
    expect(delays[1]!).toBeGreaterThan(delays[0]!);
    // pcscd is back on the same port: the card attaches again by itself.
    const second = await listen(port);
    cleanups.push(() => second.close());
    const again = await second.next();
    again.send(Uint8Array.of(VpcdControl.ON));
    expect(parseResponse(await again.exchange(SELECT)).sw).toBe(0x9000);
  });

  it('closes the connection (card lifted) and stops when the signal aborts', async () => {
    const vpcd = await listen();
    cleanups.push(() => vpcd.close());
    const { controller, statuses, done } = attach(vpcd.port);
    const peer = await vpcd.next();
    const closed = new Promise<void>((resolve) => peer.socket.on('close', () => resolve()));
    controller.abort();
    await done;
    await closed;
    expect(statuses.at(-1)).toEqual({ state: 'stopped' });
  });
});
