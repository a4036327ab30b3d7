/**
 * authenticatorMakeCredential (0x01) — CTAP 2.1 §6.1, with the authenticator data and attestation
 * object layouts of WebAuthn L2 §6.1 / §6.5. The platform side only: build the request (with
 * pinUvAuthParam = authenticate(pinUvAuthToken, clientDataHash), §6.1.1), parse and check the
 * answer, and verify ES256 signatures (Node's crypto, as for every other host-side primitive).
 * @module
 */
import { createPublicKey, verify } from 'node:crypto';
import { equalBytes } from '../bytes.js';
import { decodeFirst, decodeStrict, type CborMap, type CborValue } from '../cbor.js';
import { ProtocolError, UnsupportedError } from '../errors.js';
import type { TransactOptions } from '../transport/transport.js';
import type { PinUvAuthToken } from './client-pin.js';
import { Ctap2Command } from './commands.js';
import { CoseKey, p256PointFromCose } from './cose.js';
import { descriptorToCbor, rpToCbor, textKeyed, userToCbor, type CredentialDescriptor, type RelyingPartyEntity, type UserEntity } from './entities.js';
import type { Ctap2Session } from './session.js';
import { sha256 } from './sha256.js';

/** COSE algorithm identifiers (IANA "COSE Algorithms"); this code verifies ES256 only. */
export const CoseAlgorithm = { ES256: -7, EdDSA: -8, RS256: -257 } as const;

/** credProtect levels — CTAP 2.1 §12.1. */
export const CredProtect = {
  userVerificationOptional: 1,
  userVerificationOptionalWithCredentialIdList: 2,
  userVerificationRequired: 3,
} as const;
export type CredProtectLevel = (typeof CredProtect)[keyof typeof CredProtect];

/** authenticatorMakeCredential parameter keys (§6.1). */
export const MakeCredentialKey = {
  clientDataHash: 0x01,
  rp: 0x02,
  user: 0x03,
  pubKeyCredParams: 0x04,
  excludeList: 0x05,
  extensions: 0x06,
  options: 0x07,
  pinUvAuthParam: 0x08,
  pinUvAuthProtocol: 0x09,
  enterpriseAttestation: 0x0a,
} as const;

/** authenticatorMakeCredential response keys (§6.1). */
export const MakeCredentialResponseKey = { fmt: 0x01, authData: 0x02, attStmt: 0x03, epAtt: 0x04, largeBlobKey: 0x05 } as const;

/** Authenticator data flag bits — WebAuthn L2 §6.1. */
export const AuthDataFlag = { UP: 0x01, UV: 0x04, BE: 0x08, BS: 0x10, AT: 0x40, ED: 0x80 } as const;

export interface MakeCredentialRequest extends TransactOptions {
  /** SHA-256 of the client data; 32 bytes. */
  clientDataHash: Uint8Array;
  rp: RelyingPartyEntity;
  user: UserEntity;
  /** COSE algorithms the platform accepts, most preferred first. Default [ES256]. */
  algorithms?: number[];
  excludeList?: CredentialDescriptor[];
  /** Store a discoverable credential (option rk). */
  residentKey?: boolean;
  /** Ask for built-in UV (option uv); never together with a token (§6.1.2 step 5). */
  userVerification?: boolean;
  credProtect?: CredProtectLevel;
  /**
   * Ask for a largeBlobKey (§12.3 largeBlobKey extension, discoverable credentials only); the key
   * returns it in the response (largeBlobKey 0x05), not in the authenticator data.
   */
  largeBlobKey?: boolean;
  /** A token with the mc permission; pinUvAuthParam is computed over clientDataHash. */
  token?: PinUvAuthToken;
  /**
   * Send a zero-length pinUvAuthParam (§6.1.2 step 1): a key with PIN support then only waits for
   * a touch and answers PIN_NOT_SET / PIN_INVALID. Used to pick a key by touch on CTAP 2.0 keys.
   */
  touchOnly?: boolean;
}

export interface CredentialPublicKey {
  /** COSE algorithm (-7 ES256 …). */
  alg: number;
  /** The COSE_Key map as the key sent it. */
  cose: CborMap;
  /** Uncompressed SEC1 P-256 point for ES256 keys; null for algorithms not verified here. */
  p256Point: Uint8Array | null;
}

export interface AttestedCredentialData {
  aaguid: Uint8Array;
  credentialId: Uint8Array;
  publicKey: CredentialPublicKey;
}

export interface AuthenticatorData {
  /** The bytes as signed; signatures are over raw || clientDataHash. */
  raw: Uint8Array;
  rpIdHash: Uint8Array;
  flags: number;
  userPresent: boolean;
  userVerified: boolean;
  signCount: number;
  attestedCredentialData: AttestedCredentialData | null;
  extensions: CborMap | null;
}

export interface MakeCredentialResult {
  fmt: string;
  authData: AuthenticatorData;
  attStmt: CborMap;
  /** True when the key returned an enterprise attestation (epAtt). */
  enterpriseAttestation: boolean;
  largeBlobKey: Uint8Array | null;
}

/**
 * Send authenticatorMakeCredential and parse the attestation object.
 * @throws CtapError with the key's status (CREDENTIAL_EXCLUDED, PUAT_REQUIRED, KEY_STORE_FULL …).
 */
export async function makeCredential(session: Ctap2Session, request: MakeCredentialRequest): Promise<MakeCredentialResult> {
  const { signal, onKeepalive, timeoutMs } = request;
  const response = await session.send(Ctap2Command.MAKE_CREDENTIAL, buildMakeCredentialParams(request), { signal, onKeepalive, timeoutMs });
  if (!response) throw new ProtocolError('makeCredential returned no data.');
  return parseMakeCredentialResponse(response, request.rp.id);
}

/** The request map (§6.1); exported so tests and traces can see exactly what is sent. */
export function buildMakeCredentialParams(request: MakeCredentialRequest): CborMap {
  if (request.clientDataHash.length !== 32) throw new RangeError('clientDataHash must be 32 bytes (SHA-256).');
  if (request.rp.id.length === 0) throw new RangeError('rp.id must not be empty.');
  if (request.user.id.length === 0 || request.user.id.length > 64) throw new RangeError('user.id must be 1 to 64 bytes (WebAuthn §5.4.3).');
  if (request.token && request.touchOnly) throw new RangeError('touchOnly sends an empty pinUvAuthParam; it cannot carry a token too.');
  if (request.token && request.userVerification) throw new RangeError('Use either a pinUvAuthToken or built-in UV, not both (§6.1.2 step 5).');

  const params: CborMap = new Map<number, CborValue>();
  params.set(MakeCredentialKey.clientDataHash, request.clientDataHash);
  params.set(MakeCredentialKey.rp, rpToCbor(request.rp));
  params.set(MakeCredentialKey.user, userToCbor(request.user));
  params.set(
    MakeCredentialKey.pubKeyCredParams,
    (request.algorithms ?? [CoseAlgorithm.ES256]).map((alg) => textKeyed({ alg, type: 'public-key' })),
  );
  if (request.excludeList && request.excludeList.length > 0) {
    params.set(MakeCredentialKey.excludeList, request.excludeList.map(descriptorToCbor));
  }
  if (request.largeBlobKey && !request.residentKey) throw new RangeError('largeBlobKey needs a discoverable credential (§12.3).');
  const extensions = new Map<string, CborValue>();
  if (request.credProtect !== undefined) extensions.set('credProtect', request.credProtect);
  if (request.largeBlobKey) extensions.set('largeBlobKey', true);
  if (extensions.size > 0) params.set(MakeCredentialKey.extensions, extensions);
  const options = new Map<string, CborValue>();
  if (request.residentKey) options.set('rk', true);
  if (request.userVerification) options.set('uv', true);
  if (options.size > 0) params.set(MakeCredentialKey.options, options);
  if (request.token) {
    params.set(MakeCredentialKey.pinUvAuthParam, request.token.protocol.authenticate(request.token.token, request.clientDataHash));
    params.set(MakeCredentialKey.pinUvAuthProtocol, request.token.protocol.version);
  } else if (request.touchOnly) {
    // Chromium's GetTouchRequest sends protocol 1 with the empty param; every PIN-capable key knows it.
    params.set(MakeCredentialKey.pinUvAuthParam, new Uint8Array(0));
    params.set(MakeCredentialKey.pinUvAuthProtocol, 1);
  }
  return params;
}

export function parseMakeCredentialResponse(response: CborMap, rpId: string): MakeCredentialResult {
  const fmt = response.get(MakeCredentialResponseKey.fmt);
  const authDataBytes = response.get(MakeCredentialResponseKey.authData);
  const attStmt = response.get(MakeCredentialResponseKey.attStmt);
  if (typeof fmt !== 'string') throw new ProtocolError('makeCredential: fmt must be a text string.');
  if (!(authDataBytes instanceof Uint8Array)) throw new ProtocolError('makeCredential: authData must be a byte string.');
  if (!(attStmt instanceof Map)) throw new ProtocolError('makeCredential: attStmt must be a map.');
  const epAtt = response.get(MakeCredentialResponseKey.epAtt);
  const largeBlobKey = response.get(MakeCredentialResponseKey.largeBlobKey);
  if (epAtt !== undefined && typeof epAtt !== 'boolean') throw new ProtocolError('makeCredential: epAtt must be a boolean.');
  if (largeBlobKey !== undefined && !(largeBlobKey instanceof Uint8Array)) throw new ProtocolError('makeCredential: largeBlobKey must be a byte string.');

  const authData = parseAuthenticatorData(authDataBytes);
  if (!authData.attestedCredentialData) throw new ProtocolError('makeCredential: authData has no attested credential data (AT flag clear).');
  checkRpIdHash(authData, rpId);
  return { fmt, authData, attStmt, enterpriseAttestation: epAtt === true, largeBlobKey: largeBlobKey ?? null };
}

/**
 * Parse authenticator data — WebAuthn L2 §6.1: rpIdHash (32) ‖ flags (1) ‖ signCount (4, big
 * endian) ‖ [attestedCredentialData: aaguid (16) ‖ L (2) ‖ credentialId (L) ‖ COSE_Key] ‖
 * [extensions map]. Every length is checked; trailing bytes are an error.
 */
export function parseAuthenticatorData(raw: Uint8Array): AuthenticatorData {
  if (raw.length < 37) throw new ProtocolError(`authData is ${raw.length} bytes; at least 37 are required.`);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const flags = raw[32]!;
  let rest = raw.subarray(37);
  let attestedCredentialData: AttestedCredentialData | null = null;
  if (flags & AuthDataFlag.AT) {
    if (rest.length < 18) throw new ProtocolError('authData: attested credential data is truncated.');
    const idLength = (rest[16]! << 8) | rest[17]!;
    if (rest.length < 18 + idLength) throw new ProtocolError('authData: credential ID is truncated.');
    const aaguid = rest.slice(0, 16);
    const credentialId = rest.slice(18, 18 + idLength);
    const decoded = decodeFirst(rest.subarray(18 + idLength));
    if (!(decoded.value instanceof Map)) throw new ProtocolError('authData: credential public key is not a COSE_Key map.');
    attestedCredentialData = { aaguid, credentialId, publicKey: parseCosePublicKey(decoded.value) };
    rest = decoded.rest;
  }
  let extensions: CborMap | null = null;
  if (flags & AuthDataFlag.ED) {
    const value = decodeStrict(rest);
    if (!(value instanceof Map)) throw new ProtocolError('authData: extensions must be a map.');
    extensions = value;
    rest = rest.subarray(rest.length);
  }
  if (rest.length > 0) throw new ProtocolError(`authData has ${rest.length} unexpected trailing bytes.`);
  return {
    raw,
    rpIdHash: raw.slice(0, 32),
    flags,
    userPresent: (flags & AuthDataFlag.UP) !== 0,
    userVerified: (flags & AuthDataFlag.UV) !== 0,
    signCount: view.getUint32(33, false),
    attestedCredentialData,
    extensions,
  };
}

/** COSE_Key (RFC 9053 §7.1): kty 1, alg 3, crv -1, x -2, y -3. EC2/P-256 keys are validated. */
export function parseCosePublicKey(cose: CborMap): CredentialPublicKey {
  const alg = cose.get(CoseKey.alg);
  if (typeof alg !== 'number') throw new ProtocolError('COSE_Key: alg (3) must be an integer.');
  if (alg !== CoseAlgorithm.ES256) return { alg, cose, p256Point: null };
  return { alg, cose, p256Point: p256PointFromCose(cose, 'The credential public key') };
}

/**
 * Verify a WebAuthn signature (over authData ‖ clientDataHash) made with `publicKey`.
 * ES256 signatures are ASN.1 DER (WebAuthn §6.5.5); high-S values are valid ECDSA and accepted.
 * @throws UnsupportedError for algorithms other than ES256.
 */
export function verifySignature(options: { publicKey: CredentialPublicKey; authData: Uint8Array; clientDataHash: Uint8Array; signature: Uint8Array }): boolean {
  const { publicKey } = options;
  if (!publicKey.p256Point) {
    throw new UnsupportedError('algorithm', `Signatures with COSE algorithm ${publicKey.alg} cannot be checked by this app (ES256 only).`);
  }
  const message = new Uint8Array(options.authData.length + options.clientDataHash.length);
  message.set(options.authData, 0);
  message.set(options.clientDataHash, options.authData.length);
  try {
    const point = Buffer.from(publicKey.p256Point.buffer, publicKey.p256Point.byteOffset, publicKey.p256Point.byteLength);
    const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') }, format: 'jwk' });
    // OpenSSL takes DER signatures and, like WebAuthn, does not insist on low S.
    return verify('sha256', message, { key, dsaEncoding: 'der' }, options.signature);
  } catch {
    // Malformed DER is simply not a valid signature.
    return false;
  }
}

export type AttestationCheck =
  /** fmt "none": nothing to verify (WebAuthn §8.7). */
  | { kind: 'none' }
  /** "packed" without x5c: signed by the credential key itself (WebAuthn §8.2); `valid` says if it verified. */
  | { kind: 'self'; valid: boolean }
  /** "packed" with an x5c certificate chain, or another format: not judged here (needs the vendor's roots). */
  | { kind: 'certificate' | 'other'; valid: null };

/** Check what can be checked of the attestation statement without vendor trust roots. */
export function checkAttestation(result: MakeCredentialResult, clientDataHash: Uint8Array): AttestationCheck {
  if (result.fmt === 'none') return { kind: 'none' };
  if (result.fmt !== 'packed') return { kind: 'other', valid: null };
  if (result.attStmt.has('x5c')) return { kind: 'certificate', valid: null };
  const alg = result.attStmt.get('alg');
  const sig = result.attStmt.get('sig');
  const credential = result.authData.attestedCredentialData;
  if (!credential || !(sig instanceof Uint8Array) || alg !== credential.publicKey.alg) return { kind: 'self', valid: false };
  return {
    kind: 'self',
    valid: verifySignature({ publicKey: credential.publicKey, authData: result.authData.raw, clientDataHash, signature: sig }),
  };
}

/** The authData must be for the RP we asked about (WebAuthn §7.1 step 13). */
export function checkRpIdHash(authData: AuthenticatorData, rpId: string): void {
  if (!equalBytes(authData.rpIdHash, sha256(new TextEncoder().encode(rpId)))) {
    throw new ProtocolError(`authData rpIdHash does not match "${rpId}".`);
  }
}

