/**
 * Seed corpus for the fuzzer: real bytes, recorded. Every virtual-key preset runs a short script
 * of real operations (getInfo, clientPIN, makeCredential, getAssertion, credential management,
 * fingerprint enrollment) through the production CTAPHID transport and through the NFC card; every
 * CTAP response, every 64-byte HID report and every response APDU is kept, grouped by the parser
 * that reads it. Plus published vectors from real YubiKeys and the state files of those keys.
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { BioEnrollment } from '../../ctap/ctap2/bio-enrollment.js';
import { ClientPin, Permission, type PinUvAuthToken } from '../../ctap/ctap2/client-pin.js';
import { Ctap2Command } from '../../ctap/ctap2/commands.js';
import { CredentialManagement } from '../../ctap/ctap2/credential-management.js';
import { getAssertion } from '../../ctap/ctap2/get-assertion.js';
import { bioEnrollmentSupport, credentialManagementSupport } from '../../ctap/ctap2/info.js';
import { makeCredential } from '../../ctap/ctap2/make-credential.js';
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import { decodeStrict, type CborMap } from '../../ctap/cbor.js';
import { FidoError } from '../../ctap/errors.js';
import { CtapHidTransport } from '../../ctap/transport/hid/hid-transport.js';
import type { HidConnection } from '../../ctap/transport/hid/hid-connection.js';
import type { ApduConnection } from '../../ctap/transport/nfc/apdu.js';
import { CtapNfcTransport } from '../../ctap/transport/nfc/nfc-transport.js';
import type { CtapTransport, TransactOptions } from '../../ctap/transport/transport.js';
import { VirtualCard } from '../../ctap/virtual/card.js';
import { presets } from '../../ctap/virtual/config.js';
import { serializeState } from '../../ctap/virtual/state.js';
import { VirtualKey } from '../../ctap/virtual/virtual-key.js';

/** Which parser a recorded response feeds. */
export type SeedKind =
  | 'getInfo'
  | 'clientPin'
  | 'makeCredential'
  | 'getAssertion'
  | 'credentialManagement'
  | 'bioEnrollment'
  | 'hidReports'
  | 'apduResponses'
  | 'stateFile';

export type Corpus = Record<SeedKind, Uint8Array[]>;

const hex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));

/**
 * Published getInfo bodies of real keys (the same vectors as test/unit/info.test.ts): YubiKey 5
 * firmware 5.2 from libfido2's fuzz/wiredata_fido2.h, and "Security Key by Yubico" from
 * python-fido2's tests/test_ctap2.py.
 */
const REAL_GET_INFO = [
  'a90183665532465f5632684649444f5f325f306c4649444f5f325f315f50524502826b6372656450726f746563746b686d61632d73656372657403501956e5bda37445f1a814356403fdbc1804a562726bf5627570f564706c6174f469636c69656e7450696ef47563726564656e7469616c4d676d7450726576696577f5051904b006810107080818800a82a263616c672664747970656a7075626c69632d6b6579a263616c672764747970656a7075626c69632d6b6579',
  'a60182665532465f5632684649444f5f325f3002826375766d6b686d61632d7365637265740350f8a011f38c0a4d15800617111f9edc7d04a462726bf5627570f564706c6174f469636c69656e7450696ef4051904b0068101',
];

const PIN = '24681357';

/** A transport that keeps every CTAP2 response body (status byte removed), keyed by command. */
class RecordingTransport implements CtapTransport {
  constructor(
    private readonly inner: CtapTransport,
    private readonly corpus: Corpus,
  ) {}

  get kind() {
    return this.inner.kind;
  }

  get capabilities() {
    return this.inner.capabilities;
  }

  async transact(command: number, data: Uint8Array, options?: TransactOptions): Promise<Uint8Array> {
    const response = await this.inner.transact(command, data, options);
    const kind = kindOf(data[0]);
    if (kind && response[0] === 0 && response.length > 1) this.corpus[kind].push(response.slice(1));
    return response;
  }

  wink(options?: TransactOptions): Promise<void> {
    return this.inner.wink(options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

function kindOf(command: number | undefined): SeedKind | undefined {
  switch (command) {
    case Ctap2Command.GET_INFO:
      return 'getInfo';
    case Ctap2Command.CLIENT_PIN:
      return 'clientPin';
    case Ctap2Command.MAKE_CREDENTIAL:
      return 'makeCredential';
    case Ctap2Command.GET_ASSERTION:
    case Ctap2Command.GET_NEXT_ASSERTION:
      return 'getAssertion';
    case Ctap2Command.CREDENTIAL_MANAGEMENT:
    case Ctap2Command.CREDENTIAL_MANAGEMENT_PREVIEW:
      return 'credentialManagement';
    case Ctap2Command.BIO_ENROLLMENT:
    case Ctap2Command.BIO_ENROLLMENT_PREVIEW:
      return 'bioEnrollment';
    default:
      return undefined;
  }
}

/** A HID handle that keeps every report the key sends. */
function recordingHid(inner: HidConnection, reports: Uint8Array[]): HidConnection {
  return {
    write: (report) => inner.write(report),
    read: async (timeoutMs) => {
      const report = await inner.read(timeoutMs);
      if (report) reports.push(report.slice());
      return report;
    },
    close: () => inner.close(),
  };
}

/** A card connection that keeps every response APDU. */
function recordingCard(inner: ApduConnection, responses: Uint8Array[]): ApduConnection {
  return {
    ...inner,
    transmit: async (apdu, signal) => {
      const response = await inner.transmit(apdu, signal);
      responses.push(response.slice());
      return response;
    },
  };
}

/** What a person does with a key, in short: PIN, two passkeys, sign-in, list, fingerprints. */
async function exercise(session: Ctap2Session): Promise<void> {
  const info = await session.getInfo();
  if (!info.versions.some((v) => v.startsWith('FIDO_2'))) return;
  const clientPin = new ClientPin(session);
  let token: PinUvAuthToken | undefined;
  if (info.options.clientPin !== undefined) {
    await clientPin.getPinRetries();
    if (!info.options.clientPin) await clientPin.setPin(PIN);
    session.invalidateInfo();
  }
  const clientDataHash = sha256(utf8ToBytes('fuzz corpus'));
  for (const [n, rpId] of ['a.example', 'b.example', 'a.example'].entries()) {
    token = info.options.clientPin !== undefined ? await clientPin.getToken(PIN, { permissions: Permission.mc | Permission.ga, rpId }) : undefined;
    await makeCredential(session, {
      clientDataHash,
      rp: { id: rpId, name: `RP ${rpId}` },
      user: { id: Uint8Array.of(n + 1), name: `user${n}`, displayName: `User ${n}` },
      residentKey: info.options.rk === true,
      ...(token ? { token } : {}),
    });
  }
  await getAssertion(session, { rpId: 'a.example', clientDataHash }).catch(ignoreFido);
  const refreshed = await session.getInfo({ refresh: true });
  if (credentialManagementSupport(refreshed) !== 'none') {
    const cm = new CredentialManagement(session, await clientPin.getToken(PIN, { permissions: Permission.cm }));
    await cm.getMetadata();
    for (const { rpIdHash } of await cm.enumerateRps()) await cm.enumerateCredentials(rpIdHash);
  }
  if (bioEnrollmentSupport(refreshed) !== 'none') {
    const bio = new BioEnrollment(session, await clientPin.getToken(PIN, { permissions: Permission.be }));
    await bio.getFingerprintSensorInfo();
    const begun = await bio.enrollBegin();
    let remaining = begun.remainingSamples;
    while (remaining > 0) remaining = (await bio.enrollCaptureNextSample(begun.templateId)).remainingSamples;
    await bio.enumerateEnrollments();
  }
}

function ignoreFido(error: unknown): void {
  if (!(error instanceof FidoError)) throw error;
}

/** Record the seed corpus from every preset, over USB and over NFC. */
export async function recordCorpus(): Promise<Corpus> {
  const corpus: Corpus = {
    getInfo: REAL_GET_INFO.map(hex),
    clientPin: [],
    makeCredential: [],
    getAssertion: [],
    credentialManagement: [],
    bioEnrollment: [],
    hidReports: [],
    apduResponses: [],
    stateFile: [],
  };
  for (const preset of Object.keys(presets)) {
    const usb = VirtualKey.create({ preset });
    const hid = await CtapHidTransport.open(recordingHid(usb.openHid(), corpus.hidReports));
    await exercise(new Ctap2Session(new RecordingTransport(hid, corpus))).catch(ignoreFido);
    await hid.close();
    corpus.stateFile.push(utf8ToBytes(serializeState({ preset, state: usb.state })));

    const nfc = VirtualKey.create({ preset });
    const card = new VirtualCard({ authenticator: nfc.authenticator, config: nfc.config });
    try {
      const transport = await CtapNfcTransport.open(recordingCard(card.connect(`Fuzz reader ${preset}`), corpus.apduResponses));
      await exercise(new Ctap2Session(new RecordingTransport(transport, corpus))).catch(ignoreFido);
    } catch (error) {
      ignoreFido(error);
    }
  }
  return corpus;
}

/** Decode a recorded body (they are all canonical CBOR maps). */
export function decodedSeed(bytes: Uint8Array): CborMap | null {
  try {
    const value = decodeStrict(bytes);
    return value instanceof Map ? value : null;
  } catch {
    return null;
  }
}
