// CtapHidTransport against a scripted CTAPHID device — CTAP 2.1 §11.2.9.
import { describe, expect, it } from 'vitest';
import { CancelledError, ProtocolError, TransportError, UnsupportedError } from '../../ctap/errors.js';
import { CtapStatus } from '../../ctap/status.js';
import { BROADCAST_CID, encodeMessage, type HidMessage } from '../../ctap/transport/hid/framing.js';
import { CtapHidTransport } from '../../ctap/transport/hid/hid-transport.js';
import { TransportCommand, type KeepaliveStatus } from '../../ctap/transport/transport.js';
import { FakeHid, hidErrorFrame, initReply, keepalive, type InitReplyOptions } from '../helpers/fake-hid.js';

const CID = 0x1234abcd;
const { CBOR, INIT, CANCEL, WINK, LOCK } = TransportCommand;

/** A fake key that allocates CID on INIT and hands every other request to `handle`. */
function fakeKey(handle: (request: HidMessage, hid: FakeHid) => void, init: Partial<InitReplyOptions> = {}): FakeHid {
  return new FakeHid().onRequest((request, hid) => {
    if (request.cmd === INIT) hid.send(initReply(request, { cid: CID, ...init }));
    else if (request.cmd !== CANCEL) handle(request, hid);
  });
}

function echo(request: HidMessage, hid: FakeHid): void {
  hid.send({ cid: request.cid, cmd: request.cmd, payload: request.payload });
}

function bytes(length: number, seed = 1): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

async function transportError(promise: Promise<unknown>): Promise<TransportError> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(TransportError);
  return error as TransportError;
}

describe('open (CTAPHID_INIT)', () => {
  it('sends an 8-byte nonce on the broadcast channel and takes the allocated channel and versions', async () => {
    const hid = fakeKey(echo, { version: [5, 7, 2], capabilities: 0x05 });
    const transport = await CtapHidTransport.open(hid);
    expect(hid.requests).toHaveLength(1);
    expect(hid.requests[0]).toMatchObject({ cid: BROADCAST_CID, cmd: INIT });
    expect(hid.requests[0]!.payload).toHaveLength(8);
    expect(transport.channelId).toBe(CID);
    expect(transport.protocolVersion).toBe(2);
    expect(transport.deviceVersion).toEqual({ major: 5, minor: 7, build: 2 });
    expect(transport.capabilities).toEqual({ cbor: true, msg: true, wink: true });
  });

  it('uses a fresh nonce per open', async () => {
    const hid = fakeKey(echo);
    await CtapHidTransport.open(hid);
    await CtapHidTransport.open(hid);
    expect(hid.requests[0]!.payload).not.toEqual(hid.requests[1]!.payload);
  });

  it('reads NMSG as "no CTAPHID_MSG" and a missing WINK bit as no wink', async () => {
    const transport = await CtapHidTransport.open(fakeKey(echo, { capabilities: 0x0c }));
    expect(transport.capabilities).toEqual({ cbor: true, msg: false, wink: false });
    expect(await rejection(transport.wink())).toBeInstanceOf(UnsupportedError);
  });

  it('skips INIT answers meant for another client (nonce mismatch) and frames of other channels', async () => {
    const hid = new FakeHid().onRequest((request, fake) => {
      fake.send(keepalive(0x0badcafe, 1));
      fake.send(initReply(request, { cid: 0x11111111, nonce: bytes(8, 99) }));
      fake.send(initReply(request, { cid: 0x22222222 }));
    });
    const transport = await CtapHidTransport.open(hid);
    expect(transport.channelId).toBe(0x22222222);
  });

  it('refuses a short INIT answer and a reserved channel id', async () => {
    const short = new FakeHid().onRequest((request, fake) => {
      fake.send({ cid: BROADCAST_CID, cmd: INIT, payload: request.payload.slice() });
    });
    expect(await rejection(CtapHidTransport.open(short))).toBeInstanceOf(ProtocolError);
    expect(await rejection(CtapHidTransport.open(fakeKey(echo, { cid: BROADCAST_CID })))).toBeInstanceOf(ProtocolError);
    expect(await rejection(CtapHidTransport.open(fakeKey(echo, { cid: 0 })))).toBeInstanceOf(ProtocolError);
  });

  it('times out when nothing answers INIT', async () => {
    const error = await transportError(CtapHidTransport.open(new FakeHid(), { responseTimeoutMs: 50 }));
    expect(error.kind).toBe('timeout');
  });
});

describe('transact', () => {
  it('sends multi-packet requests on our channel and reassembles multi-packet answers', async () => {
    const request = bytes(1000);
    const answer = bytes(3000, 7);
    const hid = fakeKey((message, fake) => fake.send({ cid: message.cid, cmd: CBOR, payload: answer }));
    const transport = await CtapHidTransport.open(hid);
    expect(await transport.transact(CBOR, request)).toEqual(answer);
    expect(hid.requests[1]).toEqual({ cid: CID, cmd: CBOR, payload: request });
    // 1 INIT packet + 1 init and 16 continuation packets for 1000 bytes (57 + 16 × 59 ≥ 1000).
    expect(hid.writes).toHaveLength(1 + 17);
  });

  it('ignores frames on other channels, even between the packets of its own answer', async () => {
    const answer = bytes(200);
    const hid = fakeKey((message, fake) => {
      const [first, ...rest] = encodeMessage({ cid: message.cid, cmd: CBOR, payload: answer });
      const other = encodeMessage({ cid: 0x77777777, cmd: CBOR, payload: bytes(200, 5) });
      fake.sendReports([other[0]!, first!, other[1]!, ...rest, other[2]!]);
    });
    const transport = await CtapHidTransport.open(hid);
    expect(await transport.transact(CBOR, Uint8Array.of(4))).toEqual(answer);
  });

  it('reports keepalive status changes once each, not per frame', async () => {
    const hid = fakeKey((message, fake) => {
      for (const status of [1, 1, 2, 2, 2, 9, 1]) fake.send(keepalive(message.cid, status));
      fake.send({ cid: message.cid, cmd: CBOR, payload: Uint8Array.of(0) });
    });
    const transport = await CtapHidTransport.open(hid);
    const seen: KeepaliveStatus[] = [];
    await transport.transact(CBOR, Uint8Array.of(1), { onKeepalive: (status) => seen.push(status) });
    expect(seen).toEqual(['processing', 'user-presence-needed', 'processing']);
  });

  it('restarts the response timeout on every keepalive', async () => {
    const hid = fakeKey((message, fake) => {
      // The answer comes long after the timeout, but never more than 100 ms after a keepalive.
      for (let i = 1; i <= 8; i++) fake.send(keepalive(message.cid, 2), { delayMs: i * 100 });
      fake.send({ cid: message.cid, cmd: CBOR, payload: Uint8Array.of(0, 0xa0) }, { delayMs: 900 });
    });
    const transport = await CtapHidTransport.open(hid);
    expect(await transport.transact(CBOR, Uint8Array.of(1), { timeoutMs: 400 })).toEqual(Uint8Array.of(0, 0xa0));
  });

  it('times out when the key goes silent, and tells the key to cancel', async () => {
    const hid = fakeKey(() => undefined);
    const transport = await CtapHidTransport.open(hid, { cancelTimeoutMs: 20 });
    const error = await transportError(transport.transact(CBOR, Uint8Array.of(1), { timeoutMs: 50 }));
    expect(error.kind).toBe('timeout');
    expect(hid.requestsWith(CANCEL)).toEqual([{ cid: CID, cmd: CANCEL, payload: new Uint8Array(0) }]);
  });

  describe('overall deadline', () => {
    /** A faulty key: answers every request with keepalives, every 20 ms, forever (until CANCEL). */
    function endlessKeepalive(status: number): FakeHid {
      let timer: NodeJS.Timeout | undefined;
      const hid = new FakeHid().onRequest((request, fake) => {
        if (request.cmd === INIT) fake.send(initReply(request, { cid: CID }));
        else if (request.cmd === CANCEL) {
          clearInterval(timer);
          fake.send({ cid: CID, cmd: CBOR, payload: Uint8Array.of(CtapStatus.KEEPALIVE_CANCEL) });
        } else timer = setInterval(() => fake.send(keepalive(request.cid, status)), 20);
      });
      return hid;
    }

    it('gives up on a key that keeps saying PROCESSING, cancels it, and stays usable', async () => {
      const hid = endlessKeepalive(1);
      const transport = await CtapHidTransport.open(hid, { processingDeadlineMs: 300, touchDeadlineMs: 5_000, cancelTimeoutMs: 100 });
      const started = Date.now();
      const error = await transportError(transport.transact(CBOR, Uint8Array.of(1), { timeoutMs: 100 }));
      expect(error.kind).toBe('timeout');
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(hid.requestsWith(CANCEL)).toHaveLength(1);
    });

    it('allows the longer touch deadline once the key says it waits for a touch, but not forever', async () => {
      const hid = endlessKeepalive(2);
      const transport = await CtapHidTransport.open(hid, { processingDeadlineMs: 200, touchDeadlineMs: 700, cancelTimeoutMs: 100 });
      const started = Date.now();
      const error = await transportError(transport.transact(CBOR, Uint8Array.of(1), { timeoutMs: 100 }));
      expect(error.kind).toBe('timeout');
      expect(Date.now() - started).toBeGreaterThanOrEqual(690);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(hid.requestsWith(CANCEL)).toHaveLength(1);
    });
  });

  it('skips a late answer with another command byte (from an earlier cancelled request)', async () => {
    const hid = fakeKey((message, fake) => {
      fake.send({ cid: message.cid, cmd: CBOR, payload: Uint8Array.of(CtapStatus.KEEPALIVE_CANCEL) });
      echo(message, fake);
    });
    const transport = await CtapHidTransport.open(hid);
    await expect(transport.ping(bytes(10))).resolves.toBeUndefined();
  });

  it('turns a malformed frame on its channel into a framing error', async () => {
    const hid = fakeKey((message, fake) => {
      const reports = encodeMessage({ cid: message.cid, cmd: CBOR, payload: bytes(300) });
      fake.sendReports([reports[0]!, reports[2]!]);
    });
    const transport = await CtapHidTransport.open(hid);
    expect((await transportError(transport.transact(CBOR, Uint8Array.of(1)))).kind).toBe('framing');
  });

  it('refuses a request over 7609 bytes before sending anything', async () => {
    const hid = fakeKey(echo);
    const transport = await CtapHidTransport.open(hid);
    const writes = hid.writes.length;
    const error = await transportError(transport.transact(CBOR, new Uint8Array(7610)));
    expect(error.kind).toBe('framing');
    expect(hid.writes).toHaveLength(writes);
    expect(await transport.transact(CBOR, bytes(7609))).toEqual(bytes(7609));
  });

  it('runs concurrent transactions one at a time', async () => {
    const order: string[] = [];
    const hid = fakeKey((message, fake) => {
      order.push(`request ${message.payload[0]}`);
      setTimeout(() => {
        order.push(`answer ${message.payload[0]}`);
        fake.send({ cid: message.cid, cmd: CBOR, payload: message.payload });
      }, 30);
    });
    const transport = await CtapHidTransport.open(hid);
    const results = await Promise.all([1, 2, 3].map((n) => transport.transact(CBOR, Uint8Array.of(n))));
    expect(results).toEqual([Uint8Array.of(1), Uint8Array.of(2), Uint8Array.of(3)]);
    expect(order).toEqual(['request 1', 'answer 1', 'request 2', 'answer 2', 'request 3', 'answer 3']);
  });
});

describe('cancel', () => {
  it('sends CTAPHID_CANCEL on abort, reads the KEEPALIVE_CANCEL answer, and stays usable', async () => {
    const controller = new AbortController();
    const hid = fakeKey((message, fake) => {
      if (message.cmd === CBOR) {
        fake.send(keepalive(message.cid, 2));
        // The key answers the cancelled request a little later (§11.2.9.1.5).
        hid.onRequest((next, again) => {
          if (next.cmd === CANCEL) again.send({ cid: next.cid, cmd: CBOR, payload: Uint8Array.of(CtapStatus.KEEPALIVE_CANCEL) }, { delayMs: 20 });
          else echo(next, again);
        });
      }
    });
    const transport = await CtapHidTransport.open(hid);
    const pending = transport.transact(CBOR, Uint8Array.of(1), {
      signal: controller.signal,
      onKeepalive: (status) => {
        if (status === 'user-presence-needed') controller.abort();
      },
    });
    expect(await rejection(pending)).toBeInstanceOf(CancelledError);
    expect(hid.requestsWith(CANCEL)).toEqual([{ cid: CID, cmd: CANCEL, payload: new Uint8Array(0) }]);
    // The cancelled request's answer was consumed, so the next one gets its own answer.
    expect(await transport.transact(CBOR, Uint8Array.of(0x42))).toEqual(Uint8Array.of(0x42));
  });

  it('writes nothing when the signal has already fired', async () => {
    const hid = fakeKey(echo);
    const transport = await CtapHidTransport.open(hid);
    const writes = hid.writes.length;
    expect(await rejection(transport.transact(CBOR, Uint8Array.of(1), { signal: AbortSignal.abort() }))).toBeInstanceOf(CancelledError);
    expect(hid.writes).toHaveLength(writes);
  });

  it('lets a queued caller give up without disturbing the running transaction', async () => {
    const hid = fakeKey((message, fake) => fake.send({ cid: message.cid, cmd: CBOR, payload: message.payload }, { delayMs: 40 }));
    const transport = await CtapHidTransport.open(hid);
    const controller = new AbortController();
    const first = transport.transact(CBOR, Uint8Array.of(1));
    const second = transport.transact(CBOR, Uint8Array.of(2), { signal: controller.signal });
    controller.abort();
    expect(await rejection(second)).toBeInstanceOf(CancelledError);
    expect(await first).toEqual(Uint8Array.of(1));
    expect(hid.requestsWith(CBOR).map((request) => request.payload[0])).toEqual([1]);
    expect(hid.requestsWith(CANCEL)).toEqual([]);
  });
});

describe('CTAPHID errors', () => {
  it('retries ERR_CHANNEL_BUSY with backoff until the key answers', async () => {
    let busy = 2;
    const hid = fakeKey((message, fake) => {
      if (busy-- > 0) fake.send(hidErrorFrame(message.cid, CtapStatus.CHANNEL_BUSY));
      else echo(message, fake);
    });
    const transport = await CtapHidTransport.open(hid);
    expect(await transport.transact(CBOR, Uint8Array.of(7))).toEqual(Uint8Array.of(7));
    expect(hid.requestsWith(CBOR)).toHaveLength(3);
  });

  it('stops retrying a busy key when aborted, without sending CANCEL', async () => {
    const hid = fakeKey((message, fake) => fake.send(hidErrorFrame(message.cid, CtapStatus.CHANNEL_BUSY)));
    const transport = await CtapHidTransport.open(hid);
    const controller = new AbortController();
    const pending = transport.transact(CBOR, Uint8Array.of(7), { signal: controller.signal, timeoutMs: 60_000 });
    setTimeout(() => controller.abort(), 250);
    expect(await rejection(pending)).toBeInstanceOf(CancelledError);
    expect(hid.requestsWith(CBOR).length).toBeGreaterThanOrEqual(2);
    expect(hid.requestsWith(CANCEL)).toEqual([]);
  });

  it('gives up with "busy" when the key stays busy longer than the response timeout', async () => {
    const hid = fakeKey((message, fake) => fake.send(hidErrorFrame(message.cid, CtapStatus.CHANNEL_BUSY)));
    const transport = await CtapHidTransport.open(hid);
    const error = await transportError(transport.transact(CBOR, Uint8Array.of(7), { timeoutMs: 350 }));
    expect(error.kind).toBe('busy');
    expect(error.details.ctapStatus).toBe(CtapStatus.CHANNEL_BUSY);
  });

  it('turns other ERROR frames into hid-error with the code', async () => {
    const transport = await CtapHidTransport.open(fakeKey((message, fake) => fake.send(hidErrorFrame(message.cid, CtapStatus.INVALID_COMMAND))));
    const error = await transportError(transport.transact(0x03, Uint8Array.of(0)));
    expect(error.kind).toBe('hid-error');
    expect(error.details.ctapStatus).toBe(CtapStatus.INVALID_COMMAND);
  });

  it('re-opens the channel once on ERR_INVALID_CHANNEL and resends there', async () => {
    let cid = CID;
    const hid = new FakeHid().onRequest((request, fake) => {
      if (request.cmd === INIT) fake.send(initReply(request, { cid: cid++ }));
      else if (request.cid === CID) fake.send(hidErrorFrame(request.cid, CtapStatus.INVALID_CHANNEL));
      else echo(request, fake);
    });
    const transport = await CtapHidTransport.open(hid);
    expect(await transport.transact(CBOR, Uint8Array.of(9))).toEqual(Uint8Array.of(9));
    expect(transport.channelId).toBe(CID + 1);
    expect(hid.requestsWith(INIT)).toHaveLength(2);
  });

  it('re-opens only once when the new channel is refused too', async () => {
    let cid = CID;
    const hid = new FakeHid().onRequest((request, fake) => {
      if (request.cmd === INIT) fake.send(initReply(request, { cid: cid++ }));
      else fake.send(hidErrorFrame(request.cid, CtapStatus.INVALID_CHANNEL));
    });
    const transport = await CtapHidTransport.open(hid);
    const error = await transportError(transport.transact(CBOR, Uint8Array.of(9)));
    expect(error.details.ctapStatus).toBe(CtapStatus.INVALID_CHANNEL);
    expect(hid.requestsWith(INIT)).toHaveLength(2);
  });
});

describe('disconnect', () => {
  it('fails with "disconnected" when the key is pulled mid-answer, and stays failed', async () => {
    const hid = fakeKey((message, fake) => {
      fake.sendReports(encodeMessage({ cid: message.cid, cmd: CBOR, payload: bytes(500) }).slice(0, 3));
      fake.disconnect({ delayMs: 10 });
    });
    const transport = await CtapHidTransport.open(hid);
    expect((await transportError(transport.transact(CBOR, Uint8Array.of(1)))).kind).toBe('disconnected');
    const writes = hid.writes.length;
    expect((await transportError(transport.transact(CBOR, Uint8Array.of(1)))).kind).toBe('disconnected');
    expect(hid.writes).toHaveLength(writes);
  });

  it('fails with "disconnected" when a write fails', async () => {
    const hid = fakeKey(echo);
    const transport = await CtapHidTransport.open(hid);
    hid.disconnect();
    expect((await transportError(transport.ping(bytes(4)))).kind).toBe('disconnected');
  });

  it('close() closes the connection and later calls fail', async () => {
    const hid = fakeKey(echo);
    const transport = await CtapHidTransport.open(hid);
    await transport.close();
    expect(hid.closed).toBe(true);
    expect((await transportError(transport.ping(bytes(4)))).kind).toBe('disconnected');
  });
});

describe('PING, WINK, LOCK', () => {
  it('PING checks the echo', async () => {
    const good = await CtapHidTransport.open(fakeKey(echo));
    await expect(good.ping(bytes(100))).resolves.toBeUndefined();
    const bad = await CtapHidTransport.open(fakeKey((message, fake) => fake.send({ ...message, payload: bytes(100, 3) })));
    expect(await rejection(bad.ping(bytes(100)))).toBeInstanceOf(ProtocolError);
  });

  it('WINK sends an empty WINK request', async () => {
    const hid = fakeKey((message, fake) => fake.send({ cid: message.cid, cmd: WINK, payload: new Uint8Array(0) }));
    await (await CtapHidTransport.open(hid)).wink();
    expect(hid.requestsWith(WINK)).toEqual([{ cid: CID, cmd: WINK, payload: new Uint8Array(0) }]);
  });

  it('LOCK sends the seconds byte and refuses values outside 0..10', async () => {
    const hid = fakeKey((message, fake) => fake.send({ cid: message.cid, cmd: LOCK, payload: new Uint8Array(0) }));
    const transport = await CtapHidTransport.open(hid);
    await transport.lock(10);
    expect(hid.requestsWith(LOCK)[0]!.payload).toEqual(Uint8Array.of(10));
    await expect(transport.lock(11)).rejects.toThrow(RangeError);
    await expect(transport.lock(-1)).rejects.toThrow(RangeError);
    expect(hid.requestsWith(LOCK)).toHaveLength(1);
  });
});
