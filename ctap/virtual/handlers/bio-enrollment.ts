/**
 * The virtual key's authenticatorBioEnrollment — CTAP 2.1 §6.7 (0x09) — and the 2.1-PRE
 * prototype userVerificationMgmtPreview (0x40), with a simulated fingerprint sensor: each sample
 * waits for "the finger" through the presence script (keepalive UPNEEDED meanwhile, as a real
 * sensor does), and its quality comes from config.bio.sampleScript (good once that runs out).
 * An enrollment in progress lives in the power-up state; any other sub-command ends it.
 * @module
 */
import type { CborMap, CborValue } from '../../cbor.js';
import { BioModality, BioParam, BioRequestKey, BioResult, BioSubCommand, EnrollFeedback, FingerprintKind, TemplateInfoKey } from '../../ctap2/bio-enrollment.js';
import { Permission } from '../../ctap2/client-pin.js';
import { CtapStatus } from '../../status.js';
import { equalBytes } from '../../bytes.js';
import { StatusError, requireBytes, type CommandContext, type CommandHandler } from './context.js';
import { verifySubCommandAuth } from './token.js';

/** powerUp.pending kind owned by this handler. */
const PENDING_ENROLLMENT = 'bio.enroll';

interface Enrollment {
  templateId: Uint8Array;
  remaining: number;
}

/** How far each sample script has been consumed (keyed by the array, so a new script starts over). */
const scriptCursor = new WeakMap<number[], number>();

/** §6.7 on a CTAP 2.1 key (command 0x09). */
export const handleBioEnrollment: CommandHandler = async (params, ctx) => {
  if (ctx.config.supports.bio !== 'full') throw new StatusError(CtapStatus.INVALID_COMMAND);
  return bioEnrollment(params, ctx);
};

/** userVerificationMgmtPreview on a FIDO_2_1_PRE key (command 0x40). */
export const handleBioEnrollmentPreview: CommandHandler = async (params, ctx) => {
  if (ctx.config.supports.bio !== 'preview') throw new StatusError(CtapStatus.INVALID_COMMAND);
  return bioEnrollment(params, ctx);
};

async function bioEnrollment(params: CborMap, ctx: CommandContext): Promise<CborMap | undefined> {
  // §6.7.2: getModality stands alone.
  if (params.get(BioRequestKey.getModality) === true) return new Map([[BioResult.modality, BioModality.fingerprint]]);
  const modality = params.get(BioRequestKey.modality);
  const subCommand = params.get(BioRequestKey.subCommand);
  if (modality === undefined || subCommand === undefined) throw new StatusError(CtapStatus.MISSING_PARAMETER, 'modality and subCommand are required');
  if (typeof modality !== 'number' || typeof subCommand !== 'number') throw new StatusError(CtapStatus.CBOR_UNEXPECTED_TYPE);
  if (modality !== BioModality.fingerprint) throw new StatusError(CtapStatus.INVALID_PARAMETER, 'only the fingerprint modality exists');
  const subParams = params.get(BioRequestKey.subCommandParams);
  if (subParams !== undefined && !(subParams instanceof Map)) throw new StatusError(CtapStatus.CBOR_UNEXPECTED_TYPE);

  const enrollment = takeEnrollment(ctx);
  switch (subCommand) {
    case BioSubCommand.getFingerprintSensorInfo:
      return sensorInfo(ctx);
    case BioSubCommand.cancelCurrentEnrollment:
      // §6.7.5: no token needed; the half-made template is dropped (takeEnrollment already did).
      return undefined;
    case BioSubCommand.enrollBegin:
    case BioSubCommand.enrollCaptureNextSample:
    case BioSubCommand.enumerateEnrollments:
    case BioSubCommand.setFriendlyName:
    case BioSubCommand.removeEnrollment:
      break;
    default:
      throw new StatusError(CtapStatus.INVALID_SUBCOMMAND);
  }
  authenticate(ctx, { request: params, subCommand, subParams });
  switch (subCommand) {
    case BioSubCommand.enrollBegin:
      return enrollBegin(ctx);
    case BioSubCommand.enrollCaptureNextSample:
      return captureNext(ctx, { enrollment, templateId: requireBytes(subParams?.get(BioParam.templateId)) });
    case BioSubCommand.enumerateEnrollments:
      return enumerate(ctx);
    case BioSubCommand.setFriendlyName:
      return rename(ctx, { templateId: requireBytes(subParams?.get(BioParam.templateId)), name: subParams?.get(BioParam.templateFriendlyName) });
    default:
      return remove(ctx, requireBytes(subParams?.get(BioParam.templateId)));
  }
}

/** The enrollment in progress, if any; it is cleared here so that only a capture can continue it. */
function takeEnrollment(ctx: CommandContext): Enrollment | null {
  const pending = ctx.powerUp.pending;
  if (pending?.kind !== PENDING_ENROLLMENT) return null;
  ctx.powerUp.pending = null;
  return pending.data as Enrollment;
}

/**
 * §6.7 pinUvAuthParam over modality ‖ subCommand ‖ subCommandParams with the be permission.
 * No exception for an alwaysUv key's first enrollment: without a fingerprint the platform must
 * use the PIN (PUAT_REQUIRED otherwise; kanidm/webauthn-rs#261).
 */
function authenticate(ctx: CommandContext, args: { request: CborMap; subCommand: number; subParams: CborMap | undefined }): void {
  verifySubCommandAuth(ctx, { ...args, keys: BioRequestKey, prefix: Uint8Array.of(BioModality.fingerprint), permission: Permission.be });
}

function sensorInfo(ctx: CommandContext): CborMap {
  return new Map([
    [BioResult.modality, BioModality.fingerprint],
    [BioResult.fingerprintKind, FingerprintKind.touch],
    [BioResult.maxCaptureSamplesRequiredForEnroll, ctx.config.bio.samplesRequired],
    [BioResult.maxTemplateFriendlyName, ctx.config.bio.maxTemplateFriendlyName],
  ]);
}

/** §6.7.4 enrollBegin: a new template id, then the first sample. */
async function enrollBegin(ctx: CommandContext): Promise<CborMap> {
  if (ctx.state.templates.length >= ctx.config.bio.maxTemplates) throw new StatusError(CtapStatus.FP_DATABASE_FULL);
  const enrollment: Enrollment = { templateId: freeTemplateId(ctx), remaining: ctx.config.bio.samplesRequired };
  const response = await sample(ctx, enrollment);
  response.set(BioResult.templateId, enrollment.templateId);
  return response;
}

/** §6.7.4 enrollCaptureNextSample: only for the enrollment in progress. */
async function captureNext(ctx: CommandContext, args: { enrollment: Enrollment | null; templateId: Uint8Array }): Promise<CborMap> {
  const { enrollment, templateId } = args;
  if (!enrollment) throw new StatusError(CtapStatus.NOT_ALLOWED, 'no enrollment in progress');
  if (!equalBytes(enrollment.templateId, templateId)) throw new StatusError(CtapStatus.INVALID_PARAMETER, 'another template is being enrolled');
  return sample(ctx, enrollment);
}

/** One touch of the simulated sensor; a good sample counts, others leave the count as it was. */
async function sample(ctx: CommandContext, enrollment: Enrollment): Promise<CborMap> {
  await ctx.userPresence();
  const status = nextSampleStatus(ctx);
  if (status === EnrollFeedback.FP_GOOD) enrollment.remaining -= 1;
  if (enrollment.remaining === 0) {
    ctx.state.templates.push({ id: enrollment.templateId, friendlyName: null });
    ctx.commit();
  } else {
    ctx.powerUp.pending = { kind: PENDING_ENROLLMENT, data: enrollment };
  }
  return new Map([
    [BioResult.lastEnrollSampleStatus, status],
    [BioResult.remainingSamples, enrollment.remaining],
  ]);
}

function nextSampleStatus(ctx: CommandContext): number {
  const script = ctx.config.bio.sampleScript;
  if (!script) return EnrollFeedback.FP_GOOD;
  const cursor = scriptCursor.get(script) ?? 0;
  scriptCursor.set(script, cursor + 1);
  return script[cursor] ?? EnrollFeedback.FP_GOOD;
}

/** Small two-byte ids, lowest free first (YubiKey Bio style), so tests see stable values. */
function freeTemplateId(ctx: CommandContext): Uint8Array {
  for (let n = 1; ; n++) {
    const id = new Uint8Array([n >> 8, n & 0xff]);
    if (!ctx.state.templates.some((t) => equalBytes(t.id, id))) return id;
  }
}

/**
 * §6.7.6: no enrollments is INVALID_OPTION, not an empty list. An unnamed template carries
 * templateFriendlyName "" — certified firmware does, and the FIDO conformance tools and
 * python-fido2's enumeration expect the field.
 */
function enumerate(ctx: CommandContext): CborMap {
  if (ctx.state.templates.length === 0) throw new StatusError(CtapStatus.INVALID_OPTION, 'no enrollments');
  const infos: CborValue[] = ctx.state.templates.map(
    (template) =>
      new Map<number, CborValue>([
        [TemplateInfoKey.templateId, template.id],
        [TemplateInfoKey.templateFriendlyName, template.friendlyName ?? ''],
      ]),
  );
  return new Map([[BioResult.templateInfos, infos]]);
}

/** §6.7.7 setFriendlyName: unknown template → INVALID_OPTION; longer than the sensor allows → INVALID_PARAMETER. */
function rename(ctx: CommandContext, args: { templateId: Uint8Array; name: CborValue | undefined }): undefined {
  const { templateId, name } = args;
  if (name === undefined) throw new StatusError(CtapStatus.MISSING_PARAMETER, 'templateFriendlyName is missing');
  if (typeof name !== 'string') throw new StatusError(CtapStatus.CBOR_UNEXPECTED_TYPE);
  const template = ctx.state.templates.find((t) => equalBytes(t.id, templateId));
  if (!template) throw new StatusError(CtapStatus.INVALID_OPTION, 'no such template');
  if (new TextEncoder().encode(name).length > ctx.config.bio.maxTemplateFriendlyName) {
    throw new StatusError(CtapStatus.INVALID_PARAMETER, 'name longer than maxTemplateFriendlyName');
  }
  template.friendlyName = name;
  ctx.commit();
  return undefined;
}

/** §6.7.8 removeEnrollment: unknown template → INVALID_OPTION. */
function remove(ctx: CommandContext, templateId: Uint8Array): undefined {
  const index = ctx.state.templates.findIndex((t) => equalBytes(t.id, templateId));
  if (index < 0) throw new StatusError(CtapStatus.INVALID_OPTION, 'no such template');
  ctx.state.templates.splice(index, 1);
  ctx.commit();
  return undefined;
}
