/**
 * authenticatorClientPIN (0x06) on the virtual key — the authenticator side of CTAP 2.1 §6.5.5
 * for PIN/UV auth protocols 1 and 2, with the retry rules of §6.5.2.1: 8 tries in total (kept
 * in state, so unplugging does not restore them), 3 wrong in a row → PIN_AUTH_BLOCKED until a
 * power cycle, 0 left → PIN_BLOCKED until reset. The maths is ctap/ctap2/pin-protocol.ts, the
 * same code the platform side uses.
 * @module
 */
import { equalBytes } from '../../bytes.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { CborMap } from '../../cbor.js';
import { ClientPinParam, ClientPinResponse, ClientPinSubCommand, Permission } from '../../ctap2/client-pin.js';
import { generateKeyAgreementKeyPair, type PinUvAuthProtocol } from '../../ctap2/pin-protocol.js';
import { CtapStatus } from '../../status.js';
import type { VirtualKeyConfig } from '../config.js';
import { DEFAULT_MIN_PIN_LENGTH, MAX_PIN_RETRIES, MAX_UV_RETRIES } from '../state.js';
import { optionalParam, requireParam, StatusError, type CommandContext, type CommandHandler } from './context.js';
import { invalidateToken, issueToken, requestProtocol } from './token.js';

/** §6.5.2.1: three wrong PINs in a row block PIN entry until the next power cycle. */
const MAX_CONSECUTIVE_PIN_FAILURES = 3;
/** §6.5.1: the padded PIN block is 64 bytes; a PIN is at most 63 UTF-8 bytes. */
const PADDED_PIN_LENGTH = 64;
const MAX_PIN_BYTES = 63;

interface Agreement {
  protocol: PinUvAuthProtocol;
  sharedSecret: Uint8Array;
}

/** §6.5.6 decapsulate: an invalid platform key is CTAP1_ERR_INVALID_PARAMETER. */
function agree(ctx: CommandContext, protocol: PinUvAuthProtocol, keyAgreement: CborMap): Agreement {
  try {
    return { protocol, sharedSecret: protocol.decapsulate(ctx.powerUp.keyAgreement.secretKey, keyAgreement) };
  } catch {
    throw new StatusError(CtapStatus.INVALID_PARAMETER, 'keyAgreement is not a valid P-256 key');
  }
}

/** Run `use` with the shared secret, which is zeroed afterwards whatever happens. */
async function withAgreement<T>(ctx: CommandContext, protocol: PinUvAuthProtocol, keyAgreement: CborMap, use: (agreement: Agreement) => T | Promise<T>): Promise<T> {
  const agreement = agree(ctx, protocol, keyAgreement);
  try {
    return await use(agreement);
  } finally {
    agreement.sharedSecret.fill(0);
  }
}

/** The plaintext, or undefined when the ciphertext is not whole AES blocks (each caller's own status). */
function tryDecrypt(agreement: Agreement, ciphertext: Uint8Array): Uint8Array | undefined {
  try {
    return agreement.protocol.decrypt(agreement.sharedSecret, ciphertext);
  } catch {
    return undefined;
  }
}

/** PIN set, not blocked for good, not blocked for this power-up (§6.5.2.1). */
function checkPinUsable(ctx: CommandContext): void {
  if (ctx.state.pinHash === null) throw new StatusError(CtapStatus.PIN_NOT_SET);
  if (ctx.state.pinRetries === 0) throw new StatusError(CtapStatus.PIN_BLOCKED);
  if (ctx.powerUp.consecutivePinFailures >= MAX_CONSECUTIVE_PIN_FAILURES) throw new StatusError(CtapStatus.PIN_AUTH_BLOCKED);
}

/**
 * §6.5.5.6 / §6.5.5.7.2 "pinHashEnc" check. The counter drops *before* the comparison and is
 * committed at once, so pulling the key mid-attempt cannot save a try.
 */
function verifyCurrentPin(ctx: CommandContext, agreement: Agreement, pinHashEnc: Uint8Array): void {
  const stored = ctx.state.pinHash;
  if (stored === null) throw new StatusError(CtapStatus.PIN_NOT_SET);
  ctx.state.pinRetries -= 1;
  ctx.commit();
  // §6.5.5.6 step 7.1 / §6.5.5.7.2 step 7.1: "If an error results, or a mismatch is detected" —
  // a pinHashEnc that does not decrypt is a wrong PIN, after the retry is spent.
  const pinHash = tryDecrypt(agreement, pinHashEnc);
  const match = pinHash !== undefined && pinHash.length === stored.length && equalBytes(pinHash, stored);
  pinHash?.fill(0);
  if (!match) {
    // §6.5.5.6 step 8: a wrong PIN regenerates the key agreement, so the platform must start over.
    ctx.powerUp.keyAgreement.secretKey.fill(0);
    ctx.powerUp.keyAgreement = generateKeyAgreementKeyPair();
    ctx.powerUp.consecutivePinFailures += 1;
    if (ctx.state.pinRetries === 0) throw new StatusError(CtapStatus.PIN_BLOCKED);
    if (ctx.powerUp.consecutivePinFailures >= MAX_CONSECUTIVE_PIN_FAILURES) throw new StatusError(CtapStatus.PIN_AUTH_BLOCKED);
    throw new StatusError(CtapStatus.PIN_INVALID);
  }
  ctx.powerUp.consecutivePinFailures = 0;
  ctx.state.pinRetries = MAX_PIN_RETRIES;
  ctx.commit();
}

interface NewPin {
  hash: Uint8Array;
  codePoints: number;
}

/**
 * §6.5.5.5 steps 6–10: decrypt newPinEnc to the 64-byte padded PIN, cut at the first NUL, then
 * apply the policy: valid UTF-8, at most 63 bytes, at least minPINLength code points.
 */
function decodeNewPin(ctx: CommandContext, agreement: Agreement, newPinEnc: Uint8Array): NewPin {
  // §6.5.5.5 step 6: a newPinEnc that does not decrypt is PIN_AUTH_INVALID.
  const padded = tryDecrypt(agreement, newPinEnc);
  if (padded === undefined) throw new StatusError(CtapStatus.PIN_AUTH_INVALID, 'newPinEnc has the wrong length');
  try {
    if (padded.length !== PADDED_PIN_LENGTH) throw new StatusError(CtapStatus.INVALID_PARAMETER, 'the padded PIN must be 64 bytes');
    const end = padded.indexOf(0);
    const pin = padded.subarray(0, end === -1 ? padded.length : end);
    if (pin.length > MAX_PIN_BYTES) throw new StatusError(CtapStatus.PIN_POLICY_VIOLATION, 'PIN longer than 63 bytes');
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(pin);
    } catch {
      throw new StatusError(CtapStatus.PIN_POLICY_VIOLATION, 'PIN is not UTF-8');
    }
    const codePoints = [...text].length;
    if (codePoints < Math.max(DEFAULT_MIN_PIN_LENGTH, ctx.state.minPinLength)) {
      throw new StatusError(CtapStatus.PIN_POLICY_VIOLATION, 'PIN shorter than the minimum length');
    }
    return { hash: sha256(pin).slice(0, 16), codePoints };
  } finally {
    padded.fill(0);
  }
}

function storePin(ctx: CommandContext, pin: NewPin): void {
  ctx.state.pinHash = pin.hash;
  ctx.state.pinLength = pin.codePoints;
  ctx.state.pinRetries = MAX_PIN_RETRIES;
  ctx.state.forcePinChange = false;
  ctx.commit();
}

/** Permission bits this key can grant at all (§6.5.5.7: others → UNAUTHORIZED_PERMISSION). */
function grantablePermissions(config: VirtualKeyConfig): number {
  let bits = Permission.mc | Permission.ga;
  if (config.supports.credMgmt !== 'none') bits |= Permission.cm;
  if (config.supports.bio !== 'none') bits |= Permission.be;
  if (config.supports.config) bits |= Permission.acfg;
  if (config.options.largeBlobs === true) bits |= Permission.lbw;
  return bits;
}

function checkPermissions(config: VirtualKeyConfig, permissions: number, rpId: string | undefined): void {
  if (permissions === 0) throw new StatusError(CtapStatus.INVALID_PARAMETER, 'permissions must not be empty');
  // §6.5.5.7: a token for mc or ga is always for one RP, so the platform must name it (the
  // side note OpenSK enforces with INVALID_PARAMETER).
  if ((permissions & (Permission.mc | Permission.ga)) !== 0 && rpId === undefined) {
    throw new StatusError(CtapStatus.INVALID_PARAMETER, 'mc and ga need an rpId');
  }
  if ((permissions & ~grantablePermissions(config)) !== 0) throw new StatusError(CtapStatus.UNAUTHORIZED_PERMISSION);
}

function tokenResponse(agreement: Agreement, token: Uint8Array): CborMap {
  return new Map([[ClientPinResponse.pinUvAuthToken, agreement.protocol.encrypt(agreement.sharedSecret, token)]]);
}

function getPinRetries(ctx: CommandContext): CborMap {
  const response: CborMap = new Map([[ClientPinResponse.pinRetries, ctx.state.pinRetries]]);
  // powerCycleState was added in CTAP 2.1; 2.0 / 2.1-PRE firmware does not send it.
  if (ctx.config.versions.includes('FIDO_2_1')) {
    response.set(ClientPinResponse.powerCycleState, ctx.powerUp.consecutivePinFailures >= MAX_CONSECUTIVE_PIN_FAILURES);
  }
  return response;
}

function getKeyAgreement(params: CborMap, ctx: CommandContext): CborMap {
  requestProtocol(ctx, optionalParam(params, ClientPinParam.pinUvAuthProtocol, 'uint'));
  return new Map([[ClientPinResponse.keyAgreement, ctx.powerUp.keyAgreement.cose]]);
}

/** §6.5.5.5 setPIN: only when no PIN is set; pinUvAuthParam = authenticate(secret, newPinEnc). */
async function setPin(params: CborMap, ctx: CommandContext): Promise<undefined> {
  const keyAgreement = requireParam(params, ClientPinParam.keyAgreement, 'map');
  const newPinEnc = requireParam(params, ClientPinParam.newPinEnc, 'bytes');
  const pinUvAuthParam = requireParam(params, ClientPinParam.pinUvAuthParam, 'bytes');
  const protocol = requestProtocol(ctx, optionalParam(params, ClientPinParam.pinUvAuthProtocol, 'uint'));
  if (ctx.state.pinHash !== null) {
    // CTAP 2.1 §6.5.5.5 step 3 says PIN_AUTH_INVALID (OpenSK does the same);
    // pre-2.1 firmware answers NOT_ALLOWED, so clients must expect both.
    const status = ctx.config.versions.includes('FIDO_2_1') ? CtapStatus.PIN_AUTH_INVALID : CtapStatus.NOT_ALLOWED;
    throw new StatusError(status, 'a PIN is already set');
  }
  return withAgreement(ctx, protocol, keyAgreement, (agreement) => {
    if (!protocol.verify(agreement.sharedSecret, newPinEnc, pinUvAuthParam)) throw new StatusError(CtapStatus.PIN_AUTH_INVALID);
    storePin(ctx, decodeNewPin(ctx, agreement, newPinEnc));
    return undefined;
  });
}

/** §6.5.5.6 changePIN: pinUvAuthParam = authenticate(secret, newPinEnc ‖ pinHashEnc). */
async function changePin(params: CborMap, ctx: CommandContext): Promise<undefined> {
  const keyAgreement = requireParam(params, ClientPinParam.keyAgreement, 'map');
  const pinHashEnc = requireParam(params, ClientPinParam.pinHashEnc, 'bytes');
  const newPinEnc = requireParam(params, ClientPinParam.newPinEnc, 'bytes');
  const pinUvAuthParam = requireParam(params, ClientPinParam.pinUvAuthParam, 'bytes');
  const protocol = requestProtocol(ctx, optionalParam(params, ClientPinParam.pinUvAuthProtocol, 'uint'));
  checkPinUsable(ctx);
  return withAgreement(ctx, protocol, keyAgreement, (agreement) => {
    const message = new Uint8Array(newPinEnc.length + pinHashEnc.length);
    message.set(newPinEnc);
    message.set(pinHashEnc, newPinEnc.length);
    if (!protocol.verify(agreement.sharedSecret, message, pinUvAuthParam)) throw new StatusError(CtapStatus.PIN_AUTH_INVALID);
    verifyCurrentPin(ctx, agreement, pinHashEnc);
    const next = decodeNewPin(ctx, agreement, newPinEnc);
    // §6.5.5.6: a forced change must really change the PIN.
    if (ctx.state.forcePinChange && ctx.state.pinHash !== null && equalBytes(next.hash, ctx.state.pinHash)) {
      throw new StatusError(CtapStatus.PIN_POLICY_VIOLATION, 'the new PIN must differ from the current one');
    }
    storePin(ctx, next);
    // §6.5.5.6 last step: resetPinUvAuthToken() — tokens from the old PIN stop working.
    invalidateToken(ctx);
    return undefined;
  });
}

/**
 * §6.5.5.7.1 getPinToken (0x05). On a 2.0 / 2.1-PRE key it is the only token and acts for every
 * command; on a 2.1 key it still works for old platforms but carries only mc and ga, and the
 * permissions / rpId parameters are refused (§6.5.5.7.1 step 1).
 */
async function getPinToken(params: CborMap, ctx: CommandContext): Promise<CborMap> {
  const keyAgreement = requireParam(params, ClientPinParam.keyAgreement, 'map');
  const pinHashEnc = requireParam(params, ClientPinParam.pinHashEnc, 'bytes');
  const protocol = requestProtocol(ctx, optionalParam(params, ClientPinParam.pinUvAuthProtocol, 'uint'));
  const modern = ctx.config.supports.permissionTokens;
  if (modern && (params.has(ClientPinParam.permissions) || params.has(ClientPinParam.rpId))) {
    throw new StatusError(CtapStatus.INVALID_PARAMETER, 'getPinToken takes no permissions');
  }
  checkPinUsable(ctx);
  return withAgreement(ctx, protocol, keyAgreement, (agreement) => {
    verifyCurrentPin(ctx, agreement, pinHashEnc);
    if (ctx.state.forcePinChange) throw new StatusError(CtapStatus.PIN_POLICY_VIOLATION, 'the PIN must be changed first');
    const token = issueToken(ctx, {
      protocol: protocol.version,
      permissions: modern ? Permission.mc | Permission.ga : 0,
      rpId: null,
      legacy: !modern,
      userVerified: true,
      userPresent: false,
    });
    return tokenResponse(agreement, token);
  });
}

/** §6.5.5.7.2 getPinUvAuthTokenUsingPinWithPermissions (0x09). */
async function getTokenWithPin(params: CborMap, ctx: CommandContext): Promise<CborMap> {
  const keyAgreement = requireParam(params, ClientPinParam.keyAgreement, 'map');
  const pinHashEnc = requireParam(params, ClientPinParam.pinHashEnc, 'bytes');
  const permissions = requireParam(params, ClientPinParam.permissions, 'uint');
  const rpId = optionalParam(params, ClientPinParam.rpId, 'text');
  const protocol = requestProtocol(ctx, optionalParam(params, ClientPinParam.pinUvAuthProtocol, 'uint'));
  checkPermissions(ctx.config, permissions, rpId);
  checkPinUsable(ctx);
  return withAgreement(ctx, protocol, keyAgreement, (agreement) => {
    verifyCurrentPin(ctx, agreement, pinHashEnc);
    if (ctx.state.forcePinChange) throw new StatusError(CtapStatus.PIN_POLICY_VIOLATION, 'the PIN must be changed first');
    const token = issueToken(ctx, { protocol: protocol.version, permissions, rpId: rpId ?? null, legacy: false, userVerified: true, userPresent: false });
    return tokenResponse(agreement, token);
  });
}

/**
 * §6.5.5.7.3 getPinUvAuthTokenUsingUvWithPermissions (0x06): the built-in sensor verifies the
 * user (simulated by the presence script: touched = matching finger, denied = no match).
 * be / acfg need the uvBioEnroll / uvAcfg options (§6.4).
 */
function getTokenWithUv(params: CborMap, ctx: CommandContext): Promise<CborMap> {
  const keyAgreement = requireParam(params, ClientPinParam.keyAgreement, 'map');
  const permissions = requireParam(params, ClientPinParam.permissions, 'uint');
  const rpId = optionalParam(params, ClientPinParam.rpId, 'text');
  const protocol = requestProtocol(ctx, optionalParam(params, ClientPinParam.pinUvAuthProtocol, 'uint'));
  checkPermissions(ctx.config, permissions, rpId);
  if ((permissions & Permission.be) !== 0 && ctx.config.options.uvBioEnroll !== true) throw new StatusError(CtapStatus.UNAUTHORIZED_PERMISSION);
  if ((permissions & Permission.acfg) !== 0 && ctx.config.options.uvAcfg !== true) throw new StatusError(CtapStatus.UNAUTHORIZED_PERMISSION);
  if (ctx.state.templates.length === 0) throw new StatusError(CtapStatus.NOT_ALLOWED, 'no fingerprint is enrolled');
  if (ctx.state.uvRetries === 0) throw new StatusError(CtapStatus.UV_BLOCKED);
  return withAgreement(ctx, protocol, keyAgreement, async (agreement) => {
    try {
      await ctx.userPresence();
    } catch (error) {
      if (!(error instanceof StatusError) || error.status !== CtapStatus.OPERATION_DENIED) throw error;
      ctx.state.uvRetries -= 1;
      ctx.powerUp.consecutiveUvFailures += 1;
      ctx.commit();
      throw new StatusError(ctx.state.uvRetries === 0 ? CtapStatus.UV_BLOCKED : CtapStatus.UV_INVALID);
    }
    ctx.state.uvRetries = MAX_UV_RETRIES;
    ctx.powerUp.consecutiveUvFailures = 0;
    ctx.commit();
    const token = issueToken(ctx, { protocol: protocol.version, permissions, rpId: rpId ?? null, legacy: false, userVerified: true, userPresent: true });
    return tokenResponse(agreement, token);
  });
}

/** Whether the key's firmware knows this subcommand (2.1-only ones need a 2.1 key, UV ones a sensor). */
function subCommandImplemented(config: VirtualKeyConfig, subCommand: number): boolean {
  switch (subCommand) {
    case ClientPinSubCommand.getPinUvAuthTokenUsingPinWithPermissions:
      return config.supports.permissionTokens;
    case ClientPinSubCommand.getPinUvAuthTokenUsingUvWithPermissions:
      return config.supports.permissionTokens && config.options.uv !== undefined;
    case ClientPinSubCommand.getUvRetries:
      return config.options.uv !== undefined;
    default:
      return Object.values(ClientPinSubCommand).includes(subCommand as never);
  }
}

export const clientPin: CommandHandler = async (params, ctx) => {
  const subCommand = requireParam(params, ClientPinParam.subCommand, 'uint');
  if (!subCommandImplemented(ctx.config, subCommand)) throw new StatusError(CtapStatus.INVALID_SUBCOMMAND);
  switch (subCommand) {
    case ClientPinSubCommand.getPinRetries:
      return getPinRetries(ctx);
    case ClientPinSubCommand.getKeyAgreement:
      return getKeyAgreement(params, ctx);
    case ClientPinSubCommand.setPin:
      return setPin(params, ctx);
    case ClientPinSubCommand.changePin:
      return changePin(params, ctx);
    case ClientPinSubCommand.getPinToken:
      return getPinToken(params, ctx);
    case ClientPinSubCommand.getPinUvAuthTokenUsingPinWithPermissions:
      return getTokenWithPin(params, ctx);
    case ClientPinSubCommand.getPinUvAuthTokenUsingUvWithPermissions:
      return getTokenWithUv(params, ctx);
    case ClientPinSubCommand.getUvRetries:
      return new Map([[ClientPinResponse.uvRetries, ctx.state.uvRetries]]);
    default:
      throw new StatusError(CtapStatus.INVALID_SUBCOMMAND);
  }
};
