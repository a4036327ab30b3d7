/**
 * THE IPC contract between the renderer and main (DESIGN.md "Electron shell"): every channel,
 * its zod input schema and its output type, and every event with its payload. The preload
 * (main/electron/preload.ts) exposes exactly these as `window.skm`; main/electron/ipc.ts binds
 * them to the router; the renderer imports only the types. Nothing else declares a channel.
 *
 * Secrets: a PIN travels renderer → main only, as a `prompt.answer`. No output or event carries
 * a PIN, a PIN hash, a pinUvAuthToken or key material (a test records a whole session's
 * traffic to hold this).
 * @module
 */
import { z } from 'zod';
import type { DoctorReport } from '../service/doctor.js';
import type { DeviceEvent, Result } from '../service/key-service.js';
import type { DeviceSummary } from '../service/operations/info.js';
import type { OperationInputs, OperationName, OperationOutputs } from '../service/operations/registry.js';
import type { PromptEvent } from '../service/prompt-events.js';
import type { MdsStatus } from './mds-setting.js';
import type { ProfileCheck, ProvisionEventPayload, ProvisionRunSummary } from './provisioning.js';
import { CHANNEL_NAMES as CHANNEL_NAME_LIST, EVENT_NAMES as EVENT_NAME_LIST } from './channel-names.js';

export type { DeviceEvent, Result } from '../service/key-service.js';
export type { DeviceSummary } from '../service/operations/info.js';
export type { MdsModelFacts } from '../service/provisioning/mds-index.js';
export type { AttestationVerdictCode } from '../service/provisioning/attestation-verdicts.js';
export type { OperationInputs, OperationName, OperationOutputs } from '../service/operations/registry.js';
export type { PromptEvent } from '../service/prompt-events.js';
export type { ServiceError, AppErrorCode } from '../service/errors.js';
export type { MdsStatus } from './mds-setting.js';
export type { ProfileCheck, ProvisionEventPayload, ProvisionRunSummary, ProvisionUpdate, SavePurpose } from './provisioning.js';
export type { Profile, ProfileIssue } from '../service/provisioning/profile.js';
export type { PublicRecord, StepName } from '../service/provisioning/report.js';
export type { DoctorCheck, DoctorCheckId, DoctorFixCode, DoctorReport, DoctorResultCode, DoctorStatus } from '../service/doctor.js';

export { CHANNEL_PREFIX, EVENT_PREFIX } from './channel-names.js';

// Limits keep a malformed or hostile request from costing memory before it is refused.
const id = z.string().min(1).max(128);
const text = z.string().max(256);
const rpId = z.string().min(1).max(253);
const none = z.object({}).strict();
/** A profile is a few settings; 256 KiB is far beyond any real one. */
const profileText = z.string().max(256 * 1024);
/**
 * The largest FIDO Metadata Service BLOB taken (characters of its text). The FIDO Alliance's is a
 * few MB and grows with every listed model; this leaves it room while a wrong pick stays cheap.
 */
export const MAX_MDS_BLOB_BYTES = 32 * 1024 * 1024;
/** A root certificate (PEM) is a few KB; a bundle of a few roots stays far below this. */
export const MAX_MDS_ROOT_BYTES = 256 * 1024;
/** A file name as the OS gives it; main checks it further (file-path.ts) before any use. */
const filePath = z.string().min(1).max(4096);

/** Inputs of every operation, checked against the service's own types at compile time. */
export const operationInputSchemas = {
  info: none,
  'pin.status': none,
  'pin.set': none,
  'pin.change': none,
  'pin.verify': none,
  'passkeys.list': z.object({ rpId: rpId.optional() }).strict(),
  'passkeys.delete': z.object({ credentialId: z.string().min(1).max(1024) }).strict(),
  'passkeys.updateUser': z.object({ credentialId: z.string().min(1).max(1024), name: text.min(1).optional(), displayName: text.min(1).optional() }).strict(),
  'blobs.list': none,
  'blobs.show': z.object({ credentialId: z.string().min(1).max(1024) }).strict(),
  'blobs.delete': z.object({ credentialId: z.string().min(1).max(1024) }).strict(),
  'blobs.prune': none,
  'fingerprints.info': none,
  'fingerprints.list': none,
  'fingerprints.enroll': z.object({ name: z.string().min(1).max(64).optional() }).strict(),
  'fingerprints.rename': z.object({ templateId: z.string().min(2).max(128), name: z.string().min(1).max(64) }).strict(),
  'fingerprints.remove': z.object({ templateId: z.string().min(2).max(128) }).strict(),
  'settings.alwaysUv': z.object({ on: z.boolean() }).strict(),
  'settings.minPinLength': z.object({ minPinLength: z.number().int().min(4).max(63), rpIds: z.array(rpId).max(32), forceChangePin: z.boolean() }).strict(),
  'settings.enterpriseAttestation': none,
  reset: z
    .object({
      powerCycle: z.boolean().optional(),
      known: z
        .object({
          passkeys: z.object({ passkeys: z.number().int().min(0).max(100_000), sites: z.number().int().min(0).max(100_000) }).strict().optional(),
          fingerprints: z.number().int().min(0).max(1000).optional(),
        })
        .strict()
        .optional(),
    })
    .strict(),
  select: none,
  wink: none,
  test: z.object({ residentKey: z.boolean(), rpId: rpId.optional(), userName: text.min(1).optional(), largeBlob: z.string().min(1).max(1024).optional() }).strict(),
  attest: z.object({ wink: z.boolean().optional() }).strict(),
} satisfies { [K in OperationName]: z.ZodType<OperationInputs[K]> };

const operationNames = Object.keys(operationInputSchemas) as [OperationName, ...OperationName[]];

/** One run of an operation: the renderer picks the run id, so it can cancel before the answer. */
const runRequest = z.discriminatedUnion(
  'operation',
  operationNames.map((name) =>
    z.object({ operation: z.literal(name), runId: id, deviceId: id.optional(), input: operationInputSchemas[name] }).strict(),
  ) as unknown as [z.ZodObject, ...z.ZodObject[]],
);

export type RunRequest = { [K in OperationName]: { operation: K; runId: string; deviceId?: string; input: OperationInputs[K] } }[OperationName];

/** An answer to a question prompt; a PIN only ever crosses IPC here, renderer → main. */
export const promptAnswerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pin'), id, pin: z.string().min(1).max(256) }).strict(),
  z.object({ kind: z.literal('confirm'), id, yes: z.boolean() }).strict(),
]);
export type PromptAnswer = z.infer<typeof promptAnswerSchema>;

/** The request-response channels: input schema, output type (a phantom for typing only). */
export const channels = {
  listDevices: { input: none, output: {} as Result<DeviceSummary[]> },
  runOperation: { input: runRequest, output: {} as Result<OperationOutputs[OperationName]> },
  cancelOperation: { input: z.object({ runId: id }).strict(), output: {} as Result<{ cancelled: boolean }> },
  answerPrompt: { input: promptAnswerSchema, output: {} as Result<{ answered: boolean }> },
  cancelPrompt: { input: z.object({ id }).strict(), output: {} as Result<{ cancelled: boolean }> },
  addVirtualKey: { input: z.object({ preset: z.string().min(1).max(64).optional() }).strict(), output: {} as Result<DeviceSummary> },
  /** The environment checks (Diagnostics view; the same report as `skm doctor`). */
  runDoctor: { input: none, output: {} as Result<DoctorReport> },
  /** Windows: relaunch as administrator through UAC, keeping the window where it is. */
  restartElevated: { input: none, output: {} as Result<{ restarting: boolean }> },
  /** Windows: open Settings › Accounts › Sign-in options › Security Key. */
  openWindowsSettings: { input: none, output: {} as Result<{ opened: boolean }> },
  /** Prepare keys: check a profile's text; every mistake comes back with its path. */
  validateProfile: { input: z.object({ text: profileText }).strict(), output: {} as Result<ProfileCheck> },
  /** Prepare keys: one run, answered when it ends; its progress comes as `provision` events. */
  startProvisioning: {
    input: z.object({ runId: id, profile: profileText, profileName: text.optional(), reportPath: filePath, count: z.number().int().min(1).max(100_000).nullable() }).strict(),
    output: {} as Result<ProvisionRunSummary>,
  },
  stopProvisioning: { input: z.object({ runId: id }).strict(), output: {} as Result<{ stopped: boolean }> },
  /** The latest run's report saved by main as CSV or JSON Lines (mode 0600: PINs are in it). */
  exportProvisionReport: { input: z.object({ path: filePath, format: z.enum(['csv', 'jsonl']) }).strict(), output: {} as Result<{ path: string }> },
  /** Entra ID's FIDO2 key restriction policy allowing the models the latest run prepared. */
  exportEntraPolicy: { input: z.object({ path: filePath }).strict(), output: {} as Result<{ path: string }> },
  /** The shell's Open dialog for a profile; null when cancelled; UNSUPPORTED without a shell. */
  openProfileFile: { input: none, output: {} as Result<{ name: string; text: string } | null> },
  /** The shell's Save dialog; null when cancelled; UNSUPPORTED without a shell. */
  chooseSavePath: {
    input: z.object({ purpose: z.enum(['report', 'export-csv', 'export-jsonl', 'policy']), suggestedName: z.string().min(1).max(255) }).strict(),
    output: {} as Result<{ path: string | null }>,
  },
  /**
   * The renderer left a key's pages: drop the PIN token main keeps for that key's passkeys (any
   * key's, without an id). The token itself never crosses IPC.
   */
  lockKey: { input: z.object({ deviceId: id.optional() }).strict(), output: {} as Result<{ locked: boolean }> },
  /** The FIDO Metadata Service BLOB the app judges keys by this session; null: none. */
  mdsStatus: { input: none, output: {} as Result<MdsStatus | null> },
  /** The shell's Open dialogs for the BLOB and its root; main reads and verifies them; null when cancelled. */
  openMdsFiles: { input: none, output: {} as Result<MdsStatus | null> },
  /** The BLOB and its root certificate as text (the renderer's own file fields, without a shell). */
  loadMds: { input: z.object({ blob: z.string().min(1).max(MAX_MDS_BLOB_BYTES), root: z.string().min(1).max(MAX_MDS_ROOT_BYTES) }).strict(), output: {} as Result<MdsStatus> },
  forgetMds: { input: none, output: {} as Result<{ forgotten: boolean }> },
  // Exactly the names of channel-names.ts: a missing or extra channel is a compile error.
} as const satisfies Record<(typeof CHANNEL_NAME_LIST)[number], { input: z.ZodType; output: unknown }>;

export type ChannelName = keyof typeof channels;
export type ChannelInput<C extends ChannelName> = C extends 'runOperation' ? RunRequest : z.infer<(typeof channels)[C]['input']>;
export type ChannelOutput<C extends ChannelName> = (typeof channels)[C]['output'];

/** Events main sends; the payloads are plain data. */
export interface Events {
  devicesChanged: DeviceEvent;
  /** A prompt of one operation run (`runId` as the renderer gave it). */
  prompt: { runId: string; event: PromptEvent };
  /** Progress of a Prepare keys run, with the report's records so far (never a PIN). */
  provision: ProvisionEventPayload;
}
export type EventName = keyof Events;
export const EVENT_NAMES: readonly EventName[] = EVENT_NAME_LIST satisfies readonly EventName[];
/** A compile error unless every event of Events is listed in channel-names.ts too. */
const _everyEventListed: [Exclude<EventName, (typeof EVENT_NAME_LIST)[number]>] extends [never] ? true : never = true;

/** What `window.skm` is: one function per channel, and subscribe/unsubscribe for events. */
export type SkmApi = {
  [C in ChannelName]: C extends 'runOperation'
    ? <K extends OperationName>(request: Extract<RunRequest, { operation: K }>) => Promise<Result<OperationOutputs[K]>>
    : (input: ChannelInput<C>) => Promise<ChannelOutput<C>>;
} & {
  /** Listen to an event; returns the function that stops listening. */
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
};

export const CHANNEL_NAMES: readonly ChannelName[] = CHANNEL_NAME_LIST;
