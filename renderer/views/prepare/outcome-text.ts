/**
 * The words of a key's outcome in a Prepare keys run: the report's error column holds a code (an
 * AppErrorCode, a rejection reason or "readback-mismatch"); the catalogue words each, as
 * `skm provision` does.
 * @module
 */
import type { PublicRecord, StepName } from '../../../main/ipc/contract.js';
import type { QueuedKey } from '../../app/use-provisioning.js';
import { copy, t } from '../../app/words.js';

type Rejection = NonNullable<QueuedKey['rejection']>;

export function stepText(step: StepName): string {
  return copy.t(`provision.steps.${step}`);
}

export function stepsText(steps: readonly StepName[]): string {
  return steps.length > 0 ? steps.map(stepText).join(', ') : t('prepare.report.noSteps');
}

/** An error code of the report in words. */
export function errorText(code: string): string {
  if (code === '') return '';
  if (code === 'readback-mismatch') return t('prepare.queue.readbackMismatch');
  if (copy.has(`errors.${code}.message`)) return copy.error({ code: code as never, facts: {} }).message;
  return code;
}

/** Why a key was rejected, with the facts of its rejection where this run saw them. */
export function rejectionText(record: PublicRecord, rejection: Rejection | undefined): string {
  const facts = rejection?.facts ?? {};
  const key = `provision.rejections.${rejection?.reason ?? record.error}`;
  if (!copy.has(key)) return record.error;
  return copy.t(key, { ...facts, aaguid: record.aaguid, stepText: facts.step ? stepText(facts.step) : '' });
}

/** A finished key's outcome, as one sentence. */
export function outcomeText(record: PublicRecord, rejection: Rejection | undefined, wiped: boolean): string {
  switch (record.result) {
    case 'done':
      return wiped ? t('prepare.queue.wiped') : t('prepare.queue.done');
    case 'rejected':
      return t('prepare.queue.rejected', { reason: rejectionText(record, rejection) });
    case 'incomplete':
      return t('prepare.queue.incomplete', { error: errorText(record.error), steps: stepsText(record.steps) });
    case 'failed':
      return t('prepare.queue.failed', { error: errorText(record.error) });
  }
}
