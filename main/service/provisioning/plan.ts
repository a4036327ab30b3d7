/**
 * Capability first (DESIGN.md): decide from one getInfo whether a key is accepted by the
 * profile and which steps it needs, before anything is sent that changes it. A profile whose
 * steps cannot all be done on the key rejects the key with the reason; no step is half-applied.
 *
 * Step order: reset → PIN → always-verify → enterprise attestation → minimum PIN length and
 * forced PIN change. The forced change comes last because a key whose PIN must be changed
 * refuses PIN tokens (§6.5.5.7: PIN_POLICY_VIOLATION while forcePINChange is true), and every
 * other setting needs one.
 * @module
 */
import type { KeyInfoReport } from '../operations/info.js';
import type { AttestationVerdictCode } from './attestation-verdicts.js';
import type { MdsIndex } from './mds-index.js';
import type { Capability, Profile } from './profile.js';
import type { ProvisionRecord, StepName } from './report.js';

export const REJECTION_REASONS = [
  'aaguid-not-allowed',
  'aaguid-denied',
  'firmware-too-old',
  'missing-capability',
  'pin-already-set',
  'step-unsupported',
  'pin-length-unsupported',
  'min-pin-length-would-go-down',
  'too-many-rp-ids',
  'mds-unfit',
  /** The profile requires attestation and the key's did not verify (key-worker.ts checks it). */
  'attestation-not-verified',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export interface Rejection {
  reason: RejectionReason;
  facts: { capability?: Capability; step?: StepName; limit?: number; firmware?: number | null; status?: string; verdict?: AttestationVerdictCode; error?: string };
}

export interface Plan {
  steps: StepName[];
  /** A new PIN is set on this run (random: generated; shared: the one given). */
  setsPin: boolean;
  /** The key already has the PIN this report knows (a run that stopped after the PIN). */
  resumesWithKnownPin: boolean;
}

export interface PlanInput {
  profile: Profile;
  info: KeyInfoReport;
  /** This key's record from an earlier run (not 'done', or a redo was asked for). */
  previous: ProvisionRecord | undefined;
  /** The PIN of a shared-PIN profile (its length is checked against the key). */
  sharedPinLength: number | null;
  /** A verified FIDO Metadata Service BLOB, when one was given. */
  mds: MdsIndex | null;
}

export function planFor(input: PlanInput): Plan | Rejection {
  return acceptance(input.profile, input.info) ?? metadata(input) ?? steps(input);
}

/** `accept`: allow / deny lists, minimum firmware, capabilities. */
function acceptance(profile: Profile, info: KeyInfoReport): Rejection | null {
  const aaguid = info.aaguid.toLowerCase();
  const { allow, deny, minFirmware, capabilities } = profile.accept;
  if (deny?.some((a) => a.toLowerCase() === aaguid)) return { reason: 'aaguid-denied', facts: {} };
  if (allow && !allow.some((a) => a.toLowerCase() === aaguid)) return { reason: 'aaguid-not-allowed', facts: {} };
  if (minFirmware !== undefined && (info.firmwareVersion === null || info.firmwareVersion < minFirmware)) {
    return { reason: 'firmware-too-old', facts: { limit: minFirmware, firmware: info.firmwareVersion } };
  }
  const missing = (capabilities ?? []).find((c) => !hasCapability(info, c));
  return missing ? { reason: 'missing-capability', facts: { capability: missing } } : null;
}

/** A model the FIDO Metadata Service lists as revoked or compromised is not issued. */
function metadata(input: PlanInput): Rejection | null {
  const unfit = input.mds?.lookup(input.info.aaguid)?.unfit;
  return unfit ? { reason: 'mds-unfit', facts: { status: unfit } } : null;
}

export function hasCapability(info: KeyInfoReport, capability: Capability): boolean {
  const o = info.options;
  switch (capability) {
    case 'FIDO_2_0':
    case 'FIDO_2_1':
    case 'FIDO_2_1_PRE':
      return info.versions.includes(capability);
    case 'clientPin':
    case 'bioEnroll':
    case 'alwaysUv':
    case 'ep':
      return o[capability] !== undefined;
    case 'credMgmt':
    case 'authnrCfg':
    case 'setMinPINLength':
    case 'largeBlobs':
      return o[capability] === true;
    case 'microsoft-compatible':
      // What Windows needs of a FIDO2 security key for Entra ID sign-in: CTAP2, passkeys stored on
      // the key, a PIN, and hmac-secret (Windows derives its sign-in secret from it).
      return info.versions.some((v) => v.startsWith('FIDO_2')) && o.rk === true && o.clientPin !== undefined && info.extensions.includes('hmac-secret');
  }
}

function steps(input: PlanInput): Plan | Rejection {
  const { profile, info, previous } = input;
  const done = new Set(previous?.result === 'incomplete' ? previous.steps : []);
  const pinSet = info.options.clientPin === true;
  // A run that stopped after writing the PIN into the report may have set it: that key is
  // continued with the PIN the report holds, not wiped again.
  const knownPin = pinSet && previous?.result === 'incomplete' && (previous.pin !== undefined || profile.pin?.mode === 'shared');
  const wantsReset = profile.reset === 'always' ? !done.has('reset') : profile.reset === 'if-pin-set' && pinSet && !knownPin;
  // A reset undoes whatever an earlier run did.
  if (wantsReset) done.clear();
  const plan: StepName[] = wantsReset ? ['reset'] : [];
  const add = (step: StepName): void => {
    if (!done.has(step)) plan.push(step);
  };
  const resumesWithKnownPin = knownPin && !wantsReset;
  const unknownPinRemains = pinSet && !wantsReset && !knownPin;
  const needsPin = profile.pin !== null;
  if (unknownPinRemains && needsPin) return { reason: 'pin-already-set', facts: {} };

  const setsPin = needsPin && !resumesWithKnownPin && !done.has('pin');
  if (setsPin) {
    if (info.options.clientPin === undefined) return { reason: 'missing-capability', facts: { capability: 'clientPin' } };
    const length = profile.pin?.mode === 'random' ? profile.pin.length : input.sharedPinLength;
    // After a reset the key's minimum goes back to its factory value, which getInfo cannot tell now.
    const keyMinimum = wantsReset ? 4 : Math.max(4, info.minPinLength);
    if (length !== null && length < keyMinimum) return { reason: 'pin-length-unsupported', facts: { limit: keyMinimum } };
    if (length !== null && length > info.maxPinLength) return { reason: 'pin-length-unsupported', facts: { limit: info.maxPinLength } };
    add('pin');
  }
  const config = info.options.authnrCfg === true;
  if (profile.alwaysUv) {
    if (!config || info.options.alwaysUv === undefined) return { reason: 'step-unsupported', facts: { step: 'always-uv' } };
    add('always-uv');
  }
  if (profile.enterpriseAttestation) {
    if (!config || info.options.ep === undefined) return { reason: 'step-unsupported', facts: { step: 'enterprise-attestation' } };
    add('enterprise-attestation');
  }
  if (profile.minPinLength !== undefined || profile.forcePinChange || profile.minPinLengthRpIds.length > 0) {
    if (!config || info.options.setMinPINLength !== true) return { reason: 'step-unsupported', facts: { step: 'min-pin-length' } };
    if (!wantsReset && profile.minPinLength !== undefined && info.minPinLength > profile.minPinLength) {
      return { reason: 'min-pin-length-would-go-down', facts: { limit: info.minPinLength } };
    }
    const maxRpIds = info.maxRpIdsForSetMinPinLength ?? 0;
    if (profile.minPinLengthRpIds.length > maxRpIds) return { reason: 'too-many-rp-ids', facts: { limit: maxRpIds } };
    add('min-pin-length');
  }
  plan.push('verify');
  return { steps: plan, setsPin, resumesWithKnownPin };
}

export function isRejection(value: Plan | Rejection): value is Rejection {
  return 'reason' in value;
}
