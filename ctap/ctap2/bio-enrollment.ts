/**
 * authenticatorBioEnrollment — CTAP 2.1 §6.7 (command 0x09), and the FIDO_2_1_PRE prototype
 * command 0x40 (userVerificationMgmtPreview). Fingerprint modality only, which is the only one
 * the spec defines. Shape after python-fido2 `FPBioEnrollment` / `FPEnrollmentContext`.
 * @module
 */
import type { CborMap, CborValue } from '../cbor.js';
import { CtapError, UnsupportedError, throwIfAborted } from '../errors.js';
import { CtapStatus } from '../status.js';
import type { TransactOptions } from '../transport/transport.js';
import type { PinUvAuthToken } from './client-pin.js';
import { Ctap2Command } from './commands.js';
import { bioEnrollmentSupport, type AuthenticatorInfo } from './info.js';
import { pinUvAuth, subCommandMessage } from './pin-uv-auth-param.js';
import { responseParser } from './parse.js';
import type { Ctap2Session } from './session.js';

const { malformed, requireUint } = responseParser('bioEnrollment');

/** §6.7 request map keys. */
export const BioRequestKey = {
  modality: 0x01,
  subCommand: 0x02,
  subCommandParams: 0x03,
  pinUvAuthProtocol: 0x04,
  pinUvAuthParam: 0x05,
  getModality: 0x06,
} as const;

/** §6.7 modalities: fingerprint is the only one defined. */
export const BioModality = { fingerprint: 0x01 } as const;

/** §6.7 fingerprint sub-commands. */
export const BioSubCommand = {
  enrollBegin: 0x01,
  enrollCaptureNextSample: 0x02,
  cancelCurrentEnrollment: 0x03,
  enumerateEnrollments: 0x04,
  setFriendlyName: 0x05,
  removeEnrollment: 0x06,
  getFingerprintSensorInfo: 0x07,
} as const;

/** §6.7 subCommandParams keys. */
export const BioParam = {
  templateId: 0x01,
  templateFriendlyName: 0x02,
  timeoutMilliseconds: 0x03,
} as const;

/** §6.7 response map keys. */
export const BioResult = {
  modality: 0x01,
  fingerprintKind: 0x02,
  maxCaptureSamplesRequiredForEnroll: 0x03,
  templateId: 0x04,
  lastEnrollSampleStatus: 0x05,
  remainingSamples: 0x06,
  templateInfos: 0x07,
  maxTemplateFriendlyName: 0x08,
} as const;

/** §6.7 templateInfo map keys. */
export const TemplateInfoKey = { templateId: 0x01, templateFriendlyName: 0x02 } as const;

/** §6.7.1 fingerprintKind. */
export const FingerprintKind = { touch: 0x01, swipe: 0x02 } as const;

/** §6.7.1 lastEnrollSampleStatus (CTAP2_ENROLL_FEEDBACK_*); 0x0C is not assigned. */
export const EnrollFeedback = {
  FP_GOOD: 0x00,
  FP_TOO_HIGH: 0x01,
  FP_TOO_LOW: 0x02,
  FP_TOO_LEFT: 0x03,
  FP_TOO_RIGHT: 0x04,
  FP_TOO_FAST: 0x05,
  FP_TOO_SLOW: 0x06,
  FP_POOR_QUALITY: 0x07,
  FP_TOO_SKEWED: 0x08,
  FP_TOO_SHORT: 0x09,
  FP_MERGE_FAILURE: 0x0a,
  FP_EXISTS: 0x0b,
  NO_USER_ACTIVITY: 0x0d,
  NO_UP_TRANSITION: 0x0e,
} as const;

/** lastEnrollSampleStatus (§6.7.4) as a code a front end words (main/copy/). */
export type SampleFeedback =
  | 'good'
  | 'too-high'
  | 'too-low'
  | 'too-left'
  | 'too-right'
  | 'too-fast'
  | 'too-slow'
  | 'poor-quality'
  | 'too-skewed'
  | 'too-short'
  | 'merge-failure'
  | 'exists'
  | 'no-user-activity'
  | 'no-up-transition'
  | 'unknown';

const feedback = new Map<number, SampleFeedback>([
  [EnrollFeedback.FP_GOOD, 'good'],
  [EnrollFeedback.FP_TOO_HIGH, 'too-high'],
  [EnrollFeedback.FP_TOO_LOW, 'too-low'],
  [EnrollFeedback.FP_TOO_LEFT, 'too-left'],
  [EnrollFeedback.FP_TOO_RIGHT, 'too-right'],
  [EnrollFeedback.FP_TOO_FAST, 'too-fast'],
  [EnrollFeedback.FP_TOO_SLOW, 'too-slow'],
  [EnrollFeedback.FP_POOR_QUALITY, 'poor-quality'],
  [EnrollFeedback.FP_TOO_SKEWED, 'too-skewed'],
  [EnrollFeedback.FP_TOO_SHORT, 'too-short'],
  [EnrollFeedback.FP_MERGE_FAILURE, 'merge-failure'],
  [EnrollFeedback.FP_EXISTS, 'exists'],
  [EnrollFeedback.NO_USER_ACTIVITY, 'no-user-activity'],
  [EnrollFeedback.NO_UP_TRANSITION, 'no-up-transition'],
]);

/** The feedback code for a lastEnrollSampleStatus (§6.7.4); vendor codes are `unknown`. */
export function sampleFeedback(status: number): SampleFeedback {
  return feedback.get(status) ?? 'unknown';
}

export interface FingerprintSensorInfo {
  fingerprintKind: number;
  maxCaptureSamplesRequiredForEnroll: number;
  /** Maximum templateFriendlyName length in UTF-8 bytes; null when the key does not say. */
  maxTemplateFriendlyName: number | null;
}

export interface TemplateInfo {
  templateId: Uint8Array;
  friendlyName: string | null;
}

export interface SampleResult {
  /** lastEnrollSampleStatus (EnrollFeedback). */
  status: number;
  remainingSamples: number;
}

export interface CaptureOptions extends TransactOptions {
  /** How long the key waits for a finger (timeoutMilliseconds, §6.7.4); the key's default if absent. */
  sampleTimeoutMs?: number;
}

export class BioEnrollment {
  /** 0x09 or 0x40, chosen from getInfo on first use. */
  private command: number | undefined;

  /** bioEnroll (0x09) or userVerificationMgmtPreview (0x40, 2.1-PRE). */
  static isSupported(info: AuthenticatorInfo): boolean {
    return bioEnrollmentSupport(info) !== 'none';
  }

  /**
   * @param token pinUvAuthToken with the `be` permission (2.1) or a legacy token (2.1-PRE).
   *   Only getFingerprintSensorInfo, getModality and cancel work without one (§6.7).
   */
  constructor(
    private readonly session: Ctap2Session,
    private readonly token?: PinUvAuthToken,
  ) {}

  /** §6.7.2 getModality: which modality the key supports (1 = fingerprint). */
  async getModality(options: TransactOptions = {}): Promise<number> {
    const response = await this.send(new Map([[BioRequestKey.getModality, true]]), options);
    return requireUint(response, BioResult.modality, 'modality');
  }

  /** §6.7.3 getFingerprintSensorInfo (no token needed). */
  async getFingerprintSensorInfo(options: TransactOptions = {}): Promise<FingerprintSensorInfo> {
    const response = await this.call({ subCommand: BioSubCommand.getFingerprintSensorInfo, auth: false }, options);
    const maxName = response.get(BioResult.maxTemplateFriendlyName);
    return {
      fingerprintKind: requireUint(response, BioResult.fingerprintKind, 'fingerprintKind'),
      maxCaptureSamplesRequiredForEnroll: requireUint(response, BioResult.maxCaptureSamplesRequiredForEnroll, 'maxCaptureSamplesRequiredForEnroll'),
      maxTemplateFriendlyName: maxName === undefined ? null : requireUint(response, BioResult.maxTemplateFriendlyName, 'maxTemplateFriendlyName'),
    };
  }

  /** §6.7.4 enrollBegin: waits for the first sample; returns the new template id. */
  async enrollBegin(options: CaptureOptions = {}): Promise<SampleResult & { templateId: Uint8Array }> {
    const params = timeoutParams(options.sampleTimeoutMs);
    const response = await this.call({ subCommand: BioSubCommand.enrollBegin, params, auth: true }, options);
    const templateId = response.get(BioResult.templateId);
    if (!(templateId instanceof Uint8Array) || templateId.length === 0) throw malformed('templateId must be a non-empty byte string');
    return { templateId, ...parseSample(response) };
  }

  /** §6.7.4 enrollCaptureNextSample for the template enrollBegin created. */
  async enrollCaptureNextSample(templateId: Uint8Array, options: CaptureOptions = {}): Promise<SampleResult> {
    assertTemplateId(templateId);
    const params = timeoutParams(options.sampleTimeoutMs) ?? new Map();
    params.set(BioParam.templateId, templateId);
    return parseSample(await this.call({ subCommand: BioSubCommand.enrollCaptureNextSample, params, auth: true }, options));
  }

  /** §6.7.5 cancelCurrentEnrollment (no token needed). */
  async cancelCurrentEnrollment(options: TransactOptions = {}): Promise<void> {
    await this.call({ subCommand: BioSubCommand.cancelCurrentEnrollment, auth: false }, options);
  }

  /** §6.7.6 enumerateEnrollments. The key answers INVALID_OPTION when it holds none: empty list. */
  async enumerateEnrollments(options: TransactOptions = {}): Promise<TemplateInfo[]> {
    let response: CborMap;
    try {
      response = await this.call({ subCommand: BioSubCommand.enumerateEnrollments, auth: true }, options);
    } catch (error) {
      if (error instanceof CtapError && error.status === CtapStatus.INVALID_OPTION) return [];
      throw error;
    }
    const infos = response.get(BioResult.templateInfos);
    if (!Array.isArray(infos)) throw malformed('templateInfos must be an array');
    return infos.map((item) => {
      if (!(item instanceof Map)) throw malformed('templateInfo must be a map');
      const id = item.get(TemplateInfoKey.templateId);
      const name = item.get(TemplateInfoKey.templateFriendlyName);
      if (!(id instanceof Uint8Array)) throw malformed('templateInfo.templateId must be a byte string');
      if (name !== undefined && typeof name !== 'string') throw malformed('templateInfo.templateFriendlyName must be text');
      // Unnamed: certified firmware sends "", others leave the field out; both mean no name.
      return { templateId: id, friendlyName: typeof name === 'string' && name !== '' ? name : null };
    });
  }

  /** §6.7.7 setFriendlyName. */
  async setFriendlyName(templateId: Uint8Array, name: string, options: TransactOptions = {}): Promise<void> {
    assertTemplateId(templateId);
    if (typeof name !== 'string' || name.length === 0) throw new TypeError('A fingerprint name must be non-empty text.');
    const params: CborMap = new Map<number, CborValue>([
      [BioParam.templateId, templateId],
      [BioParam.templateFriendlyName, name],
    ]);
    await this.call({ subCommand: BioSubCommand.setFriendlyName, params, auth: true }, options);
  }

  /** §6.7.8 removeEnrollment. */
  async removeEnrollment(templateId: Uint8Array, options: TransactOptions = {}): Promise<void> {
    assertTemplateId(templateId);
    await this.call({ subCommand: BioSubCommand.removeEnrollment, params: new Map([[BioParam.templateId, templateId]]), auth: true }, options);
  }

  /** A helper that walks enrollBegin → enrollCaptureNextSample until no samples remain. */
  enroll(options: { sampleTimeoutMs?: number } = {}): FingerprintEnrollment {
    return new FingerprintEnrollment(this, options.sampleTimeoutMs);
  }

  /** One fingerprint sub-command; `auth` adds pinUvAuthProtocol and pinUvAuthParam. */
  private async call(call: { subCommand: number; params?: CborMap | undefined; auth: boolean }, options: TransactOptions): Promise<CborMap> {
    const { subCommand, params, auth } = call;
    const request: CborMap = new Map<number, CborValue>([
      [BioRequestKey.modality, BioModality.fingerprint],
      [BioRequestKey.subCommand, subCommand],
    ]);
    if (params) request.set(BioRequestKey.subCommandParams, params);
    if (auth) {
      if (!this.token) throw new TypeError('This fingerprint operation needs a PIN/UV auth token with the be permission.');
      // §6.7: authenticate(token, modality ‖ subCommand ‖ subCommandParams).
      const auth = pinUvAuth(this.token, subCommandMessage(Uint8Array.of(BioModality.fingerprint), subCommand, params));
      request.set(BioRequestKey.pinUvAuthProtocol, auth.protocol);
      request.set(BioRequestKey.pinUvAuthParam, auth.param);
    }
    return this.send(request, options);
  }

  private async send(request: CborMap, options: TransactOptions): Promise<CborMap> {
    throwIfAborted(options.signal);
    // Decided once: enrollBegin makes the session's getInfo stale, and a getInfo sent between two
    // samples would end the enrollment on keys that drop state on any other command.
    if (this.command === undefined) {
      const support = bioEnrollmentSupport(await this.session.getInfo(options));
      if (support === 'none') throw new UnsupportedError('bioEnroll', 'This key has no fingerprint sensor that can be managed.');
      this.command = support === 'full' ? Ctap2Command.BIO_ENROLLMENT : Ctap2Command.BIO_ENROLLMENT_PREVIEW;
    }
    return (await this.session.send(this.command, request, options)) ?? new Map();
  }
}

/**
 * One fingerprint enrollment in progress (python-fido2 FPEnrollmentContext): the first capture
 * sends enrollBegin, later ones enrollCaptureNextSample; a sample that is not good leaves the
 * remaining count as it was and the caller simply captures again.
 */
export class FingerprintEnrollment {
  templateId: Uint8Array | null = null;
  /** Samples the key still needs; null until the first capture. */
  remaining: number | null = null;

  constructor(
    private readonly bio: BioEnrollment,
    private readonly sampleTimeoutMs: number | undefined,
  ) {}

  get done(): boolean {
    return this.remaining === 0;
  }

  async capture(options: TransactOptions = {}): Promise<SampleResult> {
    if (this.done) throw new TypeError('This enrollment is already complete.');
    const captureOptions: CaptureOptions = { ...options, sampleTimeoutMs: this.sampleTimeoutMs };
    let result: SampleResult;
    if (this.templateId === null) {
      const begun = await this.bio.enrollBegin(captureOptions);
      this.templateId = begun.templateId;
      result = { status: begun.status, remainingSamples: begun.remainingSamples };
    } else {
      result = await this.bio.enrollCaptureNextSample(this.templateId, captureOptions);
    }
    this.remaining = result.remainingSamples;
    return result;
  }

  /** Stop the enrollment on the key; the template is discarded (§6.7.5). */
  async cancel(options: TransactOptions = {}): Promise<void> {
    await this.bio.cancelCurrentEnrollment(options);
    this.templateId = null;
    this.remaining = null;
  }
}

function timeoutParams(timeoutMs: number | undefined): CborMap | undefined {
  if (timeoutMs === undefined) return undefined;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new TypeError('sampleTimeoutMs must be a positive integer.');
  return new Map([[BioParam.timeoutMilliseconds, timeoutMs]]);
}

function parseSample(response: CborMap): SampleResult {
  return {
    status: requireUint(response, BioResult.lastEnrollSampleStatus, 'lastEnrollSampleStatus'),
    remainingSamples: requireUint(response, BioResult.remainingSamples, 'remainingSamples'),
  };
}

function assertTemplateId(templateId: Uint8Array): void {
  if (!(templateId instanceof Uint8Array) || templateId.length === 0) throw new TypeError('templateId must be a non-empty byte array.');
}
