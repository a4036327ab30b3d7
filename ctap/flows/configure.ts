/**
 * Key settings flows — CTAP 2.1 §6.11 (authenticatorConfig): always require verification
 * (§6.11.2), minimum PIN length (§6.11.4) and enterprise attestation (§6.11.1). Settings that
 * cannot be undone without a reset are explained and confirmed first; every flow re-reads
 * getInfo afterwards, so the outcome reports what the key now says, not what was asked.
 * @module
 */
import { AuthenticatorConfig } from '../ctap2/authenticator-config.js';
import { Permission, type PinUvAuthToken } from '../ctap2/client-pin.js';
import { isPinSet, supportsConfig, type AuthenticatorInfo } from '../ctap2/info.js';
import { CtapError, PinPolicyError } from '../errors.js';
import { CtapStatus } from '../status.js';
import type { ConfirmRequest, Consequence } from './prompts.js';
import { guard, unlockWithPin, type FlowOptions, type UnlockFailure, type Unsupported, type UnsupportedFeature } from './manage-credentials.js';

export type AlwaysUvOutcome = { outcome: 'done'; alwaysUv: boolean } | Unsupported | UnlockFailure;

export type MinPinLengthOutcome =
  | { outcome: 'done'; minPinLength: number; forcePinChange: boolean }
  /** Refused before sending: the minimum only goes up until a reset, or too many RP IDs. */
  | { outcome: 'not-allowed'; reason: MinPinLengthRefusal; current?: number; maxRpIds?: number }
  | { outcome: 'declined' }
  | Unsupported
  | UnlockFailure;

/** Why a minimum PIN length change was refused before (or by) the key. */
export type MinPinLengthRefusal = 'only-goes-up' | 'no-rp-ids' | 'too-many-rp-ids' | 'policy';

export type EnterpriseAttestationOutcome = { outcome: 'done'; enabled: boolean } | { outcome: 'declined' } | Unsupported | UnlockFailure;

/** Turn "always require a PIN or fingerprint" on or off (§6.11.2). */
export async function toggleAlwaysUv(options: FlowOptions): Promise<AlwaysUvOutcome> {
  return guard(options.signal, async () => {
    const info = await readInfo(options);
    const unsupported = configUnsupported(info, 'alwaysUv', 'always-uv');
    if (unsupported) return unsupported;
    const result = await withConfig({ ...options, info }, (config) => config.toggleAlwaysUv({ signal: options.signal }));
    if (result) return result;
    const after = await readInfo(options);
    return { outcome: 'done', alwaysUv: after.options.alwaysUv === true };
  });
}

/**
 * Raise the minimum PIN length (and/or name the sites that may read it, and/or force a PIN
 * change). Explained and confirmed first: it cannot be lowered again without a reset.
 */
export async function setMinPinLength(
  options: FlowOptions & { minPinLength?: number; rpIds?: string[]; forceChangePin?: boolean },
): Promise<MinPinLengthOutcome> {
  return guard(options.signal, async () => {
    const info = await readInfo(options);
    const unsupported = configUnsupported(info, 'setMinPINLength', 'min-pin-length');
    if (unsupported) return unsupported;
    const { minPinLength, rpIds, forceChangePin } = options;
    if (minPinLength !== undefined && minPinLength < info.minPINLength) {
      return { outcome: 'not-allowed', reason: 'only-goes-up', current: info.minPINLength };
    }
    const maxRpIds = info.maxRPIDsForSetMinPINLength ?? 0;
    if (rpIds !== undefined && rpIds.length > maxRpIds) {
      return { outcome: 'not-allowed', reason: maxRpIds === 0 ? 'no-rp-ids' : 'too-many-rp-ids', maxRpIds };
    }
    const consequences: Consequence[] = [];
    if (minPinLength !== undefined && minPinLength > info.minPINLength) {
      consequences.push({ code: 'min-pin-length-raised', minLength: minPinLength }, { code: 'min-pin-length-only-up' });
      if (isPinSet(info)) consequences.push({ code: 'short-pin-must-change', minLength: minPinLength });
    }
    if (forceChangePin === true) consequences.push({ code: 'pin-must-change' });
    if (rpIds !== undefined) consequences.push({ code: 'min-pin-length-sites', rpIds });
    if (consequences.length > 0) {
      const request: ConfirmRequest = { action: 'change-pin-rules', consequences };
      if (!(await options.prompts.confirm(request, options.signal))) return { outcome: 'declined' };
    }
    const result = await withConfig({ ...options, info }, async (config) => {
      try {
        await config.setMinPinLength({
          signal: options.signal,
          ...(minPinLength !== undefined ? { minPinLength } : {}),
          ...(rpIds !== undefined ? { rpIds } : {}),
          ...(forceChangePin !== undefined ? { forceChangePin } : {}),
        });
      } catch (error) {
        if (error instanceof PinPolicyError) return { outcome: 'not-allowed' as const, reason: 'policy' as const };
        if (error instanceof CtapError && error.status === CtapStatus.PIN_POLICY_VIOLATION) {
          return { outcome: 'not-allowed' as const, reason: 'only-goes-up' as const, current: info.minPINLength };
        }
        throw error;
      }
      return undefined;
    });
    if (result) return result;
    const after = await readInfo(options);
    return { outcome: 'done', minPinLength: after.minPINLength, forcePinChange: after.forcePINChange };
  });
}

/** Let websites the organisation allows identify this exact key (§6.11.1, §7.1). */
export async function enableEnterpriseAttestation(options: FlowOptions): Promise<EnterpriseAttestationOutcome> {
  return guard(options.signal, async () => {
    const info = await readInfo(options);
    const unsupported = configUnsupported(info, 'ep', 'enterprise-attestation');
    if (unsupported) return unsupported;
    const agreed = await options.prompts.confirm(
      {
        action: 'enable-enterprise-attestation',
        consequences: [{ code: 'enterprise-attestation-identifies' }, { code: 'enterprise-attestation-reset-off' }],
      },
      options.signal,
    );
    if (!agreed) return { outcome: 'declined' };
    const result = await withConfig({ ...options, info }, (config) => config.enableEnterpriseAttestation({ signal: options.signal }));
    if (result) return result;
    const after = await readInfo(options);
    return { outcome: 'done', enabled: after.options.ep === true };
  });
}

/** Fresh getInfo: every settings decision is made on what the key says now. */
async function readInfo(options: FlowOptions): Promise<AuthenticatorInfo> {
  options.session.invalidateInfo();
  return options.session.getInfo({ signal: options.signal });
}

function configUnsupported(info: AuthenticatorInfo, option: string, feature: UnsupportedFeature): Unsupported | undefined {
  if (!supportsConfig(info)) return { outcome: 'unsupported', feature: 'authenticator-config' };
  if (info.options[option] === undefined) return { outcome: 'unsupported', feature };
  return undefined;
}

/**
 * Run a config command with an acfg token. A key with no PIN and alwaysUv off takes config
 * commands without one (§6.11 step 4), so no PIN is asked for there.
 */
async function withConfig<T>(options: FlowOptions & { info: AuthenticatorInfo }, run: (config: AuthenticatorConfig) => Promise<T>): Promise<T | UnlockFailure> {
  const { info } = options;
  const needsToken = isPinSet(info) || info.options.alwaysUv === true || info.options.uv === true;
  let token: PinUvAuthToken | undefined;
  if (needsToken) {
    const unlocked = await unlockWithPin({ ...options, permissions: Permission.acfg });
    if (!('token' in unlocked)) return unlocked;
    token = unlocked;
  }
  try {
    return await run(new AuthenticatorConfig(options.session, token));
  } finally {
    token?.dispose();
  }
}
