/**
 * What `skm provision` does once its command line is parsed (provision.ts registers it): read the
 * profile, the PIN and the metadata, run the fleet and print its progress. Loaded only when
 * `skm provision` runs: the profile schema, YAML, X.509 and JWS code stay unread otherwise.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { APP_ERROR_CODES, AppError, type AppErrorCode } from '../../service/errors.js';
import type { ProvisionEvent } from '../../service/provisioning/key-worker.js';
import { entraPolicy } from '../../service/provisioning/entra-policy.js';
import { parseProfile, type Profile, type ProfileIssue } from '../../service/provisioning/profile.js';
import { ProvisionReport, writeFileAtomically, type PublicRecord } from '../../service/provisioning/report.js';
import { provisionKeys, type ProvisionSummary } from '../../service/provisioning/runner.js';
import type { Copy } from '../../copy/index.js';
import type { CliServices } from '../context.js';
import { loadMds } from '../mds-options.js';
import type { ProvisionOptions } from './provision.js';

export async function runProvision(
  services: CliServices,
  options: ProvisionOptions,
  run: { keysLeftUndone: boolean },
): Promise<{ ok: true; value: { json: unknown; human: string[] } }> {
  const profile = await loadProfile(services, options.profile);
  // Whether a key is genuine is judged by the makers' roots, which only the BLOB lists.
  if (profile.accept.attestation === 'required' && options.mds === undefined) throw new AppError('USAGE', { reason: 'attestation-needs-mds' });
  const mds = await loadMds(options);
  const sharedPin = await readSharedPin(services, profile, options.pinFile);
  const report = await ProvisionReport.open(options.report, { withPins: profile.pin?.mode === 'random' });
  const records: PublicRecord[] = [];
  let summary: ProvisionSummary;
  try {
    summary = await provisionKeys({
      service: services.service(),
      profile,
      report,
      sharedPin,
      count: options.untilStopped ? null : (options.count ?? 1),
      redo: options.redo === true,
      mds,
      signal: services.signal,
      onEvent: (event) => {
        if (event.type === 'finished') records.push(event.record);
        const line = describe(services.copy, profile, event);
        if (line) services.output().note(line);
      },
    });
    if (options.entraPolicy) await writeFileAtomically(options.entraPolicy, `${JSON.stringify(entraPolicy(report.all()), null, 2)}\n`, 'policy-not-saved');
  } finally {
    await report.close();
  }
  const { outcomes } = summary;
  run.keysLeftUndone = outcomes.incomplete + outcomes.failed + outcomes.rejected > 0 || summary.stopped;
  const human = [services.copy.t('provision.lines.summary', { ...outcomes, path: options.report })];
  const value = { json: { ...summary, report: options.report, records }, human };
  return { ok: true, value };
}

async function loadProfile(services: CliServices, path: string): Promise<Profile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new AppError('FILE_ACCESS', { reason: 'profile-unreadable', path, details: String(error) });
  }
  const format = /\.ya?ml$/i.test(path) ? 'yaml' : /\.json$/i.test(path) ? 'json' : 'auto';
  const parsed = parseProfile(text, format);
  if (parsed.ok) return parsed.profile;
  for (const issue of parsed.issues) services.io.stderr.write(`${profileIssueText(services.copy, issue)}\n`);
  throw new AppError('USAGE', { reason: 'profile-invalid', path });
}

export function profileIssueText(copy: Copy, issue: ProfileIssue): string {
  const path = issue.path === '' ? 'The profile' : issue.path;
  const lineText = issue.facts.line !== undefined ? ` (line ${issue.facts.line})` : '';
  return copy.t(`provision.profileIssues.${issue.code}`, { ...issue.facts, path, lineText });
}

/** The shared PIN, from the file's first line or standard input; null when the profile has none. */
async function readSharedPin(services: CliServices, profile: Profile, pinFile: string | undefined): Promise<string | null> {
  if (profile.pin?.mode !== 'shared') {
    if (pinFile !== undefined) throw new AppError('USAGE', { reason: 'shared-pin-unused' });
    return null;
  }
  const minLength = Math.max(4, profile.minPinLength ?? 4);
  let pin: string;
  if (pinFile !== undefined) {
    let bytes: Buffer;
    try {
      bytes = await readFile(pinFile);
    } catch (error) {
      throw new AppError('FILE_ACCESS', { reason: 'pin-file-unreadable', path: pinFile, details: String(error) });
    }
    pin = bytes.toString('utf8').split(/\r?\n/)[0] ?? '';
    bytes.fill(0);
  } else {
    pin = await services.prompts().pin({ kind: 'pin', id: 'provision.shared-pin', purpose: 'new', retries: null, minLength, maxBytes: 63 }, services.signal);
  }
  if (pin === '') throw new AppError('USAGE', { reason: pinFile !== undefined ? 'pin-file-unreadable' : 'no-shared-pin', ...(pinFile !== undefined ? { path: pinFile } : {}) });
  if (Array.from(pin.normalize('NFC')).length < minLength) throw new AppError('PIN_POLICY', { reason: 'too-short', minLength, details: 'refused on this computer; nothing was sent to a key' });
  if (Buffer.byteLength(pin.normalize('NFC')) > 63) throw new AppError('PIN_POLICY', { reason: 'too-long', maxBytes: 63, details: 'refused on this computer; nothing was sent to a key' });
  return pin;
}

/** One progress line for a person, or null for events shown elsewhere (countdowns). */
function describe(copy: Copy, profile: Profile, event: ProvisionEvent | { type: 'waiting'; finished: number; count: number | null }): string | null {
  const stepsText = (steps: readonly string[]): string => (steps.length ? steps.map((s) => copy.t(`provision.steps.${s}`)).join(', ') : copy.t('provision.lines.noSteps'));
  switch (event.type) {
    case 'waiting':
      return event.count === null ? copy.t('provision.lines.waiting', { finished: event.finished }) : copy.t('provision.lines.waitingFor', { finished: event.finished, count: event.count });
    case 'identified':
      return copy.t('provision.lines.identified', { label: event.label, model: event.model });
    case 'step':
      return copy.t('provision.lines.step', { label: event.label, stepText: copy.t(`provision.steps.${event.step}`) });
    case 'prompt': {
      const text = promptText(copy, event.prompt);
      return text === null ? null : copy.t('provision.lines.prompt', { label: event.label ?? event.deviceId, text });
    }
    case 'skipped':
      return copy.t('provision.lines.skipped', { label: event.record.label });
    case 'moved':
      return null;
    case 'unidentified':
      return copy.t('provision.lines.unidentified', { deviceId: event.deviceId, error: errorText(copy, event.code, event.deviceId) });
    case 'finished': {
      const { record } = event;
      if (record.result === 'rejected' && event.rejection) {
        const { step, verdict, error } = event.rejection.facts;
        // The verdict is a sentence of its own; the rejection line ends it with its own full stop.
        const verdictText = (verdict ? copy.t(`attestation.verdicts.${verdict}`, event.rejection.facts) : error ? errorText(copy, error, record.identity) : '').replace(/\.$/, '');
        const facts = { ...event.rejection.facts, aaguid: record.aaguid, stepText: step ? copy.t(`provision.steps.${step}`) : '', verdictText };
        return copy.t('provision.lines.rejected', { label: record.label, reasonText: copy.t(`provision.rejections.${event.rejection.reason}`, facts) });
      }
      if (record.result === 'done') {
        const wiped = profile.pin === null && record.steps.includes('reset');
        return wiped ? copy.t('provision.lines.wiped', { label: record.label }) : copy.t('provision.lines.done', { label: record.label, stepsText: stepsText(record.steps) });
      }
      return copy.t(`provision.lines.${record.result}`, { label: record.label, error: errorText(copy, record.error, record.identity), stepsText: stepsText(record.steps) });
    }
  }
}

/** The report's error column (a code) in words. */
function errorText(copy: Copy, code: string, deviceId: string): string {
  if ((APP_ERROR_CODES as readonly string[]).includes(code)) return copy.error({ code: code as AppErrorCode, facts: { deviceId } }).message;
  return code === 'readback-mismatch' ? copy.t('provision.lines.readbackMismatch') : code;
}

function promptText(copy: Copy, prompt: Extract<ProvisionEvent, { type: 'prompt' }>['prompt']): string | null {
  switch (prompt.kind) {
    case 'touch':
      return copy.touch(prompt.instruction, prompt.noun);
    case 'reinsert':
      return copy.reinsert(prompt);
    case 'progress':
      return prompt.event.step === 'simulated-removed' || prompt.event.step === 'simulated-inserted' ? copy.progress(prompt.event) : null;
    default:
      return null;
  }
}
