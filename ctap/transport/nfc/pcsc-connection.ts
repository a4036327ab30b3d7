/**
 * One card in one PC/SC reader as an ApduConnection (SCardTransmit through nfc-pcsc), with the
 * pcsclite errors mapped to typed TransportErrors. pcsc.ts owns the readers and loads the native
 * module; this file only uses the shapes below, so it stays free of native imports.
 * @module
 */
import { FidoError, TransportError, abortable } from '../../errors.js';
import type { ApduConnection } from './apdu.js';

/** The parts of @pokusew/pcsclite's CardReader used here. */
export interface PcscCardReader {
  readonly name: string;
  readonly SCARD_UNPOWER_CARD: number;
  readonly SCARD_STATE_PRESENT: number;
  readonly SCARD_STATE_EMPTY: number;
  disconnect(disposition: number, callback: (error?: Error) => void): void;
  on(event: 'status', listener: (status: { state: number }) => void): void;
  close(): void;
}

/** The parts of nfc-pcsc's Reader used here (it ships no types). */
export interface NfcReader {
  readonly name: string;
  readonly reader: PcscCardReader;
  autoProcessing: boolean;
  connection: unknown;
  connect(): Promise<unknown>;
  transmit(data: Buffer, responseMaxLength: number): Promise<Buffer>;
  on(event: 'card', listener: (card: { atr?: Buffer }) => void): void;
  on(event: 'card.off' | 'end', listener: () => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
}

/** A reader and the card on it, as PcscDiscovery tracks them. */
export interface CardSlot {
  readonly reader: NfcReader;
  /** Bumped on every card arrival; a connection opened on an earlier card is dead. */
  generation: number;
  card: { atr: Uint8Array } | null;
}

/** Largest response an extended APDU can carry: 65536 data bytes + SW1 SW2. */
const MAX_RESPONSE_LENGTH = 65538;

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The card is gone: SCARD_E_NO_SMARTCARD, W_REMOVED_CARD, W_UNPOWERED_CARD, W_UNRESPONSIVE_CARD,
 * W_RESET_CARD, E_READER_UNAVAILABLE, E_UNKNOWN_READER, nfc-pcsc's "no card", and
 * E_NOT_TRANSACTED — on a contactless reader a transaction fails when the card leaves the field
 * mid-APDU, and the removal event only follows (pcscd's vpcd and CCID drivers both do this).
 */
const CARD_GONE = /0x8010000C|0x80100069|0x80100067|0x80100066|0x80100068|0x80100017|0x80100009|0x80100016|not connected|No card/i;

/** SCardTransmit on the card currently in one reader; dead once that card is lifted. */
export class PcscConnection implements ApduConnection {
  readonly name: string;
  private readonly generation: number;
  /** pcsclite must not see two transmits on one card handle at once. */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly entry: CardSlot) {
    this.name = entry.reader.name;
    this.generation = entry.generation;
  }

  transmit(apdu: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    // A view for the native side (it copies the bytes itself), and one plain copy of the answer.
    const command = Buffer.from(apdu.buffer, apdu.byteOffset, apdu.byteLength);
    return this.run(() => this.entry.reader.transmit(command, MAX_RESPONSE_LENGTH), signal).then((response) => new Uint8Array(response));
  }

  /** Power the card off and on through the reader (SCARD_UNPOWER_CARD, then connect again). */
  powerCycle(signal?: AbortSignal): Promise<void> {
    return this.run(async () => {
      const { reader } = this.entry;
      await new Promise<void>((resolve, reject) => reader.reader.disconnect(reader.reader.SCARD_UNPOWER_CARD, (error) => (error ? reject(error) : resolve())));
      reader.connection = null;
      await reader.connect();
    }, signal);
  }

  async close(): Promise<void> {
    // The card handle belongs to the reader for as long as the card stays on it.
    this.closed = true;
  }

  /**
   * Run one native operation after the previous one has really finished. An abort stops the
   * caller's wait, not the operation: the queue still waits for it, so pcsclite never sees two
   * operations on one card handle at once.
   */
  private run<T>(operation: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    const native = this.queue.then(() => {
      this.checkAlive();
      return operation();
    });
    this.queue = native.catch(() => undefined);
    return abortable(native, signal).catch((error: unknown) => {
      throw error instanceof FidoError ? error : toTransportError(error);
    });
  }

  checkAlive(): void {
    if (this.closed) throw new TransportError('disconnected', 'This connection to the key was closed.');
    if (!this.entry.card || this.entry.generation !== this.generation) {
      throw new TransportError('disconnected', 'The key was lifted off the reader.', { guidance: 'Tap your key again and hold it still.' });
    }
  }
}

function toTransportError(error: unknown): TransportError {
  // nfc-pcsc wraps pcsclite's error (which carries the SCARD code) in `previous`.
  const previous = error instanceof Error ? (error as Error & { previous?: unknown }).previous : undefined;
  const detail = `${describeError(error)} ${previous === undefined ? '' : describeError(previous)}`;
  if (CARD_GONE.test(detail)) {
    return new TransportError('disconnected', 'The key was lifted off the reader.', { guidance: 'Tap your key again and hold it still.' }, { cause: error });
  }
  return new TransportError('io', 'The card reader failed to exchange data with the key.', {}, { cause: error });
}
