/**
 * A CTAP2 session over one transport — CTAP 2.1 §8 "Message Encoding": a request is the command
 * byte followed by a CBOR map of parameters; a response is a status byte followed by an optional
 * CBOR map. getInfo is cached (it is the capability source for everything above); requests larger
 * than the key's maxMsgSize are refused before sending, as python-fido2 does.
 * @module
 */
import { decodeMap, encodeCanonical, type CborMap } from '../cbor.js';
import { CtapError, ProtocolError } from '../errors.js';
import { CtapStatus } from '../status.js';
import { TransportCommand, type CtapTransport, type TransactOptions } from '../transport/transport.js';
import { Ctap2Command } from './commands.js';
import { parseInfo, type AuthenticatorInfo } from './info.js';

/** One CTAP2 exchange as seen by a tracer; params are the decoded maps (redact before showing). */
export interface TraceEvent {
  direction: 'request' | 'response';
  command: number;
  status?: number;
  params?: CborMap;
  byteLength: number;
  /** On a response: milliseconds from handing the request to the transport to its answer. */
  elapsedMs?: number;
}

export interface SessionOptions {
  /** Observer for every request/response (main/service/trace.ts redacts and records). */
  onTrace?: (event: TraceEvent) => void;
}

export class Ctap2Session {
  private info: AuthenticatorInfo | undefined;
  /** The CBOR map of the cached getInfo as the key sent it (for the diagnostic-notation view). */
  private infoBytes: Uint8Array | undefined;

  constructor(
    readonly transport: CtapTransport,
    private readonly options: SessionOptions = {},
  ) {}

  /** authenticatorGetInfo, cached after the first call unless `refresh` is set. */
  async getInfo(options: TransactOptions & { refresh?: boolean } = {}): Promise<AuthenticatorInfo> {
    if (this.info && !options.refresh) return this.info;
    const response = await this.send(Ctap2Command.GET_INFO, undefined, options);
    if (!response) throw new ProtocolError('getInfo returned no data.');
    this.info = parseInfo(response);
    return this.info;
  }

  /** The cached getInfo, if any (never sends). */
  get cachedInfo(): AuthenticatorInfo | undefined {
    return this.info;
  }

  /** The bytes of the cached getInfo's CBOR map exactly as the key sent them, if any (never sends). */
  get cachedInfoBytes(): Uint8Array | undefined {
    return this.infoBytes;
  }

  /** Forget cached getInfo — after anything that changes it (PIN set, config, reset). */
  invalidateInfo(): void {
    this.info = undefined;
    this.infoBytes = undefined;
  }

  /**
   * Send one CTAP2 command. Returns the decoded response map, or undefined for an empty body.
   * @throws CtapError for a non-zero status, ProtocolError for a malformed answer.
   */
  async send(command: number, params?: CborMap, options: TransactOptions = {}): Promise<CborMap | undefined> {
    const body = params && params.size > 0 ? encodeCanonical(params) : new Uint8Array(0);
    const request = new Uint8Array(1 + body.length);
    request[0] = command;
    request.set(body, 1);
    if (this.info && request.length > this.info.maxMsgSize) {
      throw new CtapError(CtapStatus.REQUEST_TOO_LARGE, command);
    }
    const { onTrace } = this.options;
    onTrace?.({ direction: 'request', command, params, byteLength: request.length });
    const started = onTrace ? performance.now() : 0;
    const response = await this.transport.transact(TransportCommand.CBOR, request, options);
    const elapsedMs = onTrace ? performance.now() - started : 0;
    if (response.length === 0) throw new ProtocolError(`Empty response to command 0x${command.toString(16)}.`);
    const status = response[0]!;
    const decoded = status === CtapStatus.OK && response.length > 1 ? decodeMap(response.subarray(1)) : undefined;
    onTrace?.({ direction: 'response', command, status, params: decoded, byteLength: response.length, elapsedMs });
    if (status !== CtapStatus.OK) throw new CtapError(status, command);
    if (command === Ctap2Command.GET_INFO) this.infoBytes = response.slice(1);
    else if (changesInfo(command, params)) this.invalidateInfo();
    return decoded;
  }
}

/** Subcommand numbers that change what getInfo reports (CTAP 2.1 §6.4 fields in brackets). */
const infoChangingSubCommands = new Map<number, ReadonlySet<number>>([
  // setPIN, changePIN [options.clientPin, forcePINChange]
  [Ctap2Command.CLIENT_PIN, new Set([0x03, 0x04])],
  // deleteCredential [remainingDiscoverableCredentials]
  [Ctap2Command.CREDENTIAL_MANAGEMENT, new Set([0x06])],
  [Ctap2Command.CREDENTIAL_MANAGEMENT_PREVIEW, new Set([0x06])],
  // enrollBegin, enrollCaptureNextSample, removeEnrollment [options.bioEnroll]
  [Ctap2Command.BIO_ENROLLMENT, new Set([0x01, 0x02, 0x06])],
  [Ctap2Command.BIO_ENROLLMENT_PREVIEW, new Set([0x01, 0x02, 0x06])],
]);
/** Commands that may change getInfo whatever their parameters. */
const infoChangingCommands = new Set<number>([
  Ctap2Command.RESET, // every option back to factory
  Ctap2Command.CONFIG, // alwaysUv, ep, minPINLength, forcePINChange
  Ctap2Command.MAKE_CREDENTIAL, // remainingDiscoverableCredentials
]);

/**
 * Whether a successful command makes the cached getInfo stale. Kept here, next to the cache, so
 * no caller can forget it; read-only commands (token requests, enumerations) keep the cache, so
 * listing passkeys costs exactly the transactions it must.
 */
function changesInfo(command: number, params: CborMap | undefined): boolean {
  if (infoChangingCommands.has(command)) return true;
  const subCommands = infoChangingSubCommands.get(command);
  if (!subCommands) return false;
  // credMgmt carries its subcommand under key 0x01 (§6.8); clientPIN and bio under 0x02 (§6.5, §6.7).
  const credMgmt = command === Ctap2Command.CREDENTIAL_MANAGEMENT || command === Ctap2Command.CREDENTIAL_MANAGEMENT_PREVIEW;
  const key = credMgmt ? 0x01 : 0x02;
  const sub = params?.get(key);
  return typeof sub === 'number' && subCommands.has(sub);
}
