/**
 * Fingerprint operations for the app and the CLI — CTAP 2.1 §6.7 (authenticatorBioEnrollment)
 * through ctap/flows/manage-fingerprints.ts. Template ids are shown and accepted as lowercase
 * hex (they are short opaque byte strings, §6.7.1 templateId); expected failures become
 * AppErrors with a next step.
 * @module
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { FingerprintKind, type TemplateInfo } from '../../../ctap/ctap2/bio-enrollment.js';
import type { Ctap2Session } from '../../../ctap/ctap2/session.js';
import {
  enrollFingerprint,
  fingerprintSensorInfo,
  listFingerprints,
  removeFingerprint,
  renameFingerprint,
} from '../../../ctap/flows/manage-fingerprints.js';
import type { OperationTokens } from '../../../ctap/flows/manage-credentials.js';
import type { UserPrompts } from '../../../ctap/flows/prompts.js';
import { shorten } from '../device-manager.js';
import { AppError } from '../errors.js';
import { failure, withOperationTokens } from './credentials.js';

export interface FingerprintOperationOptions {
  session: Ctap2Session;
  prompts: UserPrompts;
  signal?: AbortSignal;
  /** Tokens shared with the other steps of the same operation (see withOperationTokens). */
  tokens?: OperationTokens;
}

export interface SensorReport {
  /** §6.7.1 fingerprintKind: a sensor you touch or one you swipe over. */
  kind: 'touch' | 'swipe' | 'unknown';
  samplesPerFingerprint: number;
  /** Longest fingerprint name in UTF-8 bytes; null when the key does not say. */
  maxNameBytes: number | null;
}

export interface FingerprintRecord {
  /** Lowercase hex. */
  templateId: string;
  name: string | null;
}

/** What the sensor is like (no PIN needed, §6.7.3). */
export async function sensorInfo(options: Omit<FingerprintOperationOptions, 'prompts'>): Promise<SensorReport> {
  const result = await fingerprintSensorInfo(options);
  if (result.outcome !== 'ok') throw failure(result);
  const { sensor } = result;
  const kind = sensor.fingerprintKind === FingerprintKind.touch ? 'touch' : sensor.fingerprintKind === FingerprintKind.swipe ? 'swipe' : 'unknown';
  return { kind, samplesPerFingerprint: sensor.maxCaptureSamplesRequiredForEnroll, maxNameBytes: sensor.maxTemplateFriendlyName };
}

export async function listTemplates(options: FingerprintOperationOptions): Promise<FingerprintRecord[]> {
  return (await readTemplates(options)).map(toRecord);
}

/** Enroll a new fingerprint; the flow reports each sample's guidance through `prompts.progress`. */
export async function enroll(options: FingerprintOperationOptions & { name?: string }): Promise<FingerprintRecord> {
  const result = await enrollFingerprint(options);
  switch (result.outcome) {
    case 'enrolled':
      return { templateId: bytesToHex(result.templateId), name: result.name };
    case 'full':
      throw new AppError('FINGERPRINT_STORE_FULL', { details: 'CTAP2_ERR_FP_DATABASE_FULL (0x17)' });
    case 'no-finger':
      throw new AppError('TOUCH_TIMEOUT', { reason: 'no-finger' });
    case 'gave-up':
      throw new AppError('FINGERPRINT_NOT_READ', { details: 'too many unusable samples in a row; enrollment cancelled on the key' });
    case 'name-too-long':
      throw nameTooLong(result.maxBytes);
    default:
      throw failure(result);
  }
}

export async function rename(options: FingerprintOperationOptions & { templateId: Uint8Array; name: string }): Promise<FingerprintRecord> {
  const result = await renameFingerprint(options);
  switch (result.outcome) {
    case 'renamed':
      return { templateId: bytesToHex(options.templateId), name: options.name };
    case 'name-too-long':
      throw nameTooLong(result.maxBytes);
    case 'not-found':
      throw new AppError('FINGERPRINT_NOT_FOUND', { details: 'CTAP2_ERR_INVALID_OPTION (0x2c) from setFriendlyName' });
    default:
      throw failure(result);
  }
}

/**
 * Remove one fingerprint: the list is read first so the confirmation names it (the PIN is
 * asked once for both steps).
 */
export async function remove(options: FingerprintOperationOptions & { templateId: Uint8Array }): Promise<{ removed: FingerprintRecord }> {
  return withOperationTokens(undefined, (tokens) => removeWithTokens({ ...options, tokens }));
}

async function removeWithTokens(options: FingerprintOperationOptions & { templateId: Uint8Array; tokens: OperationTokens }): Promise<{ removed: FingerprintRecord }> {
  const wanted = bytesToHex(options.templateId);
  const fingerprint = (await readTemplates(options)).find((t) => bytesToHex(t.templateId) === wanted);
  if (!fingerprint) throw new AppError('FINGERPRINT_NOT_FOUND', { details: `no template with id ${wanted}` });
  const result = await removeFingerprint({ ...options, fingerprint });
  switch (result.outcome) {
    case 'removed':
      return { removed: toRecord(fingerprint) };
    case 'declined':
      throw new AppError('CANCELLED', { reason: 'declined-remove' });
    case 'not-found':
      throw new AppError('FINGERPRINT_NOT_FOUND', { details: 'CTAP2_ERR_INVALID_OPTION (0x2c) from removeEnrollment' });
    default:
      throw failure(result);
  }
}

/**
 * A template id typed by a person: hex as `skm bio list` prints it.
 * @throws AppError USAGE otherwise.
 */
export function parseTemplateId(text: string): Uint8Array {
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(text)) {
    throw new AppError('USAGE', { reason: 'invalid-template-id', input: shorten(text) });
  }
  return hexToBytes(text.toLowerCase());
}

async function readTemplates(options: FingerprintOperationOptions): Promise<TemplateInfo[]> {
  const result = await listFingerprints(options);
  if (result.outcome === 'listed') return result.fingerprints;
  throw failure(result);
}

function toRecord(template: TemplateInfo): FingerprintRecord {
  return { templateId: bytesToHex(template.templateId), name: template.friendlyName };
}

function nameTooLong(maxBytes: number): AppError {
  return new AppError('REQUEST_TOO_LARGE', { reason: 'name-too-long', maxBytes });
}
