/**
 * The virtual key's authenticatorConfig — CTAP 2.1 §6.11 (0x0D): enableEnterpriseAttestation
 * (§6.11.1), toggleAlwaysUv (§6.11.2), setMinPINLength (§6.11.4). Settings live in the key's
 * persistent state; getInfo reads them from there (alwaysUv, ep, minPINLength, forcePINChange).
 * @module
 */
import type { CborMap, CborValue } from '../../cbor.js';
import { ConfigRequestKey, ConfigSubCommand, SetMinPinLengthParam } from '../../ctap2/authenticator-config.js';
import { Permission } from '../../ctap2/client-pin.js';
import { Ctap2Command } from '../../ctap2/commands.js';
import { CtapStatus } from '../../status.js';
import { StatusError, type CommandContext, type CommandHandler } from './context.js';
import { verifySubCommandAuth } from './token.js';

/** §6.5.1: a PIN has at most 63 bytes, so no minimum above 63 code points can ever be met. */
const MAX_MIN_PIN_LENGTH = 63;

export const handleAuthenticatorConfig: CommandHandler = async (params, ctx) => {
  if (!ctx.config.supports.config) throw new StatusError(CtapStatus.INVALID_COMMAND);
  const subCommand = params.get(ConfigRequestKey.subCommand);
  if (subCommand === undefined) throw new StatusError(CtapStatus.MISSING_PARAMETER, 'subCommand is missing');
  if (typeof subCommand !== 'number') throw new StatusError(CtapStatus.CBOR_UNEXPECTED_TYPE);
  const subParams = params.get(ConfigRequestKey.subCommandParams);
  if (subParams !== undefined && !(subParams instanceof Map)) throw new StatusError(CtapStatus.CBOR_UNEXPECTED_TYPE);
  if (!(Object.values(ConfigSubCommand) as number[]).includes(subCommand)) throw new StatusError(CtapStatus.INVALID_SUBCOMMAND);

  // §6.11 step 4: a key protected by a PIN or built-in UV, or with alwaysUv on, needs a token
  // with the acfg permission; an unprotected key accepts the command as is.
  const protectedKey = ctx.state.pinHash !== null || ctx.state.templates.length > 0 || ctx.state.alwaysUv;
  if (protectedKey || params.has(ConfigRequestKey.pinUvAuthParam)) authenticate(ctx, { request: params, subCommand, subParams });

  switch (subCommand) {
    case ConfigSubCommand.enableEnterpriseAttestation:
      return enableEnterpriseAttestation(ctx);
    case ConfigSubCommand.toggleAlwaysUv:
      return toggleAlwaysUv(ctx);
    default:
      return setMinPinLength(ctx, subParams);
  }
};

/** §6.11 step 4.2: pinUvAuthParam over 32×0xff ‖ 0x0d ‖ subCommand ‖ subCommandParams. */
function authenticate(ctx: CommandContext, args: { request: CborMap; subCommand: number; subParams: CborMap | undefined }): void {
  const prefix = new Uint8Array(33).fill(0xff);
  prefix[32] = Ctap2Command.CONFIG;
  verifySubCommandAuth(ctx, { ...args, keys: ConfigRequestKey, prefix, permission: Permission.acfg });
}

/** §6.11.1: only an enterprise-attestation-capable key; others answer INVALID_PARAMETER (as OpenSK). */
function enableEnterpriseAttestation(ctx: CommandContext): undefined {
  if (!ctx.config.supports.enterpriseAttestation) throw new StatusError(CtapStatus.INVALID_PARAMETER, 'not enterprise attestation capable');
  ctx.state.enterpriseAttestation = true;
  ctx.commit();
  return undefined;
}

/** §6.11.2. */
function toggleAlwaysUv(ctx: CommandContext): undefined {
  if (ctx.config.options.alwaysUv === undefined) throw new StatusError(CtapStatus.INVALID_PARAMETER, 'alwaysUv is not supported');
  ctx.state.alwaysUv = !ctx.state.alwaysUv;
  ctx.commit();
  return undefined;
}

/**
 * §6.11.4: the minimum only goes up (PIN_POLICY_VIOLATION otherwise); a minimum above the current
 * PIN's length, or forceChangePin, makes the key demand a new PIN; RP IDs replace the list.
 */
function setMinPinLength(ctx: CommandContext, subParams: CborMap | undefined): undefined {
  if (ctx.config.options.setMinPINLength === undefined) throw new StatusError(CtapStatus.INVALID_PARAMETER, 'setMinPINLength is not supported');
  const requested = subParams?.get(SetMinPinLengthParam.newMinPINLength);
  const rpIds = subParams?.get(SetMinPinLengthParam.minPinLengthRPIDs);
  const force = subParams?.get(SetMinPinLengthParam.forceChangePin);
  if (requested !== undefined && typeof requested !== 'number') throw new StatusError(CtapStatus.CBOR_UNEXPECTED_TYPE);
  if (force !== undefined && typeof force !== 'boolean') throw new StatusError(CtapStatus.CBOR_UNEXPECTED_TYPE);
  const newMin = requested ?? ctx.state.minPinLength;
  if (newMin < ctx.state.minPinLength || newMin > MAX_MIN_PIN_LENGTH) throw new StatusError(CtapStatus.PIN_POLICY_VIOLATION);
  const ids = rpIds === undefined ? undefined : requireTextList(rpIds);
  // OpenSK answers KEY_STORE_FULL when the list does not fit.
  if (ids && ids.length > ctx.config.maxRPIDsForSetMinPINLength) throw new StatusError(CtapStatus.KEY_STORE_FULL);
  if (force === true && ctx.state.pinHash === null) throw new StatusError(CtapStatus.PIN_NOT_SET);

  ctx.state.minPinLength = newMin;
  if (ids) ctx.state.minPinLengthRpIds = ids;
  if (force === true || (ctx.state.pinLength !== null && newMin > ctx.state.pinLength)) ctx.state.forcePinChange = true;
  ctx.commit();
  return undefined;
}

function requireTextList(value: CborValue): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw new StatusError(CtapStatus.CBOR_UNEXPECTED_TYPE);
  return value as string[];
}
