/**
 * Key settings for the app and the CLI — CTAP 2.1 §6.11 (authenticatorConfig) through
 * ctap/flows/configure.ts: always require verification (§6.11.2, §7.2), minimum PIN length
 * (§6.11.4, §7.4) and enterprise attestation (§6.11.1, §7.1). Each change is explained before it
 * is applied (the minimum PIN length and enterprise attestation flows confirm themselves; the
 * alwaysUv flow toggles, so the confirmation and the "already so" check live here). The result
 * is what the key reports afterwards.
 * @module
 */
import { isPinSet, supportsConfig } from '../../../ctap/ctap2/info.js';
import type { Ctap2Session } from '../../../ctap/ctap2/session.js';
import { enableEnterpriseAttestation, setMinPinLength, toggleAlwaysUv } from '../../../ctap/flows/configure.js';
import type { Consequence, UserPrompts } from '../../../ctap/flows/prompts.js';
import { AppError } from '../errors.js';
import { failure } from './credentials.js';

export interface SettingsOperationOptions {
  session: Ctap2Session;
  prompts: UserPrompts;
  signal?: AbortSignal;
}

/** CTAP 2.1 §7.2: what "always require verification" changes. */
function alwaysUvConsequences(on: boolean, pinSet: boolean): Consequence[] {
  if (!on) return [{ code: 'always-uv-off-websites-decide' }];
  return [
    { code: 'always-uv-every-sign-in' },
    { code: 'always-uv-u2f-stops' },
    ...(pinSet ? [] : [{ code: 'always-uv-no-pin-yet' } as const]),
    { code: 'always-uv-reset-off' },
  ];
}

/** Turn "always require the PIN or a fingerprint" on or off; nothing is sent when it already is. */
export async function setAlwaysUv(options: SettingsOperationOptions & { on: boolean }): Promise<{ alwaysUv: boolean; changed: boolean }> {
  const info = await options.session.getInfo({ refresh: true, signal: options.signal });
  const capable = supportsConfig(info) && info.options.alwaysUv !== undefined;
  if (capable) {
    if (info.options.alwaysUv === options.on) return { alwaysUv: options.on, changed: false };
    const agreed = await options.prompts.confirm(
      {
        action: options.on ? 'always-uv-on' : 'always-uv-off',
        consequences: alwaysUvConsequences(options.on, isPinSet(info)),
      },
      options.signal,
    );
    if (!agreed) throw new AppError('CANCELLED', { reason: 'declined-change' });
  }
  // An incapable key gets no confirmation: the flow reports in words what it lacks.
  const result = await toggleAlwaysUv(options);
  if (result.outcome !== 'done') throw failure(result);
  if (result.alwaysUv !== options.on) {
    throw new AppError('KEY_REJECTED_REQUEST', { details: `toggleAlwaysUv answered OK but getInfo alwaysUv is ${String(result.alwaysUv)}` });
  }
  return { alwaysUv: result.alwaysUv, changed: true };
}

export interface MinPinLengthReport {
  minPinLength: number;
  forcePinChange: boolean;
  rpIds: string[];
}

/** Raise the minimum PIN length, name the sites that may read it, and/or force a PIN change. */
export async function setMinimumPinLength(
  options: SettingsOperationOptions & { minPinLength: number; rpIds: string[]; forceChangePin: boolean },
): Promise<MinPinLengthReport> {
  const result = await setMinPinLength({
    session: options.session,
    prompts: options.prompts,
    signal: options.signal,
    minPinLength: options.minPinLength,
    ...(options.rpIds.length > 0 ? { rpIds: options.rpIds } : {}),
    ...(options.forceChangePin ? { forceChangePin: true } : {}),
  });
  switch (result.outcome) {
    case 'done':
      return { minPinLength: result.minPinLength, forcePinChange: result.forcePinChange, rpIds: options.rpIds };
    case 'not-allowed':
      throw new AppError('NOT_ALLOWED', {
        reason: result.reason,
        ...(result.current !== undefined ? { current: result.current } : {}),
        ...(result.maxRpIds !== undefined ? { maxRpIds: result.maxRpIds } : {}),
      });
    case 'declined':
      throw new AppError('CANCELLED', { reason: 'declined-change' });
    default:
      throw failure(result);
  }
}

/** Turn on enterprise attestation (only a reset turns it off); nothing is sent when it is on. */
export async function turnOnEnterpriseAttestation(options: SettingsOperationOptions): Promise<{ enterpriseAttestation: true; changed: boolean }> {
  const info = await options.session.getInfo({ refresh: true, signal: options.signal });
  if (info.options.ep === true) return { enterpriseAttestation: true, changed: false };
  const result = await enableEnterpriseAttestation(options);
  switch (result.outcome) {
    case 'done':
      if (!result.enabled) throw new AppError('KEY_REJECTED_REQUEST', { details: 'enableEnterpriseAttestation answered OK but getInfo ep is not true' });
      return { enterpriseAttestation: true, changed: true };
    case 'declined':
      throw new AppError('CANCELLED', { reason: 'declined-change' });
    default:
      throw failure(result);
  }
}
