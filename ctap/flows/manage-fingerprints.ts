/**
 * Fingerprint flows: sensor info, list, enroll, rename, remove — CTAP 2.1 §6.7 (bio enrollment)
 * as the Windows "Security Key › Manage › Fingerprints" page does it. Enrollment shows, sample by
 * sample, the key's feedback in plain words (lastEnrollSampleStatus, §6.7.1) and how many touches
 * remain; an abort cancels the enrollment on the key so no half-made template is left behind.
 * @module
 */
import { BioEnrollment, EnrollFeedback, sampleFeedback, type FingerprintSensorInfo, type TemplateInfo } from '../ctap2/bio-enrollment.js';
import { Permission } from '../ctap2/client-pin.js';
import { bioEnrollmentSupport, type AuthenticatorInfo } from '../ctap2/info.js';
import { CtapError } from '../errors.js';
import { CtapStatus } from '../status.js';
import type { TouchInstruction } from './prompts.js';
import { guard, withToken, type FlowOptions, type UnlockFailure, type Unsupported } from './manage-credentials.js';

export type SensorInfoOutcome = { outcome: 'ok'; sensor: FingerprintSensorInfo } | Unsupported | { outcome: 'cancelled' };

export type ListFingerprintsOutcome = { outcome: 'listed'; fingerprints: TemplateInfo[] } | Unsupported | UnlockFailure;

export type EnrollOutcome =
  | { outcome: 'enrolled'; templateId: Uint8Array; name: string | null }
  /** The key holds as many fingerprints as it can (CTAP2_ERR_FP_DATABASE_FULL). */
  | { outcome: 'full' }
  /** No finger came within the key's time limit; the enrollment was cancelled. */
  | { outcome: 'no-finger' }
  /** Too many unusable samples in a row; the enrollment was cancelled. */
  | { outcome: 'gave-up' }
  | { outcome: 'name-too-long'; maxBytes: number }
  | Unsupported
  | UnlockFailure;

export type RenameOutcome = { outcome: 'renamed' } | { outcome: 'name-too-long'; maxBytes: number } | { outcome: 'not-found' } | Unsupported | UnlockFailure;

export type RemoveOutcome = { outcome: 'removed' } | { outcome: 'declined' } | { outcome: 'not-found' } | Unsupported | UnlockFailure;

/** Unusable samples tolerated per enrollment before the flow stops and says why. */
const MAX_POOR_SAMPLES = 12;
/** How long a cancel sent after an abort may take; the caller's signal has already fired. */
const CANCEL_TIMEOUT_MS = 5_000;

/** Sensor facts (no PIN needed, §6.7.3). */
export async function fingerprintSensorInfo(options: Omit<FlowOptions, 'prompts'>): Promise<SensorInfoOutcome> {
  return guard(options.signal, async () => {
    const info = await options.session.getInfo({ signal: options.signal });
    const unsupported = bioUnsupported(info);
    if (unsupported) return unsupported;
    return { outcome: 'ok', sensor: await new BioEnrollment(options.session).getFingerprintSensorInfo({ signal: options.signal }) };
  });
}

export async function listFingerprints(options: FlowOptions): Promise<ListFingerprintsOutcome> {
  return guard(options.signal, async () => {
    const info = await options.session.getInfo({ signal: options.signal });
    const unsupported = bioUnsupported(info);
    if (unsupported) return unsupported;
    return withToken({ ...options, info, permissions: Permission.be }, async (token) => ({
      outcome: 'listed',
      fingerprints: await new BioEnrollment(options.session, token).enumerateEnrollments({ signal: options.signal }),
    }));
  });
}

/**
 * Enroll a new fingerprint: one touch prompt per sample with the key's guidance, progress with
 * the samples still needed, then the optional name. The PIN is always used for the token: on an
 * alwaysUv key with no fingerprint yet there is nothing else to verify with.
 */
export async function enrollFingerprint(options: FlowOptions & { name?: string; sampleTimeoutMs?: number }): Promise<EnrollOutcome> {
  return guard(options.signal, async () => {
    const info = await options.session.getInfo({ signal: options.signal });
    const unsupported = bioUnsupported(info);
    if (unsupported) return unsupported;
    const sensor = await new BioEnrollment(options.session).getFingerprintSensorInfo({ signal: options.signal });
    const name = options.name ?? null;
    if (name !== null) {
      const tooLong = checkName(name, sensor);
      if (tooLong) return tooLong;
    }
    return withToken({ ...options, info, permissions: Permission.be }, async (token) => {
      const bio = new BioEnrollment(options.session, token);
      const enrollment = bio.enroll(options.sampleTimeoutMs === undefined ? {} : { sampleTimeoutMs: options.sampleTimeoutMs });
      let instruction: TouchInstruction = 'enroll-first-touch';
      let poor = 0;
      try {
        while (!enrollment.done) {
          const done = options.prompts.touch({ reason: 'enroll', instruction });
          let result;
          try {
            result = await enrollment.capture({ signal: options.signal });
          } finally {
            done();
          }
          poor = result.status === EnrollFeedback.FP_GOOD ? 0 : poor + 1;
          instruction = 'enroll-next-touch';
          options.prompts.progress({
            step: 'fingerprint-sample',
            feedback: sampleFeedback(result.status),
            remaining: result.remainingSamples,
            total: sensor.maxCaptureSamplesRequiredForEnroll,
            done: enrollment.done,
          });
          if (poor >= MAX_POOR_SAMPLES) {
            await enrollment.cancel({ signal: options.signal });
            return { outcome: 'gave-up' };
          }
        }
      } catch (error) {
        return handleEnrollError(error, { bio: enrollment.templateId !== null ? bio : null, signal: options.signal });
      }
      const templateId = enrollment.templateId!;
      if (name !== null) await bio.setFriendlyName(templateId, name, { signal: options.signal });
      return { outcome: 'enrolled', templateId, name };
    });
  });
}

export async function renameFingerprint(options: FlowOptions & { templateId: Uint8Array; name: string }): Promise<RenameOutcome> {
  return guard(options.signal, async () => {
    const info = await options.session.getInfo({ signal: options.signal });
    const unsupported = bioUnsupported(info);
    if (unsupported) return unsupported;
    const sensor = await new BioEnrollment(options.session).getFingerprintSensorInfo({ signal: options.signal });
    const tooLong = checkName(options.name, sensor);
    if (tooLong) return tooLong;
    return withToken({ ...options, info, permissions: Permission.be }, async (token) => {
      try {
        await new BioEnrollment(options.session, token).setFriendlyName(options.templateId, options.name, { signal: options.signal });
      } catch (error) {
        if (error instanceof CtapError && error.status === CtapStatus.INVALID_OPTION) return { outcome: 'not-found' };
        throw error;
      }
      return { outcome: 'renamed' };
    });
  });
}

export async function removeFingerprint(options: FlowOptions & { fingerprint: TemplateInfo }): Promise<RemoveOutcome> {
  return guard(options.signal, async () => {
    const info = await options.session.getInfo({ signal: options.signal });
    const unsupported = bioUnsupported(info);
    if (unsupported) return unsupported;
    const name = options.fingerprint.friendlyName;
    const agreed = await options.prompts.confirm(
      { action: 'remove-fingerprint', subject: { name }, consequences: [{ code: 'fingerprint-unlock-lost', name }] },
      options.signal,
    );
    if (!agreed) return { outcome: 'declined' };
    return withToken({ ...options, info, permissions: Permission.be }, async (token) => {
      try {
        await new BioEnrollment(options.session, token).removeEnrollment(options.fingerprint.templateId, { signal: options.signal });
      } catch (error) {
        if (error instanceof CtapError && error.status === CtapStatus.INVALID_OPTION) return { outcome: 'not-found' };
        throw error;
      }
      return { outcome: 'removed' };
    });
  });
}

function bioUnsupported(info: AuthenticatorInfo): Unsupported | undefined {
  if (bioEnrollmentSupport(info) !== 'none') return undefined;
  return { outcome: 'unsupported', feature: 'bio-enrollment' };
}

/** §6.7.7: names are limited in UTF-8 bytes by maxTemplateFriendlyName (and 64 bytes at most). */
function checkName(name: string, sensor: FingerprintSensorInfo): { outcome: 'name-too-long'; maxBytes: number } | undefined {
  if (name.length === 0) throw new TypeError('A fingerprint name must not be empty.');
  const maxBytes = Math.min(64, sensor.maxTemplateFriendlyName ?? 64);
  return new TextEncoder().encode(name).length > maxBytes ? { outcome: 'name-too-long', maxBytes } : undefined;
}

/**
 * An enrollment that stopped part-way: cancel it on the key (§6.7.5) so no half-made template
 * stays, then report. The caller's signal may have fired, so the cancel has its own time limit.
 */
async function handleEnrollError(error: unknown, context: { bio: BioEnrollment | null; signal: AbortSignal | undefined }): Promise<EnrollOutcome> {
  const { bio, signal } = context;
  if (error instanceof CtapError && error.status === CtapStatus.FP_DATABASE_FULL) {
    return { outcome: 'full' };
  }
  const timedOut = error instanceof CtapError && (error.status === CtapStatus.USER_ACTION_TIMEOUT || error.status === CtapStatus.ACTION_TIMEOUT);
  if (bio && (timedOut || signal?.aborted)) {
    await bio.cancelCurrentEnrollment({ timeoutMs: CANCEL_TIMEOUT_MS }).catch(() => undefined);
  }
  if (timedOut) return { outcome: 'no-finger' };
  throw error;
}
