/**
 * The app's "Prepare keys" behind the IPC contract: profile checks, one provisioning run at a
 * time over the same engine as `skm provision` (main/service/provisioning/), its events for the
 * renderer, and exports of its report. Main alone reads profile files and writes reports,
 * exports and policies, each at a path checked first (file-path.ts).
 *
 * PINs: a random PIN goes only into the report file (mode 0600, written by report.ts). Every
 * event and answer carries records without their PIN (withoutPin), so no PIN crosses IPC; an
 * export is a file main writes (0600 too), never text handed to the renderer. A shared PIN
 * comes from the renderer as the answer to a PIN prompt, like any PIN, and is not kept here.
 * @module
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { AppError, toAppError } from '../service/errors.js';
import type { KeyService, Result } from '../service/key-service.js';
import type { PromptHandler } from '../service/prompt-events.js';
import type { MdsIndex } from '../service/provisioning/mds-index.js';
import { entraPolicy } from '../service/provisioning/entra-policy.js';
import { checkFilePath } from '../service/provisioning/file-path.js';
import type { ProvisionEvent } from '../service/provisioning/key-worker.js';
import { parseProfile, type Profile, type ProfileIssue } from '../service/provisioning/profile.js';
import { ProvisionReport, serializeReport, withoutPin, writeFileAtomically, type ProvisionRecord, type PublicRecord, type ReportFormat } from '../service/provisioning/report.js';
import { provisionKeys, type ProvisionSummary } from '../service/provisioning/runner.js';

/** The largest profile file read (a profile is a few settings; this keeps a wrong pick cheap). */
export const MAX_PROFILE_BYTES = 256 * 1024;

export type ProfileCheck = { valid: true; profile: Profile } | { valid: false; issues: ProfileIssue[] };

/** What a run tells the renderer as it goes: the engine's events and "waiting for keys". */
export type ProvisionUpdate = ProvisionEvent | { type: 'waiting'; finished: number; count: number | null };

/** The `provision` event: one update and every record of the report so far (without PINs). */
export interface ProvisionEventPayload {
  runId: string;
  update: ProvisionUpdate;
  records: PublicRecord[];
}

export interface ProvisionRunSummary extends ProvisionSummary {
  reportPath: string;
  /** Whether the report has a PIN column (random PINs are in the file, nowhere else). */
  withPins: boolean;
}

export type SavePurpose = 'report' | 'export-csv' | 'export-jsonl' | 'policy';

/** The shell's file dialogs (Electron); without them the renderer falls back to its own fields. */
export interface FileDialogs {
  /** The profile file the person picked, or null when they cancelled. */
  openProfile(): Promise<string | null>;
  /** Where to save, or null when they cancelled. */
  savePath(purpose: SavePurpose, suggestedName: string): Promise<string | null>;
  /** The FIDO Metadata Service BLOB or its root certificate the person picked; null: cancelled. */
  openMds?(which: 'blob' | 'root'): Promise<string | null>;
}

export interface StartRequest {
  runId: string;
  profile: string;
  /** The profile's file name, for messages (the text itself comes from the editor). */
  profileName?: string | undefined;
  reportPath: string;
  /** How many keys; null: until stopped. */
  count: number | null;
}

/**
 * The app lists the keys again whenever one comes or goes (a reset's replug included), and a
 * listing holds each key for its getInfo; a step that starts at that moment finds the key busy.
 * Such a step waits for the key, this long at most, instead of leaving the key incomplete.
 */
export const BUSY_WAIT_MS = 3_000;
const BUSY_POLL_MS = 25;

/** The service as the run sees it: the same, but a key busy for a moment is waited for. */
function patientService(service: KeyService): KeyService {
  const run: KeyService['run'] = async (operation, input, options) => {
    const deadline = Date.now() + BUSY_WAIT_MS;
    for (;;) {
      const result = await service.run(operation, input, options);
      // DEVICE_BUSY without a reason: another operation holds the key, and nothing was sent to it.
      const busy = !result.ok && result.error.code === 'DEVICE_BUSY' && result.error.facts.reason === undefined;
      if (!busy || Date.now() >= deadline || options.signal?.aborted) return result;
      await new Promise((resolve) => setTimeout(resolve, BUSY_POLL_MS));
    }
  };
  return { run, listDevices: service.listDevices.bind(service), watchDevices: service.watchDevices.bind(service), useMds: service.useMds.bind(service) } as unknown as KeyService;
}

const fail = (error: unknown): Result<never> => ({ ok: false, error: toAppError('provision', error).toServiceError() });

export class ProvisioningRuns {
  private running = false;
  /** The report of the latest run (kept after it ended, for exports). */
  private last: { path: string; records: readonly ProvisionRecord[]; withPins: boolean } | null = null;

  constructor(
    private readonly service: KeyService,
    private readonly emit: (payload: ProvisionEventPayload) => void,
    private readonly dialogs: FileDialogs | undefined,
    /** The FIDO Metadata Service BLOB loaded in the app (null: none). */
    private readonly mds: () => MdsIndex | null = () => null,
  ) {}

  validate(text: string): Result<ProfileCheck> {
    const parsed = parseProfile(text);
    return { ok: true, value: parsed.ok ? { valid: true, profile: parsed.profile } : { valid: false, issues: parsed.issues } };
  }

  /** One run, to its end; `prompts` asks the person for a shared PIN, `signal` stops the run. */
  async start(request: StartRequest, prompts: PromptHandler, signal: AbortSignal): Promise<Result<ProvisionRunSummary>> {
    if (this.running) return fail(new AppError('USAGE', { reason: 'provisioning-running' }));
    this.running = true;
    try {
      const parsed = parseProfile(request.profile);
      if (!parsed.ok) return fail(new AppError('USAGE', { reason: 'profile-invalid', path: request.profileName ?? '' }));
      const { profile } = parsed;
      // Makers' roots come from the Metadata Service BLOB, as the CLI's --mds gives them.
      const mds = this.mds();
      if (profile.accept.attestation === 'required' && !mds) return fail(new AppError('USAGE', { reason: 'attestation-needs-mds' }));
      const reportPath = await checkFilePath(request.reportPath, 'write');
      const sharedPin = profile.pin?.mode === 'shared' ? await this.askSharedPin(request.runId, profile, prompts, signal) : null;
      const report = await ProvisionReport.open(reportPath, { withPins: profile.pin?.mode === 'random' });
      this.last = { path: reportPath, records: report.all(), withPins: report.withPins };
      try {
        const summary = await provisionKeys({
          service: patientService(this.service),
          profile,
          report,
          sharedPin,
          count: request.count,
          mds,
          signal,
          onEvent: (update) => this.emit({ runId: request.runId, update, records: report.all().map(withoutPin) }),
        });
        return { ok: true, value: { ...summary, reportPath, withPins: report.withPins } };
      } finally {
        await report.close();
      }
    } catch (error) {
      return fail(error);
    } finally {
      this.running = false;
    }
  }

  private async askSharedPin(runId: string, profile: Profile, prompts: PromptHandler, signal: AbortSignal): Promise<string> {
    const minLength = Math.max(4, profile.minPinLength ?? 4);
    return prompts.pin({ kind: 'pin', id: `${runId}:shared-pin`, purpose: 'new', retries: null, minLength, maxBytes: 63 }, signal);
  }

  /** The latest run's report, with its PINs, as a CSV or JSON Lines file (0600) at `path`. */
  async exportReport(path: string, format: ReportFormat): Promise<Result<{ path: string }>> {
    try {
      const target = await this.exportTarget(path);
      await writeFileAtomically(target, serializeReport(this.last!.records, format, this.last!.withPins), 'export-not-saved');
      return { ok: true, value: { path: target } };
    } catch (error) {
      return fail(error);
    }
  }

  /** Entra ID's key restriction policy allowing the models the latest run prepared. */
  async exportPolicy(path: string): Promise<Result<{ path: string }>> {
    try {
      const target = await this.exportTarget(path);
      await writeFileAtomically(target, `${JSON.stringify(entraPolicy(this.last!.records), null, 2)}\n`, 'policy-not-saved');
      return { ok: true, value: { path: target } };
    } catch (error) {
      return fail(error);
    }
  }

  private async exportTarget(path: string): Promise<string> {
    if (!this.last) throw new AppError('USAGE', { reason: 'no-report-yet' });
    const target = await checkFilePath(path, 'write');
    // The run rewrites its report after every step: an export over it would be lost.
    if (target === this.last.path) throw new AppError('DEVICE_BUSY', { reason: 'report-in-use', path: target });
    return target;
  }

  /** The profile file picked in the shell's dialog: its name and text, or null when cancelled. */
  async openProfile(): Promise<Result<{ name: string; text: string } | null>> {
    if (!this.dialogs) return fail(new AppError('UNSUPPORTED', { reason: 'os-action-unavailable' }));
    try {
      const picked = await this.dialogs.openProfile();
      if (picked === null) return { ok: true, value: null };
      const path = await checkFilePath(picked, 'read');
      const size = (await stat(path)).size;
      if (size > MAX_PROFILE_BYTES) throw new AppError('FILE_ACCESS', { reason: 'profile-too-large', path });
      const text = await readFile(path, 'utf8').catch((error: unknown) => {
        throw new AppError('FILE_ACCESS', { reason: 'profile-unreadable', path, details: String(error) });
      });
      return { ok: true, value: { name: basename(path), text } };
    } catch (error) {
      return fail(error);
    }
  }

  async choosePath(purpose: SavePurpose, suggestedName: string): Promise<Result<{ path: string | null }>> {
    if (!this.dialogs) return fail(new AppError('UNSUPPORTED', { reason: 'os-action-unavailable' }));
    try {
      const picked = await this.dialogs.savePath(purpose, basename(suggestedName));
      return { ok: true, value: { path: picked === null ? null : await checkFilePath(picked, 'write') } };
    } catch (error) {
      return fail(error);
    }
  }
}
