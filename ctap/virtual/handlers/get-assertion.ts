/**
 * The virtual key's authenticatorGetAssertion (0x02) — CTAP 2.1 §6.2.2 — and
 * authenticatorGetNextAssertion (0x08) — CTAP 2.1 §6.3.
 *
 * With an allowList the first matching credential answers; without one every discoverable
 * credential of the RP does, newest first: the first in the response (with numberOfCredentials)
 * and the rest through getNextAssertion, whose iterator lives in powerUp.pending and expires
 * 30 s after the previous call (§6.3 "authenticatorGetNextAssertion timer"). credProtect (§12.1)
 * hides level-3 credentials without UV, and level-2 ones without UV from discovery.
 * @module
 */
import type { CborValue } from '../../cbor.js';
import { Permission } from '../../ctap2/client-pin.js';
import { AuthDataFlag } from '../../ctap2/make-credential.js';
import { GetAssertionKey } from '../../ctap2/get-assertion.js';
import { CtapStatus } from '../../status.js';
import type { StoredCredential } from '../state.js';
import { equalBytes } from '../../bytes.js';
import { StatusError, optionalBytes, optionalUint, requireBytes, requireText, type CommandContext, type CommandHandler } from './context.js';
import { buildAuthenticatorData, hasBuiltInUv, readDescriptorIds, readOptions, signWith, touchOnly } from './make-credential.js';
import { endCeremonyForToken, verifyPinUvAuthParam } from './token.js';

/** §6.3: the platform has 30 s between one assertion and the next. */
const NEXT_ASSERTION_TIMEOUT_MS = 30_000;
const PENDING_KIND = 'getNextAssertion';

interface PendingAssertions {
  rpId: string;
  clientDataHash: Uint8Array;
  flags: number;
  userVerified: boolean;
  /** The platform asked for largeBlobKeys (§12.3); every assertion of the batch carries one. */
  largeBlobKey: boolean;
  /** IDs still to be returned, in order. */
  remaining: Uint8Array[];
  lastAt: number;
}

export const handleGetAssertion: CommandHandler = async (params, ctx) => {
  ctx.powerUp.pending = null;
  const pinUvAuthParam = optionalBytes(params.get(GetAssertionKey.pinUvAuthParam));
  if (pinUvAuthParam?.length === 0) return touchOnly(ctx);

  const rpId = requireText(params.get(GetAssertionKey.rpId));
  const clientDataHash = requireBytes(params.get(GetAssertionKey.clientDataHash));
  const allowList = readDescriptorIds(params.get(GetAssertionKey.allowList));
  const options = readOptions(params.get(GetAssertionKey.options));
  // §6.2.2 step 5: "rk" is not an option of getAssertion.
  if (options.rk !== undefined) throw new StatusError(CtapStatus.UNSUPPORTED_OPTION);
  const up = options.up !== false;
  const builtInUv = options.uv === true && !pinUvAuthParam;
  if (builtInUv && !hasBuiltInUv(ctx)) throw new StatusError(CtapStatus.INVALID_OPTION, 'no built-in user verification is set up');
  const largeBlobKey = readLargeBlobKey(ctx, params.get(GetAssertionKey.extensions));

  let userVerified = false;
  if (pinUvAuthParam) {
    verifyPinUvAuthParam(ctx, {
      protocol: optionalUint(params.get(GetAssertionKey.pinUvAuthProtocol)),
      param: pinUvAuthParam,
      message: clientDataHash,
      permission: Permission.ga,
      rpId,
    });
    userVerified = true;
  } else if (builtInUv) {
    await ctx.userPresence();
    userVerified = true;
  } else if (ctx.state.alwaysUv) {
    throw new StatusError(CtapStatus.PUAT_REQUIRED);
  }

  const found = locate(ctx, { rpId, allowList, userVerified });
  // The touch comes before NO_CREDENTIALS so that a silent probe is the only way to learn
  // whether a key holds a credential (§6.2.2 step 7 order, as real keys behave).
  if (up && !builtInUv) await ctx.userPresence();
  if (up) endCeremonyForToken(ctx);
  if (found.length === 0) throw new StatusError(CtapStatus.NO_CREDENTIALS);

  const flags = (up ? AuthDataFlag.UP : 0) | (userVerified ? AuthDataFlag.UV : 0);
  const [first, ...rest] = found;
  const response = assertion(ctx, { credential: first!, rpId, clientDataHash, flags, withUser: allowList.length === 0, userVerified, largeBlobKey });
  if (allowList.length === 0 && found.length > 1) {
    response.set(0x05, found.length);
    const pending: PendingAssertions = { rpId, clientDataHash, flags, userVerified, largeBlobKey, remaining: rest.map((c) => c.id), lastAt: ctx.now() };
    ctx.powerUp.pending = { kind: PENDING_KIND, data: pending };
  }
  return response;
};

export const handleGetNextAssertion: CommandHandler = async (_params, ctx) => {
  const pending = ctx.powerUp.pending;
  if (pending?.kind !== PENDING_KIND) throw new StatusError(CtapStatus.NOT_ALLOWED);
  const state = pending.data as PendingAssertions;
  if (ctx.now() - state.lastAt > NEXT_ASSERTION_TIMEOUT_MS) {
    ctx.powerUp.pending = null;
    throw new StatusError(CtapStatus.NOT_ALLOWED);
  }
  // Skip credentials deleted since the first call (credential management may run in between).
  let credential: StoredCredential | undefined;
  while (!credential && state.remaining.length > 0) {
    const id = state.remaining.shift()!;
    credential = ctx.state.credentials.find((c) => equalBytes(c.id, id));
  }
  if (!credential) {
    ctx.powerUp.pending = null;
    throw new StatusError(CtapStatus.NOT_ALLOWED);
  }
  state.lastAt = ctx.now();
  if (state.remaining.length === 0) ctx.powerUp.pending = null;
  return assertion(ctx, {
    credential,
    rpId: state.rpId,
    clientDataHash: state.clientDataHash,
    flags: state.flags,
    withUser: true,
    userVerified: state.userVerified,
    largeBlobKey: state.largeBlobKey,
  });
};

/** Credentials that may answer, newest first for discovery (§6.2.2 step 7, credProtect §12.1). */
function locate(ctx: CommandContext, options: { rpId: string; allowList: Uint8Array[]; userVerified: boolean }): StoredCredential[] {
  const { rpId, allowList, userVerified } = options;
  const ofRp = ctx.state.credentials.filter((c) => c.rpId === rpId && (userVerified || c.credProtect < 3));
  if (allowList.length > 0) {
    const match = ofRp.find((c) => allowList.some((id) => equalBytes(id, c.id)));
    return match ? [match] : [];
  }
  return ofRp.filter((c) => c.discoverable && (userVerified || c.credProtect < 2)).sort((a, b) => b.createdAt - a.createdAt);
}

function assertion(
  ctx: CommandContext,
  options: { credential: StoredCredential; rpId: string; clientDataHash: Uint8Array; flags: number; withUser: boolean; userVerified: boolean; largeBlobKey: boolean },
): Map<number, CborValue> {
  const { credential } = options;
  credential.signCount += 1;
  ctx.commit();
  const authData = buildAuthenticatorData({ rpId: options.rpId, flags: options.flags, signCount: credential.signCount, extensions: null });
  const response = new Map<number, CborValue>([
    [0x01, new Map<string, CborValue>([['id', credential.id], ['type', 'public-key']])],
    [0x02, authData],
    [0x03, signWith(credential, authData, options.clientDataHash)],
  ]);
  if (options.withUser) {
    // §6.2.2: user name and display name only after user verification (they identify the person).
    const user = new Map<string, CborValue>([['id', credential.userId]]);
    if (options.userVerified && credential.userName !== null) user.set('name', credential.userName);
    if (options.userVerified && credential.userDisplayName !== null) user.set('displayName', credential.userDisplayName);
    response.set(0x04, user);
  }
  // §12.3: largeBlobKey (0x07) in the response, not in the authenticator data.
  if (options.largeBlobKey && credential.largeBlobKey) response.set(0x07, credential.largeBlobKey);
  return response;
}

/**
 * largeBlobKey input (§12.3) on a key that lists the extension (others ignore it, as §12 lets
 * them): only `true` is valid (INVALID_OPTION otherwise).
 */
function readLargeBlobKey(ctx: CommandContext, extensions: CborValue | undefined): boolean {
  if (extensions === undefined || !ctx.config.extensions.includes('largeBlobKey')) return false;
  if (!(extensions instanceof Map)) throw new StatusError(CtapStatus.CBOR_UNEXPECTED_TYPE);
  const wanted = extensions.get('largeBlobKey');
  if (wanted === undefined) return false;
  if (wanted !== true) throw new StatusError(CtapStatus.INVALID_OPTION, 'largeBlobKey must be true');
  return true;
}
