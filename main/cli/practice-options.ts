/**
 * Practice options for simulated keys (`--virtual-touch`, `--virtual-samples`, and
 * `skm virtual-key --touch`): how the simulated person answers touch requests, and what the
 * simulated fingerprint sensor reads, so a person practising sees a countdown run or a poor
 * sample answered, as with a real key.
 * @module
 */
import { EnrollFeedback, sampleFeedback, type SampleFeedback } from '../../ctap/ctap2/bio-enrollment.js';
import type { PresenceScript } from '../../ctap/virtual/presence.js';
import type { ArgumentProblems } from './parser-errors.js';

/** approve | deny | never | a delay in milliseconds. */
export function parsePresence(value: string, problems: ArgumentProblems, argument: string): PresenceScript {
  if (value === 'approve' || value === 'deny' || value === 'never') return value;
  if (/^\d{1,7}$/.test(value)) return { afterMs: Number(value) };
  return problems.refuse('touch', { argument });
}

/** Sample names as the catalogue knows them (`good`, `poor-quality`, …) → lastEnrollSampleStatus. */
const statusByName = new Map<SampleFeedback, number>(Object.values(EnrollFeedback).map((status) => [sampleFeedback(status), status]));

/** The names `--virtual-samples` accepts, for its error message and completion. */
export const SAMPLE_NAMES: readonly string[] = [...statusByName.keys()];

/** "good,poor-quality,good" → the status codes the simulated sensor reports, in order. */
export function parseSamples(value: string, problems: ArgumentProblems): number[] {
  const names = value.split(',').map((name) => name.trim());
  const statuses = names.map((name) => statusByName.get(name as SampleFeedback));
  if (names.length === 0 || names.length > 100 || statuses.some((s) => s === undefined)) {
    return problems.refuse('samples', { argument: '--virtual-samples', names: SAMPLE_NAMES.join(', ') });
  }
  return statuses as number[];
}
