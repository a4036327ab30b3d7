/**
 * authenticatorCredentialManagement — CTAP 2.1 §6.8 (command 0x0A), and the FIDO_2_1_PRE
 * prototype command 0x41 (credentialMgmtPreview) that YubiKey 5.2–5.6 and others shipped.
 * Shape after python-fido2 `CredentialManagement`: one class, spec-named sub-commands, parameter
 * and result keys, typed records out.
 *
 * Enumeration rule (FIDO2Applet#54, and §6.8.2/§6.8.3 keep the iterator in volatile state): once a
 * Begin is sent, nothing else may be sent until its last GetNext, or some keys drop the iterator.
 * So the command byte and the key's info are settled before the first Begin, and a whole
 * enumeration runs as one uninterrupted sequence.
 *
 * Bounds: totalRPs and totalCredentials come from the key, so a faulty key could keep a client
 * asking GetNext forever. Every count is checked before the first GetNext against what the key
 * can hold — existing + remaining from the last getCredsMetadata (§6.8.1), and a hard ceiling —
 * and the credentials of all RPs listed by one manager together must fit as well.
 * (maxCredentialCountInList, §6.4, limits allow/exclude lists in requests, not storage.)
 * @module
 */
import type { CborMap, CborValue } from '../cbor.js';
import { CtapError, ProtocolError, UnsupportedError, throwIfAborted } from '../errors.js';
import { CtapStatus } from '../status.js';
import type { TransactOptions } from '../transport/transport.js';
import type { PinUvAuthToken } from './client-pin.js';
import { Ctap2Command } from './commands.js';
import { descriptorToCbor, userToCbor, type CredentialDescriptor, type UserEntity } from './entities.js';
import { credentialManagementSupport, type AuthenticatorInfo } from './info.js';
import { pinUvAuth, subCommandMessage } from './pin-uv-auth-param.js';
import { responseParser } from './parse.js';
import type { Ctap2Session } from './session.js';

const { malformed, requireUint, optionalText } = responseParser('credentialManagement');

/** §6.8 request map keys. */
export const CredMgmtRequestKey = {
  subCommand: 0x01,
  subCommandParams: 0x02,
  pinUvAuthProtocol: 0x03,
  pinUvAuthParam: 0x04,
} as const;

/** §6.8 sub-commands. */
export const CredMgmtSubCommand = {
  getCredsMetadata: 0x01,
  enumerateRPsBegin: 0x02,
  enumerateRPsGetNextRP: 0x03,
  enumerateCredentialsBegin: 0x04,
  enumerateCredentialsGetNextCredential: 0x05,
  deleteCredential: 0x06,
  /** CTAP 2.1 only; the 2.1-PRE prototype has no such sub-command. */
  updateUserInformation: 0x07,
} as const;

/** §6.8 subCommandParams keys. */
export const CredMgmtParam = {
  rpIDHash: 0x01,
  credentialID: 0x02,
  user: 0x03,
} as const;

/** §6.8 response map keys. */
export const CredMgmtResult = {
  existingResidentCredentialsCount: 0x01,
  maxPossibleRemainingResidentCredentialsCount: 0x02,
  rp: 0x03,
  rpIDHash: 0x04,
  totalRPs: 0x05,
  user: 0x06,
  credentialID: 0x07,
  publicKey: 0x08,
  totalCredentials: 0x09,
  credProtect: 0x0a,
  largeBlobKey: 0x0b,
} as const;

/**
 * The most records one enumeration accepts whatever the key says: far above the storage of any
 * key sold (25 to a few hundred discoverable credentials), low enough to stop a runaway loop.
 */
export const MAX_ENUMERATED_RECORDS = 4096;

/** Sub-commands whose request carries a pinUvAuthParam (§6.8.1–§6.8.6); the GetNext ones do not. */
const authenticated = new Set<number>([
  CredMgmtSubCommand.getCredsMetadata,
  CredMgmtSubCommand.enumerateRPsBegin,
  CredMgmtSubCommand.enumerateCredentialsBegin,
  CredMgmtSubCommand.deleteCredential,
  CredMgmtSubCommand.updateUserInformation,
]);

export interface CredsMetadata {
  existingResidentCredentialsCount: number;
  maxPossibleRemainingResidentCredentialsCount: number;
}

/** PublicKeyCredentialRpEntity as the key stores it (§6.8.2: name may be missing). */
export interface RelyingParty {
  id: string;
  name: string | null;
}

export interface RpRecord {
  rp: RelyingParty;
  /** SHA-256 of the RP ID; the handle for enumerateCredentialsBegin. */
  rpIdHash: Uint8Array;
}

export interface CredentialRecord {
  credentialId: CredentialDescriptor;
  user: UserEntity;
  /** COSE_Key of the credential's public key, as the key sent it. */
  publicKey: CborMap;
  /** credProtect level 1–3 (§12.1), null when the key did not say. */
  credProtect: number | null;
  largeBlobKey: Uint8Array | null;
}

export class CredentialManagement {
  /** existing + remaining from the last getCredsMetadata; null until one was read. */
  #capacity: number | null = null;
  /** Credentials returned by enumerateCredentials so far (all RPs together). */
  #credentialsListed = 0;

  /** The key can manage discoverable credentials, through 0x0A or the 2.1-PRE 0x41. */
  static isSupported(info: AuthenticatorInfo): boolean {
    return credentialManagementSupport(info) !== 'none';
  }

  /**
   * @param token a pinUvAuthToken with the `cm` permission (2.1) or a legacy token (2.1-PRE).
   *   Every sub-command that is not a GetNext needs one (§6.8: PUAT_REQUIRED otherwise).
   */
  constructor(
    private readonly session: Ctap2Session,
    private readonly token: PinUvAuthToken,
  ) {}

  /** §6.8.1 getCredsMetadata. */
  async getMetadata(options: TransactOptions = {}): Promise<CredsMetadata> {
    const response = await this.call({ subCommand: CredMgmtSubCommand.getCredsMetadata }, options);
    const metadata = {
      existingResidentCredentialsCount: requireUint(response, CredMgmtResult.existingResidentCredentialsCount, 'existingResidentCredentialsCount'),
      maxPossibleRemainingResidentCredentialsCount: requireUint(
        response,
        CredMgmtResult.maxPossibleRemainingResidentCredentialsCount,
        'maxPossibleRemainingResidentCredentialsCount',
      ),
    };
    this.#capacity = metadata.existingResidentCredentialsCount + metadata.maxPossibleRemainingResidentCredentialsCount;
    this.#credentialsListed = 0;
    return metadata;
  }

  /** The most records the key can hold: its own metadata when read, never above the ceiling. */
  #limit(): number {
    return Math.min(this.#capacity ?? MAX_ENUMERATED_RECORDS, MAX_ENUMERATED_RECORDS);
  }

  /**
   * §6.8.2 enumerateRPsBegin + enumerateRPsGetNextRP, as one uninterrupted sequence.
   * NO_CREDENTIALS on Begin means "no RPs" (§6.8.2 step 2), not a failure.
   */
  async enumerateRps(options: TransactOptions = {}): Promise<RpRecord[]> {
    const command = await this.command(options);
    let first: CborMap;
    try {
      first = await this.call({ subCommand: CredMgmtSubCommand.enumerateRPsBegin, command }, options);
    } catch (error) {
      if (error instanceof CtapError && error.status === CtapStatus.NO_CREDENTIALS) return [];
      throw error;
    }
    const total = requireUint(first, CredMgmtResult.totalRPs, 'totalRPs');
    // Some firmware answers Begin with OK, totalRPs 0 and no rp instead of NO_CREDENTIALS
    // (python-fido2 enumerate_rps handles the same): nothing to parse, nothing to walk.
    if (total === 0) return [];
    // Every RP holds at least one credential, so there cannot be more RPs than credentials.
    if (total > this.#limit()) throw tooMany(`${total} relying parties`, this.#limit());
    const rps = [parseRp(first)];
    while (rps.length < total) {
      rps.push(parseRp(await this.call({ subCommand: CredMgmtSubCommand.enumerateRPsGetNextRP, command }, options)));
    }
    return rps;
  }

  /**
   * §6.8.3 enumerateCredentialsBegin + GetNextCredential for one RP, uninterrupted.
   * NO_CREDENTIALS on Begin (an RP with nothing left) is an empty list.
   */
  async enumerateCredentials(rpIdHash: Uint8Array, options: TransactOptions = {}): Promise<CredentialRecord[]> {
    if (!(rpIdHash instanceof Uint8Array) || rpIdHash.length !== 32) throw new TypeError('rpIdHash must be 32 bytes (SHA-256 of the RP ID).');
    const command = await this.command(options);
    const params: CborMap = new Map([[CredMgmtParam.rpIDHash, rpIdHash]]);
    let first: CborMap;
    try {
      first = await this.call({ subCommand: CredMgmtSubCommand.enumerateCredentialsBegin, params, command }, options);
    } catch (error) {
      if (error instanceof CtapError && error.status === CtapStatus.NO_CREDENTIALS) return [];
      throw error;
    }
    // §6.8.3 puts totalCredentials in the Begin answer, but keys exist that leave it out when
    // there is just one; python-fido2 reads a missing count as 1, and so do we.
    const total = first.has(CredMgmtResult.totalCredentials) ? requireUint(first, CredMgmtResult.totalCredentials, 'totalCredentials') : 1;
    if (this.#credentialsListed + total > this.#limit()) {
      throw tooMany(`${this.#credentialsListed + total} passkeys`, this.#limit());
    }
    this.#credentialsListed += total;
    const credentials = [parseCredential(first)];
    while (credentials.length < total) {
      credentials.push(parseCredential(await this.call({ subCommand: CredMgmtSubCommand.enumerateCredentialsGetNextCredential, command }, options)));
    }
    return credentials;
  }

  /** §6.8.5 deleteCredential. */
  async deleteCredential(credentialId: CredentialDescriptor, options: TransactOptions = {}): Promise<void> {
    assertDescriptor(credentialId);
    await this.call({ subCommand: CredMgmtSubCommand.deleteCredential, params: new Map([[CredMgmtParam.credentialID, descriptorToCbor(credentialId)]]) }, options);
  }

  /**
   * §6.8.6 updateUserInformation (CTAP 2.1 only). The user id must be the credential's own;
   * name and displayName replace the stored ones (null removes them).
   */
  async updateUserInformation(credentialId: CredentialDescriptor, user: UserEntity, options: TransactOptions = {}): Promise<void> {
    assertDescriptor(credentialId);
    if (!(user.id instanceof Uint8Array) || user.id.length === 0 || user.id.length > 64) {
      throw new TypeError('user.id must be 1–64 bytes (WebAuthn §5.4.3).');
    }
    const info = await this.session.getInfo(options);
    if (credentialManagementSupport(info) !== 'full') {
      throw new UnsupportedError('updateUserInformation', 'This key cannot change the name stored with a passkey (it supports only the CTAP 2.1 preview).');
    }
    const params: CborMap = new Map<number, CborValue>([
      [CredMgmtParam.credentialID, descriptorToCbor(credentialId)],
      [CredMgmtParam.user, userToCbor(user)],
    ]);
    await this.call({ subCommand: CredMgmtSubCommand.updateUserInformation, params }, options);
  }

  /** 0x0A on 2.1 keys, 0x41 on 2.1-PRE keys; decided from (cached) getInfo before any Begin. */
  private async command(options: TransactOptions): Promise<number> {
    const support = credentialManagementSupport(await this.session.getInfo(options));
    if (support === 'full') return Ctap2Command.CREDENTIAL_MANAGEMENT;
    if (support === 'preview') return Ctap2Command.CREDENTIAL_MANAGEMENT_PREVIEW;
    throw new UnsupportedError('credMgmt', 'This key cannot list or delete passkeys.');
  }

  /** One sub-command; `command` is passed in during an enumeration so nothing else is sent. */
  private async call(request: { subCommand: number; params?: CborMap; command?: number }, options: TransactOptions): Promise<CborMap> {
    const { subCommand, params } = request;
    throwIfAborted(options.signal);
    const cmd = request.command ?? (await this.command(options));
    const body: CborMap = new Map<number, CborValue>([[CredMgmtRequestKey.subCommand, subCommand]]);
    if (params) body.set(CredMgmtRequestKey.subCommandParams, params);
    if (authenticated.has(subCommand)) {
      // §6.8: authenticate(token, subCommand ‖ subCommandParams).
      const auth = pinUvAuth(this.token, subCommandMessage(new Uint8Array(0), subCommand, params));
      body.set(CredMgmtRequestKey.pinUvAuthProtocol, auth.protocol);
      body.set(CredMgmtRequestKey.pinUvAuthParam, auth.param);
    }
    const response = await this.session.send(cmd, body, options);
    // deleteCredential and updateUserInformation answer with an empty body.
    return response ?? new Map();
  }
}

// ── CBOR ↔ records ───────────────────────────────────────────────────────────────────────────

function assertDescriptor(descriptor: CredentialDescriptor): void {
  if ((descriptor.type ?? 'public-key') !== 'public-key' || !(descriptor.id instanceof Uint8Array) || descriptor.id.length === 0) {
    throw new TypeError('credentialId must be a public-key credential descriptor with a non-empty id.');
  }
}


function parseRp(response: CborMap): RpRecord {
  const rp = response.get(CredMgmtResult.rp);
  const rpIdHash = response.get(CredMgmtResult.rpIDHash);
  if (!(rp instanceof Map) || typeof rp.get('id') !== 'string') throw malformed('rp must be a map with a text id');
  if (!(rpIdHash instanceof Uint8Array) || rpIdHash.length !== 32) throw malformed('rpIDHash must be 32 bytes');
  return { rp: { id: rp.get('id') as string, name: optionalText(rp.get('name'), 'rp.name') }, rpIdHash };
}

function parseCredential(response: CborMap): CredentialRecord {
  const user = response.get(CredMgmtResult.user);
  const descriptor = response.get(CredMgmtResult.credentialID);
  const publicKey = response.get(CredMgmtResult.publicKey);
  if (!(user instanceof Map) || !(user.get('id') instanceof Uint8Array)) throw malformed('user must be a map with a byte-string id');
  if (!(descriptor instanceof Map) || !(descriptor.get('id') instanceof Uint8Array) || descriptor.get('type') !== 'public-key') {
    throw malformed('credentialID must be a public-key credential descriptor');
  }
  if (!(publicKey instanceof Map)) throw malformed('publicKey must be a COSE_Key map');
  const credProtect = response.get(CredMgmtResult.credProtect);
  if (credProtect !== undefined && (typeof credProtect !== 'number' || credProtect < 1 || credProtect > 3)) throw malformed('credProtect must be 1, 2 or 3');
  const largeBlobKey = response.get(CredMgmtResult.largeBlobKey);
  if (largeBlobKey !== undefined && !(largeBlobKey instanceof Uint8Array)) throw malformed('largeBlobKey must be a byte string');
  return {
    credentialId: { type: 'public-key', id: descriptor.get('id') as Uint8Array },
    user: {
      id: user.get('id') as Uint8Array,
      name: optionalText(user.get('name'), 'user.name'),
      displayName: optionalText(user.get('displayName'), 'user.displayName'),
    },
    publicKey,
    credProtect: credProtect ?? null,
    largeBlobKey: largeBlobKey ?? null,
  };
}

function tooMany(claimed: string, limit: number): ProtocolError {
  return new ProtocolError(`credentialManagement: the key claims ${claimed}, more than the ${limit} it can hold.`);
}
