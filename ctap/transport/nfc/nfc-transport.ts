/**
 * CTAP over NFC and contact smart-card readers — CTAP 2.1 §11.3 "ISO7816, ISO14443 and Near Field
 * Communication (NFC)", following python-fido2's CtapPcscDevice: SELECT the FIDO applet, send CTAP2
 * requests in NFCCTAP_MSG, poll NFCCTAP_GETRESPONSE while the key answers 9100 (reporting its
 * status byte as keepalive), cancel with NFCCTAP_GETRESPONSE P1 = 0x11, and pass U2F (CTAPHID_MSG)
 * APDUs through unchanged. Polling stops at the transaction's overall deadline (deadline.ts): a
 * card that answers 9100 forever is cancelled and reported as a timeout.
 *
 * Extended APDUs are tried once per reader and card type; when refused, the transport falls back to
 * short APDUs with command chaining and remembers that, as many NFC readers carry only short frames.
 * @module
 */
import { CancelledError, TransportError, UnsupportedError, throwIfAborted } from '../../errors.js';
import { CtapStatus } from '../../status.js';
import { TransactionDeadline, type DeadlineOptions } from '../deadline.js';
import { TransportCommand, type CtapTransport, type KeepaliveStatus, type TransactOptions, type TransportCapabilities } from '../transport.js';
import {
  encodeResponse,
  expectSuccess,
  parseCommand,
  SHORT_MAX_LE,
  EXTENDED_MAX_LE,
  StatusWord,
  transceive,
  type ApduConnection,
  type ApduEncoding,
  type CommandApdu,
  type ResponseApdu,
} from './apdu.js';

/** The FIDO applet's AID (CTAP 2.1 §11.3.3). */
export const FIDO_AID = Uint8Array.of(0xa0, 0x00, 0x00, 0x06, 0x47, 0x2f, 0x00, 0x01);

/** Instruction bytes used on the FIDO applet (ISO 7816-4 SELECT; CTAP 2.1 §11.3.4–§11.3.6). */
export const NfcIns = {
  SELECT: 0xa4,
  NFCCTAP_MSG: 0x10,
  NFCCTAP_GETRESPONSE: 0x11,
} as const;

/** CLA of the CTAP-specific instructions (proprietary class, §11.3.4). */
export const NFCCTAP_CLA = 0x80;
/** NFCCTAP_MSG P1: the client supports NFCCTAP_GETRESPONSE, so the key may answer 9100 (§11.3.4). */
export const NFCCTAP_MSG_P1_GETRESPONSE = 0x80;
/** NFCCTAP_GETRESPONSE P1 that cancels the command in progress. */
export const NFCCTAP_GETRESPONSE_P1_CANCEL = 0x11;

/** Status byte carried with SW 9100 (same values as CTAPHID_KEEPALIVE, §11.3.5). */
export const NfcCtapStatus = {
  PROCESSING: 0x01,
  UP_NEEDED: 0x02,
} as const;

/** The applet's answer to SELECT (§11.3.3): U2F_V2 when it speaks U2F (maybe CTAP2 too). */
export const AppletVersion = {
  FIDO_2_0: 'FIDO_2_0',
  U2F_V2: 'U2F_V2',
} as const;

/** authenticatorGetInfo (§6.4): the CTAP2 probe for keys that answer SELECT with U2F_V2. */
const CTAP2_GET_INFO = 0x04;

/** SWs with which a card or reader refuses an extended APDU itself (not the command inside). */
const EXTENDED_REFUSED = new Set<number>([
  StatusWord.WRONG_LENGTH,
  StatusWord.CLA_NOT_SUPPORTED,
  StatusWord.WRONG_DATA,
  StatusWord.LOGICAL_CHANNEL_NOT_SUPPORTED,
]);

/** What was learnt per reader + card type (ATR), so the probe costs one APDU per process. */
const knownEncodings = new Map<string, ApduEncoding>();

export interface NfcTransportStats {
  /** Command APDUs sent, including chained parts, GET RESPONSE and NFCCTAP_GETRESPONSE polls. */
  apdus: number;
  bytesOut: number;
  bytesIn: number;
}

export interface NfcOpenOptions extends DeadlineOptions {
  signal?: AbortSignal;
  /** Force an encoding instead of probing (tests, readers known to be short-only). */
  encoding?: ApduEncoding;
  /** The card's ATR: extended-APDU support is remembered per reader name and ATR. */
  atr?: Uint8Array;
}

const keepaliveOf = (status: number | undefined): KeepaliveStatus | undefined =>
  status === NfcCtapStatus.PROCESSING ? 'processing' : status === NfcCtapStatus.UP_NEEDED ? 'user-presence-needed' : undefined;

export class CtapNfcTransport implements CtapTransport {
  readonly kind = 'nfc' as const;
  readonly stats: NfcTransportStats = { apdus: 0, bytesOut: 0, bytesIn: 0 };
  private caps: TransportCapabilities = { cbor: false, msg: false, wink: false };
  private version = '';
  /**
   * The probe's getInfo answer, kept until the next command: a session's first command is getInfo,
   * and nothing was sent in between that could change it, so the key is not asked twice. Served
   * only over a connection that can tell, without sending, whether its card is still there.
   */
  private probedInfo: Uint8Array | null = null;
  private readonly cacheKey: string;

  private constructor(
    private readonly connection: ApduConnection,
    private readonly forcedEncoding: ApduEncoding | undefined,
    atr: Uint8Array | undefined,
    private readonly deadlines: DeadlineOptions,
  ) {
    this.cacheKey = `${connection.name}|${atr ? Buffer.from(atr).toString('hex') : ''}`;
    const cycle = connection.powerCycle?.bind(connection);
    if (cycle) {
      this.powerCycle = async (options = {}) => {
        await cycle(options.signal);
        await this.select(options.signal);
      };
    }
  }

  /**
   * SELECT the FIDO applet and learn what it speaks. A U2F_V2 answer does not rule CTAP2 out
   * (§11.3.3: keys that also speak U2F must answer U2F_V2), so such keys are probed with getInfo,
   * as python-fido2 does.
   * @throws TransportError('not-fido') when the card has no FIDO applet.
   */
  static async open(connection: ApduConnection, options: NfcOpenOptions = {}): Promise<CtapNfcTransport> {
    const deadlines = { processingDeadlineMs: options.processingDeadlineMs, touchDeadlineMs: options.touchDeadlineMs };
    const transport = new CtapNfcTransport(connection, options.encoding, options.atr, deadlines);
    await transport.select(options.signal);
    return transport;
  }

  get capabilities(): TransportCapabilities {
    return this.caps;
  }

  /** The applet's version string from SELECT ("FIDO_2_0", "U2F_V2"). */
  get appletVersion(): string {
    return this.version;
  }

  /**
   * Switch the card off and on (a new "tap") and select the applet again. The reset command's
   * 10-second window (§6.6) starts at this power-up. Only on readers that can unpower a card
   * (else the person lifts the key and taps it again).
   */
  readonly powerCycle?: (options?: { signal?: AbortSignal }) => Promise<void>;

  async transact(command: number, data: Uint8Array, options: TransactOptions = {}): Promise<Uint8Array> {
    throwIfAborted(options.signal);
    const probedInfo = this.probedInfo;
    this.probedInfo = null;
    if (command === TransportCommand.CBOR && probedInfo && data.length === 1 && data[0] === CTAP2_GET_INFO && this.connection.checkAlive) {
      this.connection.checkAlive();
      return probedInfo;
    }
    if (command === TransportCommand.CBOR) {
      if (!this.caps.cbor) throw new UnsupportedError('ctap2', 'This key only speaks U2F over NFC; it has no FIDO2 features.');
      return this.cbor(data, options);
    }
    if (command === TransportCommand.MSG) {
      if (!this.caps.msg) throw new UnsupportedError('u2f', 'This key does not speak U2F over NFC.');
      // CTAPHID_MSG carries a whole U2F APDU; the answer keeps its SW, as over USB (U2F NFC §3).
      const response = await this.exchange(parseCommand(data), options.signal);
      return encodeResponse(response.data, response.sw);
    }
    throw new UnsupportedError('nfc-command', `Command 0x${command.toString(16)} exists only on USB (CTAPHID), not over NFC.`);
  }

  async wink(): Promise<void> {
    throw new UnsupportedError('wink', 'A key on an NFC reader cannot blink to show itself.');
  }

  async close(): Promise<void> {
    await this.connection.close();
  }

  private async select(signal: AbortSignal | undefined): Promise<void> {
    this.probedInfo = null;
    const apdu: CommandApdu = { cla: 0x00, ins: NfcIns.SELECT, p1: 0x04, p2: 0x00, data: FIDO_AID, le: SHORT_MAX_LE };
    const response = await transceive(this.connection, apdu, { encoding: 'short', signal, onApdu: this.count });
    this.version = Buffer.from(expectSuccess(response, 'Selecting the FIDO application')).toString('latin1');
    if (this.version === AppletVersion.FIDO_2_0) {
      this.caps = { cbor: true, msg: false, wink: false };
      return;
    }
    this.caps = { cbor: true, msg: this.version === AppletVersion.U2F_V2, wink: false };
    // Probe with getInfo, the one command every CTAP2 key answers and no reset quirk counts.
    const probe = await this.exchange({ cla: NFCCTAP_CLA, ins: NfcIns.NFCCTAP_MSG, p1: 0x00, p2: 0x00, data: Uint8Array.of(CTAP2_GET_INFO) }, signal);
    if (probe.sw === StatusWord.SUCCESS) {
      // Only a successful answer is worth keeping for the session.
      if (probe.data[0] === CtapStatus.OK) this.probedInfo = probe.data;
      return;
    }
    if (!this.caps.msg) throw new TransportError('not-fido', `The card's FIDO application answered "${this.version}", which is not a FIDO version.`, { sw: probe.sw });
    this.caps = { cbor: false, msg: true, wink: false };
  }

  private async cbor(data: Uint8Array, options: TransactOptions): Promise<Uint8Array> {
    const { signal, onKeepalive, timeoutMs } = options;
    const overall = new TransactionDeadline(this.deadlines);
    // The caller's signal is checked between APDUs, not inside one: a half-sent exchange would
    // leave the card mid-command, and cancelling needs the next APDU slot anyway.
    let response = await this.timed({ cla: NFCCTAP_CLA, ins: NfcIns.NFCCTAP_MSG, p1: NFCCTAP_MSG_P1_GETRESPONSE, p2: 0x00, data }, timeoutMs);
    let last: KeepaliveStatus | undefined;
    while (response.sw === StatusWord.CTAP_UPDATE) {
      const status = keepaliveOf(response.data[0]);
      if (status) overall.saw(status);
      if (status && status !== last) {
        last = status;
        onKeepalive?.(status);
      }
      if (signal?.aborted) {
        await this.cancel();
        throw new CancelledError();
      }
      if (overall.expired) {
        await this.cancel();
        throw overall.error();
      }
      response = await this.timed({ cla: NFCCTAP_CLA, ins: NfcIns.NFCCTAP_GETRESPONSE, p1: 0x00, p2: 0x00 }, timeoutMs);
    }
    const body = expectSuccess(response, 'The FIDO command');
    if (body.length === 0) throw new TransportError('framing', 'The key answered a FIDO command with no status byte.', { sw: response.sw });
    return body;
  }

  /**
   * One exchange that must be answered within `timeoutMs` (TransactOptions.timeoutMs). Each 9100
   * is an answer, so a key that keeps reporting "waiting for touch" never times out here.
   */
  private async timed(command: CommandApdu, timeoutMs: number | undefined): Promise<ResponseApdu> {
    if (timeoutMs === undefined) return this.exchange(command, undefined);
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      return await this.exchange(command, timeout);
    } catch (error) {
      if (error instanceof CancelledError && timeout.aborted) {
        throw new TransportError('timeout', 'The key stopped answering.', { guidance: 'Hold the key still on the reader and try again.' });
      }
      throw error;
    }
  }

  /** Tell the key to stop waiting (for a touch); its answer no longer matters. */
  private async cancel(): Promise<void> {
    try {
      await this.exchange({ cla: NFCCTAP_CLA, ins: NfcIns.NFCCTAP_GETRESPONSE, p1: NFCCTAP_GETRESPONSE_P1_CANCEL, p2: 0x00 }, undefined);
    } catch (error) {
      // The card may already be gone; the caller gets CancelledError either way.
      if (!(error instanceof TransportError)) throw error;
    }
  }

  /** One command with the encoding this reader takes, probing extended APDUs the first time. */
  private async exchange(command: CommandApdu, signal: AbortSignal | undefined): Promise<ResponseApdu> {
    const known = this.forcedEncoding ?? knownEncodings.get(this.cacheKey);
    if (known) return this.send(command, known, signal);
    try {
      const response = await this.send(command, 'extended', signal);
      if (!EXTENDED_REFUSED.has(response.sw)) {
        knownEncodings.set(this.cacheKey, 'extended');
        return response;
      }
    } catch (error) {
      if (!(error instanceof TransportError) || error.kind === 'not-fido') throw error;
    }
    // Remembered only once short APDUs worked: a card lifted mid-probe proves nothing.
    const response = await this.send(command, 'short', signal);
    knownEncodings.set(this.cacheKey, 'short');
    return response;
  }

  private send(command: CommandApdu, encoding: ApduEncoding, signal: AbortSignal | undefined): Promise<ResponseApdu> {
    // Always ask for everything: Le = 256 (short, then 61xx) or 65536 (extended).
    const le = encoding === 'extended' ? EXTENDED_MAX_LE : SHORT_MAX_LE;
    return transceive(this.connection, { ...command, le }, { encoding, signal, onApdu: this.count });
  }

  private readonly count = (command: Uint8Array, response: Uint8Array): void => {
    this.stats.apdus += 1;
    this.stats.bytesOut += command.length;
    this.stats.bytesIn += response.length;
  };
}
