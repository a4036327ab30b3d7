/**
 * Fault injection: named ways a simulated key misbehaves on purpose, so that clients (this app's
 * and other people's) can be tested against the faults real firmware shows. A fault is switched
 * on in the key's configuration (`VirtualKeyConfig.faults`, fixed for the key's life, like every
 * other Config field); what it has counted so far lives in a FaultPlan next to the authenticator,
 * never in the persisted state.
 *
 * Layers: "ctap" faults change the authenticator's answer (CTAP 2.1 §6 statuses and bodies),
 * "hid" faults the CTAPHID framing around it (§11.2), "nfc" faults the ISO 7816 exchange (§11.3).
 * `afterCommands` lets the first N CTAP commands through untouched (a key that degrades).
 * @module
 */
import { Encoder } from 'cbor-x/encode';
import { decodeStrict, encodeCanonical, type CborMap } from '../cbor.js';
import { CtapStatus } from '../status.js';

export const FAULTS = {
  'endless-keepalive': { layer: 'hid', description: 'Answers CTAP2 requests with KEEPALIVE PROCESSING forever (until CANCEL)' },
  'endless-keepalive-touch': { layer: 'hid', description: 'Answers CTAP2 requests with KEEPALIVE UPNEEDED forever (until CANCEL)' },
  'wrong-channel': { layer: 'hid', description: 'Sends each CTAP2 answer on another CTAPHID channel' },
  'dropped-response': { layer: 'hid', description: 'Does the work but never sends the CTAP2 answer' },
  'answer-before-timeout': { layer: 'hid', description: 'Answers silently, faultDelayMs late (set it just under the client timeout)' },
  'late-answer-after-cancel': { layer: 'hid', description: 'Ignores CANCEL and answers the cancelled request faultDelayMs later' },
  'channel-busy': { layer: 'hid', description: 'Answers the first two CTAP2 requests with ERR_CHANNEL_BUSY' },
  'invalid-channel-once': { layer: 'hid', description: 'Forgets the channel once: ERR_INVALID_CHANNEL for the first CTAP2 request' },
  'wrong-sequence': { layer: 'hid', description: 'Numbers the continuation packets of long answers out of order' },
  'truncated-response': { layer: 'hid', description: 'Sends only the first packet of a long answer' },
  'hid-error': { layer: 'hid', description: 'Answers CTAP2 requests with a CTAPHID ERROR frame (ERR_OTHER)' },
  'endless-9100': { layer: 'nfc', description: 'Answers NFCCTAP_MSG and NFCCTAP_GETRESPONSE with 9100 forever' },
  'removal-mid-chain': { layer: 'nfc', description: 'Leaves the reader field in the middle of a chained command' },
  'garbage-cbor': { layer: 'ctap', description: 'Answers OK followed by bytes that are not CBOR' },
  'non-canonical-cbor': { layer: 'ctap', description: 'Answers with map keys in reverse (non-canonical) order' },
  'inflated-enumeration': { layer: 'ctap', description: 'Claims 65 535 RPs / credentials when enumerating passkeys' },
  'negative-retries': { layer: 'ctap', description: 'Answers getPINRetries / getUVRetries with -1 (seen on open-source firmware)' },
  'pin-auth-blocked': { layer: 'ctap', description: 'Refuses PIN use with PIN_AUTH_BLOCKED (3 wrong PINs since power-up)' },
  'pin-blocked': { layer: 'ctap', description: 'Refuses PIN use with PIN_BLOCKED (no retries left)' },
  'uv-blocked': { layer: 'ctap', description: 'Refuses built-in verification with UV_BLOCKED' },
  'no-touch': { layer: 'ctap', description: 'Nobody touches the key: commands needing presence end in USER_ACTION_TIMEOUT' },
  'reset-too-late': { layer: 'ctap', description: 'Refuses reset with NOT_ALLOWED (outside the window after power-up)' },
  'key-store-full': { layer: 'ctap', description: 'Refuses to store passkeys with KEY_STORE_FULL' },
  'status-other': { layer: 'ctap', description: 'Answers every CTAP2 command with CTAP1_ERR_OTHER' },
} as const satisfies Record<string, { layer: 'hid' | 'nfc' | 'ctap'; description: string }>;

export type FaultName = keyof typeof FAULTS;

export function isFaultName(name: string): name is FaultName {
  return Object.hasOwn(FAULTS, name);
}

/** Default faultDelayMs: just under the production transport's 5 s silence timeout. */
export const DEFAULT_FAULT_DELAY_MS = 4_500;

const ClientPinSub = { getPinRetries: 0x01, changePin: 0x04, getPinToken: 0x05, tokenUsingUv: 0x06, getUvRetries: 0x07, tokenUsingPin: 0x09 } as const;
const Command = { MAKE_CREDENTIAL: 0x01, GET_ASSERTION: 0x02, CLIENT_PIN: 0x06, RESET: 0x07, BIO: 0x09, CRED_MGMT: 0x0a, SELECTION: 0x0b, BIO_PRE: 0x40, CRED_MGMT_PRE: 0x41 } as const;
/** §6.8 totalRPs (0x05) and totalCredentials (0x09); §6.5.5 pinRetries (0x03) and uvRetries (0x05). */
const CredMgmtTotals = [0x05, 0x09];

const looseEncoder = new Encoder({ useRecords: false, mapsAsObjects: false, variableMapSize: true, tagUint8Array: false });

/** The faults switched on for one key, and what they have counted. */
export class FaultPlan {
  #commands = 0;
  #busyAnswers = 0;
  #channelForgotten = false;
  readonly delayMs: number;
  readonly #names: Set<FaultName>;
  readonly #afterCommands: number;

  constructor(options: { names?: readonly FaultName[]; afterCommands?: number; delayMs?: number } = {}) {
    this.#names = new Set(options.names ?? []);
    this.#afterCommands = options.afterCommands ?? 0;
    this.delayMs = options.delayMs ?? DEFAULT_FAULT_DELAY_MS;
  }

  /** Switch every fault off (the key behaves again; counters keep counting). */
  clear(): void {
    this.#names.clear();
  }

  /** Whether `name` is on and its first `afterCommands` commands have been answered. */
  active(name: FaultName): boolean {
    return this.#names.has(name) && this.#commands >= this.#afterCommands;
  }

  /** Count one answered CTAP command (the authenticator calls it once its answer is final). */
  countCommand(): void {
    this.#commands += 1;
  }

  /** ERR_CHANNEL_BUSY for the first two requests while 'channel-busy' is on. */
  takeBusyAnswer(): boolean {
    if (!this.active('channel-busy') || this.#busyAnswers >= 2) return false;
    this.#busyAnswers += 1;
    return true;
  }

  /** ERR_INVALID_CHANNEL once while 'invalid-channel-once' is on. */
  takeChannelLoss(): boolean {
    if (!this.active('invalid-channel-once') || this.#channelForgotten) return false;
    this.#channelForgotten = true;
    return true;
  }

  /** A status that replaces the whole answer to `command`, or null to run it normally. */
  refusal(command: number, subCommand: unknown): number | null {
    if (this.active('status-other')) return CtapStatus.OTHER;
    const pinUse = command === Command.CLIENT_PIN && (subCommand === ClientPinSub.getPinToken || subCommand === ClientPinSub.tokenUsingPin || subCommand === ClientPinSub.changePin);
    if (pinUse && this.active('pin-auth-blocked')) return CtapStatus.PIN_AUTH_BLOCKED;
    if (pinUse && this.active('pin-blocked')) return CtapStatus.PIN_BLOCKED;
    const uvUse = (command === Command.CLIENT_PIN && subCommand === ClientPinSub.tokenUsingUv) || command === Command.BIO || command === Command.BIO_PRE;
    if (uvUse && this.active('uv-blocked')) return CtapStatus.UV_BLOCKED;
    const needsTouch = command === Command.MAKE_CREDENTIAL || command === Command.GET_ASSERTION || command === Command.RESET || command === Command.SELECTION;
    if (needsTouch && this.active('no-touch')) return CtapStatus.USER_ACTION_TIMEOUT;
    if (command === Command.RESET && this.active('reset-too-late')) return CtapStatus.NOT_ALLOWED;
    if (command === Command.MAKE_CREDENTIAL && this.active('key-store-full')) return CtapStatus.KEY_STORE_FULL;
    return null;
  }

  /** Rewrite a successful answer (status byte + CBOR) the way the active faults say. */
  rewrite(command: number, subCommand: unknown, response: Uint8Array): Uint8Array {
    if (response[0] !== CtapStatus.OK) return response;
    if (this.active('garbage-cbor')) return Uint8Array.of(CtapStatus.OK, 0xff, 0x00, 0x13, 0x37);
    const changed = this.#changedFields(command, subCommand);
    const nonCanonical = this.active('non-canonical-cbor');
    if (!changed && !nonCanonical) return response;
    if (response.length === 1) return response;
    let body = decodeStrict(response.subarray(1)) as CborMap;
    if (changed) body = new Map([...body].map(([key, value]) => [key, changed.has(key as number) ? changed.get(key as number)! : value]));
    // Reversed keys, written by a generic (non-canonical) encoder: well-formed CBOR, wrong order.
    const encoded = nonCanonical && body.size > 1 ? looseEncoder.encode(new Map([...body].reverse())) : encodeCanonical(body);
    const out = new Uint8Array(1 + encoded.length);
    out.set(encoded, 1);
    return out;
  }

  /** Fields to overwrite in this answer (only those the answer has). */
  #changedFields(command: number, subCommand: unknown): Map<number, number> | null {
    if (this.active('inflated-enumeration') && (command === Command.CRED_MGMT || command === Command.CRED_MGMT_PRE)) {
      return new Map(CredMgmtTotals.map((key) => [key, 0xffff]));
    }
    if (this.active('negative-retries') && command === Command.CLIENT_PIN && (subCommand === ClientPinSub.getPinRetries || subCommand === ClientPinSub.getUvRetries)) {
      return new Map([[0x03, -1], [0x05, -1]]);
    }
    return null;
  }
}
