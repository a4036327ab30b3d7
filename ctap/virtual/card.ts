/**
 * The virtual key as a contactless card: the FIDO applet of CTAP 2.1 §11.3 answering ISO 7816-4
 * APDUs in front of a VirtualAuthenticator. It selects by AID, takes NFCCTAP_MSG as one extended
 * APDU or as a short-APDU chain (CLA bit 0x10), answers long responses to short APDUs with 61xx +
 * GET RESPONSE, answers 9100 + status byte while the authenticator is still working (when the host
 * set NFCCTAP_MSG P1 bit 0x80), and cancels on NFCCTAP_GETRESPONSE P1 = 0x11.
 *
 * Power matters: every power-on is a new "tap", which starts the reset window and clears the
 * per-power-up PIN block in the authenticator (§6.5.2, §6.6).
 * @module
 */
import { TransportError } from '../errors.js';
import { CtapStatus } from '../status.js';
import type { KeepaliveStatus } from '../transport/transport.js';
import {
  CLA_CHAINING,
  encodeResponse,
  parseCommand,
  SHORT_MAX_LE,
  StatusWord,
  type ApduConnection,
  type CommandApdu,
} from '../transport/nfc/apdu.js';
import {
  AppletVersion,
  FIDO_AID,
  NFCCTAP_CLA,
  NFCCTAP_GETRESPONSE_P1_CANCEL,
  NFCCTAP_MSG_P1_GETRESPONSE,
  NfcCtapStatus,
  NfcIns,
} from '../transport/nfc/nfc-transport.js';
import type { VirtualKeyConfig } from './config.js';
import type { FaultPlan } from './faults.js';

/** What the card needs from VirtualAuthenticator (authenticator.ts). */
export interface CardAuthenticator {
  handle(
    request: Uint8Array,
    io: { transport: 'nfc'; channel: number; signal: AbortSignal; keepalive(status: KeepaliveStatus): void },
  ): Promise<Uint8Array>;
  powerUp(): void;
  /** Faults to show on the NFC side (faults.ts); none when absent. */
  readonly faults?: Pick<FaultPlan, 'active'>;
}

export interface VirtualCardOptions {
  authenticator: CardAuthenticator;
  config: Pick<VirtualKeyConfig, 'supports'>;
  /** false simulates a short-APDU-only path (reader or card): extended APDUs get 6700. */
  acceptExtended?: boolean;
  /** How long GETRESPONSE waits for the authenticator before answering 9100 again. */
  responseHoldMs?: number;
}

const INS_GET_RESPONSE = 0xc0;
const CLA_ISO = 0x00;

interface Job {
  readonly abort: AbortController;
  readonly progress: { status: KeepaliveStatus; result: Uint8Array | undefined };
  readonly done: Promise<void>;
}

const sw = (code: number): Uint8Array => encodeResponse(new Uint8Array(0), code);

export class VirtualCard {
  private powered = false;
  private selected = false;
  private chain: { header: CommandApdu; data: number[] } | undefined;
  /** Response bytes still to be fetched with GET RESPONSE. */
  private pending: Uint8Array | undefined;
  private job: Job | undefined;
  private readonly authenticator: CardAuthenticator;
  private readonly config: Pick<VirtualKeyConfig, 'supports'>;
  private readonly acceptExtended: boolean;
  private readonly responseHoldMs: number;

  constructor(options: VirtualCardOptions) {
    this.authenticator = options.authenticator;
    this.config = options.config;
    this.acceptExtended = options.acceptExtended ?? true;
    this.responseHoldMs = options.responseHoldMs ?? 100;
  }

  /**
   * Answer-to-reset as PC/SC part 3 builds it for an ISO 14443-4 card: 3B 8n 80 01, then the
   * historical bytes (here: compact-TLV card capabilities, ISO 7816-4 §12.1.1.9 — command
   * chaining, and extended Lc/Le only when accepted), then TCK.
   */
  get atr(): Uint8Array {
    const historical = [0x80, 0x73, 0x80, 0x01, this.acceptExtended ? 0xc0 : 0x80];
    const body = [0x80 | historical.length, 0x80, 0x01, ...historical];
    const tck = body.reduce((x, b) => x ^ b, 0);
    return Uint8Array.from([0x3b, ...body, tck]);
  }

  get isPowered(): boolean {
    return this.powered;
  }

  /** The field comes up: a new power-up for the authenticator (reset window, PIN block). */
  powerOn(): void {
    this.stopJob();
    this.powered = true;
    this.selected = false;
    this.chain = undefined;
    this.pending = undefined;
    this.authenticator.powerUp();
  }

  /** The card leaves the field: whatever it was doing is abandoned. */
  powerOff(): void {
    this.stopJob();
    this.powered = false;
    this.selected = false;
    this.chain = undefined;
    this.pending = undefined;
  }

  /** An in-process ApduConnection (tests and the fast path; vpcd.ts is the real-stack one). */
  connect(name = 'Virtual card'): ApduConnection {
    if (!this.powered) this.powerOn();
    return {
      name,
      transmit: (apdu) => this.process(apdu),
      checkAlive: () => {
        if (!this.powered) throw new TransportError('disconnected', 'The card is not in the reader field.');
      },
      powerCycle: async () => {
        this.powerOff();
        this.powerOn();
      },
      close: async () => {},
    };
  }

  /**
   * Answer one command APDU.
   * @throws TransportError('disconnected') when the card is not powered (nothing would answer).
   */
  async process(bytes: Uint8Array): Promise<Uint8Array> {
    if (!this.powered) throw new TransportError('disconnected', 'The card is not in the reader field.');
    let command: CommandApdu & { encoding: 'short' | 'extended' };
    try {
      command = parseCommand(bytes);
    } catch {
      return sw(StatusWord.WRONG_LENGTH);
    }
    if (command.encoding === 'extended' && !this.acceptExtended) return sw(StatusWord.WRONG_LENGTH);
    if (command.cla === CLA_ISO && command.ins === INS_GET_RESPONSE) return this.getResponse(command.le ?? SHORT_MAX_LE);
    this.pending = undefined;

    if (command.cla & CLA_CHAINING) {
      if (this.authenticator.faults?.active('removal-mid-chain')) {
        this.powerOff();
        throw new TransportError('disconnected', 'The card left the reader field in the middle of a chained command.');
      }
      const header = { ...command, cla: command.cla & ~CLA_CHAINING };
      if (this.chain && !sameHeader(this.chain.header, header)) {
        this.chain = undefined;
        return sw(StatusWord.LAST_COMMAND_EXPECTED);
      }
      this.chain ??= { header, data: [] };
      this.chain.data.push(...(command.data ?? []));
      return sw(StatusWord.SUCCESS);
    }
    if (this.chain) {
      const chain = this.chain;
      this.chain = undefined;
      if (!sameHeader(chain.header, command)) return sw(StatusWord.LAST_COMMAND_EXPECTED);
      command = { ...command, data: Uint8Array.from([...chain.data, ...(command.data ?? [])]) };
    }
    return this.dispatch(command);
  }

  private async dispatch(command: CommandApdu): Promise<Uint8Array> {
    const le = command.le ?? SHORT_MAX_LE;
    if (command.cla === CLA_ISO && command.ins === NfcIns.SELECT) return this.select(command);
    if (command.cla !== CLA_ISO && command.cla !== NFCCTAP_CLA) return sw(StatusWord.CLA_NOT_SUPPORTED);
    if (!this.selected) return sw(StatusWord.CONDITIONS_NOT_SATISFIED);
    // U2F APDUs (CLA 00) are not simulated: VirtualAuthenticator speaks CTAP2 only.
    if (command.cla === CLA_ISO || !this.config.supports.ctap2) return sw(StatusWord.INS_NOT_SUPPORTED);
    // Only where the client said it polls (NFCCTAP_MSG P1 0x80, §11.3.4), so the U2F_V2 probe still works.
    const polled = command.ins === NfcIns.NFCCTAP_GETRESPONSE || (command.ins === NfcIns.NFCCTAP_MSG && (command.p1 & NFCCTAP_MSG_P1_GETRESPONSE) !== 0);
    if (polled && this.authenticator.faults?.active('endless-9100')) {
      // Still "processing" whatever is asked, until cancelled (then the usual KEEPALIVE_CANCEL).
      if (command.ins === NfcIns.NFCCTAP_GETRESPONSE && command.p1 === NFCCTAP_GETRESPONSE_P1_CANCEL) return encodeResponse(Uint8Array.of(CtapStatus.KEEPALIVE_CANCEL), StatusWord.SUCCESS);
      return encodeResponse(Uint8Array.of(NfcCtapStatus.PROCESSING), StatusWord.CTAP_UPDATE);
    }
    if (command.ins === NfcIns.NFCCTAP_MSG) {
      if (this.job) return sw(StatusWord.CONDITIONS_NOT_SATISFIED);
      const data = command.data ?? new Uint8Array(0);
      if (data.length === 0) return sw(StatusWord.WRONG_LENGTH);
      const job = this.startJob(data);
      if (command.p1 & NFCCTAP_MSG_P1_GETRESPONSE) return this.awaitJob(job, le, this.responseHoldMs);
      return this.awaitJob(job, le, Infinity);
    }
    if (command.ins === NfcIns.NFCCTAP_GETRESPONSE) {
      const job = this.job;
      if (!job) return sw(StatusWord.CONDITIONS_NOT_SATISFIED);
      if (command.p1 === NFCCTAP_GETRESPONSE_P1_CANCEL) {
        job.abort.abort();
        return this.awaitJob(job, le, Infinity);
      }
      if (command.p1 !== 0x00 || command.p2 !== 0x00) return sw(StatusWord.INCORRECT_P1P2);
      return this.awaitJob(job, le, this.responseHoldMs);
    }
    return sw(StatusWord.INS_NOT_SUPPORTED);
  }

  private select(command: CommandApdu): Uint8Array {
    if (command.p1 !== 0x04) return sw(StatusWord.INCORRECT_P1P2);
    const aid = command.data ?? new Uint8Array(0);
    if (aid.length !== FIDO_AID.length || aid.some((b, i) => b !== FIDO_AID[i])) {
      this.selected = false;
      return sw(StatusWord.FILE_NOT_FOUND);
    }
    this.selected = true;
    this.stopJob();
    // §11.3.3: a key that also speaks U2F answers U2F_V2 for backwards compatibility.
    const version = this.config.supports.u2f ? AppletVersion.U2F_V2 : AppletVersion.FIDO_2_0;
    return encodeResponse(new TextEncoder().encode(version), StatusWord.SUCCESS);
  }

  private startJob(request: Uint8Array): Job {
    const abort = new AbortController();
    // handle() may report keepalive synchronously, before it returns its promise.
    const progress: { status: KeepaliveStatus; result: Uint8Array | undefined } = { status: 'processing', result: undefined };
    const done = this.authenticator
      .handle(request, {
        transport: 'nfc',
        channel: 0,
        signal: abort.signal,
        keepalive: (status) => {
          progress.status = status;
        },
      })
      .then(
        (response) => {
          progress.result = response;
        },
        () => {
          // The authenticator failed unexpectedly; a real applet answers with no diagnosis.
          progress.result = undefined;
        },
      );
    const job: Job = { abort, progress, done };
    this.job = job;
    return job;
  }

  /** Wait up to `holdMs` for the job; answer its result, or 9100 + status while still busy. */
  private async awaitJob(job: Job, le: number, holdMs: number): Promise<Uint8Array> {
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      job.done.then(() => true),
      ...(holdMs === Infinity ? [] : [new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), holdMs)))]),
    ]);
    clearTimeout(timer);
    if (this.job !== job) return sw(StatusWord.CONDITIONS_NOT_SATISFIED);
    if (!finished) {
      const status = job.progress.status === 'user-presence-needed' ? NfcCtapStatus.UP_NEEDED : NfcCtapStatus.PROCESSING;
      return encodeResponse(Uint8Array.of(status), StatusWord.CTAP_UPDATE);
    }
    this.job = undefined;
    if (!job.progress.result) return sw(StatusWord.NO_PRECISE_DIAGNOSIS);
    return this.respond(job.progress.result, le);
  }

  /** Send at most Le bytes; the rest waits for GET RESPONSE (ISO 7816-4 §5.1.3). */
  private respond(data: Uint8Array, le: number): Uint8Array {
    if (data.length <= le) return encodeResponse(data, StatusWord.SUCCESS);
    this.pending = data.slice(le);
    return encodeResponse(data.subarray(0, le), 0x6100 | (Math.min(this.pending.length, 256) & 0xff));
  }

  private getResponse(le: number): Uint8Array {
    const pending = this.pending;
    this.pending = undefined;
    if (!pending) return sw(StatusWord.CONDITIONS_NOT_SATISFIED);
    return this.respond(pending, le);
  }

  private stopJob(): void {
    this.job?.abort.abort();
    this.job = undefined;
  }
}

function sameHeader(a: CommandApdu, b: CommandApdu): boolean {
  return a.cla === b.cla && a.ins === b.ins && a.p1 === b.p1 && a.p2 === b.p2;
}
