/**
 * Every parser that reads bytes from outside the process, as a fuzz target: CTAPHID reassembly
 * (§11.2.4), APDU responses, GET RESPONSE and chaining (ISO 7816-4), strict CBOR (§8), getInfo
 * (§6.4), the response of every command family (clientPIN §6.5, makeCredential §6.1 with
 * authData and attestation, getAssertion §6.2, credentialManagement §6.8, bioEnrollment §6.7) and
 * the virtual key's state-file loader. Command families run through their real client code over a
 * transport that answers with the fuzzed body, so the parsing in the client methods is covered too.
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { decodeFirst, decodeMap, decodeStrict, encodeCanonical, type CborMap, type CborValue } from '../../ctap/cbor.js';
import { BioEnrollment } from '../../ctap/ctap2/bio-enrollment.js';
import { ClientPin, Permission, type PinUvAuthToken } from '../../ctap/ctap2/client-pin.js';
import { Ctap2Command } from '../../ctap/ctap2/commands.js';
import { CredentialManagement } from '../../ctap/ctap2/credential-management.js';
import { parseAssertion } from '../../ctap/ctap2/get-assertion.js';
import { parseInfo } from '../../ctap/ctap2/info.js';
import { checkAttestation, parseAuthenticatorData, parseMakeCredentialResponse } from '../../ctap/ctap2/make-credential.js';
import { PinProtocolV2 } from '../../ctap/ctap2/pin-protocol.js';
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import { MessageReassembler } from '../../ctap/transport/hid/framing.js';
import { parseResponse, transceive, type ApduConnection } from '../../ctap/transport/nfc/apdu.js';
import type { CtapTransport } from '../../ctap/transport/transport.js';
import { parseStateFile } from '../../ctap/virtual/state.js';
import { channels } from '../../main/ipc/contract.js';
import type { Corpus } from './corpus.js';

export interface FuzzTarget {
  name: string;
  /** Recorded inputs this parser sees in real life. */
  seeds: Uint8Array[];
  /** Share of the cases (relative weight); slow targets get fewer. */
  weight: number;
  /** Whether the structure-aware CBOR cases make sense for it. */
  structured: boolean;
  run(input: Uint8Array): unknown;
}

const HID_REPORT = 64;

/** getInfo of a key that can do everything, so that every client method gets to send. */
const CAPABLE_INFO = encodeCanonical(
  new Map<number, CborValue>([
    [0x01, ['FIDO_2_0', 'FIDO_2_1']],
    [0x03, new Uint8Array(16).fill(0x5a)],
    [0x04, new Map([['clientPin', true], ['pinUvAuthToken', true], ['credMgmt', true], ['bioEnroll', true], ['uv', true], ['rk', true]])],
    [0x06, [2, 1]],
  ]),
);

/** Answers getInfo with CAPABLE_INFO and every other command with OK + the current input. */
class ReplyTransport implements CtapTransport {
  readonly kind = 'hid' as const;
  readonly capabilities = { cbor: true, msg: false, wink: false };
  body: Uint8Array = new Uint8Array(0);

  async transact(_command: number, data: Uint8Array): Promise<Uint8Array> {
    const body = data[0] === Ctap2Command.GET_INFO ? CAPABLE_INFO : this.body;
    const out = new Uint8Array(1 + body.length);
    out.set(body, 1);
    return out;
  }

  async wink(): Promise<void> {}
  async close(): Promise<void> {}
}

const reply = new ReplyTransport();
const session = new Ctap2Session(reply);
const token: PinUvAuthToken = {
  protocol: new PinProtocolV2(),
  token: new Uint8Array(32).fill(0x11),
  permissions: Permission.cm | Permission.be,
  legacy: false,
  dispose: () => undefined,
};
const clientDataHash = sha256(utf8ToBytes('fuzz'));
const rpIdHash = sha256(utf8ToBytes('a.example'));

/** Run a client method whose answer is `input`; every method is tried, the first failure wins. */
async function answering(input: Uint8Array, calls: (() => Promise<unknown>)[]): Promise<void> {
  reply.body = input;
  let failure: unknown;
  for (const call of calls) {
    try {
      await call();
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== undefined) throw failure;
}

/** The input cut into 64-byte reports (the last one padded), fed to one reassembler. */
function reassemble(input: Uint8Array): void {
  const reassembler = new MessageReassembler();
  let failure: unknown;
  for (let offset = 0; offset < Math.max(input.length, 1); offset += HID_REPORT) {
    const report = new Uint8Array(HID_REPORT);
    report.set(input.subarray(offset, offset + HID_REPORT));
    try {
      reassembler.push(report);
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== undefined) throw failure;
}

/** A card that answers every APDU with `input` (so 61xx and 6Cxx loops are exercised). */
async function throughCard(input: Uint8Array): Promise<void> {
  parseResponse(input);
  const card: ApduConnection = { name: 'fuzz', transmit: async () => input, close: async () => undefined };
  await transceive(card, { cla: 0x80, ins: 0x10, p1: 0, p2: 0, data: new Uint8Array(300), le: 256 }, { encoding: 'short' });
}

function groupReports(reports: Uint8Array[]): Uint8Array[] {
  const seeds: Uint8Array[] = [];
  for (let i = 0; i < reports.length; i += 3) {
    const group = reports.slice(i, i + 1 + (i % 4));
    const joined = new Uint8Array(group.length * HID_REPORT);
    group.forEach((report, n) => joined.set(report.subarray(0, HID_REPORT), n * HID_REPORT));
    seeds.push(joined);
  }
  return seeds;
}

function allBodies(corpus: Corpus): Uint8Array[] {
  return [...corpus.getInfo, ...corpus.clientPin, ...corpus.makeCredential, ...corpus.getAssertion, ...corpus.credentialManagement, ...corpus.bioEnrollment];
}

function authDataOf(corpus: Corpus): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const body of [...corpus.makeCredential, ...corpus.getAssertion]) {
    const authData = (decodeStrict(body) as CborMap).get(2);
    if (authData instanceof Uint8Array) out.push(authData);
  }
  return out;
}

export function fuzzTargets(corpus: Corpus): FuzzTarget[] {
  return [
    { name: 'ctaphid-reassembly', seeds: groupReports(corpus.hidReports), weight: 10, structured: false, run: reassemble },
    { name: 'apdu-response', seeds: corpus.apduResponses, weight: 8, structured: false, run: throughCard },
    {
      name: 'cbor-strict',
      seeds: allBodies(corpus),
      weight: 14,
      structured: true,
      run: (input) => {
        let failure: unknown;
        try {
          decodeStrict(input);
        } catch (error) {
          failure = error;
        }
        decodeFirst(input);
        if (failure !== undefined) throw failure;
      },
    },
    { name: 'getInfo', seeds: corpus.getInfo, weight: 10, structured: true, run: (input) => parseInfo(decodeMap(input)) },
    {
      name: 'clientPin',
      seeds: corpus.clientPin,
      weight: 4,
      structured: true,
      run: (input) => {
        const pin = new ClientPin(session);
        return answering(input, [() => pin.getPinRetries(), () => pin.getUvRetries(), () => pin.getToken('24681357', { permissions: Permission.cm })]);
      },
    },
    {
      name: 'makeCredential',
      seeds: corpus.makeCredential,
      weight: 8,
      structured: true,
      run: (input) => checkAttestation(parseMakeCredentialResponse(decodeMap(input), 'a.example'), clientDataHash),
    },
    { name: 'getAssertion', seeds: corpus.getAssertion, weight: 8, structured: true, run: (input) => parseAssertion(decodeMap(input), { rpId: 'a.example' }) },
    { name: 'authData', seeds: authDataOf(corpus), weight: 8, structured: false, run: (input) => parseAuthenticatorData(input) },
    {
      name: 'credentialManagement',
      seeds: corpus.credentialManagement,
      weight: 4,
      structured: true,
      run: (input) => {
        const cm = new CredentialManagement(session, token);
        return answering(input, [() => cm.getMetadata(), () => cm.enumerateRps(), () => cm.enumerateCredentials(rpIdHash)]);
      },
    },
    {
      name: 'bioEnrollment',
      seeds: corpus.bioEnrollment,
      weight: 4,
      structured: true,
      run: (input) => {
        const bio = new BioEnrollment(session, token);
        return answering(input, [() => bio.getFingerprintSensorInfo(), () => bio.enrollBegin(), () => bio.enumerateEnrollments()]);
      },
    },
    { name: 'stateFile', seeds: corpus.stateFile, weight: 6, structured: false, run: (input) => parseStateFile(new TextDecoder().decode(input), 'fuzz.json') },
    { name: 'ipcInput', seeds: IPC_SEEDS, weight: 6, structured: false, run: parseIpcInput },
  ];
}

/** Requests the renderer really sends, as JSON (what arrives over IPC, structured-cloned). */
const IPC_SEEDS = [
  { operation: 'passkeys.delete', runId: 'r1', deviceId: 'usb:1', input: { credentialId: 'AAAA' } },
  { operation: 'settings.minPinLength', runId: 'r2', input: { minPinLength: 8, rpIds: ['example.com'], forceChangePin: true } },
  { operation: 'reset', runId: 'r3', input: { known: { passkeys: { passkeys: 2, sites: 1 }, fingerprints: 1 } } },
  { kind: 'pin', id: 'op1.1', pin: '123456' },
  { kind: 'confirm', id: 'op1.2', yes: true },
].map((request) => utf8ToBytes(JSON.stringify(request)));

/**
 * A renderer's request against every channel's schema (main/ipc/contract.ts): a malformed one
 * must be refused as data (safeParse's result), never throw — the router turns it into BAD_REQUEST.
 */
function parseIpcInput(input: Uint8Array): unknown {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(input));
  } catch {
    return undefined;
  }
  return Object.values(channels).map((channel) => channel.input.safeParse(value).success);
}
