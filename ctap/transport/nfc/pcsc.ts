/**
 * PC/SC discovery and card access for NFC and contact readers — the only importer of nfc-pcsc
 * (DESIGN.md "Layers"). Readers come and go, cards are presented and lifted; each reader is one
 * device, 'no-card' while empty (so the UI can say "tap your key") and 'ready' with a card on it.
 * Opening a ready device gives a CtapNfcTransport (CTAP 2.1 §11.3) over SCardTransmit.
 *
 * nfc-pcsc quirks handled here (TOOLCHAIN.md "Native modules"): autoProcessing is switched off in
 * the `reader` event itself (else it reads cards as NFC tags), every emitter gets an error handler,
 * and close() closes each pcsclite reader, without which the process never exits. pcsclite's
 * context creation spins forever while pcscd is down, so the service is checked first.
 * @module
 */
import { connect } from 'node:net';
import { TransportError } from '../../errors.js';
import type { DeviceDescriptor, Discovery, DiscoveryEvent, ListOptions } from '../discovery.js';
import type { CtapTransport } from '../transport.js';
import { CtapNfcTransport } from './nfc-transport.js';
import { PcscConnection, type CardSlot, type NfcReader } from './pcsc-connection.js';

export type { NfcReader, PcscCardReader } from './pcsc-connection.js';

export interface NfcRoot {
  on(event: 'reader', listener: (reader: NfcReader) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  close(): void;
}

export type NfcConstructor = new () => NfcRoot;

/** pcsc-lite's client socket (PCSCLITE_CSOCK_NAME overrides it, as libpcsclite itself honours). */
const DEFAULT_PCSCD_SOCKET = '/run/pcscd/pcscd.comm';
/**
 * pcsclite reports "no readers" by silence, and each reader's first status and the connect to a
 * present card arrive asynchronously; list() waits until nothing changed for this long.
 */
const SETTLE_MS = 150;
/**
 * Once every reader has reported and a card is connected, the only thing left to wait for is a
 * second reader announced a moment later; pcsclite announces all readers of one context together,
 * so a short quiet period is enough.
 */
const SETTLE_WITH_CARD_MS = 40;
/** How often list() looks at the readers while it waits. */
const SETTLE_POLL_MS = 10;
/** A present card whose connect never completes (mute card) stops holding list() after this. */
const CONNECT_GRACE_MS = 1_000;
/**
 * A reader announced without its first status yet, or no reader announced at all since start,
 * holds list() at most this long: on a busy machine those events can come later than SETTLE_MS,
 * and a list without the reader would say "no key" while a card is on it.
 */
const FIRST_STATUS_GRACE_MS = 1_000;

/** How often to look for pcscd again after it stopped or before it first starts. */
const RESTART_DELAY_MS = 1_000;

const PCSCD_GUIDANCE = 'sudo systemctl start pcscd';

/**
 * A USB YubiKey also shows up as a smart-card reader ("Yubico YubiKey OTP+FIDO+CCID 00 00") that
 * has no FIDO applet over CCID; the key is reached over USB HID, so that reader is not an NFC
 * device (ykman tells the two apart by the same name).
 */
const USB_KEY_READER = /yubico yubikey/i;

export interface PcscDiscoveryOptions {
  /** Which readers to report (tests pick the vpcd reader); default all but USB keys' own readers. */
  readerFilter?: (name: string) => boolean;
  /** pcscd's socket, for the is-it-running check (Linux). */
  socketPath?: string;
  /** Loads nfc-pcsc; tests pass a stand-in to play reader removal, which vpcd cannot. */
  library?: () => Promise<NfcConstructor>;
}

interface ReaderEntry extends CardSlot {
  /** A card is in the field but nfc-pcsc's connect has not finished (since when). */
  presentSince: number | null;
  descriptor: DeviceDescriptor;
}

export class PcscDiscovery implements Discovery {
  private readonly readerFilter: (name: string) => boolean;
  private readonly library: () => Promise<NfcConstructor>;
  private readonly entries = new Map<string, ReaderEntry>();
  private readonly ignored: NfcReader[] = [];
  private readonly listeners = new Set<(event: DiscoveryEvent) => void>();
  private nfc: NfcRoot | undefined;
  private starting: Promise<void> | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private lastChange = 0;
  private bootedAt = 0;
  /** Readers announced whose first status has not arrived yet. */
  private awaitingStatus = 0;
  private readerSeen = false;
  private closed = false;

  constructor(options: PcscDiscoveryOptions = {}) {
    this.readerFilter = options.readerFilter ?? ((name) => !USB_KEY_READER.test(name));
    const socketPath = options.socketPath ?? process.env.PCSCLITE_CSOCK_NAME ?? DEFAULT_PCSCD_SOCKET;
    this.library = options.library ?? (() => loadNfcPcsc(socketPath));
  }

  /**
   * The readers and cards present now.
   * @throws TransportError when pcscd is not running or PC/SC support cannot load.
   */
  async list(options: ListOptions = {}): Promise<DeviceDescriptor[]> {
    await this.start();
    await this.settle(options.wanted);
    return [...this.entries.values()].map((entry) => entry.descriptor);
  }

  watch(listener: (event: DiscoveryEvent) => void): () => void {
    this.listeners.add(listener);
    // A failure to start is reported by list(); watching a stack that is down reports nothing.
    this.start().catch(() => undefined);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.restartTimer);
    await this.starting?.catch(() => undefined);
    this.listeners.clear();
    this.teardown();
  }

  private start(): Promise<void> {
    if (this.closed) return Promise.reject(new TransportError('io', 'The card reader list was already closed.'));
    this.starting ??= this.boot().catch((error: unknown) => {
      // Not running yet: let list() retry, and keep trying for those watching.
      this.starting = undefined;
      this.scheduleRestart();
      throw error;
    });
    return this.starting;
  }

  private async boot(): Promise<void> {
    const Nfc = await this.library();
    if (this.closed) return;
    this.lastChange = Date.now();
    this.bootedAt = this.lastChange;
    this.awaitingStatus = 0;
    this.readerSeen = false;
    const nfc = new Nfc();
    this.nfc = nfc;
    nfc.on('error', () => {
      // pcsclite's reader monitor ends for good on any error (pcscd stopped or restarted; after
      // our own close() it is the cancelled wait): drop this context and start over.
      if (nfc === this.nfc && !this.closed) this.serviceLost();
    });
    nfc.on('reader', (reader) => this.onReader(reader, nfc));
  }

  private serviceLost(): void {
    this.teardown();
    this.starting = undefined;
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    if (this.closed || this.listeners.size === 0 || this.restartTimer !== undefined) return;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.start().catch(() => undefined);
    }, RESTART_DELAY_MS);
    // Waiting for pcscd must not keep a finished process alive.
    this.restartTimer.unref();
  }

  /** Forget every reader (reporting each as removed) and release the PC/SC context. */
  private teardown(): void {
    const nfc = this.nfc;
    this.nfc = undefined;
    for (const entry of this.entries.values()) {
      entry.card = null;
      entry.reader.reader.close();
      this.emit('removed', entry.descriptor);
    }
    this.entries.clear();
    for (const reader of this.ignored.splice(0)) reader.reader.close();
    nfc?.close();
  }

  /**
   * Wait until the readers are known: at once when the `wanted` device is ready; otherwise until
   * nothing changed for a quiet period (short once a card is connected), while no reader has been
   * seen at all or one still owes its first status (up to FIRST_STATUS_GRACE_MS), and while a
   * present card is still being connected (up to CONNECT_GRACE_MS). Every wait is bounded.
   */
  private async settle(wanted: ListOptions['wanted']): Promise<void> {
    for (;;) {
      const now = Date.now();
      const entries = [...this.entries.values()];
      if (wanted && entries.some((e) => e.descriptor.status === 'ready' && wanted(e.descriptor))) return;
      const connecting = entries.some((e) => e.presentSince !== null && now - e.presentSince < CONNECT_GRACE_MS);
      const announcing = (this.awaitingStatus > 0 || !this.readerSeen) && now - this.bootedAt < FIRST_STATUS_GRACE_MS;
      const quiet = entries.some((e) => e.card !== null) && this.awaitingStatus === 0 ? SETTLE_WITH_CARD_MS : SETTLE_MS;
      if (now - this.lastChange >= quiet && !connecting && !announcing) return;
      await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
    }
  }

  private onReader(reader: NfcReader, context: NfcRoot): void {
    // Must be set synchronously here, before nfc-pcsc handles the first card.
    reader.autoProcessing = false;
    reader.on('error', () => undefined);
    // Events still queued from a context torn down since are stale.
    const stale = (): boolean => this.nfc !== context;
    if (stale() || !this.readerFilter(reader.name)) {
      this.ignored.push(reader);
      reader.reader.close();
      return;
    }
    this.lastChange = Date.now();
    this.readerSeen = true;
    this.awaitingStatus += 1;
    const entry: ReaderEntry = { reader, generation: 0, card: null, presentSince: null, descriptor: this.descriptor(reader.name, 'no-card') };
    let statusSeen = false;
    reader.reader.on('status', (status) => {
      if (stale()) return;
      if (!statusSeen) {
        statusSeen = true;
        this.awaitingStatus -= 1;
      }
      this.lastChange = Date.now();
      const present = (status.state & reader.reader.SCARD_STATE_PRESENT) !== 0;
      if (present && !entry.card) entry.presentSince ??= Date.now();
      if (!present) entry.presentSince = null;
      if (!this.entries.has(reader.name)) {
        // First status: the reader is now known with or without a card.
        this.entries.set(reader.name, entry);
        this.emit('added', entry.descriptor);
      }
    });
    reader.on('card', (card) => {
      if (stale()) return;
      this.lastChange = Date.now();
      entry.generation += 1;
      entry.card = { atr: Uint8Array.from(card.atr ?? []) };
      entry.presentSince = null;
      this.replace(entry, 'ready');
    });
    reader.on('card.off', () => {
      if (stale()) return;
      this.lastChange = Date.now();
      entry.card = null;
      entry.presentSince = null;
      this.replace(entry, 'no-card');
    });
    reader.on('end', () => {
      this.lastChange = Date.now();
      entry.card = null;
      if (this.entries.get(reader.name) === entry) {
        this.entries.delete(reader.name);
        this.emit('removed', entry.descriptor);
      }
    });
  }

  private replace(entry: ReaderEntry, status: DeviceDescriptor['status']): void {
    const previous = entry.descriptor;
    entry.descriptor = this.descriptor(entry.reader.name, status);
    if (this.entries.get(entry.reader.name) !== entry) {
      this.entries.set(entry.reader.name, entry);
    } else {
      this.emit('removed', previous);
    }
    this.emit('added', entry.descriptor);
  }

  private emit(type: DiscoveryEvent['type'], device: DeviceDescriptor): void {
    for (const listener of this.listeners) listener({ type, device });
  }

  private descriptor(readerName: string, status: DeviceDescriptor['status']): DeviceDescriptor {
    return {
      id: `nfc:${readerName}`,
      transport: 'nfc',
      name: readerName,
      vid: null,
      pid: null,
      serial: null,
      reader: readerName,
      status,
      open: () => this.open(readerName),
    };
  }

  private async open(readerName: string): Promise<CtapTransport> {
    const entry = this.entries.get(readerName);
    if (!entry) throw new TransportError('disconnected', `The card reader "${readerName}" is no longer connected.`);
    if (!entry.card) {
      throw new TransportError('disconnected', 'There is no key on the reader.', { guidance: 'Tap your security key on the reader and hold it there.' });
    }
    return CtapNfcTransport.open(new PcscConnection(entry), { atr: entry.card.atr });
  }
}

/** nfc-pcsc, loaded only once pcscd is known to be there. */
async function loadNfcPcsc(socketPath: string): Promise<NfcConstructor> {
  await checkPcscd(socketPath);
  try {
    // nfc-pcsc is plain JavaScript, so the CLI bundle carries it (one chunk instead of five
    // CommonJS files found and read at run time); its own require of @pokusew/pcsclite, the native
    // binding, still resolves from node_modules when this runs.
    const loaded = (await import('nfc-pcsc')) as { NFC?: NfcConstructor; default?: { NFC: NfcConstructor } };
    // CommonJS through import(): Node and the ESM bundle give module.exports as `default`; the
    // app's CommonJS bundle hands over module.exports itself.
    const NFC = loaded.default?.NFC ?? loaded.NFC;
    if (!NFC) throw new TypeError('nfc-pcsc has no NFC export.');
    return NFC;
  } catch (error) {
    throw new TransportError('io', 'Card reader support (PC/SC) could not be loaded.', { guidance: 'Reinstall the app; it needs libpcsclite.' }, { cause: error });
  }
}

/** Refuse early, with guidance, when pcscd is not there (pcsclite would spin forever). */
function checkPcscd(socketPath: string): Promise<void> {
  if (process.platform !== 'linux') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.destroy();
      if (error.code === 'EACCES') {
        reject(new TransportError('permission', 'This account may not use the smart card service (pcscd).', { guidance: 'Check the polkit rules for pcscd.' }, { cause: error }));
        return;
      }
      reject(new TransportError('io', `The smart card service (pcscd) is not running: ${PCSCD_GUIDANCE}`, { guidance: PCSCD_GUIDANCE }, { cause: error }));
    });
  });
}
