/**
 * The virtual key's authenticatorCredentialManagement — CTAP 2.1 §6.8 (0x0A) — and the 2.1-PRE
 * prototype credentialMgmtPreview (0x41), which has the same sub-commands except
 * updateUserInformation. Only discoverable credentials are managed (§6.8: "discoverable
 * credentials"). The RP and credential iterators live in the power-up state: any other
 * sub-command replaces them, a power cycle drops them (§6.8.2 / §6.8.3).
 * @module
 */
import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import type { CborMap, CborValue } from '../../cbor.js';
import { Permission } from '../../ctap2/client-pin.js';
import { CredMgmtParam, CredMgmtRequestKey, CredMgmtResult, CredMgmtSubCommand } from '../../ctap2/credential-management.js';
import { CtapStatus } from '../../status.js';
import type { StoredCredential } from '../state.js';
import { equalBytes } from '../../bytes.js';
import { StatusError, optionalText, requireBytes, type CommandContext, type CommandHandler } from './context.js';
import { verifySubCommandAuth } from './token.js';

/** powerUp.pending kinds owned by this handler. */
const PENDING_RPS = 'credMgmt.rps';
const PENDING_CREDENTIALS = 'credMgmt.credentials';

/** §6.8 on a CTAP 2.1 key (command 0x0A). */
export const handleCredentialManagement: CommandHandler = async (params, ctx) => {
  if (ctx.config.supports.credMgmt !== 'full') throw new StatusError(CtapStatus.INVALID_COMMAND);
  return credentialManagement(params, ctx, false);
};

/** credentialMgmtPreview on a FIDO_2_1_PRE key (command 0x41). */
export const handleCredentialManagementPreview: CommandHandler = async (params, ctx) => {
  if (ctx.config.supports.credMgmt !== 'preview') throw new StatusError(CtapStatus.INVALID_COMMAND);
  return credentialManagement(params, ctx, true);
};

function credentialManagement(params: CborMap, ctx: CommandContext, preview: boolean): CborMap | undefined {
  const subCommand = params.get(CredMgmtRequestKey.subCommand);
  if (subCommand === undefined) throw new StatusError(CtapStatus.MISSING_PARAMETER, 'subCommand is missing');
  if (typeof subCommand !== 'number') throw new StatusError(CtapStatus.CBOR_UNEXPECTED_TYPE);
  const subParams = params.get(CredMgmtRequestKey.subCommandParams);
  if (subParams !== undefined && !(subParams instanceof Map)) throw new StatusError(CtapStatus.CBOR_UNEXPECTED_TYPE);

  switch (subCommand) {
    case CredMgmtSubCommand.enumerateRPsGetNextRP:
      return nextRp(ctx);
    case CredMgmtSubCommand.enumerateCredentialsGetNextCredential:
      return nextCredential(ctx);
  }
  // Any other sub-command ends an enumeration in progress (§6.8.2: the iterator is only kept for GetNext).
  ctx.powerUp.pending = null;
  const known = Object.values(CredMgmtSubCommand) as number[];
  if (!known.includes(subCommand) || (preview && subCommand === CredMgmtSubCommand.updateUserInformation)) {
    throw new StatusError(CtapStatus.INVALID_SUBCOMMAND);
  }
  authenticate(ctx, { request: params, subCommand, subParams });

  switch (subCommand) {
    case CredMgmtSubCommand.getCredsMetadata:
      requireUnscopedToken(ctx);
      return metadata(ctx);
    case CredMgmtSubCommand.enumerateRPsBegin:
      requireUnscopedToken(ctx);
      return beginRps(ctx);
    case CredMgmtSubCommand.enumerateCredentialsBegin:
      return beginCredentials(ctx, requireBytes(subParams?.get(CredMgmtParam.rpIDHash)));
    case CredMgmtSubCommand.deleteCredential:
      return deleteCredential(ctx, requireDescriptorId(subParams?.get(CredMgmtParam.credentialID)));
    default:
      return updateUser(ctx, { id: requireDescriptorId(subParams?.get(CredMgmtParam.credentialID)), user: subParams?.get(CredMgmtParam.user) });
  }
}

/** §6.8 steps 2–4: pinUvAuthParam over subCommand ‖ subCommandParams, cm permission. */
function authenticate(ctx: CommandContext, args: { request: CborMap; subCommand: number; subParams: CborMap | undefined }): void {
  verifySubCommandAuth(ctx, { ...args, keys: CredMgmtRequestKey, prefix: new Uint8Array(0), permission: Permission.cm });
}

/** §6.8.1 / §6.8.2: a token scoped to one RP may not look across RPs. */
function requireUnscopedToken(ctx: CommandContext): void {
  const token = ctx.powerUp.token;
  if (token && !token.legacy && token.rpId !== null) throw new StatusError(CtapStatus.PIN_AUTH_INVALID, 'the token is limited to one RP');
}

/** §6.8.3–§6.8.6: a token scoped to one RP acts on that RP's credentials only. */
function requireTokenFor(ctx: CommandContext, rpIdHash: Uint8Array): void {
  const token = ctx.powerUp.token;
  if (token && !token.legacy && token.rpId !== null && !equalBytes(rpHash(token.rpId), rpIdHash)) {
    throw new StatusError(CtapStatus.PIN_AUTH_INVALID, 'the token is limited to another RP');
  }
}

function discoverable(ctx: CommandContext): StoredCredential[] {
  return ctx.state.credentials.filter((credential) => credential.discoverable);
}

function metadata(ctx: CommandContext): CborMap {
  const existing = discoverable(ctx).length;
  return new Map([
    [CredMgmtResult.existingResidentCredentialsCount, existing],
    [CredMgmtResult.maxPossibleRemainingResidentCredentialsCount, Math.max(0, ctx.config.credentialSlots - existing)],
  ]);
}

interface RpEntry {
  id: string;
  name: string | null;
}

function beginRps(ctx: CommandContext): CborMap {
  // One entry per RP ID, in a stable (sorted) order; the name of the newest credential wins.
  const byId = new Map<string, RpEntry>();
  for (const credential of [...discoverable(ctx)].sort((a, b) => a.createdAt - b.createdAt)) {
    byId.set(credential.rpId, { id: credential.rpId, name: credential.rpName ?? byId.get(credential.rpId)?.name ?? null });
  }
  const rps = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const first = rps.shift();
  if (!first) throw new StatusError(CtapStatus.NO_CREDENTIALS);
  if (rps.length > 0) ctx.powerUp.pending = { kind: PENDING_RPS, data: rps };
  const response = rpResponse(first);
  response.set(CredMgmtResult.totalRPs, rps.length + 1);
  return response;
}

function nextRp(ctx: CommandContext): CborMap {
  const pending = ctx.powerUp.pending;
  if (pending?.kind !== PENDING_RPS) throw new StatusError(CtapStatus.NOT_ALLOWED, 'no RP enumeration in progress');
  const rps = pending.data as RpEntry[];
  const next = rps.shift()!;
  if (rps.length === 0) ctx.powerUp.pending = null;
  return rpResponse(next);
}

function rpResponse(rp: RpEntry): CborMap {
  const entity = new Map<string, CborValue>([['id', rp.id]]);
  if (rp.name !== null) entity.set('name', rp.name);
  return new Map<number, CborValue>([
    [CredMgmtResult.rp, entity],
    [CredMgmtResult.rpIDHash, rpHash(rp.id)],
  ]);
}

function beginCredentials(ctx: CommandContext, rpIdHash: Uint8Array): CborMap {
  requireTokenFor(ctx, rpIdHash);
  const credentials = discoverable(ctx)
    .filter((credential) => equalBytes(rpHash(credential.rpId), rpIdHash))
    .sort((a, b) => a.createdAt - b.createdAt || compareBytes(a.id, b.id));
  const first = credentials.shift();
  if (!first) throw new StatusError(CtapStatus.NO_CREDENTIALS);
  // Keep ids only: a credential deleted meanwhile is not resurrected by GetNext.
  if (credentials.length > 0) ctx.powerUp.pending = { kind: PENDING_CREDENTIALS, data: credentials.map((c) => c.id) };
  const response = credentialResponse(first);
  response.set(CredMgmtResult.totalCredentials, credentials.length + 1);
  return response;
}

function nextCredential(ctx: CommandContext): CborMap {
  const pending = ctx.powerUp.pending;
  if (pending?.kind !== PENDING_CREDENTIALS) throw new StatusError(CtapStatus.NOT_ALLOWED, 'no credential enumeration in progress');
  const ids = pending.data as Uint8Array[];
  const id = ids.shift()!;
  if (ids.length === 0) ctx.powerUp.pending = null;
  const credential = ctx.state.credentials.find((c) => equalBytes(c.id, id));
  if (!credential) throw new StatusError(CtapStatus.NO_CREDENTIALS);
  return credentialResponse(credential);
}

function credentialResponse(credential: StoredCredential): CborMap {
  const user = new Map<string, CborValue>([['id', credential.userId]]);
  if (credential.userName !== null) user.set('name', credential.userName);
  if (credential.userDisplayName !== null) user.set('displayName', credential.userDisplayName);
  const response = new Map<number, CborValue>([
    [CredMgmtResult.user, user],
    [CredMgmtResult.credentialID, new Map<string, CborValue>([['id', credential.id], ['type', 'public-key']])],
    [CredMgmtResult.publicKey, cosePublicKey(credential.privateKey)],
    [CredMgmtResult.credProtect, credential.credProtect],
  ]);
  if (credential.largeBlobKey !== null) response.set(CredMgmtResult.largeBlobKey, credential.largeBlobKey);
  return response;
}

function deleteCredential(ctx: CommandContext, id: Uint8Array): undefined {
  const index = ctx.state.credentials.findIndex((c) => c.discoverable && equalBytes(c.id, id));
  const credential = ctx.state.credentials[index];
  if (!credential) throw new StatusError(CtapStatus.NO_CREDENTIALS);
  requireTokenFor(ctx, rpHash(credential.rpId));
  ctx.state.credentials.splice(index, 1);
  ctx.commit();
  return undefined;
}

/** §6.8.6: the user id must match; name and displayName are replaced, absent or empty removes them. */
function updateUser(ctx: CommandContext, args: { id: Uint8Array; user: CborValue | undefined }): undefined {
  const { id, user } = args;
  if (user === undefined) throw new StatusError(CtapStatus.MISSING_PARAMETER, 'user is missing');
  if (!(user instanceof Map)) throw new StatusError(CtapStatus.CBOR_UNEXPECTED_TYPE);
  const credential = ctx.state.credentials.find((c) => c.discoverable && equalBytes(c.id, id));
  if (!credential) throw new StatusError(CtapStatus.NO_CREDENTIALS);
  requireTokenFor(ctx, rpHash(credential.rpId));
  const userId = user.get('id');
  if (!(userId instanceof Uint8Array) || !equalBytes(userId, credential.userId)) {
    throw new StatusError(CtapStatus.INVALID_PARAMETER, 'user.id does not match the credential');
  }
  credential.userName = nameOrNull(user.get('name'));
  credential.userDisplayName = nameOrNull(user.get('displayName'));
  ctx.commit();
  return undefined;
}

// ── helpers ──────────────────────────────────────────────────────────────────────────────────

function rpHash(rpId: string): Uint8Array {
  return sha256(utf8ToBytes(rpId));
}

/** COSE_Key of an ES256 credential (RFC 9053 §7.1.1: kty EC2, alg -7, crv P-256). */
function cosePublicKey(privateKey: Uint8Array): CborMap {
  const point = p256.getPublicKey(privateKey, false);
  return new Map<number, CborValue>([
    [1, 2],
    [3, -7],
    [-1, 1],
    [-2, point.slice(1, 33)],
    [-3, point.slice(33, 65)],
  ]);
}

function requireDescriptorId(value: CborValue | undefined): Uint8Array {
  if (value === undefined) throw new StatusError(CtapStatus.MISSING_PARAMETER, 'credentialID is missing');
  if (!(value instanceof Map)) throw new StatusError(CtapStatus.CBOR_UNEXPECTED_TYPE);
  return requireBytes(value.get('id'));
}

/** §6.8.6: an empty name or displayName removes it from the passkey. */
function nameOrNull(value: CborValue | undefined): string | null {
  return value === '' ? null : optionalText(value);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
