/**
 * authenticatorGetAssertion (0x02) and authenticatorGetNextAssertion (0x08) — CTAP 2.1 §6.2 and
 * §6.3. Platform side: build the request (pinUvAuthParam = authenticate(token, clientDataHash),
 * §6.2.2), parse each assertion, walk the remaining ones when numberOfCredentials > 1, and verify
 * an assertion signature against a credential public key.
 * @module
 */
import type { CborMap, CborValue } from '../cbor.js';
import { ProtocolError } from '../errors.js';
import type { TransactOptions } from '../transport/transport.js';
import type { PinUvAuthToken } from './client-pin.js';
import { Ctap2Command } from './commands.js';
import { descriptorToCbor, type CredentialDescriptor } from './entities.js';
import {
  checkRpIdHash,
  parseAuthenticatorData,
  verifySignature,
  type AuthenticatorData,
  type CredentialPublicKey,
} from './make-credential.js';
import type { Ctap2Session } from './session.js';

/** authenticatorGetAssertion parameter keys (§6.2). */
export const GetAssertionKey = {
  rpId: 0x01,
  clientDataHash: 0x02,
  allowList: 0x03,
  extensions: 0x04,
  options: 0x05,
  pinUvAuthParam: 0x06,
  pinUvAuthProtocol: 0x07,
} as const;

/** authenticatorGetAssertion / GetNextAssertion response keys (§6.2). */
export const GetAssertionResponseKey = {
  credential: 0x01,
  authData: 0x02,
  signature: 0x03,
  user: 0x04,
  numberOfCredentials: 0x05,
  userSelected: 0x06,
  largeBlobKey: 0x07,
} as const;

export interface GetAssertionRequest extends TransactOptions {
  rpId: string;
  /** SHA-256 of the client data; 32 bytes. */
  clientDataHash: Uint8Array;
  /** Empty or absent: the key looks for discoverable credentials of rpId. */
  allowList?: CredentialDescriptor[];
  /** Option up; default true. false = silent probe (no touch, no UP flag). */
  userPresence?: boolean;
  /** Ask for built-in UV (option uv); never together with a token. */
  userVerification?: boolean;
  /** A token with the ga permission; pinUvAuthParam is computed over clientDataHash. */
  token?: PinUvAuthToken;
  /** Ask for the credential's largeBlobKey (§12.3); it comes back as largeBlobKey (0x07). */
  largeBlobKey?: boolean;
}

export interface AssertionUser {
  id: Uint8Array;
  name: string | null;
  displayName: string | null;
}

export interface Assertion {
  credentialId: Uint8Array;
  authData: AuthenticatorData;
  /** ASN.1 DER for ES256. */
  signature: Uint8Array;
  /** Present for discoverable credentials. */
  user: AssertionUser | null;
  /** Total number of matching credentials; only on the first response, when more than one. */
  numberOfCredentials: number | null;
  userSelected: boolean;
  largeBlobKey: Uint8Array | null;
}

/**
 * Send authenticatorGetAssertion and parse the first assertion.
 * @throws CtapError with the key's status (NO_CREDENTIALS, PUAT_REQUIRED, PIN_AUTH_INVALID …).
 */
export async function getAssertion(session: Ctap2Session, request: GetAssertionRequest): Promise<Assertion> {
  const { signal, onKeepalive, timeoutMs } = request;
  const response = await session.send(Ctap2Command.GET_ASSERTION, buildGetAssertionParams(request), { signal, onKeepalive, timeoutMs });
  if (!response) throw new ProtocolError('getAssertion returned no data.');
  return parseAssertion(response, { rpId: request.rpId, allowList: request.allowList });
}

/** authenticatorGetNextAssertion (§6.3): the next of `numberOfCredentials`; no parameters. */
export async function getNextAssertion(session: Ctap2Session, options: TransactOptions & { rpId: string }): Promise<Assertion> {
  const { signal, onKeepalive, timeoutMs } = options;
  const response = await session.send(Ctap2Command.GET_NEXT_ASSERTION, undefined, { signal, onKeepalive, timeoutMs });
  if (!response) throw new ProtocolError('getNextAssertion returned no data.');
  return parseAssertion(response, { rpId: options.rpId });
}

/** The first assertion and, when the key reports more, every following one (python-fido2 get_assertions). */
export async function getAssertions(session: Ctap2Session, request: GetAssertionRequest): Promise<Assertion[]> {
  const first = await getAssertion(session, request);
  const assertions = [first];
  const total = first.numberOfCredentials ?? 1;
  for (let i = 1; i < total; i++) {
    assertions.push(await getNextAssertion(session, { rpId: request.rpId, signal: request.signal, timeoutMs: request.timeoutMs }));
  }
  return assertions;
}

/** Verify the assertion's signature over authData ‖ clientDataHash with the credential's key. */
export function verifyAssertion(options: { assertion: Assertion; clientDataHash: Uint8Array; publicKey: CredentialPublicKey }): boolean {
  return verifySignature({
    publicKey: options.publicKey,
    authData: options.assertion.authData.raw,
    clientDataHash: options.clientDataHash,
    signature: options.assertion.signature,
  });
}

/** The request map (§6.2); exported so tests and traces can see exactly what is sent. */
export function buildGetAssertionParams(request: GetAssertionRequest): CborMap {
  if (request.clientDataHash.length !== 32) throw new RangeError('clientDataHash must be 32 bytes (SHA-256).');
  if (request.rpId.length === 0) throw new RangeError('rpId must not be empty.');
  if (request.token && request.userVerification) throw new RangeError('Use either a pinUvAuthToken or built-in UV, not both.');

  const params: CborMap = new Map<number, CborValue>();
  params.set(GetAssertionKey.rpId, request.rpId);
  params.set(GetAssertionKey.clientDataHash, request.clientDataHash);
  if (request.allowList && request.allowList.length > 0) params.set(GetAssertionKey.allowList, request.allowList.map(descriptorToCbor));
  if (request.largeBlobKey) params.set(GetAssertionKey.extensions, new Map<string, CborValue>([['largeBlobKey', true]]));
  const options = new Map<string, CborValue>();
  // up defaults to true on the key (§6.2.2); send it only when turning it off.
  if (request.userPresence === false) options.set('up', false);
  if (request.userVerification) options.set('uv', true);
  if (options.size > 0) params.set(GetAssertionKey.options, options);
  if (request.token) {
    params.set(GetAssertionKey.pinUvAuthParam, request.token.protocol.authenticate(request.token.token, request.clientDataHash));
    params.set(GetAssertionKey.pinUvAuthProtocol, request.token.protocol.version);
  }
  return params;
}

export function parseAssertion(response: CborMap, context: { rpId: string; allowList?: CredentialDescriptor[] }): Assertion {
  const authDataBytes = response.get(GetAssertionResponseKey.authData);
  const signature = response.get(GetAssertionResponseKey.signature);
  if (!(authDataBytes instanceof Uint8Array)) throw new ProtocolError('getAssertion: authData must be a byte string.');
  if (!(signature instanceof Uint8Array)) throw new ProtocolError('getAssertion: signature must be a byte string.');
  const authData = parseAuthenticatorData(authDataBytes);
  checkRpIdHash(authData, context.rpId);

  const count = response.get(GetAssertionResponseKey.numberOfCredentials);
  if (count !== undefined && (typeof count !== 'number' || !Number.isInteger(count) || count < 1)) {
    throw new ProtocolError('getAssertion: numberOfCredentials must be a positive integer.');
  }
  const userSelected = response.get(GetAssertionResponseKey.userSelected);
  if (userSelected !== undefined && typeof userSelected !== 'boolean') throw new ProtocolError('getAssertion: userSelected must be a boolean.');
  const largeBlobKey = response.get(GetAssertionResponseKey.largeBlobKey);
  if (largeBlobKey !== undefined && !(largeBlobKey instanceof Uint8Array)) throw new ProtocolError('getAssertion: largeBlobKey must be a byte string.');

  return {
    credentialId: credentialIdOf(response.get(GetAssertionResponseKey.credential), context.allowList),
    authData,
    signature,
    user: parseUser(response.get(GetAssertionResponseKey.user)),
    numberOfCredentials: count ?? null,
    userSelected: userSelected === true,
    largeBlobKey: largeBlobKey ?? null,
  };
}

/** §6.2.2: the credential "may be omitted if the allowList has exactly one credential". */
function credentialIdOf(value: CborValue | undefined, allowList: CredentialDescriptor[] | undefined): Uint8Array {
  if (value === undefined) {
    if (allowList?.length === 1) return allowList[0]!.id;
    throw new ProtocolError('getAssertion: the credential is missing.');
  }
  const id = value instanceof Map ? value.get('id') : undefined;
  if (!(id instanceof Uint8Array)) throw new ProtocolError('getAssertion: credential must be a map with a byte-string id.');
  return id;
}

function parseUser(value: CborValue | undefined): AssertionUser | null {
  if (value === undefined) return null;
  if (!(value instanceof Map)) throw new ProtocolError('getAssertion: user must be a map.');
  const id = value.get('id');
  const name = value.get('name');
  const displayName = value.get('displayName');
  if (!(id instanceof Uint8Array)) throw new ProtocolError('getAssertion: user.id must be a byte string.');
  if (name !== undefined && typeof name !== 'string') throw new ProtocolError('getAssertion: user.name must be text.');
  if (displayName !== undefined && typeof displayName !== 'string') throw new ProtocolError('getAssertion: user.displayName must be text.');
  return { id, name: name ?? null, displayName: displayName ?? null };
}
