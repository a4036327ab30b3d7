/**
 * PcscDiscovery's event handling with a stand-in for nfc-pcsc: readers being unplugged, cards
 * coming and going, filtering and shutdown — things vpcd cannot do (its reader never goes away).
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { Ctap2Command } from '../../ctap/ctap2/commands.js';
import { TransportError } from '../../ctap/errors.js';
import type { DiscoveryEvent } from '../../ctap/transport/discovery.js';
import { PcscDiscovery, type NfcConstructor, type NfcReader, type NfcRoot, type PcscCardReader } from '../../ctap/transport/nfc/pcsc.js';
import { TransportCommand } from '../../ctap/transport/transport.js';
import type { VirtualCard } from '../../ctap/virtual/card.js';
import { makeCard } from './helpers/virtual-card.js';

const PRESENT = 0x20;
const EMPTY = 0x10;

class FakeCardReader extends EventEmitter implements PcscCardReader {
  readonly SCARD_UNPOWER_CARD = 2;
  readonly SCARD_STATE_PRESENT = PRESENT;
  readonly SCARD_STATE_EMPTY = EMPTY;
  closed = false;
  constructor(readonly name: string) {
    super();
  }
  disconnect(_disposition: number, callback: (error?: Error) => void): void {
    callback();
  }
  close(): void {
    this.closed = true;
  }
}

class FakeReader extends EventEmitter implements NfcReader {
  autoProcessing = true;
  connection: unknown = null;
  card: VirtualCard | null = null;
  readonly reader: FakeCardReader;
  constructor(readonly name: string) {
    super();
    this.reader = new FakeCardReader(name);
  }
  async connect(): Promise<unknown> {
    this.connection = {};
    return this.connection;
  }
  async transmit(data: Buffer): Promise<Buffer> {
    if (!this.card) throw new Error('SCardTransmit error: Card was removed.(0x80100069)');
    return Buffer.from(await this.card.process(Uint8Array.from(data)));
  }
  insert(card: VirtualCard): void {
    this.card = card;
    card.powerOn();
    this.reader.emit('status', { state: PRESENT });
    this.emit('card', { atr: Buffer.from(card.atr) });
  }
  lift(): void {
    this.card?.powerOff();
    this.card = null;
    this.reader.emit('status', { state: EMPTY });
    this.emit('card.off');
  }
  unplug(): void {
    this.card = null;
    this.emit('end');
  }
}

function fakeLibrary(): { library: () => Promise<NfcConstructor>; root: () => FakeNfc; loads: () => number } {
  let instance: FakeNfc | undefined;
  let loads = 0;
  class FakeNfc extends EventEmitter implements NfcRoot {
    closed = false;
    constructor() {
      super();
      instance = this as FakeNfc;
    }
    plug(name: string, state = EMPTY): FakeReader {
      const reader = new FakeReader(name);
      this.emit('reader', reader);
      reader.reader.emit('status', { state });
      return reader;
    }
    close(): void {
      this.closed = true;
    }
  }
  return {
    library: async () => {
      loads += 1;
      return FakeNfc;
    },
    root: () => instance!,
    loads: () => loads,
  };
}
type FakeNfc = EventEmitter & NfcRoot & { closed: boolean; plug(name: string, state?: number): FakeReader };

describe('PcscDiscovery', () => {
  it('says in plain words that pcscd is not running, with the command to start it', async () => {
    const discovery = new PcscDiscovery({ socketPath: '/nonexistent/pcscd.comm' });
    const error = await discovery.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).message).toMatch(/smart card service \(pcscd\) is not running/);
    expect((error as TransportError).details.guidance).toBe('sudo systemctl start pcscd');
    await discovery.close();
  });

  it('follows a reader from empty, to a card, to unplugged, and kills open transports', async () => {
    const { library, root } = fakeLibrary();
    const discovery = new PcscDiscovery({ library });
    const events: DiscoveryEvent[] = [];
    discovery.watch((event) => events.push(event));
    expect(await discovery.list()).toEqual([]);
    const reader = root().plug('ACME Contactless 0');
    expect(reader.autoProcessing).toBe(false);
    const [empty] = await discovery.list();
    expect(empty).toMatchObject({ id: 'nfc:ACME Contactless 0', status: 'no-card', transport: 'nfc' });

    const { card } = makeCard();
    reader.insert(card);
    const [ready] = await discovery.list();
    expect(ready?.status).toBe('ready');
    const transport = await ready!.open();
    const response = await transport.transact(TransportCommand.CBOR, Uint8Array.of(Ctap2Command.GET_INFO));
    expect(response[0]).toBe(0);

    reader.unplug();
    expect(await discovery.list()).toEqual([]);
    expect(events.map((e) => `${e.type}:${e.device.status}`)).toEqual(['added:no-card', 'removed:no-card', 'added:ready', 'removed:ready']);
    await expect(transport.transact(TransportCommand.CBOR, Uint8Array.of(Ctap2Command.GET_INFO))).rejects.toMatchObject({ kind: 'disconnected' });
    await expect(ready!.open()).rejects.toMatchObject({ kind: 'disconnected' });
    await discovery.close();
  });

  it('waits for a reader whose first status comes late (a busy machine), rather than saying "no key"', async () => {
    const { library, root } = fakeLibrary();
    const discovery = new PcscDiscovery({ library });
    const listed = discovery.list();
    // The reader is announced, but its status only comes well after the settle time.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const reader = new FakeReader('Late Reader 0');
    root().emit('reader', reader);
    setTimeout(() => reader.reader.emit('status', { state: EMPTY }), 400);
    expect((await listed).map((d) => d.id)).toEqual(['nfc:Late Reader 0']);
    await discovery.close();
  });

  it('answers at once when the wanted reader has its card, even while another reader owes its status', async () => {
    const { library, root } = fakeLibrary();
    const discovery = new PcscDiscovery({ library });
    const order: string[] = [];
    const settled = discovery.list().then((devices) => (order.push('settled'), devices));
    await new Promise((resolve) => setTimeout(resolve, 10));
    root().plug('ACME Contactless 0').insert(makeCard().card);
    // A second reader is announced, but its first status comes only later.
    const late = new FakeReader('Late Reader 0');
    root().emit('reader', late);
    const wanted = await discovery.list({ wanted: (device) => device.id === 'nfc:ACME Contactless 0' });
    order.push('wanted');
    expect(wanted.map((d) => `${d.id}:${d.status}`)).toEqual(['nfc:ACME Contactless 0:ready']);
    // Without a wanted device, list() still waits for the late reader rather than leaving it out.
    late.reader.emit('status', { state: EMPTY });
    expect((await settled).map((d) => d.id)).toEqual(['nfc:ACME Contactless 0', 'nfc:Late Reader 0']);
    expect(order).toEqual(['wanted', 'settled']);
    await discovery.close();
  });

  it('settles sooner once a card is connected, but still holds on while a present card is connecting', async () => {
    vi.useFakeTimers();
    try {
      const { library, root } = fakeLibrary();
      const discovery = new PcscDiscovery({ library });
      let done = false;
      const first = discovery.list().then(() => (done = true));
      await vi.advanceTimersByTimeAsync(0);
      const reader = root().plug('ACME Contactless 0');
      reader.insert(makeCard().card);
      await vi.advanceTimersByTimeAsync(60);
      expect(done).toBe(true);
      await first;

      // A card in the field whose connect has not finished keeps list() waiting (up to its grace).
      reader.lift();
      done = false;
      const second = discovery.list().then(() => (done = true));
      reader.reader.emit('status', { state: PRESENT });
      await vi.advanceTimersByTimeAsync(500);
      expect(done).toBe(false);
      reader.insert(makeCard().card);
      await vi.advanceTimersByTimeAsync(60);
      expect(done).toBe(true);
      await second;
      await discovery.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('treats a transport opened on an earlier tap as dead after the card is lifted and tapped again', async () => {
    const { library, root } = fakeLibrary();
    const discovery = new PcscDiscovery({ library });
    await discovery.list();
    const reader = root().plug('ACME Contactless 0');
    const { card } = makeCard();
    reader.insert(card);
    const first = await (await discovery.list())[0]!.open();
    reader.lift();
    expect((await discovery.list())[0]?.status).toBe('no-card');
    reader.insert(card);
    await expect(first.transact(TransportCommand.CBOR, Uint8Array.of(Ctap2Command.GET_INFO))).rejects.toMatchObject({ kind: 'disconnected' });
    const second = await (await discovery.list())[0]!.open();
    expect((await second.transact(TransportCommand.CBOR, Uint8Array.of(Ctap2Command.GET_INFO)))[0]).toBe(0);
    await discovery.close();
  });

  it('reports only readers the filter accepts and closes every reader on close()', async () => {
    const { library, root } = fakeLibrary();
    const discovery = new PcscDiscovery({ library, readerFilter: (name) => name.startsWith('Virtual PCD') });
    await discovery.list();
    const wanted = root().plug('Virtual PCD 00 00');
    const other = root().plug('Other Reader');
    expect((await discovery.list()).map((d) => d.reader)).toEqual(['Virtual PCD 00 00']);
    expect(other.reader.closed).toBe(true);
    await discovery.close();
    expect(wanted.reader.closed).toBe(true);
    expect(root().closed).toBe(true);
  });

  it('starts over when pcscd stops and comes back (the pcsclite monitor ends on any error)', async () => {
    const { library, root, loads } = fakeLibrary();
    const discovery = new PcscDiscovery({ library });
    const events: DiscoveryEvent[] = [];
    discovery.watch((event) => events.push(event));
    await discovery.list();
    const first = root();
    const reader = first.plug('ACME Contactless 0');
    reader.insert(makeCard().card);
    const transport = await (await discovery.list())[0]!.open();
    first.emit('error', new Error('SCardGetStatusChange error: Service was stopped.(0x8010001E)'));
    expect(events.at(-1)).toMatchObject({ type: 'removed', device: { status: 'ready' } });
    expect(first.closed).toBe(true);
    expect(reader.reader.closed).toBe(true);
    await expect(transport.transact(TransportCommand.CBOR, Uint8Array.of(Ctap2Command.GET_INFO))).rejects.toMatchObject({ kind: 'disconnected' });
    // The discovery reconnects by itself and sees the readers of the new pcscd.
    while (loads() < 2) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(root()).not.toBe(first);
    root().plug('ACME Contactless 0');
    expect((await discovery.list()).map((d) => d.status)).toEqual(['no-card']);
    // Late events from the old context change nothing.
    reader.emit('card', { atr: Buffer.from([0x3b, 0x00]) });
    expect((await discovery.list()).map((d) => d.status)).toEqual(['no-card']);
    await discovery.close();
  });

  it('leaves out the smart-card reader of a USB YubiKey by default (the key is reached over HID)', async () => {
    const { library, root } = fakeLibrary();
    const discovery = new PcscDiscovery({ library });
    await discovery.list();
    root().plug('Yubico YubiKey OTP+FIDO+CCID 00 00', PRESENT);
    root().plug('ACS ACR1252 1S CL Reader PICC 0');
    expect((await discovery.list()).map((d) => d.reader)).toEqual(['ACS ACR1252 1S CL Reader PICC 0']);
    await discovery.close();
  });
});
