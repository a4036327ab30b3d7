/**
 * ISO/IEC 7816-4 command and response APDUs as CTAP 2.1 §11.3 (NFC) uses them: short and extended
 * length encodings (§5.1), command chaining for readers that only carry short APDUs (CLA bit 0x10,
 * §5.1.1.1), GET RESPONSE on SW1 = 61 and re-send with the exact Le on SW1 = 6C (§5.1.3), and every
 * status word mapped to a typed TransportError with a plain-language message.
 *
 * The codec functions are pure; `transceive` drives them over an ApduConnection so that the same
 * exchange logic runs over PC/SC and over the in-process virtual card.
 * @module
 */
import { concatBytes } from '@noble/hashes/utils.js';
import { TransportError, throwIfAborted } from '../../errors.js';

/** The APDU-level seam under the NFC transport: one command APDU in, one response APDU out. */
export interface ApduConnection {
  /** Reader name (PC/SC) or a descriptive name; extended-APDU support is remembered per name. */
  readonly name: string;
  /**
   * Send one command APDU and return the raw response (data followed by SW1 SW2).
   * Rejects with TransportError('disconnected') when the card or reader went away.
   */
  transmit(apdu: Uint8Array, signal?: AbortSignal): Promise<Uint8Array>;
  /** Power the card off and on again (a fresh "tap"), where the reader allows it. */
  powerCycle?(signal?: AbortSignal): Promise<void>;
  /**
   * Throw TransportError('disconnected') if the card this connection was opened on has gone,
   * without sending anything (an answer kept from earlier must not outlive its card).
   */
  checkAlive?(): void;
  close(): Promise<void>;
}

export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  /** Command data (Lc is derived from its length); empty or absent = no data field. */
  data?: Uint8Array;
  /** Expected response length Ne: absent = no Le field; 256 (short) / 65536 (extended) = "all". */
  le?: number;
}

export type ApduEncoding = 'short' | 'extended';

export interface ResponseApdu {
  data: Uint8Array;
  /** SW1 << 8 | SW2. */
  sw: number;
}

/** Status words named as ISO 7816-4 §5.6 and CTAP 2.1 §11.3 name them. */
export const StatusWord = {
  SUCCESS: 0x9000,
  /** CTAP 2.1 §11.3.9: NFCCTAP_GETRESPONSE, the authenticator is still working. */
  CTAP_UPDATE: 0x9100,
  WRONG_LENGTH: 0x6700,
  LOGICAL_CHANNEL_NOT_SUPPORTED: 0x6881,
  SECURE_MESSAGING_NOT_SUPPORTED: 0x6882,
  LAST_COMMAND_EXPECTED: 0x6883,
  COMMAND_CHAINING_NOT_SUPPORTED: 0x6884,
  SECURITY_STATUS_NOT_SATISFIED: 0x6982,
  AUTH_METHOD_BLOCKED: 0x6983,
  REFERENCE_DATA_NOT_USABLE: 0x6984,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  COMMAND_NOT_ALLOWED: 0x6986,
  WRONG_DATA: 0x6a80,
  FUNCTION_NOT_SUPPORTED: 0x6a81,
  FILE_NOT_FOUND: 0x6a82,
  RECORD_NOT_FOUND: 0x6a83,
  NOT_ENOUGH_MEMORY: 0x6a84,
  INCORRECT_P1P2: 0x6a86,
  LC_INCONSISTENT_WITH_P1P2: 0x6a87,
  REFERENCED_DATA_NOT_FOUND: 0x6a88,
  WRONG_P1P2: 0x6b00,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
  NO_PRECISE_DIAGNOSIS: 0x6f00,
} as const;

/** SW1 values that are not a final status (ISO 7816-4 §5.1.3). */
const SW1_MORE_DATA = 0x61;
const SW1_WRONG_LE = 0x6c;

/** CLA bit 0x10: "command is not the last of a chain" (ISO 7816-4 §5.4.1). */
export const CLA_CHAINING = 0x10;

/** python-fido2 and libfido2 send 250 data bytes per chained APDU (some readers choke on 255). */
export const DEFAULT_CHUNK_SIZE = 250;
export const SHORT_MAX_LC = 255;
export const SHORT_MAX_LE = 256;
export const EXTENDED_MAX_LC = 65535;
export const EXTENDED_MAX_LE = 65536;

/** A card that keeps answering 61xx past this is broken; stop rather than loop forever. */
const MAX_RESPONSE_BYTES = 1 << 17;

const statusWordText = new Map<number, string>([
  [StatusWord.WRONG_LENGTH, 'wrong length'],
  [StatusWord.LOGICAL_CHANNEL_NOT_SUPPORTED, 'logical channel not supported'],
  [StatusWord.SECURE_MESSAGING_NOT_SUPPORTED, 'secure messaging not supported'],
  [StatusWord.LAST_COMMAND_EXPECTED, 'last command of the chain expected'],
  [StatusWord.COMMAND_CHAINING_NOT_SUPPORTED, 'command chaining not supported'],
  [StatusWord.SECURITY_STATUS_NOT_SATISFIED, 'security status not satisfied'],
  [StatusWord.AUTH_METHOD_BLOCKED, 'authentication method blocked'],
  [StatusWord.REFERENCE_DATA_NOT_USABLE, 'reference data not usable'],
  [StatusWord.CONDITIONS_NOT_SATISFIED, 'conditions of use not satisfied'],
  [StatusWord.COMMAND_NOT_ALLOWED, 'command not allowed'],
  [StatusWord.WRONG_DATA, 'incorrect data'],
  [StatusWord.FUNCTION_NOT_SUPPORTED, 'function not supported'],
  [StatusWord.FILE_NOT_FOUND, 'application not found'],
  [StatusWord.RECORD_NOT_FOUND, 'record not found'],
  [StatusWord.NOT_ENOUGH_MEMORY, 'not enough memory'],
  [StatusWord.INCORRECT_P1P2, 'incorrect parameters P1-P2'],
  [StatusWord.LC_INCONSISTENT_WITH_P1P2, 'Lc inconsistent with P1-P2'],
  [StatusWord.REFERENCED_DATA_NOT_FOUND, 'referenced data not found'],
  [StatusWord.WRONG_P1P2, 'wrong parameters P1-P2'],
  [StatusWord.INS_NOT_SUPPORTED, 'instruction not supported'],
  [StatusWord.CLA_NOT_SUPPORTED, 'class not supported'],
  [StatusWord.NO_PRECISE_DIAGNOSIS, 'no precise diagnosis'],
]);

/** ISO 7816-4 §5.6 groups by SW1 for status words without an exact entry. */
const sw1ClassText = new Map<number, string>([
  [0x62, 'warning, card state unchanged'],
  [0x63, 'warning, card state changed'],
  [0x64, 'execution error, card state unchanged'],
  [0x65, 'execution error, card state changed'],
  [0x66, 'security-related error'],
  [0x67, 'wrong length'],
  [0x68, 'function in CLA not supported'],
  [0x69, 'command not allowed'],
  [0x6a, 'wrong parameters'],
  [0x6b, 'wrong parameters P1-P2'],
  [0x6d, 'instruction not supported'],
  [0x6e, 'class not supported'],
  [0x6f, 'no precise diagnosis'],
  [0x91, 'proprietary status'],
]);

export function hexSw(sw: number): string {
  return sw.toString(16).toUpperCase().padStart(4, '0');
}

/** The ISO 7816-4 name of a status word, for details and traces. */
export function statusWordName(sw: number): string {
  if (sw === StatusWord.SUCCESS) return 'success';
  if (sw >> 8 === SW1_MORE_DATA) return `${sw & 0xff || 256} more bytes available`;
  if (sw >> 8 === SW1_WRONG_LE) return `wrong Le, ${sw & 0xff || 256} bytes available`;
  return statusWordText.get(sw) ?? sw1ClassText.get(sw >> 8) ?? `unassigned status word ${hexSw(sw)}`;
}

/** The typed error for a status word that is not success. */
export function statusWordError(sw: number, command = 'The command'): TransportError {
  if (sw === StatusWord.FILE_NOT_FOUND) {
    return new TransportError('not-fido', 'This card or key has no FIDO application.', {
      sw,
      guidance: 'Use a FIDO security key, or hold the key still on the reader and try again.',
    });
  }
  return new TransportError(
    'status-word',
    `${command} was refused by the card (${statusWordName(sw)}, SW ${hexSw(sw)}).`,
    { sw },
  );
}

function checkByte(value: number, field: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xff) throw new RangeError(`${field} must be a byte, got ${value}.`);
}

/** Encode one command APDU (ISO 7816-4 §5.1 cases 1–4, short or extended). */
export function encodeCommand(apdu: CommandApdu, encoding: ApduEncoding): Uint8Array {
  checkByte(apdu.cla, 'CLA');
  checkByte(apdu.ins, 'INS');
  checkByte(apdu.p1, 'P1');
  checkByte(apdu.p2, 'P2');
  const data = apdu.data ?? new Uint8Array(0);
  const extended = encoding === 'extended';
  const maxLc = extended ? EXTENDED_MAX_LC : SHORT_MAX_LC;
  const maxLe = extended ? EXTENDED_MAX_LE : SHORT_MAX_LE;
  if (data.length > maxLc) throw new RangeError(`${data.length} data bytes do not fit one ${encoding} APDU.`);
  if (apdu.le !== undefined && (!Number.isInteger(apdu.le) || apdu.le < 1 || apdu.le > maxLe)) {
    throw new RangeError(`Le ${apdu.le} is out of range for a ${encoding} APDU.`);
  }
  // Header, then the length fields and data written in place (no intermediate array: this runs
  // for every APDU).
  const hasLe = apdu.le !== undefined;
  const lcBytes = data.length === 0 ? 0 : extended ? 2 : 1;
  const leBytes = !hasLe ? 0 : extended ? 2 : 1;
  const marker = extended && (data.length > 0 || hasLe) ? 1 : 0;
  const out = new Uint8Array(4 + marker + lcBytes + data.length + leBytes);
  out.set([apdu.cla, apdu.ins, apdu.p1, apdu.p2]);
  // One 0x00 marks the extended form; it is present whether Lc, Le or both follow (already zero).
  let at = 4 + marker;
  if (extended && data.length > 0) {
    out[at++] = data.length >> 8;
    out[at++] = data.length & 0xff;
  } else if (data.length > 0) {
    out[at++] = data.length;
  }
  out.set(data, at);
  at += data.length;
  if (hasLe && extended) {
    const le = apdu.le === EXTENDED_MAX_LE ? 0 : apdu.le!;
    out[at++] = le >> 8;
    out[at] = le & 0xff;
  } else if (hasLe) {
    out[at] = apdu.le === SHORT_MAX_LE ? 0 : apdu.le!;
  }
  return out;
}

/** Decode a command APDU (the card's side). Throws TransportError('framing') when malformed. */
export function parseCommand(bytes: Uint8Array): CommandApdu & { encoding: ApduEncoding } {
  const bad = (why: string): TransportError => new TransportError('framing', `Malformed command APDU: ${why}.`);
  if (bytes.length < 4) throw bad('shorter than its 4-byte header');
  const [cla, ins, p1, p2] = [bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!];
  const body = bytes.subarray(4);
  if (body.length === 0) return { cla, ins, p1, p2, encoding: 'short' };
  if (body.length === 1) return { cla, ins, p1, p2, le: body[0]! || SHORT_MAX_LE, encoding: 'short' };
  if (body[0] !== 0) {
    // Short case 3 or 4: Lc, data, optional Le.
    const lc = body[0]!;
    if (body.length === 1 + lc) return { cla, ins, p1, p2, data: body.slice(1), encoding: 'short' };
    if (body.length === 2 + lc) return { cla, ins, p1, p2, data: body.slice(1, 1 + lc), le: body[1 + lc]! || SHORT_MAX_LE, encoding: 'short' };
    throw bad(`Lc ${lc} does not match ${body.length - 1} following bytes`);
  }
  if (body.length === 3) {
    // Extended case 2: 00 Le1 Le2.
    return { cla, ins, p1, p2, le: ((body[1]! << 8) | body[2]!) || EXTENDED_MAX_LE, encoding: 'extended' };
  }
  if (body.length < 3) throw bad('truncated extended length');
  const lc = (body[1]! << 8) | body[2]!;
  if (lc === 0) throw bad('extended Lc of zero');
  if (body.length === 3 + lc) return { cla, ins, p1, p2, data: body.slice(3), encoding: 'extended' };
  if (body.length === 5 + lc) {
    const le = ((body[3 + lc]! << 8) | body[4 + lc]!) || EXTENDED_MAX_LE;
    return { cla, ins, p1, p2, data: body.slice(3, 3 + lc), le, encoding: 'extended' };
  }
  throw bad(`extended Lc ${lc} does not match ${body.length - 3} following bytes`);
}

/** Split a response APDU into data and SW1SW2. */
export function parseResponse(bytes: Uint8Array): ResponseApdu {
  if (bytes.length < 2) {
    throw new TransportError('framing', `The card sent a ${bytes.length}-byte response, shorter than a status word.`);
  }
  const n = bytes.length;
  return { data: bytes.slice(0, n - 2), sw: (bytes[n - 2]! << 8) | bytes[n - 1]! };
}

/** Build a response APDU (the card's side). */
export function encodeResponse(data: Uint8Array, sw: number): Uint8Array {
  const out = new Uint8Array(data.length + 2);
  out.set(data);
  out[data.length] = sw >> 8;
  out[data.length + 1] = sw & 0xff;
  return out;
}

/**
 * Split a command whose data does not fit one short APDU into a chain (ISO 7816-4 §5.4.1):
 * every part but the last has CLA | 0x10 and no Le; the last keeps the caller's CLA and Le.
 */
export function chainCommand(apdu: CommandApdu, chunkSize = DEFAULT_CHUNK_SIZE): CommandApdu[] {
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > SHORT_MAX_LC) {
    throw new RangeError(`Chunk size ${chunkSize} must be 1–${SHORT_MAX_LC}.`);
  }
  const data = apdu.data ?? new Uint8Array(0);
  const parts: CommandApdu[] = [];
  let offset = 0;
  while (data.length - offset > chunkSize) {
    parts.push({ cla: apdu.cla | CLA_CHAINING, ins: apdu.ins, p1: apdu.p1, p2: apdu.p2, data: data.slice(offset, offset + chunkSize) });
    offset += chunkSize;
  }
  parts.push({ ...apdu, data: data.slice(offset) });
  return parts;
}

export interface TransceiveOptions {
  encoding: ApduEncoding;
  signal?: AbortSignal;
  /** Data bytes per chained short APDU. */
  chunkSize?: number;
  /** Called with every command APDU sent (statistics, traces). */
  onApdu?: (command: Uint8Array, response: Uint8Array) => void;
}

async function send(connection: ApduConnection, apdu: Uint8Array, options: TransceiveOptions): Promise<ResponseApdu> {
  throwIfAborted(options.signal);
  const raw = await connection.transmit(apdu, options.signal);
  options.onApdu?.(apdu, raw);
  return parseResponse(raw);
}

/**
 * Send one logical command and collect its whole answer: chains short APDUs when the data is too
 * long, follows 61xx with GET RESPONSE and 6Cxx with a re-send (ISO 7816-4 §5.1.3). Returns the
 * final status word as is (9000, 9100, or an error SW for the caller to map), except that a
 * refused link of a chain throws at once, since the card has not seen the whole command.
 */
export async function transceive(connection: ApduConnection, command: CommandApdu, options: TransceiveOptions): Promise<ResponseApdu> {
  const data = command.data ?? new Uint8Array(0);
  const parts = options.encoding === 'short' && data.length > SHORT_MAX_LC ? chainCommand(command, options.chunkSize) : [command];
  for (const part of parts.slice(0, -1)) {
    const { sw } = await send(connection, encodeCommand(part, 'short'), options);
    if (sw !== StatusWord.SUCCESS) throw statusWordError(sw, 'A chained command');
  }
  let last = parts[parts.length - 1]!;
  let response = await send(connection, encodeCommand(last, options.encoding), options);
  if (response.sw >> 8 === SW1_WRONG_LE) {
    // §5.1.3: the card tells the exact Ne; re-send once with it (a second 6Cxx is an error below).
    last = { ...last, le: response.sw & 0xff || SHORT_MAX_LE };
    response = await send(connection, encodeCommand(last, options.encoding), options);
  }
  const chunks = [response.data];
  let total = response.data.length;
  while (response.sw >> 8 === SW1_MORE_DATA) {
    const le = response.sw & 0xff || SHORT_MAX_LE;
    response = await send(connection, encodeCommand({ cla: 0x00, ins: 0xc0, p1: 0x00, p2: 0x00, le }, 'short'), options);
    // "More data" with none in this answer would repeat forever without the byte cap noticing.
    if (response.data.length === 0 && response.sw >> 8 === SW1_MORE_DATA) {
      throw new TransportError('framing', 'The card announced more data but sent none.', { sw: response.sw });
    }
    chunks.push(response.data);
    total += response.data.length;
    if (total > MAX_RESPONSE_BYTES) {
      throw new TransportError('framing', `The card kept sending more data past ${MAX_RESPONSE_BYTES} bytes.`);
    }
  }
  return { data: concatBytes(...chunks), sw: response.sw };
}

/** Throw the typed error for anything but 9000. */
export function expectSuccess(response: ResponseApdu, command?: string): Uint8Array {
  if (response.sw !== StatusWord.SUCCESS) throw statusWordError(response.sw, command);
  return response.data;
}

