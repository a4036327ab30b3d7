/**
 * One key through the profile, over KeyService only: identify → check → steps → read back →
 * record. The key's record is written before the first change and after every step, so the
 * report always says what was done (see report.ts).
 *
 * PINs: the prompts of each operation are answered here, never by a person, and the PIN goes
 * nowhere but to the key and (random PINs only) into the report. A random PIN is in the report
 * before the key has it: a run stopped between the two leaves a key whose PIN is known.
 * @module
 */
import { AppError, type AppErrorCode } from '../errors.js';
import type { KeyService, Result } from '../key-service.js';
import type { KeyInfoReport } from '../operations/info.js';
import type { OperationInputs, OperationName, OperationOutputs } from '../operations/registry.js';
import type { NoticePrompt, PinPrompt, PromptHandler } from '../prompt-events.js';
import { identify, labelFor, type KeyIdentity } from './identify.js';
import type { MdsIndex } from './mds.js';
import { isRejection, planFor, type Plan, type Rejection } from './plan.js';
import type { Profile } from './profile.js';
import { randomPin, type UniformInt } from './random-pin.js';
import { withoutPin, type ProvisionRecord, type ProvisionReport, type PublicRecord, type StepName } from './report.js';

export type ProvisionEvent =
  | { type: 'identified'; deviceId: string; label: string; model: string }
  | { type: 'step'; deviceId: string; label: string; step: StepName }
  | { type: 'prompt'; deviceId: string; label: string | null; prompt: NoticePrompt }
  | { type: 'skipped'; deviceId: string; record: PublicRecord }
  | { type: 'finished'; deviceId: string; record: PublicRecord; rejection?: Rejection }
  | { type: 'unidentified'; deviceId: string; code: AppErrorCode }
  /** The key came back from its reset's replug under another id (a USB key without a serial number). */
  | { type: 'moved'; deviceId: string; to: string };

export interface KeyWorkerContext {
  service: KeyService;
  profile: Profile;
  report: ProvisionReport;
  /** The PIN of a shared-PIN profile. */
  sharedPin: string | null;
  /** A verified FIDO Metadata Service BLOB: its verdict on each model goes into the report. */
  mds: MdsIndex | null;
  /** Provision keys again that the report lists as done. */
  redo: boolean;
  signal: AbortSignal;
  onEvent(event: ProvisionEvent): void;
  /** The next free label number ({n}). */
  nextNumber(): number;
  drawPin?: UniformInt;
  now?: () => Date;
  /** Whether other keys are being provisioned beside this one: a key that wants a touch then blinks. */
  severalAtOnce?: () => boolean;
}

export type KeyOutcome = 'done' | 'incomplete' | 'rejected' | 'failed' | 'skipped' | 'unidentified';

/** The prompts of one key's operations: PINs and confirmations answered, notices passed on. */
class AnsweringPrompts implements PromptHandler {
  label: string | null = null;
  pinValue: string | null = null;

  constructor(
    private readonly deviceId: string,
    private readonly onEvent: (event: ProvisionEvent) => void,
  ) {}

  pin(prompt: PinPrompt): Promise<string> {
    // A second request means the first answer was refused: asking again cannot help.
    if (prompt.retry) {
      return Promise.reject(
        prompt.retry.cause === 'key'
          ? new AppError('PIN_INVALID', { retries: prompt.retries })
          : new AppError('PIN_POLICY', { reason: prompt.retry.reason === 'wrong-pin' ? 'pin-rejected-by-key' : prompt.retry.reason, minLength: prompt.minLength }),
      );
    }
    if (this.pinValue === null) return Promise.reject(new AppError('PIN_REQUIRED'));
    return Promise.resolve(this.pinValue);
  }

  /** The profile is the confirmation: the person chose these changes when they wrote it. */
  confirm(): Promise<boolean> {
    return Promise.resolve(true);
  }

  notify(prompt: NoticePrompt): void {
    this.onEvent({ type: 'prompt', deviceId: this.deviceId, label: this.label, prompt });
  }
}

export async function provisionKey(context: KeyWorkerContext, deviceId: string): Promise<KeyOutcome> {
  const prompts = new AnsweringPrompts(deviceId, context.onEvent);
  // Events keep naming the key by the id it arrived with; operations follow it to a new one.
  let currentId = deviceId;
  const run = async <K extends OperationName>(operation: K, input: OperationInputs[K]): Promise<Result<OperationOutputs[K]>> => {
    const result = await context.service.run(operation, input, { deviceId: currentId, prompts, signal: context.signal });
    if (operation === 'reset' && result.ok) {
      const after = (result.value as OperationOutputs['reset']).id;
      if (after !== currentId) context.onEvent({ type: 'moved', deviceId, to: after });
      currentId = after;
    }
    return result;
  };

  const info = await run('info', {});
  if (!info.ok) {
    context.onEvent({ type: 'unidentified', deviceId, code: info.error.code });
    return 'unidentified';
  }
  const key = identify(info.value);
  const identity = key.identity ?? `${deviceId}@${(context.now?.() ?? new Date()).toISOString()}`;
  const previous = context.report.find(identity);
  if (previous?.result === 'done' && !context.redo) {
    context.onEvent({ type: 'skipped', deviceId, record: withoutPin(previous) });
    return 'skipped';
  }
  const label = previous?.label ?? labelFor(context.profile.label, key, context.nextNumber());
  prompts.label = label;
  context.onEvent({ type: 'identified', deviceId, label, model: key.model });

  const sharedPinLength = context.sharedPin === null ? null : Array.from(context.sharedPin.normalize('NFC')).length;
  const earlier = context.redo ? undefined : previous;
  const plan = planFor({ profile: context.profile, info: info.value, previous: earlier, sharedPinLength, mds: context.mds });
  const record = baseRecord(context, key, identity, label);
  let rejection: Rejection | null = isRejection(plan) ? plan : null;
  // A model the MDS lists as unfit gets the attestation verdict instead, which says more.
  if (context.profile.accept.attestation === 'required' && (rejection === null || rejection.reason === 'mds-unfit')) {
    const knownPin = !isRejection(plan) && plan.resumesWithKnownPin ? (earlier?.pin ?? context.sharedPin) : null;
    const check = await checkGenuine(context, prompts, run, knownPin);
    record.attestation = check.column;
    rejection = check.rejection ?? rejection;
  }
  if (rejection) {
    // A PIN the report already held for this key (a run that stopped after setting it) stays known.
    const keptPin = earlier?.pin !== undefined ? { pin: earlier.pin } : {};
    await finish(context, deviceId, { ...record, ...keptPin, result: 'rejected', error: rejection.reason }, rejection);
    return 'rejected';
  }
  // No rejection: the plan is a plan.
  return applyPlan({ context, deviceId, plan: plan as Plan, record, previous: earlier, prompts, run });
}

function baseRecord(context: KeyWorkerContext, key: KeyIdentity, identity: string, label: string): ProvisionRecord {
  return {
    label,
    time: (context.now?.() ?? new Date()).toISOString(),
    model: key.model,
    aaguid: key.aaguid,
    firmware: key.firmware,
    identity,
    fingerprint: key.fingerprint,
    steps: [],
    result: 'incomplete',
    error: '',
    attestation: metadataVerdict(context.mds, key.aaguid),
  };
}

/**
 * What the report says of the key's model: "not-checked" without a BLOB; with one, the
 * model's status in it ("mds:FIDO_CERTIFIED_L1", "mds:REVOKED") or "mds:not-listed".
 */
function metadataVerdict(mds: MdsIndex | null, aaguid: string): string {
  if (!mds) return 'not-checked';
  const facts = mds.lookup(aaguid);
  return facts ? `mds:${facts.unfit ?? facts.certification}` : 'mds:not-listed';
}

/**
 * The attestation check (Entra ID's "Enforce attestation"), before anything changes: one touch
 * for a throw-away credential. A key that wants its PIN for it gets only a PIN this run already
 * knows (a key resumed from the report); the report's column holds the verdict code, or
 * "check-failed:<error code>" when no statement could be had.
 */
async function checkGenuine(context: KeyWorkerContext, prompts: AnsweringPrompts, run: ApplyInput['run'], knownPin: string | null): Promise<{ column: string; rejection: Rejection | null }> {
  prompts.pinValue = knownPin;
  let result: Result<OperationOutputs['attest']>;
  try {
    result = await run('attest', { wink: context.severalAtOnce?.() ?? false });
  } finally {
    prompts.pinValue = null;
  }
  if (!result.ok) return { column: `check-failed:${result.error.code}`, rejection: { reason: 'attestation-not-verified', facts: { error: result.error.code } } };
  const { verdict, status } = result.value;
  if (verdict === 'verified') return { column: verdict, rejection: null };
  return { column: verdict, rejection: { reason: 'attestation-not-verified', facts: { verdict, ...(status ? { status } : {}) } } };
}

interface ApplyInput {
  context: KeyWorkerContext;
  deviceId: string;
  plan: Plan;
  record: ProvisionRecord;
  previous: ProvisionRecord | undefined;
  prompts: AnsweringPrompts;
  run: <K extends OperationName>(operation: K, input: OperationInputs[K]) => Promise<Result<OperationOutputs[K]>>;
}

async function applyPlan(input: ApplyInput): Promise<KeyOutcome> {
  const { context, plan, prompts, run } = input;
  const { profile } = context;
  const resumed = input.previous?.result === 'incomplete' && !plan.steps.includes('reset') ? input.previous.steps : [];
  const record: ProvisionRecord = { ...input.record, steps: [...resumed] };
  const randomMode = profile.pin?.mode === 'random' ? profile.pin : null;
  if (plan.resumesWithKnownPin) prompts.pinValue = input.previous?.pin ?? context.sharedPin;
  else if (plan.setsPin) prompts.pinValue = randomMode ? randomPin(randomMode, context.drawPin) : context.sharedPin;
  if (randomMode && prompts.pinValue !== null) record.pin = prompts.pinValue;
  // On disk before anything changes (and before the key has the PIN).
  await context.report.put(record);

  let pinAttempted = plan.resumesWithKnownPin;
  try {
    for (const step of plan.steps) {
      context.onEvent({ type: 'step', deviceId: input.deviceId, label: record.label, step });
      if (step === 'pin') pinAttempted = true;
      const outcome = await runStep(step, profile, run);
      if (!outcome.ok) {
        // A PIN never sent to the key is no PIN of this key: keep the report true.
        if (!pinAttempted) delete record.pin;
        const result = record.steps.length > 0 || pinAttempted ? 'incomplete' : 'failed';
        await finish(context, input.deviceId, { ...record, result, error: outcome.code });
        return result;
      }
      record.steps.push(step);
      if (step !== 'verify') await context.report.put(record);
    }
  } finally {
    // Only the report keeps the PIN (random PINs); the prompts answer no more questions with it.
    prompts.pinValue = null;
  }
  await finish(context, input.deviceId, { ...record, result: 'done', error: '' });
  return 'done';
}

async function finish(context: KeyWorkerContext, deviceId: string, record: ProvisionRecord, rejection?: Rejection): Promise<void> {
  await context.report.put(record);
  context.onEvent({ type: 'finished', deviceId, record: withoutPin(record), ...(rejection ? { rejection } : {}) });
}

type StepOutcome = { ok: true } | { ok: false; code: string };

async function runStep(step: StepName, profile: Profile, run: ApplyInput['run']): Promise<StepOutcome> {
  switch (step) {
    case 'reset':
      return settle(await run('reset', {}));
    case 'pin':
      return settle(await run('pin.set', {}));
    case 'always-uv':
      return settle(await run('settings.alwaysUv', { on: true }));
    case 'enterprise-attestation':
      return settle(await run('settings.enterpriseAttestation', {}));
    case 'min-pin-length': {
      let minPinLength = profile.minPinLength;
      if (minPinLength === undefined) {
        // Only a forced change or RP IDs were asked for: keep the key's own minimum.
        const info = await run('info', {});
        if (!info.ok) return { ok: false, code: info.error.code };
        minPinLength = info.value.minPinLength;
      }
      return settle(await run('settings.minPinLength', { minPinLength, rpIds: profile.minPinLengthRpIds, forceChangePin: profile.forcePinChange }));
    }
    case 'verify': {
      const info = await run('info', {});
      if (!info.ok) return { ok: false, code: info.error.code };
      return readBackMatches(profile, info.value) ? { ok: true } : { ok: false, code: 'readback-mismatch' };
    }
  }
}

function settle(result: Result<unknown>): StepOutcome {
  return result.ok ? { ok: true } : { ok: false, code: result.error.code };
}

/** The key, read back, is what the profile asked for. */
export function readBackMatches(profile: Profile, info: KeyInfoReport): boolean {
  const o = info.options;
  // No PIN in the profile with a reset is offboarding: the key must be empty ("wiped and verified").
  const pinOk = profile.pin !== null ? o.clientPin === true : profile.reset !== 'always' || o.clientPin !== true;
  return (
    pinOk &&
    (profile.minPinLength === undefined || info.minPinLength >= profile.minPinLength) &&
    (!profile.forcePinChange || info.forcePinChange) &&
    (!profile.alwaysUv || o.alwaysUv === true) &&
    (!profile.enterpriseAttestation || o.ep === true)
  );
}
