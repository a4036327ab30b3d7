/**
 * The virtual key's authenticatorMakeCredential (0x01) — CTAP 2.1 §6.1.2, authenticator data per
 * WebAuthn L2 §6.1, "packed" attestation per WebAuthn L2 §8.2: self attestation, or with the
 * configured maker's certificate chain (config.attestation).
 *
 * ES256 only. Every credential, discoverable or not, is kept in state (the "wrap the key into the
 * credential ID" trick of real keys would add nothing here); `discoverable` tells them apart and
 * only discoverable ones count against config.credentialSlots. The helpers at the bottom are
 * shared with handlers/get-assertion.ts.
 * @module
 */
import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { encodeCanonical, type CborMap, type CborValue } from '../../cbor.js';
import { Permission } from '../../ctap2/client-pin.js';
import { AuthDataFlag, CoseAlgorithm, MakeCredentialKey, MakeCredentialResponseKey } from '../../ctap2/make-credential.js';
import { CtapStatus } from '../../status.js';
import type { StoredCredential } from '../state.js';
import { equalBytes } from '../../bytes.js';
import {
  StatusError,
  optionalBytes,
  optionalText,
  optionalUint,
  requireBytes,
  requireMap,
  requireText,
  type CommandContext,
  type CommandHandler,
} from './context.js';
import { endCeremonyForToken, verifyPinUvAuthParam } from './token.js';

/** Length of the random credential IDs this key issues. */
const CREDENTIAL_ID_LENGTH = 32;

export const handleMakeCredential: CommandHandler = async (params, ctx) => {
  const pinUvAuthParam = optionalBytes(params.get(MakeCredentialKey.pinUvAuthParam));
  if (pinUvAuthParam?.length === 0) return touchOnly(ctx);

  const clientDataHash = requireBytes(params.get(MakeCredentialKey.clientDataHash));
  const rp = requireMap(params.get(MakeCredentialKey.rp));
  const user = requireMap(params.get(MakeCredentialKey.user));
  const algorithms = params.get(MakeCredentialKey.pubKeyCredParams);
  if (!Array.isArray(algorithms)) throw new StatusError(algorithms === undefined ? CtapStatus.MISSING_PARAMETER : CtapStatus.CBOR_UNEXPECTED_TYPE);
  const rpId = requireText(rp.get('id'));
  const userId = requireBytes(user.get('id'));

  // §6.1.2 step 3: the first supported algorithm wins; this key has ES256 only.
  if (!algorithms.some((p) => p instanceof Map && p.get('type') === 'public-key' && p.get('alg') === CoseAlgorithm.ES256)) {
    throw new StatusError(CtapStatus.UNSUPPORTED_ALGORITHM);
  }
  const options = readOptions(params.get(MakeCredentialKey.options));
  if (options.up === false) throw new StatusError(CtapStatus.INVALID_OPTION);
  // Built-in UV (a fingerprint) is honoured only with a token absent; a matching finger is the touch.
  const builtInUv = options.uv === true && !pinUvAuthParam;
  if (builtInUv && !hasBuiltInUv(ctx)) throw new StatusError(CtapStatus.INVALID_OPTION, 'no built-in user verification is set up');
  const residentKey = options.rk === true;
  if (residentKey && !ctx.config.options.rk) throw new StatusError(CtapStatus.UNSUPPORTED_OPTION);
  checkEnterpriseAttestation(ctx, params.get(MakeCredentialKey.enterpriseAttestation));
  const credProtect = readCredProtect(params.get(MakeCredentialKey.extensions));
  const wantsLargeBlobKey = readLargeBlobKey(ctx, params.get(MakeCredentialKey.extensions), residentKey);

  let userVerified = false;
  if (pinUvAuthParam) {
    verifyPinUvAuthParam(ctx, {
      protocol: optionalUint(params.get(MakeCredentialKey.pinUvAuthProtocol)),
      param: pinUvAuthParam,
      message: clientDataHash,
      permission: Permission.mc,
      rpId,
    });
    userVerified = true;
  } else if (builtInUv) {
    await ctx.userPresence();
    userVerified = true;
  } else if (needsToken(ctx, residentKey)) {
    throw new StatusError(CtapStatus.PUAT_REQUIRED);
  }

  // §6.1.2 step 11: a credential from excludeList for this RP → a touch, then CREDENTIAL_EXCLUDED.
  const excluded = readDescriptorIds(params.get(MakeCredentialKey.excludeList));
  const hit = ctx.state.credentials.find((c) => c.rpId === rpId && excluded.some((id) => equalBytes(id, c.id)));
  if (hit && (hit.credProtect < 3 || userVerified)) {
    await ctx.userPresence();
    throw new StatusError(CtapStatus.CREDENTIAL_EXCLUDED);
  }

  const replaced = residentKey ? ctx.state.credentials.findIndex((c) => c.discoverable && c.rpId === rpId && equalBytes(c.userId, userId)) : -1;
  const used = ctx.state.credentials.filter((c) => c.discoverable).length;
  if (residentKey && replaced < 0 && used >= ctx.config.credentialSlots) throw new StatusError(CtapStatus.KEY_STORE_FULL);

  if (!builtInUv) await ctx.userPresence();
  endCeremonyForToken(ctx);

  const credential: StoredCredential = {
    id: randomBytes(CREDENTIAL_ID_LENGTH),
    rpId,
    rpName: optionalText(rp.get('name')),
    userId,
    userName: optionalText(user.get('name')),
    userDisplayName: optionalText(user.get('displayName')),
    privateKey: p256.utils.randomSecretKey(),
    signCount: 0,
    credProtect: credProtect ?? 1,
    // §12.3: a fresh 32-byte key per credential, the platform's to encrypt its blob with.
    largeBlobKey: wantsLargeBlobKey ? randomBytes(32) : null,
    discoverable: residentKey,
    createdAt: ctx.now(),
  };
  // Same RP and user handle: the new discoverable credential replaces the old one (§6.1.2 step 16).
  if (replaced >= 0) ctx.state.credentials.splice(replaced, 1, credential);
  else ctx.state.credentials.push(credential);
  ctx.commit();

  const extensions = credProtect !== undefined ? new Map<string, CborValue>([['credProtect', credProtect]]) : null;
  const authData = buildAuthenticatorData({
    rpId,
    flags: AuthDataFlag.UP | (userVerified ? AuthDataFlag.UV : 0),
    signCount: credential.signCount,
    attested: { aaguid: ctx.config.aaguid, credential },
    extensions,
  });
  const response = new Map<number, CborValue>([
    [0x01, 'packed'],
    [0x02, authData],
    [0x03, attestationStatement(ctx, credential, authData, clientDataHash)],
  ]);
  if (credential.largeBlobKey) response.set(MakeCredentialResponseKey.largeBlobKey, credential.largeBlobKey);
  return response;
};

/** WebAuthn L2 §8.2: signed with the maker's attestation key and its x5c, or by the credential itself. */
function attestationStatement(ctx: CommandContext, credential: StoredCredential, authData: Uint8Array, clientDataHash: Uint8Array): CborMap {
  const maker = ctx.config.attestation;
  const statement = new Map<string, CborValue>([['alg', CoseAlgorithm.ES256]]);
  if (!maker) return statement.set('sig', signWith(credential, authData, clientDataHash));
  statement.set('sig', signWith({ privateKey: maker.privateKey }, authData, clientDataHash));
  return statement.set('x5c', maker.x5c);
}

/**
 * §6.1.2 step 1 (and §6.2.2 step 1): a zero-length pinUvAuthParam asks only for a touch; the
 * answer then says whether a PIN is set. Platforms use it to let the person pick a key.
 */
export async function touchOnly(ctx: CommandContext): Promise<never> {
  if (!ctx.config.supports.clientPin) throw new StatusError(CtapStatus.INVALID_PARAMETER);
  await ctx.userPresence();
  throw new StatusError(ctx.state.pinHash === null ? CtapStatus.PIN_NOT_SET : CtapStatus.PIN_INVALID);
}

/**
 * §6.1.2 step 8 / §7.1: only a key with enterprise attestation enabled may be asked for it, and
 * only for mode 1 (vendor-facilitated) or 2 (platform-managed). A simulated key has no enterprise
 * certificate and an empty vendor RP list, so it then answers with its ordinary attestation and
 * no epAtt, as §7.1 prescribes for an RP ID that is not on the vendor's list.
 */
function checkEnterpriseAttestation(ctx: CommandContext, value: CborValue | undefined): void {
  if (value === undefined) return;
  if (!ctx.config.supports.enterpriseAttestation || !ctx.state.enterpriseAttestation) {
    throw new StatusError(CtapStatus.INVALID_PARAMETER, 'enterprise attestation is not enabled');
  }
  if (value !== 1 && value !== 2) throw new StatusError(CtapStatus.INVALID_OPTION, 'enterpriseAttestation must be 1 or 2');
}

/** The key has a fingerprint sensor with at least one enrolled finger (getInfo uv = true). */
export function hasBuiltInUv(ctx: CommandContext): boolean {
  return ctx.config.options.uv !== undefined && ctx.state.templates.length > 0;
}

/**
 * A PIN-protected key wants a token (§6.1.2 step 6): always with alwaysUv; otherwise unless the
 * key offers makeCredUvNotRqd (CTAP 2.1) and this is a non-discoverable credential.
 */
function needsToken(ctx: CommandContext, residentKey: boolean): boolean {
  if (ctx.state.alwaysUv) return true;
  if (ctx.state.pinHash === null) return false;
  return residentKey || ctx.config.options.makeCredUvNotRqd !== true;
}

// ── shared with get-assertion.ts ────────────────────────────────────────────────────────────

/** rpIdHash ‖ flags ‖ signCount ‖ [attested credential data] ‖ [extensions] (WebAuthn L2 §6.1). */
export function buildAuthenticatorData(options: {
  rpId: string;
  flags: number;
  signCount: number;
  attested?: { aaguid: Uint8Array; credential: StoredCredential };
  extensions: CborMap | null;
}): Uint8Array {
  const parts: Uint8Array[] = [sha256(new TextEncoder().encode(options.rpId))];
  let flags = options.flags;
  if (options.attested) flags |= AuthDataFlag.AT;
  if (options.extensions) flags |= AuthDataFlag.ED;
  const header = new Uint8Array(5);
  header[0] = flags;
  new DataView(header.buffer).setUint32(1, options.signCount, false);
  parts.push(header);
  if (options.attested) {
    const { aaguid, credential } = options.attested;
    const idLength = new Uint8Array([credential.id.length >> 8, credential.id.length & 0xff]);
    parts.push(aaguid, idLength, credential.id, encodeCanonical(cosePublicKey(credential.privateKey)));
  }
  if (options.extensions) parts.push(encodeCanonical(options.extensions));
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** ES256 over authData ‖ clientDataHash, DER encoded (WebAuthn L2 §6.5.5). */
export function signWith(credential: Pick<StoredCredential, 'privateKey'>, authData: Uint8Array, clientDataHash: Uint8Array): Uint8Array {
  const message = new Uint8Array(authData.length + clientDataHash.length);
  message.set(authData, 0);
  message.set(clientDataHash, authData.length);
  return p256.sign(message, credential.privateKey, { format: 'der' });
}

/** Credential IDs of a PublicKeyCredentialDescriptor list (excludeList / allowList). */
export function readDescriptorIds(value: CborValue | undefined): Uint8Array[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new StatusError(CtapStatus.CBOR_UNEXPECTED_TYPE);
  return value.map((descriptor) => {
    if (!(descriptor instanceof Map)) throw new StatusError(CtapStatus.CBOR_UNEXPECTED_TYPE);
    return requireBytes(descriptor.get('id'));
  });
}

export function readOptions(value: CborValue | undefined): Record<string, boolean> {
  if (value === undefined) return {};
  if (!(value instanceof Map)) throw new StatusError(CtapStatus.CBOR_UNEXPECTED_TYPE);
  const out: Record<string, boolean> = {};
  for (const [key, flag] of value) {
    if (typeof key !== 'string' || typeof flag !== 'boolean') throw new StatusError(CtapStatus.CBOR_UNEXPECTED_TYPE);
    out[key] = flag;
  }
  return out;
}

/** credProtect input (§12.1): 1–3; other extensions are ignored, as the spec allows. */
function readCredProtect(value: CborValue | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof Map)) throw new StatusError(CtapStatus.CBOR_UNEXPECTED_TYPE);
  const level = value.get('credProtect');
  if (level === undefined) return undefined;
  if (level !== 1 && level !== 2 && level !== 3) throw new StatusError(CtapStatus.INVALID_PARAMETER);
  return level;
}

/**
 * largeBlobKey input (§12.3), on keys that list the extension (others ignore it, as §12 lets
 * them): only `true` is valid, and only for a discoverable credential (INVALID_OPTION otherwise).
 */
function readLargeBlobKey(ctx: CommandContext, value: CborValue | undefined, residentKey: boolean): boolean {
  if (!(value instanceof Map) || !ctx.config.extensions.includes('largeBlobKey')) return false;
  const wanted = value.get('largeBlobKey');
  if (wanted === undefined) return false;
  if (wanted !== true || !residentKey) throw new StatusError(CtapStatus.INVALID_OPTION, 'largeBlobKey must be true, with rk');
  return true;
}

function cosePublicKey(privateKey: Uint8Array): CborMap {
  const point = p256.getPublicKey(privateKey, false);
  return new Map<number, number | Uint8Array>([
    [1, 2],
    [3, CoseAlgorithm.ES256],
    [-1, 1],
    [-2, point.slice(1, 33)],
    [-3, point.slice(33, 65)],
  ]);
}
