/**
 * The virtual key's pinUvAuthToken — CTAP 2.1 §6.5.2.1 (token state), §6.5.5.7 (issuing),
 * and the pinUvAuthParam check every command family performs (§6.1.2 step 11, §6.7, §6.8,
 * §6.11: "verify(pinUvAuthToken, message, pinUvAuthParam)", then the permission and RP ID).
 * @module
 */
import { Permission } from '../../ctap2/client-pin.js';
import { pinProtocol, type PinProtocolVersion, type PinUvAuthProtocol } from '../../ctap2/pin-protocol.js';
import { concatBytes, randomBytes } from '@noble/hashes/utils.js';
import { encodeCanonical, type CborMap } from '../../cbor.js';
import { CtapStatus } from '../../status.js';
import { StatusError, type CommandContext } from './context.js';

/** §6.5.2.1: a pinUvAuthToken is 32 random bytes. */
const TOKEN_LENGTH = 32;
/**
 * §6.5.2.1 pinUvAuthToken usage timer: a token not used within the initial usage time limit
 * (30 s default) stops being in use, and none outlives maxUsageTimePeriod (10 min default).
 * OpenSK (token_state.rs) and pico-fido enforce the same, so a platform must not hold a token
 * across a long user interaction and expect it to work.
 */
export const TOKEN_INITIAL_USAGE_LIMIT_MS = 30_000;
export const TOKEN_MAX_USAGE_PERIOD_MS = 600_000;

/**
 * The PIN/UV auth protocol a request names. §6.5.5 / §6.8: absent → MISSING_PARAMETER; one the
 * key did not offer in getInfo pinUvAuthProtocols → INVALID_PARAMETER.
 */
export function requestProtocol(ctx: CommandContext, version: number | undefined): PinUvAuthProtocol {
  if (version === undefined) throw new StatusError(CtapStatus.MISSING_PARAMETER, 'pinUvAuthProtocol is missing');
  if (!ctx.config.pinUvAuthProtocols.includes(version) || (version !== 1 && version !== 2)) {
    throw new StatusError(CtapStatus.INVALID_PARAMETER, `PIN/UV auth protocol ${version} is not supported`);
  }
  return pinProtocol(version as PinProtocolVersion);
}

export interface VerifyOptions {
  protocol: number | undefined;
  param: Uint8Array | undefined;
  /** The bytes the platform authenticated (command-specific, e.g. 32×0xff ‖ 0x0d ‖ subCommand …). */
  message: Uint8Array;
  /** One Permission bit the command needs. */
  permission: number;
  /** The RP the command acts on, when it acts on one. */
  rpId?: string;
}

/**
 * The shared pinUvAuthParam check (§6.8 steps 2–4, same shape in §6.1.2, §6.7, §6.11):
 * no param → PUAT_REQUIRED; no protocol → MISSING_PARAMETER; unsupported protocol →
 * INVALID_PARAMETER; no token, a bad MAC, a missing permission or another RP → PIN_AUTH_INVALID.
 * (UNAUTHORIZED_PERMISSION is for asking a token for a permission the key lacks, §6.5.5.7.)
 * A first mc/ga use binds the token to the request's RP ID (§6.1.2 step 11.2.3).
 */
export function verifyPinUvAuthParam(ctx: CommandContext, options: VerifyOptions): void {
  const { param, message, permission, rpId } = options;
  if (param === undefined) throw new StatusError(CtapStatus.PUAT_REQUIRED, 'pinUvAuthParam is required');
  const protocol = requestProtocol(ctx, options.protocol);
  expireToken(ctx);
  const token = ctx.powerUp.token;
  if (!token) throw new StatusError(CtapStatus.PIN_AUTH_INVALID, 'no pinUvAuthToken is in use');
  // §6.5.4: each protocol keeps its own pinUvAuthToken (OpenSK resets both and hands out the
  // requested one), so a MAC under the other protocol never verifies.
  if (token.protocol !== protocol.version) throw new StatusError(CtapStatus.PIN_AUTH_INVALID, 'the token was issued for the other PIN/UV auth protocol');
  if (!protocol.verify(token.value, message, param)) throw new StatusError(CtapStatus.PIN_AUTH_INVALID, 'pinUvAuthParam does not verify');
  token.usedAt = ctx.now();
  // Tokens from the legacy getPinToken of 2.0 / 2.1-PRE keys predate permissions: they act for
  // everything the key can do (python-fido2 and libfido2 use them for credentialMgmtPreview).
  if (token.legacy) return;
  if ((token.permissions & permission) === 0) throw new StatusError(CtapStatus.PIN_AUTH_INVALID, 'the token lacks the permission');
  if (rpId === undefined) return;
  if (token.rpId !== null && token.rpId !== rpId) throw new StatusError(CtapStatus.PIN_AUTH_INVALID, 'the token is bound to another RP');
  if (token.rpId === null && (permission & (Permission.mc | Permission.ga)) !== 0) token.rpId = rpId;
}

/** Where a sub-command family keeps pinUvAuthProtocol and pinUvAuthParam in its request map. */
export interface AuthRequestKeys {
  pinUvAuthProtocol: number;
  pinUvAuthParam: number;
}

/**
 * The sub-command families' check — bioEnrollment (§6.7: modality ‖ subCommand ‖ params),
 * credentialManagement (§6.8 steps 2–4: subCommand ‖ params) and authenticatorConfig (§6.11
 * step 4.2: 32×0xff ‖ 0x0d ‖ subCommand ‖ params): the message is `prefix ‖ subCommand ‖
 * subCommandParams` (canonical CBOR, nothing when absent). Built here from the spec rather than
 * with the platform's builder, so the conformance tests catch a platform that gets it wrong.
 */
export function verifySubCommandAuth(
  ctx: CommandContext,
  args: { request: CborMap; keys: AuthRequestKeys; prefix: Uint8Array; subCommand: number; subParams: CborMap | undefined; permission: number },
): void {
  const { request, keys, prefix, subCommand, subParams, permission } = args;
  const message = concatBytes(prefix, Uint8Array.of(subCommand), subParams ? encodeCanonical(subParams) : new Uint8Array(0));
  const protocol = request.get(keys.pinUvAuthProtocol);
  const param = request.get(keys.pinUvAuthParam);
  if (protocol !== undefined && typeof protocol !== 'number') throw new StatusError(CtapStatus.CBOR_UNEXPECTED_TYPE);
  if (param !== undefined && !(param instanceof Uint8Array)) throw new StatusError(CtapStatus.CBOR_UNEXPECTED_TYPE);
  verifyPinUvAuthParam(ctx, { protocol, param, message, permission });
}

/**
 * pinUvAuthTokenUsageTimerObserver (§6.5.2.1), run lazily before each use: stopUsingPinUvAuthToken
 * when the initial usage limit passed unused or the maximum usage period is over. Legacy 2.0
 * pinTokens (§5.5.4) predate the timer and live for the whole power-up.
 */
function expireToken(ctx: Pick<CommandContext, 'powerUp' | 'now'>): void {
  const token = ctx.powerUp.token;
  if (!token || token.legacy) return;
  const age = ctx.now() - token.issuedAt;
  if (age > TOKEN_MAX_USAGE_PERIOD_MS || (token.usedAt === null && age > TOKEN_INITIAL_USAGE_LIMIT_MS)) invalidateToken(ctx);
}

export interface IssueOptions {
  protocol: number;
  permissions: number;
  rpId: string | null;
  /** A 2.0 / 2.1-PRE getPinToken token: implicit permissions, kept for the whole power-up. */
  legacy: boolean;
  userVerified: boolean;
  userPresent: boolean;
}

/**
 * Issue a token and return its bytes (the caller encrypts them for the platform).
 * 2.1 (§6.5.5.7): every issue calls resetPinUvAuthToken(), so a new random token replaces and
 * invalidates the previous one. 2.0 (§5.5.4): the pinToken is generated at power-up and
 * getPinToken returns that same token until the next power cycle.
 */
export function issueToken(ctx: CommandContext, options: IssueOptions): Uint8Array {
  const current = ctx.powerUp.token;
  if (options.legacy && current?.legacy) return current.value;
  invalidateToken(ctx);
  const value = randomBytes(TOKEN_LENGTH);
  ctx.powerUp.token = {
    value,
    protocol: options.protocol,
    permissions: options.permissions,
    rpId: options.rpId,
    userPresent: options.userPresent,
    userVerified: options.userVerified,
    legacy: options.legacy,
    issuedAt: ctx.now(),
    usedAt: null,
  };
  return value;
}

/**
 * §6.1.2 step 14 / §6.2.2 step 9: once a makeCredential or getAssertion has collected user
 * presence, clearUserPresentFlag(), clearUserVerifiedFlag() and
 * clearPinUvAuthTokenPermissionsExceptLbw() — a token serves one ceremony, so platforms get a
 * new one per step (python-fido2 does). Legacy pinTokens have no permissions to clear.
 */
export function endCeremonyForToken(ctx: Pick<CommandContext, 'powerUp'>): void {
  const token = ctx.powerUp.token;
  if (!token || token.legacy) return;
  token.userPresent = false;
  token.userVerified = false;
  token.permissions &= Permission.lbw;
}

/** Forget the token, zeroing its bytes (PIN change, reset, power cycle). */
export function invalidateToken(ctx: Pick<CommandContext, 'powerUp'>): void {
  ctx.powerUp.token?.value.fill(0);
  ctx.powerUp.token = null;
}
